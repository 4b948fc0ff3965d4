// FairPlay on a bare <video> (Safari's native HLS, no player): the key request
// dance for both of Safari's APIs.
// - modern EME: 'encrypted' (skd/sinf/cenc) → requestMediaKeySystemAccess('com.apple.fps')
//   → setServerCertificate → generateRequest → 'message' (SPC) → CKC → update();
// - legacy WebKit: 'webkitneedkey' → WebKitMediaKeys('com.apple.fps.1_0') →
//   createSession('video/mp4', [initData|contentId|certificate]) → 'webkitkeymessage' → CKC → update().
// The certificate fetch starts at attach time, off the key request's critical path.

import { ClientCode } from '../core/catalog.js';
import { bytesToHex, toBytes } from '../core/encoding.js';
import { ExpressPlayError, isExpressPlayError } from '../core/errors.js';
import { contentIdFromSkd, legacyFairPlayInitData, rightsUrlFromSkd, skdFromInitData } from '../core/fairplay.js';
import { keyIdsFromInitData } from '../core/initdata.js';
import { assertRightsUrl, DEFAULT_RIGHTS_HOSTS, isLoopbackHost } from './allowlist.js';
import { getFairPlayCertificate, preconnectFairPlayCertificate } from './certificate.js';
import { requestCkc } from './fairplay.js';
import { createEmitter } from './events.js';
import { createLogger } from './log.js';
import type { AttachFairPlayOptions, EmeEnvironment, FairPlayAttachment, LegacyWebKitMediaKeys, RightsSource, TokenContext } from './types.js';

const MODERN_KEY_SYSTEM = 'com.apple.fps';
const LEGACY_KEY_SYSTEM = 'com.apple.fps.1_0';

interface KeyRequest {
  /** The skd URI, when the initData carries one. */
  skd?: string;
  /** Content id for the token client. */
  contentId: string;
}

interface Rights {
  url: string;
  source: RightsSource;
}

function pageEnvironment(): EmeEnvironment {
  const env: EmeEnvironment = {};
  const nav = globalThis.navigator as Navigator | undefined;
  if (nav && typeof nav.requestMediaKeySystemAccess === 'function') env.requestMediaKeySystemAccess = nav.requestMediaKeySystemAccess.bind(nav);
  const WebKit = (globalThis as unknown as Window).WebKitMediaKeys;
  if (WebKit) env.WebKitMediaKeys = WebKit;
  return env;
}

