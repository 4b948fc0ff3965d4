// `expressplay-eme/videojs`: the Video.js adapter. A plugin (`player.expressplay(options)`)
// plus a source middleware that gives every `{ expressplay: { contentId } }` source the
// videojs-contrib-eme `keySystems` it needs. contrib-eme does all EME session work; this
// file only decides the key system, where licenses go, and what to do when a token is refused.
// Video.js is never imported at run time: it arrives through registerExpressPlay(videojs).

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError, isExpressPlayError, type Drm } from '../core/errors.js';
import { redactTokens } from '../core/redact.js';
import { bytesToHex, toBytes } from '../core/encoding.js';
import { loadPlayReadyCode, playReadyRequest } from './playready-on-demand.js';
import { clearKeyRequestKeyIds, isKeyIdRequired, severalKeyIdsError } from '../browser/key-ids.js';
import { createTokenClient, requestLicense } from '../browser/index.js';
import {
  contentIdFromSkd,
  getFairPlayCertificate,
  requestCkc,
  rightsUrlFromSkd,
} from '../browser/fairplay-on-demand.js';
import { detectDrmWithItsCode } from '../browser/detect-with-code.js';
import type {
  DrmProfile,
  ExpressPlayEvent,
  KeySystemSupport,
  RightsInfo,
  TokenClient,
  TokenContext,
} from '../browser/types.js';
import type {
  ExpressPlayHandle,
  ExpressPlayPluginOptions,
  ExpressPlaySourceOptions,
  VideoJsLike,
  VjsErrorInit,
  VjsKeyStatusEvent,
  VjsPlayer,
  VjsSource,
  VjsTech,
} from './types.js';

export type * from './types.js';

/** MediaError code Video.js shows as "The media is encrypted and we do not have the keys". */
const MEDIA_ERR_ENCRYPTED = 5;
const FAIRPLAY_LEGACY = 'com.apple.fps.1_0';

type Callback<T> = (err: unknown, value?: T) => void;

/** One source load: its token context and the rights URL promise its license requests share. */
interface Load {
  ctx: TokenContext;
  support: KeySystemSupport;
  keySystem: string;
  abort: AbortController;
  /** Lazily set for FairPlay sources without a content id (known only from the skd URI). */
  rights?: Promise<RightsInfo>;
  /** Per key-id set (`a,b`): the rights URL the sessions asking for those key ids share. */
  keyRights: Map<string, Promise<RightsInfo>>;
  /** Why the load's own token fetch (`rights`) failed, once it has. */
  failure?: unknown;
}

interface State {
  player: VjsPlayer;
  options: ExpressPlayPluginOptions;
  client: TokenClient;
  ownsClient: boolean;
  profile: Promise<DrmProfile>;
  load?: Load;
  disposed: boolean;
  /** Bumped by every setSource: a source whose detection answers after a newer src() is dropped. */
  sourceGen: number;
  techs: Set<VjsTech>;
  /** The last typed error handed to contrib-eme (contrib-eme 5.0 passes on only its message). */
  handedToEme?: ExpressPlayError;
  onKeyStatus(event: VjsKeyStatusEvent): void;
  dispose(): void;
}

const states = new WeakMap<VjsPlayer, State>();
const registered = new WeakSet<object>();

