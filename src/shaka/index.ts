/**
 * Shaka Player adapter (`expressplay-eme/shaka`).
 *
 * ```ts
 * const ep = await attachExpressPlay(player, {
 *   token: { endpoint: '/api/expressplay-token' },   // or a TokenClient the app made
 *   contentId: (manifestUri) => myIdFor(manifestUri),
 *   fairplay: { certificate: '/fairplay.cer' },
 * });
 * await player.load(manifestUri);
 * ```
 *
 * Await `attachExpressPlay` before `player.load()`: detection decides the key
 * system, and Shaka copies its DRM configuration when a load starts.
 *
 * Thin by design: detection, tokens and FairPlay formats live in src/browser and
 * src/core. Here only Shaka's own hooks are used: `drm.servers`/`drm.advanced`,
 * networking-engine request/response filters, its `retry` event and retry
 * machinery, `drm.initDataTransform`, and the player's event target. Only types
 * are imported from shaka-player; `FakeEvent` is taken from `options.shaka` or
 * `window.shaka` at run time, so the adapter never bundles a second Shaka.
 */
import type shaka from 'shaka-player';
import { createTokenClient } from '../browser/index.js';
import {
  contentIdFromSkd,
  getFairPlayCertificate,
  legacyFairPlayInitData,
  rightsUrlFromSkd,
  skdFromInitData,
  unwrapCkc,
} from '../browser/fairplay-on-demand.js';
import { detectDrmWithItsCode } from '../browser/detect-with-code.js';
import { assertOneKeyPerSession, isKeyIdRequired, sessionKeyIds } from '../browser/key-ids.js';
import type {
  DetectDrmOptions,
  DrmProfile,
  ExpressPlayEvent,
  KeySystemSupport,
  RightsInfo,
  TokenClient,
  TokenClientOptions,
  TokenContext,
} from '../browser/index.js';
import {
  ClientCode,
  ExpressPlayError,
  isExpressPlayError,
  parseErrorResponse,
  redactTokens,
  tokenFromRightsUrl,
} from '../core/index.js';
import type { ContentIdStrategy, Drm } from '../core/index.js';

type Player = shaka.Player;
type Request = shaka.extern.Request;
type Response = shaka.extern.Response;
type RequestType = shaka.net.NetworkingEngine.RequestType;
type ShakaNamespace = typeof shaka;

// Shaka's enum values, as numbers: the enums exist only at run time in Shaka's bundle.
const LICENSE = 2 as RequestType;
const BAD_HTTP_STATUS = 1001;
const TIMEOUT = 1003;
/** Never fetched: the request filter always puts the real rights URL in. `.invalid` makes a bypass fail loudly. */
const PLACEHOLDER_SERVER = 'https://rights.expressplay.invalid/';

/** Options of {@link attachExpressPlay}. */
export interface ShakaExpressPlayOptions {
  /** The token endpoint's options (a client is made and owned), or a client the app made (never disposed here). */
  token: TokenClientOptions | TokenClient;
  /**
   * The app's content id for each load: a string, or a function of the manifest URI
   * (`undefined`: clear content, or FairPlay with the id taken from the `skd://` URI).
   * Known at `load()` time, the token fetch starts then, in parallel with the manifest.
   */
  contentId?: string | ((manifestUri: string) => string | undefined);
  /** Detection options, e.g. `{ includeClearKey: true }` for the emulator's ClearKey stand-in. */
  detect?: DetectDrmOptions;
  /** FairPlay settings; used only when detection picks FairPlay (Safari). */
  fairplay?: {
    /** The application certificate: URL (fetched once per page) or bytes. Required when FairPlay is chosen. */
    certificate: string | ArrayBuffer | Uint8Array;
    /** How the content id is read from `skd://` (default `whole`). */
    contentIdStrategy?: ContentIdStrategy;
    /** Scheme of a rights URL carried in the skd URI (default `https`). */
    skdScheme?: 'https' | 'http';
  };
  /** The Shaka namespace, when `window.shaka` is not set (some bundler set-ups). */
  shaka?: ShakaNamespace;
}