/** An skd URI's rights URL; plain http only for a loopback host (the emulator in development). */
function skdRightsUrl(skd: string | undefined): string | undefined {
  if (skd === undefined) return undefined;
  const host = skd.trim().slice('skd://'.length).split(/[/?#:]/)[0] ?? '';
  return rightsUrlFromSkd(skd, isLoopbackHost(host) ? 'http' : 'https');
}

const FPS_CONFIG: MediaKeySystemConfiguration = {
  videoCapabilities: [
    { contentType: 'application/vnd.apple.mpegurl', robustness: '' },
    { contentType: 'video/mp4', robustness: '' },
  ],
  distinctiveIdentifier: 'not-allowed',
  persistentState: 'not-allowed',
  sessionTypes: ['temporary'],
};

/**
 * `auto`: modern EME when it can do com.apple.fps, else the legacy WebKit API.
 * Safari 12.1–13 has both APIs but a modern path that may not work for FairPlay,
 * so where both exist EME is asked rather than assumed.
 */
async function chooseApi(api: 'auto' | 'eme' | 'webkit-legacy', env: EmeEnvironment): Promise<'eme' | 'webkit-legacy'> {
  if (api !== 'auto') return api;
  if (!env.WebKitMediaKeys) return 'eme';
  if (!env.requestMediaKeySystemAccess) return 'webkit-legacy';
  try {
    await env.requestMediaKeySystemAccess(MODERN_KEY_SYSTEM, [FPS_CONFIG]);
    return 'eme';
  } catch {
    return 'webkit-legacy';
  }
}

function emeError(details: string, cause?: unknown): ExpressPlayError {
  return new ExpressPlayError(ClientCode.EME, { drm: 'fairplay', details, cause });
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
  if (!options || options.certificate === undefined) throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, { drm: 'fairplay', details: 'attachFairPlay needs a certificate' });
  const log = createLogger(options.logger, '[expressplay:fairplay]');
  const env = options.environment ?? pageEnvironment();
  const api = chooseApi(options.api ?? 'auto', env);
  const controller = new AbortController();
  const signal = controller.signal;
  const onOuterAbort = () => detach();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const cleanups: Array<() => void> = [];
  const seen = new Set<string>();
  const sessions: Array<{ close(): unknown }> = [];
  let detached = false;

  const listen = <T extends EventTarget>(target: T, type: string, handler: (ev: Event) => void) => {
    target.addEventListener(type, handler);
    cleanups.push(() => target.removeEventListener(type, handler));
  };

  const emit = createEmitter(options.onEvent, log, { drm: 'fairplay' });

  function fail(err: unknown, contentId?: string): void {
    if (detached) return;
    const error = isExpressPlayError(err) ? (err as ExpressPlayError) : emeError(err instanceof Error ? err.message : String(err), err);
    log.error(error.message, { code: error.code, contentId });
    emit({ type: 'expressplay:error', error, ...(contentId === undefined ? {} : { contentId }) });
    try {
      options.onError?.(error);
    } catch (e) {
      log.warn('onError handler threw', { error: e });
    }
  }

  // Started now: by the time the first key is needed, the certificate is usually here.
  if (typeof options.certificate === 'string') preconnectFairPlayCertificate(options.certificate);
  const certificate = getFairPlayCertificate(options.certificate, { signal, timeoutMs: options.timeoutMs, ...(options.fetch ? { fetch: options.fetch } : {}) });
  certificate.catch(() => undefined);

  const allowed = options.tokenClient ? undefined : (options.allowedRightsHosts ?? DEFAULT_RIGHTS_HOSTS);
  function checkRights(url: string): void {
    if (options.tokenClient) options.tokenClient.assertAllowedRightsUrl(url);
    else assertRightsUrl(url, allowed, 'fairplay');
  }

  function tokenContext(key: KeyRequest): TokenContext {
    return { drm: 'fairplay', contentId: key.contentId };
  }

  /** App's URL, else the skd URI's own (token included), else the token client, else the skd's bare URL. */
  async function rightsFor(key: KeyRequest): Promise<Rights> {
    if (options.rightsUrl) return { url: options.rightsUrl, source: 'app' };
    const fromSkd = skdRightsUrl(key.skd);
    if (fromSkd && /[?&]ExpressPlayToken=/.test(fromSkd)) return { url: fromSkd, source: 'skd' };
    if (options.tokenClient) {
      const info = await options.tokenClient.getRightsUrl(tokenContext(key), { signal });
      return { url: info.rightsUrl, source: info.source };
    }
    if (fromSkd) return { url: fromSkd, source: 'skd' };
    throw new ExpressPlayError(ClientCode.SKD_INVALID, { drm: 'fairplay', details: 'no rights URL: pass rightsUrl or tokenClient, or use a playlist whose skd URI carries the rights URL' });
  }

  async function ckcFor(spc: Uint8Array, key: KeyRequest): Promise<Uint8Array> {
    const started = performance.now();
    const rights = await rightsFor(key);
    checkRights(rights.url);
    const send = (url: string) => requestCkc(url, spc, { signal, timeoutMs: options.timeoutMs, ...(options.headers ? { headers: options.headers } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) });
    let ckc: Uint8Array;
    let url = rights.url;
    try {
      ckc = await send(url);
    } catch (err) {
      const fromClient = rights.source === 'endpoint' || rights.source === 'cache';
      if (!options.tokenClient || !fromClient || !isExpressPlayError(err) || !(err as ExpressPlayError).isTokenRejected) throw err;
      // One fresh token; the token client refuses a second refresh without a license in between.
      const fresh = await options.tokenClient.refresh(tokenContext(key), err as ExpressPlayError, { signal });
      url = fresh.rightsUrl;
      checkRights(url);
      ckc = await send(url);
    }
    options.tokenClient?.licenseAcquired(tokenContext(key));
    emit({ type: 'expressplay:license', durationMs: performance.now() - started, contentId: key.contentId, rightsUrl: url, source: rights.source });
    return ckc;
  }

  function keyRequest(initDataType: string, initData: Uint8Array): KeyRequest {
    if (initDataType === 'skd') {
      const skd = skdFromInitData(initData);
      return { skd, contentId: options.contentId ?? contentIdFromSkd(skd, options.contentIdStrategy ?? 'whole') };
    }
    const kids = keyIdsFromInitData(initDataType, initData);
    const contentId = options.contentId ?? kids[0];
    if (contentId === undefined) throw new ExpressPlayError(ClientCode.SKD_INVALID, { drm: 'fairplay', details: `no content id in ${initDataType} initData: pass contentId` });
    return { contentId };
  }

  /* ---------------------------------------------------------------- modern EME */

  let mediaKeys: Promise<MediaKeys> | undefined;
  function ensureMediaKeys(initDataType: string): Promise<MediaKeys> {
    mediaKeys ??= (async () => {
      const request = env.requestMediaKeySystemAccess;
      if (!request) throw new ExpressPlayError(ClientCode.NO_KEY_SYSTEM, { drm: 'fairplay', details: 'no requestMediaKeySystemAccess' });
      let access: MediaKeySystemAccess;
      try {
        access = await request(MODERN_KEY_SYSTEM, [{ ...FPS_CONFIG, initDataTypes: [initDataType] }]);
      } catch (err) {
        throw new ExpressPlayError(ClientCode.NO_KEY_SYSTEM, { drm: 'fairplay', details: `${MODERN_KEY_SYSTEM} is not available`, cause: err });
      }
      const keys = await access.createMediaKeys();
      const cert = await certificate;
      try {
        await keys.setServerCertificate(new Uint8Array(cert));
      } catch (err) {
        throw new ExpressPlayError(ClientCode.CERTIFICATE_INVALID, { drm: 'fairplay', details: 'the CDM refused the certificate', cause: err });
      }
      await video.setMediaKeys(keys);
      return keys;
    })();
    return mediaKeys;
  }

  async function modernKey(initDataType: string, initData: Uint8Array): Promise<void> {
    const key = keyRequest(initDataType, initData);
    const keys = await ensureMediaKeys(initDataType);
    if (detached) return;
    const session = keys.createSession('temporary');
    sessions.push(session);
    listen(session, 'message', (ev) => {
      const spc = toBytes((ev as MediaKeyMessageEvent).message);
      ckcFor(spc, key)
        .then((ckc) => (detached ? undefined : session.update(new Uint8Array(ckc))))
        .catch((err: unknown) => fail(isExpressPlayError(err) ? err : emeError('update() refused the CKC', err), key.contentId));
    });
    listen(session, 'keystatuseschange', () => {
      session.keyStatuses.forEach((status, keyId) => emit({ type: 'expressplay:keystatus', contentId: key.contentId, keyStatus: { keyId: bytesToHex(toBytes(keyId)), status } }));
    });
    await session.generateRequest(initDataType, new Uint8Array(initData));
  }

  /* ------------------------------------------------------------- legacy WebKit */

  let legacyKeys: LegacyWebKitMediaKeys | undefined;
  async function legacyKey(initData: Uint8Array): Promise<void> {
    const WebKit = env.WebKitMediaKeys;
    if (!WebKit) throw new ExpressPlayError(ClientCode.NO_KEY_SYSTEM, { drm: 'fairplay', details: 'no WebKitMediaKeys' });
    const key = keyRequest('skd', initData);
    if (!legacyKeys) {
      if (!WebKit.isTypeSupported(LEGACY_KEY_SYSTEM, 'video/mp4')) throw new ExpressPlayError(ClientCode.NO_KEY_SYSTEM, { drm: 'fairplay', details: `${LEGACY_KEY_SYSTEM} is not supported` });
      legacyKeys = new WebKit(LEGACY_KEY_SYSTEM);
      // Safari's own type is the ambient WebKitMediaKeys; ours is the same shape.
      video.webkitSetMediaKeys?.(legacyKeys as WebKitMediaKeys);
    }
    const cert = await certificate;
    if (detached) return;
    // The legacy CDM wants the content id and certificate inside the initData.
    const skdContentId = contentIdFromSkd(key.skd!, options.contentIdStrategy ?? 'whole');
    const session = legacyKeys.createSession('video/mp4', legacyFairPlayInitData(initData, skdContentId, cert));
    if (!session) throw emeError('createSession returned nothing');
    sessions.push(session);
    listen(session, 'webkitkeymessage', (ev) => {
      const spc = toBytes((ev as WebKitMediaKeyMessageEvent).message);
      ckcFor(spc, key)
        .then((ckc) => (detached ? undefined : session.update(ckc)))
        .catch((err: unknown) => fail(err, key.contentId));
    });
    listen(session, 'webkitkeyadded', () => emit({ type: 'expressplay:keystatus', contentId: key.contentId, keyStatus: { keyId: key.contentId, status: 'usable' } }));
    listen(session, 'webkitkeyerror', () => fail(emeError(`WebKit key error ${session.error?.code ?? '?'} (system code ${session.error?.systemCode ?? '?'})`), key.contentId));
  }

  /* --------------------------------------------------------------------- events */

  function once(initDataType: string, initData: Uint8Array): boolean {
    const id = `${initDataType}:${bytesToHex(initData)}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  }

  // Both events are listened to from the start; the ones of the API not chosen are ignored.
  listen(video, 'encrypted', (ev) => {
    const e = ev as MediaEncryptedEvent;
    if (!e.initData) return;
    const initDataType = e.initDataType;
    const initData = toBytes(e.initData).slice();
    api
      .then((chosen) => {
        // Safari fires 'encrypted' more than once for one key.
        if (chosen !== 'eme' || detached || !once(initDataType, initData)) return;
        return modernKey(initDataType, initData);
      })
      .catch((err: unknown) => fail(err));
  });
  listen(video, 'webkitneedkey', (ev) => {
    const raw = (ev as WebKitMediaKeyNeededEvent).initData;
    if (!raw) return;
    const initData = toBytes(raw).slice();
    api
      .then((chosen) => {
        if (chosen !== 'webkit-legacy' || detached || !once('skd', initData)) return;
        return legacyKey(initData);
      })
      .catch((err: unknown) => fail(err));
  });
  api.then((chosen) => log.debug(`attached (${chosen})`)).catch(() => undefined);

  function detach(): void {
    if (detached) return;
    detached = true;
    options.signal?.removeEventListener('abort', onOuterAbort);
    controller.abort(new ExpressPlayError(ClientCode.ABORTED, { drm: 'fairplay', details: 'FairPlay detached' }));
    for (const c of cleanups.splice(0)) c();
    for (const s of sessions.splice(0)) {
      try {
        Promise.resolve(s.close()).catch(() => undefined);
      } catch {
        // A session the CDM already closed.
      }
    }
  }

  return { detach };
}
