// FairPlay on a bare <video> (Safari's native HLS, no player): the key request
// dance for both of Safari's APIs, modern EME (fairplay-modern.ts) and legacy
// WebKit (fairplay-legacy.ts), which share the rights URL and SPC → CKC exchange
// (fairplay-keys.ts). The certificate fetch starts at attach time, off the key
// request's critical path.

import { ClientCode } from '../core/catalog.js';
import { bytesToHex, toBytes } from '../core/encoding.js';
import { ExpressPlayError, isExpressPlayError } from '../core/errors.js';
import { KeySystem } from '../core/key-systems.js';
import { getFairPlayCertificate, preconnectFairPlayCertificate } from './certificate.js';
import { pageEnvironment } from './environment.js';
import { createEmitter } from './events.js';
import { emeError, FairPlayLicenser, type FairPlayEmit, type FairPlayKeyContext } from './fairplay-keys.js';
import { LegacyFairPlay } from './fairplay-legacy.js';
import { FPS_CONFIG, ModernFairPlay } from './fairplay-modern.js';
import { ListenerList } from './listeners.js';
import { createLogger, type RedactingLogger } from './log.js';
import type { AttachFairPlayOptions, FairPlayAttachment } from './types/fairplay.js';
import type { EmeEnvironment } from './types/environment.js';

type FairPlayApi = 'eme' | 'webkit-legacy';

/**
 * `auto`: modern EME when it can do com.apple.fps, else the legacy WebKit API.
 * Safari 12.1–13 has both APIs but a modern path that may not work for FairPlay,
 * so where both exist EME is asked rather than assumed.
 */
async function chooseApi(api: 'auto' | FairPlayApi, env: EmeEnvironment): Promise<FairPlayApi> {
  if (api !== 'auto') return api;
  if (!env.WebKitMediaKeys) return 'eme';
  if (!env.requestMediaKeySystemAccess) return 'webkit-legacy';
  try {
    await env.requestMediaKeySystemAccess(KeySystem.FAIRPLAY, [FPS_CONFIG]);
    return 'eme';
  } catch {
    return 'webkit-legacy';
  }
}

/**
 * One attachment: listens to the element for both APIs' key events (the ones of
 * the API not chosen are ignored), hands each new key to the modern or legacy
 * half, and reports failures.
 */
class FairPlayController {
  readonly #video: HTMLMediaElement;
  readonly #options: AttachFairPlayOptions;
  readonly #log: RedactingLogger;
  readonly #emit: FairPlayEmit;
  readonly #api: Promise<FairPlayApi>;
  readonly #abort = new AbortController();
  readonly #listeners = new ListenerList();
  /** initData already answered: Safari fires 'encrypted' more than once for one key. */
  readonly #seen = new Set<string>();
  readonly #modern: ModernFairPlay;
  readonly #legacy: LegacyFairPlay;
  #destroyed = false;