/**
 * Registers the `expressplay` plugin, its source middleware and its error hook on this Video.js.
 * Idempotent per `videojs` object. videojs-contrib-eme must be loaded before
 * `player.expressplay()` is called.
 *
 * Then `player.expressplay(options)` starts detection and returns an
 * {@link ExpressPlayHandle}; a source with an `expressplay` field
 * (`{ src, type, expressplay: { contentId } }`) gets contrib-eme `keySystems` for
 * the detected DRM (`getLicense`, and `getCertificate` / `getContentId` for
 * FairPlay) and its token fetch starts in parallel with the manifest. A license
 * request failing with a retryable error (5xx, network, timeout) is tried up to
 * 3 times with backoff (contrib-eme has no retry of its own); one refused for its
 * token (-4010 / 401 / 403) gets one fresh token and one retry.
 *
 * How keys are chosen: a ClearKey session's key ids are read from its license
 * request (`{"kids":[…]}`), and the request goes to the token for those key ids
 * (one token per key: the token client's entry per drm, content and key-id set).
 * Single-key content uses the token fetched at `src()` (the back end answers a
 * request without `kids` with the content's one key); for multi-key content the
 * back end answers that -4018 and each key's token is fetched when its session
 * starts. contrib-eme does not hand a session's initData to `getLicense`, so for
 * Widevine / PlayReady the key ids are the source's `kids`, when the app gives them.
 * A session asking for several key ids at once fails with -9045.
 * Failures reach `player.error()` as MediaError code 5 with the typed error on
 * `player.error().expressplay`; `expressplay:*` events are triggered on the player.
 *
 * Errors thrown by `player.expressplay()`: -9030 when contrib-eme is not loaded,
 * -9001 without `token` or `tokenClient`. Errors of a source (reported through
 * `player.error()`): -9030 when the chosen DRM is not supported, -9001 without
 * `contentId` (except FairPlay) or FairPlay without a certificate, -9042 for an
 * unusable skd URI, and the token, allowlist and license errors.
 *
 * @param videojs - the `videojs` function object (only its `registerPlugin`, `use` and `hook` are used).
 *
 * @example
 * ```ts
 * import videojs from 'video.js';
 * import 'videojs-contrib-eme';
 * import type Player from 'video.js/dist/types/player';
 * import { registerExpressPlay, type ExpressPlayPlayer } from 'expressplay-eme/videojs';
 *
 * registerExpressPlay(videojs);
 * const player = videojs('my-video') as ExpressPlayPlayer<Player>;
 * player.expressplay({ token: { endpoint: '/api/expressplay-token' } });
 * player.src({ src: '/movie-42/manifest.mpd', type: 'application/dash+xml', expressplay: { contentId: 'movie-42' } });
 * player.on('expressplay:error', (_e, payload) => console.error(payload.error));
 * ```
 */
export function registerExpressPlay(videojs: VideoJsLike): void {
  if (registered.has(videojs)) return;
  registered.add(videojs);
  videojs.registerPlugin('expressplay', expressplayPlugin);
  videojs.use('*', middlewareFor);
  // contrib-eme reports every failure as `player.error({ code: 5, originalError })`; this puts
  // our typed error where apps look for it, without a second error event of our own.
  // contrib-eme 5.0 passes on only `{ code: 5, message }`: the error we handed it is matched by its message.
  videojs.hook('beforeerror', (player, err) => {
    const eme =
      typeof err === 'object' && err !== null
        ? (err as { originalError?: unknown; metadata?: unknown; code?: unknown; message?: unknown })
        : {};
    if (isExpressPlayError(eme.originalError)) return typedError(eme.originalError, eme.metadata);
    const handed = states.get(player)?.handedToEme;
    return handed &&
      eme.originalError === undefined &&
      eme.code === MEDIA_ERR_ENCRYPTED &&
      eme.message === handed.message
      ? typedError(handed)
      : err;
  });
}

/**
 * For the drop-in script: registers on `window.videojs` when the page loaded it first.
 *
 * @returns whether a `window.videojs` was found (and registered on).
 */
export function autoRegisterExpressPlay(): boolean {
  const videojs = (globalThis as { videojs?: VideoJsLike }).videojs;
  if (typeof videojs !== 'function' && typeof videojs !== 'object') return false;
  registerExpressPlay(videojs);
  return true;
}

