// The videojs-contrib-eme `keySystems` entry of one source: `getLicense` (and, for
// FairPlay, `getCertificate` / `getContentId`) answered through the source's
// `SourceLoad`, and each outcome handed back to contrib-eme's callback.

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError, type Drm } from '../core/errors.js';
import { clearKeyRequestKeyIds, severalKeyIdsError } from '../browser/key-ids.js';
import { requestLicense } from '../browser/license.js';
import { getFairPlayCertificate, requestCkc } from '../browser/fairplay-on-demand.js';
import { asError } from './errors.js';
import { playReadyRequest } from './playready-on-demand.js';
import type { Emit, SourceLoad } from './source-load.js';
import type { ExpressPlayPluginOptions } from './types.js';

type Callback<T> = (err: unknown, value?: T) => void;

/** What the keySystems entry needs of the plugin attached to the player. */
export interface EmeHost {
  readonly options: ExpressPlayPluginOptions;
  /** Checks a rights URL against the token client's allowlist (app-, endpoint- and skd-supplied alike). */
  assertAllowedRightsUrl(url: string): void;
  /** Whether the plugin was disposed (then nothing is handed to contrib-eme any more). */
  readonly disposed: boolean;
  readonly emit: Emit;
  /** Remembers the typed error handed to contrib-eme (contrib-eme 5.0 passes on only its message). */
  handedToEme?: ExpressPlayError;
}

/**
 * contrib-eme has no retry of its own, so license requests carry one, as Shaka's
 * license retryParameters would: 3 attempts on a 5xx, network error or timeout,
 * backoff with jitter. Token refusals are the `ContentLoad`'s business (refresh once).
 */
const LICENSE_RETRY = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 2000, maxTotalMs: 10_000 };

/** contrib-eme's options for this source's key system. */
export function keySystemOptions(host: EmeHost, load: SourceLoad): Record<string, unknown> {
  const { support } = load;
  const { licenseTimeoutMs: timeoutMs, licenseHeaders: headers } = host.options;
  const send = (body: Uint8Array) => (url: string, signal: AbortSignal) => {
    host.assertAllowedRightsUrl(url); // the allowlist also covers app- and skd-supplied URLs
    const common = { signal, timeoutMs, retry: LICENSE_RETRY };
    if (support.drm === 'fairplay') return requestCkc(url, body, { ...common, headers });
    if (support.drm !== 'playready') return requestLicense(url, body, { ...common, drm: support.drm, headers });
    return playReadyRequest(body).then((pr) =>
      requestLicense(url, pr.body, {
        ...common,
        drm: 'playready',
        contentType: pr.contentType,
        headers: { ...pr.headers, ...headers },
      }),
    );
  };
  if (support.drm !== 'fairplay') {
    return {
      ...(support.videoRobustness ? { videoRobustness: support.videoRobustness } : {}),
      ...(support.audioRobustness ? { audioRobustness: support.audioRobustness } : {}),
      getLicense: (_emeOptions: unknown, keyMessage: ArrayBuffer, cb: Callback<Uint8Array>) => {
        const kids = sessionKeysOf(support.drm, keyMessage);
        const work =
          kids.length > 1
            ? Promise.reject(severalKeyIdsError(kids, load.drm))
            : load.license(send(new Uint8Array(keyMessage)), kids[0] ? kids : undefined);
        settle(host, load, work, cb, kids);
      },
    };
  }
  const certificate = host.options.fairplay?.certificate;
  return {
    initDataTypes: ['sinf', 'skd'],
    getCertificate: (_emeOptions: unknown, cb: Callback<Uint8Array>) => {
      const cert = certificate
        ? getFairPlayCertificate(certificate, { signal: load.signal })
        : Promise.reject(
            new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
              details: 'options.fairplay.certificate is required for FairPlay',
              drm: 'fairplay',
            }),
          );
      settle(host, load, cert, cb);
    },
    // contrib-eme hands over the initData as a string (bytes as chars, UTF-16 units for legacy WebKit).
    getContentId: (_emeOptions: unknown, initData: string) =>
      load.fairPlayContentId(initData, host.options.fairplay?.contentIdStrategy),
    getLicense: (_emeOptions: unknown, _contentId: string, spc: Uint8Array, cb: Callback<Uint8Array>) =>
      settle(host, load, load.license(send(spc)), cb),
  };
}

/**
 * The key ids a license request is for, as a ClearKey request names them. Otherwise
 * none: the source's token, asked with the source's `kids` if the app gave them
 * (contrib-eme keeps the session's initData to itself).
 */
function sessionKeysOf(drm: Drm, keyMessage: ArrayBuffer): string[] {
  return drm === 'clearkey' ? clearKeyRequestKeyIds(keyMessage) : [];
}

/**
 * Hands a result to contrib-eme; a failure is `expressplay:error` too. After dispose or
 * a source change the callback is dropped on purpose: contrib-eme would report the
 * abort on a disposed player (which throws) or as an error of the next source.
 */
function settle<T>(host: EmeHost, load: SourceLoad, work: Promise<T>, cb: Callback<T>, kids: readonly string[] = []) {
  work.then(
    (value) => {
      if (!load.signal.aborted && !host.disposed) cb(null, value);
    },
    (e: unknown) => {
      if (load.signal.aborted || host.disposed) return;
      const err = asError(e, load.drm);
      host.emit({
        type: 'expressplay:error',
        drm: err.drm ?? load.drm,
        contentId: load.contentId,
        ...(kids.length ? { kids } : {}),
        error: err,
      });
      host.handedToEme = err;
      cb(err);
    },
  );
}