/** The handle {@link attachExpressPlay} resolves with. */
export interface ShakaExpressPlay {
  /** What detection found on this device. */
  readonly profile: DrmProfile;
  /** The DRM chosen (`profile.preferred`), whose key system the player was configured for. */
  readonly support: KeySystemSupport;
  /** The token client in use: the app's, or the one made from `options.token`. */
  readonly tokenClient: TokenClient;
  /**
   * Starts the token fetch before `load()` (content card shown, hover). For multi-key
   * content pass the key ids of a key the app knows will be asked for (one call per key).
   */
  prefetch(contentId: string, kids?: readonly string[]): Promise<RightsInfo | undefined>;
  /** A rights URL the app already has: no token request for this content (for the key `kids`, when given). */
  setRightsUrl(contentId: string, rightsUrl: string, expiresAt?: Date, kids?: readonly string[]): RightsInfo;
  /** Removes every filter and listener, aborts in-flight token requests, restores the DRM config, disposes an owned client. */
  detach(): void;
}

/**
 * The ExpressPlayError a Shaka error carries (searched through nested `data`,
 * at most 5 levels), if any.
 *
 * @example
 * ```ts
 * player.addEventListener('error', (e) => {
 *   const err = expressPlayErrorOf((e as unknown as { detail: unknown }).detail);
 *   if (err?.category === 'auth') showSignIn();
 * });
 * ```
 */