/**
 * The value handed to `player.error()`: Video.js copies every field onto its MediaError.
 * Code 5 (`MEDIA_ERR_ENCRYPTED`), the error's message, the typed error as
 * `expressplay`, and `metadata` with its code, status and category.
 *
 * @param emeMetadata - contrib-eme's own metadata (`errorType`, `keySystem`), kept as `metadata.eme`.
 */
export function typedError(error: ExpressPlayError, emeMetadata?: unknown): VjsErrorInit {
  return {
    code: MEDIA_ERR_ENCRYPTED,
    message: error.message,
    expressplay: error,
    metadata: {
      errorType: 'expressplay',
      code: error.code,
      httpStatus: error.httpStatus,
      category: error.category,
      expressplay: error,
      ...(emeMetadata === undefined ? {} : { eme: emeMetadata }), // contrib-eme's own errorType and keySystem
    },
  };
}

function expressplayPlugin(this: VjsPlayer, options: ExpressPlayPluginOptions = {}): ExpressPlayHandle {
  return attach(this, options);
}

function attach(player: VjsPlayer, options: ExpressPlayPluginOptions): ExpressPlayHandle {
  states.get(player)?.dispose();
  if (typeof player.eme === 'function') player.eme();
  else if (typeof player.eme !== 'object' || player.eme === null) {
    throw new ExpressPlayError(ClientCode.NO_KEY_SYSTEM, {
      details: 'videojs-contrib-eme is not loaded: load it before calling player.expressplay()',
    });
  }
  const ownsClient = options.tokenClient === undefined;
  if (ownsClient && options.token === undefined) {
    throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
      details: 'player.expressplay() needs `token` (token client options) or `tokenClient`',
    });
  }
  const client = options.tokenClient ?? createTokenClient(options.token!);
  const onDispose = () => state.dispose();
  const state: State = {
    player,
    options,
    client,
    ownsClient,
    disposed: false,
    sourceGen: 0,
    techs: new Set(),
    onKeyStatus(e) {
      const keyId = e.keyId === undefined ? '' : bytesToHex(toBytes(e.keyId));
      emit(state, {
        type: 'expressplay:keystatus',
        drm: state.load?.ctx.drm,
        contentId: state.load?.ctx.contentId,
        keyStatus: { keyId, status: e.status ?? '' },
      });
    },
    // Started now so the source middleware rarely waits for it (it is memoized per page).
    profile: detectDrmWithItsCode(options.detect, options.drm, { playready: loadPlayReadyCode }),
    dispose() {
      if (state.disposed) return;
      state.disposed = true;
      state.load?.abort.abort();
      for (const tech of state.techs) tech.off('keystatuschange', state.onKeyStatus);
      state.techs.clear();
      if (ownsClient) client.dispose();
      player.off('dispose', onDispose);
      if (states.get(player) === state) states.delete(player);
    },
  };
  state.profile.then(
    (profile) => emit(state, { type: 'expressplay:detected', profile, durationMs: profile.durationMs }),
    () => undefined,
  );
  states.set(player, state);
  player.on('dispose', onDispose);
  return { tokenClient: client, dispose: () => state.dispose() };
}