  constructor(video: HTMLMediaElement, options: AttachFairPlayOptions) {
    this.#video = video;
    this.#options = options;
    this.#log = createLogger(options.logger, '[expressplay:fairplay]');
    const env = options.environment ?? pageEnvironment();
    this.#api = chooseApi(options.api ?? 'auto', env);
    this.#emit = createEmitter(options.onEvent, this.#log, { drm: 'fairplay' });
    const context: FairPlayKeyContext = {
      video,
      env,
      certificate: this.#fetchCertificate(),
      licenser: new FairPlayLicenser(options, this.#abort.signal, this.#emit),
      emit: this.#emit,
      fail: (err, contentId) => this.#fail(err, contentId),
    };
    this.#modern = new ModernFairPlay(context);
    this.#legacy = new LegacyFairPlay(context);
    this.#registerListeners();
    this.#api.then((chosen) => this.#log.debug(`attached (${chosen})`)).catch(() => undefined);
  }

  /** Removes every listener, aborts requests, closes sessions. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#abort.abort(new ExpressPlayError(ClientCode.ABORTED, { drm: 'fairplay', details: 'FairPlay detached' }));
    this.#unregisterListeners();
    this.#modern.destroy();
    this.#legacy.destroy();
  }

  #registerListeners(): void {
    if (this.#options.signal) this.#listeners.add(this.#options.signal, 'abort', this.#onSignalAbort, { once: true });
    this.#listeners.add(this.#video, 'encrypted', this.#onEncrypted);
    this.#listeners.add(this.#video, 'webkitneedkey', this.#onWebkitNeedKey);
  }

  #unregisterListeners(): void {
    this.#listeners.removeAll();
  }

  readonly #onSignalAbort = (): void => this.destroy();

  readonly #onEncrypted = (ev: Event): void => {
    const e = ev as MediaEncryptedEvent;
    if (!e.initData) return;
    const initDataType = e.initDataType;
    const initData = toBytes(e.initData).slice();
    this.#api
      .then((chosen) => {
        if (chosen !== 'eme' || this.#destroyed || !this.#firstTime(initDataType, initData)) return;
        return this.#modern.addKey(initDataType, initData);
      })
      .catch((err: unknown) => this.#fail(err));
  };

  readonly #onWebkitNeedKey = (ev: Event): void => {
    const raw = (ev as WebKitMediaKeyNeededEvent).initData;
    if (!raw) return;
    const initData = toBytes(raw).slice();
    this.#api
      .then((chosen) => {
        if (chosen !== 'webkit-legacy' || this.#destroyed || !this.#firstTime('skd', initData)) return;
        return this.#legacy.addKey(initData);
      })
      .catch((err: unknown) => this.#fail(err));
  };

  /** Starts the certificate fetch now: by the time the first key is needed, it is usually here. */
  #fetchCertificate(): Promise<Uint8Array> {
    const { certificate, timeoutMs, fetch } = this.#options;
    if (typeof certificate === 'string') preconnectFairPlayCertificate(certificate);
    const pending = getFairPlayCertificate(certificate, {
      signal: this.#abort.signal,
      timeoutMs,
      ...(fetch ? { fetch } : {}),
    });
    pending.catch(() => undefined);
    return pending;
  }

  #firstTime(initDataType: string, initData: Uint8Array): boolean {
    const id = `${initDataType}:${bytesToHex(initData)}`;
    if (this.#seen.has(id)) return false;
    this.#seen.add(id);
    return true;
  }

  #fail(err: unknown, contentId?: string): void {
    if (this.#destroyed) return;
    const error = isExpressPlayError(err) ? err : emeError(err instanceof Error ? err.message : String(err), err);
    this.#log.error(error.message, { code: error.code, contentId });
    this.#emit({ type: 'expressplay:error', error, ...(contentId === undefined ? {} : { contentId }) });
    try {
      this.#options.onError?.(error);
    } catch (e) {
      this.#log.warn('onError handler threw', { error: e });
    }
  }
}

/**
 * FairPlay on a bare `<video>` (no player library): listens for `encrypted`
 * (modern `com.apple.fps`) and `webkitneedkey` (legacy WebKit), installs the
 * certificate, and answers each SPC with a CKC. The certificate fetch starts at
 * once, so it is usually there when the first key is needed.
 *
 * The rights URL for a key is, in order: `options.rightsUrl`; the skd URI's own
 * when it carries an `ExpressPlayToken`; one from `tokenClient`; the skd URI's
 * bare rights URL. Every one is checked against the allowlist. A token refused by
 * the license server (-4010 / 401 / 403) gets one refresh from the token client.
 *
 * Failures after attaching are reported through `onError` and an
 * `expressplay:error` event (-9030 no key system, -9040 certificate, -9042 skd /
 * no rights URL, -9041 CKC, -9031 EME, -9021/-9022 allowlist, license errors).
 *
 * @throws {@link ExpressPlayError} -9001 when `options.certificate` is missing.
 *
 * @example
 * ```ts
 * const video = document.querySelector('video')!;
 * const fairplay = attachFairPlay(video, {
 *   certificate: '/fairplay.cer',
 *   tokenClient: createTokenClient({ endpoint: '/api/expressplay-token' }),
 *   onError: (e) => console.error(e.code, e.message),
 * });
 * video.src = 'https://cdn.example.com/movie-42/master.m3u8';
 * // later: fairplay.detach();
 * ```
 */
export function attachFairPlay(video: HTMLMediaElement, options: AttachFairPlayOptions): FairPlayAttachment {
  if (!options || options.certificate === undefined) {
    throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
      drm: 'fairplay',
      details: 'attachFairPlay needs a certificate',
    });
  }
  const controller = new FairPlayController(video, options);
  return { detach: () => controller.destroy() };
}