export function expressPlayErrorOf(error: unknown, depth = 0): ExpressPlayError | undefined {
  if (isExpressPlayError(error)) return error;
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const data = (error as { data?: unknown }).data;
  if (!Array.isArray(data)) return undefined;
  for (const item of data) {
    const found = expressPlayErrorOf(item, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function isTokenClient(value: TokenClientOptions | TokenClient): value is TokenClient {
  return typeof (value as TokenClient).getRightsUrl === 'function';
}

function fail(code: number, details: string, drm?: Drm): ExpressPlayError {
  return new ExpressPlayError(code, { details, drm });
}

/**
 * Configures `player` for ExpressPlay and hooks the license pipeline. Resolves once detection is done.
 *
 * Await it before `player.load()`: Shaka copies its DRM configuration when a
 * load starts. It sets `drm.servers` (a placeholder the request filter always
 * replaces), `drm.advanced` (robustness from detection, the FairPlay
 * certificate), `drm.preferredKeySystems`, and `drm.retryParameters.maxAttempts`
 * of at least 2 (the token refresh needs one retry from Shaka). At each
 * `loading` event it starts the token fetch for that load's content id, in
 * parallel with the manifest. A license refused for its token (-4010 / 401 /
 * 403) gets one fresh token, shared by every session, on Shaka's own retry.
 *
 * How keys are chosen: each license request's key ids come from its session's
 * initData (`request.initData`: cenc pssh, keyids, webm), or for ClearKey from the
 * license request itself; `request.drmInfo.keyIds` is not used, as Shaka merges every
 * stream's key ids into it. The request goes to the token for those key ids (token
 * client: one per drm, content and key-id set). Single-key content uses the token
 * fetched at `loading` (the back end answers a request without `kids` with the
 * content's one key); multi-key content, whose back end answers that request -4018,
 * gets one token per key when each key's session starts (an SD→HD switch: then).
 * A session asking for several key ids at once fails with -9045. Every failed license
 * request is reported as `expressplay:error` with its `kids`, also where Shaka, with
 * several sessions, drops a failed one silently.
 * Events `expressplay:*` are dispatched on the player; errors also reach Shaka's
 * `error` event with the `ExpressPlayError` in the Shaka error's `data`
 * (see {@link expressPlayErrorOf}).
 *
 * @param player - an attached `shaka.Player`; only types of shaka-player are imported.
 * @returns the handle; call `detach()` to undo everything.
 * @throws `ExpressPlayError` -9001 when the player has no networking
 * engine (destroyed); -9030 when no DRM is supported here; -9040 when FairPlay is
 * chosen without `options.fairplay.certificate`, and the certificate's own errors
 * (see `getFairPlayCertificate`); the errors of `createTokenClient`. An owned
 * token client is disposed when it throws.
 *
 * @example
 * ```ts
 * const player = new shaka.Player();
 * await player.attach(video);
 * const ep = await attachExpressPlay(player, {
 *   token: { endpoint: '/api/expressplay-token' },
 *   contentId: 'movie-42',
 *   fairplay: { certificate: '/fairplay.cer' },
 * });
 * player.addEventListener('expressplay:error', (e) => console.error(e));
 * await player.load('https://cdn.example.com/movie-42/manifest.mpd');
 * // later: ep.detach();
 * ```
 */
export async function attachExpressPlay(player: Player, options: ShakaExpressPlayOptions): Promise<ShakaExpressPlay> {
  const engine = player.getNetworkingEngine();
  if (!engine) throw fail(ClientCode.INVALID_PARAMETER, 'the Shaka player has no networking engine (destroyed?)');
  const net: shaka.net.NetworkingEngine = engine;
  const ns = (): ShakaNamespace | undefined => options.shaka ?? (globalThis as { shaka?: ShakaNamespace }).shaka;
  const reported = new WeakSet<ExpressPlayError>();
  let detached = false;
  let drm: Drm | undefined;

  const emit = (event: ExpressPlayEvent): void => {
    if (event.error) reported.add(event.error);
    const FakeEvent = ns()?.util.FakeEvent;
    if (!FakeEvent || detached) return;
    // Rights URLs in events never carry the token (the client's own events do not redact).
    if (event.rightsUrl) event = { ...event, rightsUrl: redactTokens(event.rightsUrl) };
    // Shaka's convention: the dict's entries become the event's own properties.
    const dict = new Map<string, unknown>(Object.entries(event)).set('detail', event);
    player.dispatchEvent(new FakeEvent(event.type, dict as Map<string, object | null>));
  };
  const report = (error: ExpressPlayError, contentId?: string, kids?: readonly string[]): ExpressPlayError => {
    if (!reported.has(error) && error.category !== 'aborted' && error.code !== ClientCode.DISPOSED && !detached) {
      emit({
        type: 'expressplay:error',
        time: performance.now(),
        drm,
        contentId,
        ...(kids?.length ? { kids } : {}),
        error,
      });
    }
    return error;
  };

  const owned = !isTokenClient(options.token);
  const tokenOptions = options.token as TokenClientOptions;
  // An owned client's events (token fetched, its errors) go to the player as well as the app's onEvent.
  const client = isTokenClient(options.token)
    ? options.token
    : createTokenClient({ ...tokenOptions, onEvent: (e) => (tokenOptions.onEvent?.(e), emit(e)) });
  try {
    const profile = await detectDrmWithItsCode(options.detect);
    const support = profile.preferred;
    if (!support?.supported || !support.keySystem)
      throw fail(ClientCode.NO_KEY_SYSTEM, 'no supported DRM on this device');
    drm = support.drm;
    const keySystem = support.keySystem;
    const fairplay = drm === 'fairplay';
    let certificate: Uint8Array | undefined;
    if (fairplay) {
      if (!options.fairplay?.certificate)
        throw fail(ClientCode.CERTIFICATE_INVALID, 'FairPlay needs options.fairplay.certificate', drm);
      certificate = await getFairPlayCertificate(options.fairplay.certificate);
    }
    emit({ type: 'expressplay:detected', time: performance.now(), drm, profile });
    return hook(profile, support, keySystem, certificate);
  } catch (err) {
    if (owned) client.dispose();
    throw err;
  }

  function hook(
    profile: DrmProfile,
    support: KeySystemSupport,
    keySystem: string,
    certificate: Uint8Array | undefined,
  ): ShakaExpressPlay {
    const theDrm = support.drm;
    const fairplay = theDrm === 'fairplay';
    const strategy = options.fairplay?.contentIdStrategy ?? 'whole';
    const context = (contentId: string, kids?: readonly string[]): TokenContext => ({
      drm: theDrm,
      contentId,
      ...(kids?.length ? { kids } : {}),
      ...(support.securityLevel === undefined ? {} : { securityLevel: support.securityLevel }),
      hdcp: support.hdcp,
    });
    const noteRights = (info: RightsInfo): RightsInfo => {
      // An owned client reports its own token events; an app's client reports to the app, so the adapter tells the player.
      if (!owned) {
        emit({
          type: 'expressplay:token',
          time: performance.now(),
          drm: theDrm,
          contentId: info.contentId,
          ...(info.kids ? { kids: info.kids } : {}),
          rightsUrl: info.rightsUrl,
          source: info.source,
        });
      }
      return info;
    };

    /** Per load: its content id (or why there is none), the token fetch started at `load()`, and an abort for everything it awaits. */
    let load: {
      contentId?: string;
      error?: ExpressPlayError;
      controller: AbortController;
      pending?: Promise<RightsInfo>;
      failure?: unknown;
    } = { controller: new AbortController() };
    /** Rights URL → the typed error of its last failed license attempt (filled from Shaka's `retry` event). */
    const rejections = new Map<string, ExpressPlayError>();
    /** Rejected rights URL → its one refresh, shared by every session that saw the rejection. */
    const refreshes = new Map<string, Promise<RightsInfo>>();
    const sent = new WeakMap<Request, { url: string; ctx: TokenContext; started: number }>();
    /** Rights URLs license requests went to: Shaka's `retry` event names only the URL. */
    const sentUrls = new Set<string>();

    const rightsFor = (ctx: TokenContext, signal: AbortSignal): Promise<RightsInfo> => {
      const sameLoad = load.pending && load.contentId === ctx.contentId;
      // The fetch started at load() time is awaited, never repeated, even when it failed: no second request for an error.
      if (sameLoad && !ctx.kids) return load.pending!;
      if (sameLoad && load.failure !== undefined && !isKeyIdRequired(load.failure)) return Promise.reject(load.failure);
      // With key ids the client answers: this key's token (prefetched, set or cached) at once, else the content's
      // (the load's fetch, awaited: single-key content), else, that fetch having answered -4018, one for this key.
      return client.getRightsUrl(ctx, { signal }).then(noteRights);
    };

    /** Key id → last status reported; per load, so a reload of the same content reports its keys again. */
    const lastStatus = new Map<string, string>();

    const onLoading = (): void => {
      load.controller.abort();
      rejections.clear();
      refreshes.clear();
      lastStatus.clear();
      // Reset before the app's contentId function runs: if it throws (Shaka swallows
      // listener exceptions), this load must not keep the previous load's content id
      // and send that content's token with this content's license requests.
      const controller = new AbortController();
      load = { controller };
      const uri = player.getAssetUri() ?? '';
      let contentId: string | undefined;
      try {
        contentId = typeof options.contentId === 'function' ? options.contentId(uri) : options.contentId;
      } catch (err) {
        load.error = report(
          new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
            details: 'options.contentId threw for this load',
            drm: theDrm,
            cause: err,
          }),
        );
        return;
      }
      load.contentId = contentId;
      if (contentId === undefined) return;
      // In parallel with the manifest request; a prefetched or app-supplied rights URL answers from the cache.
      const pending = client.getRightsUrl(context(contentId), { signal: controller.signal }).then(noteRights);
      load.pending = pending;
      pending.then(
        () => {
          if (load.pending === pending) load.pending = undefined;
        },
        (err: unknown) => {
          if (load.pending === pending) load.failure = err;
          // -4018: the content has several keys; its sessions ask per key id (reported if one cannot).
          if (isExpressPlayError(err) && !isKeyIdRequired(err)) report(err, contentId);
        },
      );
    };
    const onUnloading = (): void => load.controller.abort();
    // HLS KEYFORMAT "identity" is Shaka's only ClearKey mapping in HLS, and it comes
    // with a data: license URI that drm.servers cannot override. Shaka picks the
    // request's scheme plugin before request filters run, so the filter's rights URL
    // would go to the data: plugin (Shaka error 1004). Point such licenses at the
    // placeholder before DRM starts (manifestparsed precedes it); the filter then
    // puts the rights URL in, and the key comes from the rights server only.
    // (getManifest() logs Shaka's no-semver warning: hence HLS + ClearKey only.)
    const onManifestParsed = (): void => {
      if (keySystem !== 'org.w3.clearkey' || player.getManifestType() !== 'HLS') return;
      for (const variant of player.getManifest()?.variants ?? []) {
        for (const stream of [variant.video, variant.audio]) {
          for (const info of stream?.drmInfos ?? []) {
            if (info.keySystem === keySystem && info.licenseServerUri.startsWith('data:'))
              info.licenseServerUri = PLACEHOLDER_SERVER;
          }
        }
      }
    };

    const contentIdFor = (request: Request): string => {
      if (load.error) throw load.error;
      if (load.contentId !== undefined) return load.contentId;
      if (fairplay && request.initData) return contentIdFromSkd(skdFromInitData(request.initData), strategy);
      throw fail(ClientCode.INVALID_PARAMETER, 'no content id for this load: set options.contentId', theDrm);
    };

    /** The key ids this license request's session asks for (empty when they cannot be read: FairPlay). */
    const keyIdsOf = (request: Request): string[] =>
      sessionKeyIds({
        initDataType: request.initDataType,
        initData: request.initData,
        clearKeyMessage: keySystem === 'org.w3.clearkey' ? request.body : null,
      });

    const requestFilter = async (type: RequestType, request: Request): Promise<void> => {
      if (type !== LICENSE || request.drmInfo?.keySystem !== keySystem) return;
      const { signal } = load.controller;
      let contentId: string | undefined;
      const kids = keyIdsOf(request);
      try {
        assertOneKeyPerSession(kids, theDrm);
        contentId = contentIdFor(request);
        const ctx = context(contentId, kids);
        const previous = sent.get(request);
        const rejection = previous && rejections.get(previous.url);
        let info: RightsInfo | undefined;
        if (previous && rejection) {
          // Shaka gives up after this filter when attempts are exhausted: give up with the typed cause instead.
          // Shaka retries every HTTP error; a final one (a 4xx such as -9044, not a token refusal) is not sent again.
          if (
            request.attempt >= request.retryParameters.maxAttempts ||
            (!rejection.retryable && !rejection.isTokenRejected)
          )
            throw rejection;
          if (rejection.isTokenRejected) {
            let refresh = refreshes.get(previous.url);
            if (!refresh)
              refreshes.set(previous.url, (refresh = client.refresh(ctx, rejection, { signal }).then(noteRights)));
            info = await refresh;
          }
        }
        info ??= await rightsFor(ctx, signal);
        client.assertAllowedRightsUrl(info.rightsUrl);
        request.uris = [info.rightsUrl];
        if (fairplay) request.headers['Content-Type'] = 'application/octet-stream';
        sent.set(request, { url: info.rightsUrl, ctx, started: performance.now() });
        sentUrls.add(info.rightsUrl);
      } catch (err) {
        throw isExpressPlayError(err) ? report(err, contentId, kids) : err;
      }
    };

    const responseFilter = (type: RequestType, response: Response): void => {
      const record = type === LICENSE ? sent.get(response.originalRequest) : undefined;
      if (!record) return;
      try {
        if (fairplay) response.data = unwrapCkc(response.data);
      } catch (err) {
        throw isExpressPlayError(err) ? report(err, record.ctx.contentId) : err;
      }
      client.licenseAcquired(record.ctx);
      emit({
        type: 'expressplay:license',
        time: performance.now(),
        durationMs: performance.now() - record.started,
        drm: theDrm,
        contentId: record.ctx.contentId,
        ...(record.ctx.kids ? { kids: record.ctx.kids } : {}),
        rightsUrl: record.url,
      });
    };

    const onRetry = (event: Event): void => {
      const error = (event as Event & { error?: shaka.util.Error | null }).error;
      const data: unknown[] = Array.isArray(error?.data) ? error.data : [];
      const uri = data[0];
      if (!error || typeof uri !== 'string' || !sentUrls.has(uri)) return;
      if (error.code === BAD_HTTP_STATUS) {
        const headers = (data[3] ?? {}) as Record<string, string>;
        rejections.set(
          uri,
          parseErrorResponse({
            status: Number(data[1]),
            body: typeof data[2] === 'string' ? data[2] : '',
            contentType: headers['content-type'],
            retryAfter: headers['retry-after'],
            drm: theDrm,
          }),
        );
      } else {
        rejections.set(
          uri,
          fail(
            error.code === TIMEOUT ? ClientCode.TIMEOUT : ClientCode.NETWORK,
            `license request failed (Shaka ${error.code})`,
            theDrm,
          ),
        );
      }
    };

    /** A license request's last typed rejection by the rights server (Shaka's error holds only the HTTP facts). */
    const refusalOf = (error: shaka.util.Error): ExpressPlayError | undefined => {
      const inner = (error.data as unknown[] | undefined)?.[0] as { data?: unknown[] } | undefined;
      const uri = inner?.data?.[0];
      return typeof uri === 'string' ? rejections.get(uri) : undefined;
    };
    /** The key ids of the session a LICENSE_REQUEST_FAILED error is about (its data holds the session's initData). */
    const failedSessionKeyIds = (error: shaka.util.Error): string[] => {
      const session = (error.data as unknown[] | undefined)?.[1] as
        { initData?: Uint8Array | null; initDataType?: string | null } | undefined;
      return session ? sessionKeyIds(session) : [];
    };

    const onKeyStatus = (): void => {
      for (const [keyId, status] of Object.entries(player.getKeyStatuses())) {
        if (lastStatus.get(keyId) === status) continue;
        lastStatus.set(keyId, status);
        emit({
          type: 'expressplay:keystatus',
          time: performance.now(),
          drm: theDrm,
          contentId: load.contentId,
          keyStatus: { keyId, status },
        });
      }
    };
    const onError = (event: Event): void => {
      const error = expressPlayErrorOf((event as Event & { detail?: unknown }).detail);
      if (error) report(error, load.contentId);
    };

    const base = player.getConfiguration().drm;
    const saved = {
      servers: base.servers,
      advanced: base.advanced,
      preferredKeySystems: base.preferredKeySystems,
      retryParameters: base.retryParameters,
      initDataTransform: base.initDataTransform,
      failureCallback: base.failureCallback,
    };
    // A license request whose token wait the adapter itself aborted (the next load(),
    // unload(), detach) fails inside Shaka's DrmEngine *before* Shaka destroys it, so
    // Shaka would report a critical 6007 for content the app has already left. Shaka's
    // own hook for license failures marks it handled; anything else goes to the app's callback.
    // Also the one place every failed license request passes: with several sessions
    // (multi-key content) Shaka drops a failed one without an `error` event, so it is reported here.
    const failureCallback = (error: shaka.util.Error): unknown => {
      const typed = expressPlayErrorOf(error) ?? refusalOf(error);
      if (typed?.code === ClientCode.ABORTED) {
        error.handled = true;
        return undefined;
      }
      if (typed) report(typed, load.contentId, failedSessionKeyIds(error));
      return saved.failureCallback?.(error);
    };
    const initDataTransform = (
      initData: Uint8Array,
      initDataType: string,
      drmInfo: shaka.extern.DrmInfo | null,
    ): Uint8Array => {
      if (initDataType !== 'skd' || drmInfo?.keySystem !== keySystem)
        return saved.initDataTransform ? saved.initDataTransform(initData, initDataType, drmInfo) : initData;
      try {
        const skd = skdFromInitData(initData);
        const skdId = contentIdFromSkd(skd, strategy);
        const rightsUrl = rightsUrlFromSkd(skd, options.fairplay?.skdScheme ?? 'https');
        // The content id is only known now when the app gave none: start the token fetch at the earliest point.
        if (load.contentId === undefined) {
          // Only a rights URL that carries its token can stand in for the token client's;
          // a bare one would send the SPC without a token and cost a refresh.
          if (rightsUrl && tokenFromRightsUrl(rightsUrl)) client.setRightsUrl(context(skdId), rightsUrl);
          else void client.prefetch(context(skdId));
        }
        // Legacy WebKit (Shaka's Apple polyfill) wants the content id and certificate packed in.
        const legacy = support.api === 'webkit-legacy' || drmInfo.keySystem !== 'com.apple.fps';
        return legacy
          ? legacyFairPlayInitData(initData, skdId, drmInfo.serverCertificate ?? certificate ?? new Uint8Array())
          : initData;
      } catch (err) {
        if (isExpressPlayError(err)) report(err);
        return initData;
      }
    };

    const advanced: Partial<shaka.extern.AdvancedDrmConfiguration> = {
      ...(base.advanced?.[keySystem] ?? {}),
      videoRobustness: support.videoRobustness ? [support.videoRobustness] : [],
      audioRobustness: support.audioRobustness ? [support.audioRobustness] : [],
      ...(certificate ? { serverCertificate: certificate } : {}),
    };
    player.configure({
      drm: {
        servers: { [keySystem]: PLACEHOLDER_SERVER },
        advanced: { [keySystem]: advanced },
        preferredKeySystems: [keySystem],
        // The refresh needs one retry from Shaka; more is the app's choice.
        retryParameters: { maxAttempts: Math.max(2, base.retryParameters.maxAttempts) },
        ...(fairplay ? { initDataTransform } : {}),
        // Only where this Shaka has drm.failureCallback (older versions do not).
        ...('failureCallback' in base ? { failureCallback } : {}),
      },
    });
    net.registerRequestFilter(requestFilter);
    net.registerResponseFilter(responseFilter);
    // One list for adding and removing, so detach() cannot miss one.
    const listeners: ReadonlyArray<
      readonly [Pick<EventTarget, 'addEventListener' | 'removeEventListener'>, string, (event: Event) => void]
    > = [
      [net, 'retry', onRetry],
      [player, 'loading', onLoading],
      [player, 'unloading', onUnloading],
      [player, 'manifestparsed', onManifestParsed],
      [player, 'keystatuschanged', onKeyStatus],
      [player, 'error', onError],
    ];
    for (const [target, type, listener] of listeners) target.addEventListener(type, listener);
    // Attached after load() was called: this load's content still gets its token now.
    if (player.getAssetUri()) onLoading();

    return {
      profile,
      support,
      tokenClient: client,
      prefetch: (contentId, kids) => client.prefetch(context(contentId, kids)),
      setRightsUrl: (contentId, rightsUrl, expiresAt, kids) =>
        client.setRightsUrl(context(contentId, kids), rightsUrl, expiresAt),
      detach() {
        if (detached) return;
        detached = true;
        load.controller.abort();
        net.unregisterRequestFilter(requestFilter);
        net.unregisterResponseFilter(responseFilter);
        for (const [target, type, listener] of listeners) target.removeEventListener(type, listener);
        try {
          // Shaka merges config objects: a key system's entry is removed with `undefined`.
          player.configure({
            drm: {
              ...saved,
              servers: { [keySystem]: saved.servers[keySystem] },
              advanced: { [keySystem]: saved.advanced?.[keySystem] },
            },
          });
        } catch {
          // A destroyed player has no configuration left to restore.
        }
        if (owned) client.dispose();
      },
    };
  }
}