function middlewareFor(player: VjsPlayer) {
  return {
    setSource(src: VjsSource, next: (err: unknown, src: VjsSource) => void): void {
      const state = states.get(player);
      const wanted = src.expressplay;
      if (!state) return next(null, src);
      // Any new source, with or without `expressplay`: the old one's token and license
      // requests stop (a switch to a plain source used to leave them running).
      state.load?.abort.abort();
      state.load = undefined;
      const gen = ++state.sourceGen;
      if (!wanted) return next(null, src);
      // Dropped when the player is gone, or when a newer src() came while detection was
      // still running: calling next() late would make Video.js load this stale source over
      // the newer one (and start its token request for nothing).
      const current = () => !state.disposed && gen === state.sourceGen;
      // A refused source is not handed on either: loading it would fire `loadstart`, which
      // clears player.error() (Video.js resets it there), and then stall silently on the
      // `encrypted` event with no keySystems. Video.js does the same for a source no tech
      // can play: an error, and the source is not loaded.
      state.profile.then(
        (profile) => {
          if (!current()) return;
          let keySystems: Record<string, unknown>;
          try {
            const load = startLoad(state, pickSupport(profile, state.options.drm), wanted);
            keySystems = { ...src.keySystems, [load.keySystem]: keySystemOptions(state, load) };
          } catch (e) {
            fail(state, asError(e));
            return;
          }
          // Not waiting for the token: it runs in parallel with the manifest request.
          next(null, { ...src, keySystems });
        },
        (e: unknown) => {
          if (current()) fail(state, asError(e));
        },
      );
    },
    setTech(tech: VjsTech): void {
      const state = states.get(player);
      if (!state || state.techs.has(tech)) return;
      state.techs.add(tech);
      tech.on('keystatuschange', state.onKeyStatus);
    },
  };
}

function pickSupport(profile: DrmProfile, drm: Drm | undefined): KeySystemSupport {
  const support = drm ? profile[drm] : profile.preferred;
  if (!support?.supported) {
    throw new ExpressPlayError(ClientCode.NO_KEY_SYSTEM, {
      details: drm ? `${drm} is not supported here` : 'no supported DRM detected',
      drm,
    });
  }
  return support;
}

function keySystemFor(support: KeySystemSupport): string {
  switch (support.drm) {
    case 'widevine':
      return support.keySystem ?? 'com.widevine.alpha';
    case 'playready':
      return support.keySystem ?? 'com.microsoft.playready';
    case 'clearkey':
      return 'org.w3.clearkey';
    case 'fairplay':
      return support.api === 'webkit-legacy' ? FAIRPLAY_LEGACY : (support.keySystem ?? 'com.apple.fps');
  }
}

function startLoad(state: State, support: KeySystemSupport, wanted: ExpressPlaySourceOptions): Load {
  const drm = support.drm;
  if (!wanted.contentId && drm !== 'fairplay') {
    throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
      details: 'source.expressplay.contentId is required',
      drm,
    });
  }
  const ctx: TokenContext = {
    drm,
    contentId: wanted.contentId ?? '',
    ...(wanted.kids ? { kids: wanted.kids } : {}),
    ...(drm === 'widevine' && support.securityLevel ? { securityLevel: support.securityLevel } : {}),
    hdcp: support.hdcp,
  };
  const load: Load = {
    ctx,
    support,
    keySystem: keySystemFor(support),
    abort: new AbortController(),
    keyRights: new Map(),
  };
  if (wanted.rightsUrl) {
    setRights(state, load, Promise.resolve(state.client.setRightsUrl(ctx, wanted.rightsUrl, wanted.expiresAt)));
  } else if (wanted.contentId) {
    setRights(state, load, state.client.getRightsUrl(ctx, { signal: load.abort.signal }));
  }
  state.load = load;
  return load;
}

/** Makes `rights` the load's rights URL (for the key ids `kids`, when given); emits `expressplay:token` when it arrives. */
function setRights(
  state: State,
  load: Load,
  rights: Promise<RightsInfo>,
  kids?: readonly string[],
): Promise<RightsInfo> {
  const started = performance.now();
  if (kids) load.keyRights.set(kids.join(','), rights);
  else load.rights = rights;
  rights.then(
    // A key's sessions that got the content's own token (single-key content): announced already, by the load.
    (info) =>
      (kids && !info.kids) ||
      emit(state, {
        type: 'expressplay:token',
        drm: info.drm,
        contentId: info.contentId,
        ...(info.kids ? { kids: info.kids } : {}),
        source: info.source,
        rightsUrl: redactTokens(info.rightsUrl),
        durationMs: performance.now() - started,
      }),
    // Never an unhandled rejection: getLicense reports it, if a license is still wanted.
    (err: unknown) => {
      if (!kids && load.rights === rights) load.failure = err;
    },
  );
  return rights;
}

function keySystemOptions(state: State, load: Load): Record<string, unknown> {
  const { support } = load;
  const { licenseTimeoutMs: timeoutMs, licenseHeaders: headers } = state.options;
  const send = (body: Uint8Array) => (url: string, signal: AbortSignal) => {
    state.client.assertAllowedRightsUrl(url); // the allowlist also covers app- and skd-supplied URLs
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
        const kids = sessionKeysOf(load, keyMessage);
        const work =
          kids.length > 1
            ? Promise.reject(severalKeyIdsError(kids, load.ctx.drm))
            : licensed(state, load, send(new Uint8Array(keyMessage)), kids[0] ? kids : undefined);
        settle(state, load, work, cb, kids);
      },
    };
  }
  const certificate = state.options.fairplay?.certificate;
  return {
    initDataTypes: ['sinf', 'skd'],
    getCertificate: (_emeOptions: unknown, cb: Callback<Uint8Array>) => {
      const cert = certificate
        ? getFairPlayCertificate(certificate, { signal: load.abort.signal })
        : Promise.reject(
            new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
              details: 'options.fairplay.certificate is required for FairPlay',
              drm: 'fairplay',
            }),
          );
      settle(state, load, cert, cb);
    },
    // contrib-eme hands over the initData as a string (bytes as chars, UTF-16 units for legacy WebKit).
    getContentId: (_emeOptions: unknown, initData: string) => fairplayContentId(state, load, initData),
    getLicense: (_emeOptions: unknown, _contentId: string, spc: Uint8Array, cb: Callback<Uint8Array>) =>
      settle(state, load, licensed(state, load, send(spc)), cb),
  };
}

function fairplayContentId(state: State, load: Load, initData: string): string {
  if (load.ctx.contentId) return load.ctx.contentId; // the app's id wins: its token is already on the way
  const skd = /skd:\/\/[^\0\s]+/i.exec(initData)?.[0];
  if (!skd)
    throw new ExpressPlayError(ClientCode.SKD_INVALID, {
      details: 'initData does not hold an skd:// URI',
      drm: 'fairplay',
    });
  load.ctx = { ...load.ctx, contentId: contentIdFromSkd(skd, state.options.fairplay?.contentIdStrategy) };
  const inSkd = rightsUrlFromSkd(skd);
  if (!load.rights && inSkd) {
    state.client.assertAllowedRightsUrl(inSkd); // the playlist must not send SPCs anywhere
    setRights(
      state,
      load,
      Promise.resolve({
        drm: 'fairplay',
        contentId: load.ctx.contentId,
        rightsUrl: inSkd,
        source: 'skd',
        obtainedAt: performance.now(),
        expiresAtMs: Number.POSITIVE_INFINITY,
      }),
    );
  }
  return load.ctx.contentId;
}

/**
 * The key ids a license request is for, as a ClearKey request names them. Otherwise
 * none: the load's token, asked with the source's `kids` if the app gave them
 * (contrib-eme keeps the session's initData to itself).
 */
function sessionKeysOf(load: Load, keyMessage: ArrayBuffer): string[] {
  return load.keySystem === 'org.w3.clearkey' ? clearKeyRequestKeyIds(keyMessage) : [];
}

/** The rights URL for these key ids (the content's without them): the load's, or fetched now and shared. */
function rightsFor(state: State, load: Load, kids: readonly string[] | undefined): Promise<RightsInfo> {
  const known = kids ? load.keyRights.get(kids.join(',')) : load.rights;
  if (known) return known;
  // The load's own fetch is never repeated, even when it failed (-4018 aside: the content has several keys).
  if (kids && load.failure !== undefined && !isKeyIdRequired(load.failure)) return Promise.reject(load.failure);
  // FairPlay without an app content id, or a key's first session: the client answers with this key's token
  // (prefetched, set or cached) at once, else the content's (the load's fetch, awaited: single-key content),
  // else, that fetch having answered -4018, one for this key.
  return setRights(
    state,
    load,
    state.client.getRightsUrl({ ...load.ctx, ...(kids ? { kids } : {}) }, { signal: load.abort.signal }),
    kids,
  );
}

/**
 * contrib-eme has no retry of its own, so license requests carry one, as Shaka's
 * license retryParameters would: 3 attempts on a 5xx, network error or timeout,
 * backoff with jitter. Token refusals are `licensed`'s business (refresh once).
 */
const LICENSE_RETRY = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 2000, maxTotalMs: 10_000 };

/**
 * One license request with the content's rights URL; on a token rejection
 * (-4010 / 401 / 403) one refresh, shared by every session of the load, and one
 * retry. The token client refuses a second refresh without a license in between.
 */
async function licensed<T>(
  state: State,
  load: Load,
  send: (url: string, signal: AbortSignal) => Promise<T>,
  kids?: readonly string[],
): Promise<T> {
  const started = performance.now();
  const signal = load.abort.signal;
  const ctx: TokenContext = kids ? { ...load.ctx, kids } : load.ctx;
  const current = () => (kids ? load.keyRights.get(kids.join(',')) : load.rights);
  const used = rightsFor(state, load, kids);
  let info = await used;
  let result: T;
  try {
    result = await send(info.rightsUrl, signal);
  } catch (e) {
    const err = asError(e, load.ctx.drm);
    if (!err.isTokenRejected || signal.aborted) throw err;
    // Another session of this load (for the same key) may have refreshed already: then use its token.
    const fresh =
      current() === used ? setRights(state, load, state.client.refresh(ctx, err, { signal }), kids) : current()!;
    info = await fresh;
    result = await send(info.rightsUrl, signal);
  }
  state.client.licenseAcquired(ctx);
  emit(state, {
    type: 'expressplay:license',
    drm: load.ctx.drm,
    contentId: load.ctx.contentId,
    ...(kids ? { kids } : {}),
    source: info.source,
    rightsUrl: redactTokens(info.rightsUrl),
    durationMs: performance.now() - started,
  });
  return result;
}

/**
 * Hands a result to contrib-eme. After dispose or a source change the callback is
 * dropped on purpose: contrib-eme would report the abort on a disposed player (which
 * throws) or as an error of the next source.
 */
function settle<T>(state: State, load: Load, work: Promise<T>, cb: Callback<T>, kids: readonly string[] = []): void {
  work.then(
    (value) => {
      if (!load.abort.signal.aborted && !state.disposed) cb(null, value);
    },
    (e: unknown) => {
      if (load.abort.signal.aborted || state.disposed) return;
      const err = asError(e, load.ctx.drm);
      emit(state, {
        type: 'expressplay:error',
        drm: err.drm ?? load.ctx.drm,
        contentId: load.ctx.contentId,
        ...(kids.length ? { kids } : {}),
        error: err,
      });
      state.handedToEme = err;
      cb(err);
    },
  );
}

function fail(state: State, err: ExpressPlayError): void {
  emit(state, { type: 'expressplay:error', drm: err.drm, error: err });
  if (!state.player.isDisposed()) state.player.error(typedError(err));
}

function emit(state: State, event: Omit<ExpressPlayEvent, 'time'>): void {
  if (state.disposed || state.player.isDisposed()) return;
  const full: ExpressPlayEvent = { time: performance.now(), ...event };
  // Fields on the event object and the payload as the listener's second argument.
  state.player.trigger({ ...full }, full);
}

function asError(e: unknown, drm?: Drm): ExpressPlayError {
  if (isExpressPlayError(e)) return e;
  const details = e instanceof Error ? e.message : String(e);
  return new ExpressPlayError(ClientCode.LICENSE_REJECTED, { details, drm, cause: e });
}
