/**
 * dash.js adapter (`expressplay-eme/dashjs`).
 *
 * ```ts
 * const player = dashjs.MediaPlayer().create();
 * player.initialize(video, undefined, true);
 * const ep = await attachExpressPlay(player, { token: { endpoint: '/api/expressplay-token' }, contentId: 'movie-42' });
 * player.attachSource(url);
 * ```
 *
 * Await `attachExpressPlay` before `attachSource()`: detection decides the key
 * system, and dash.js reads its protection data when a source is attached.
 *
 * Thin by design: detection, tokens and license requests live in src/browser and
 * src/core. Here only dash.js's own hooks are used: `setProtectionData`, the
 * license request / response filters (`registerLicenseRequestFilter`, dash.js 5's
 * documented hook for license requests: its request interceptors do not see
 * them) and its event bus. Only types are imported from dashjs.
 */
import { PLACEHOLDER_SERVER } from '../browser/allowlist.js';
import type { LicenseRequest, LicenseResponse, MediaPlayerClass, ProtectionData, SessionToken } from 'dashjs';
import { AdapterCore } from '../browser/adapter-setup.js';
import type { AdapterOptions, ExpressPlayHandle } from '../browser/adapter-setup.js';
import type { ContentLoad } from '../browser/content-load.js';
import { LicenseHandoff } from '../browser/handoff.js';
import type { ExpressPlayEvent } from '../browser/types/events.js';
import {
  bytesToBase64,
  bytesToHex,
  ClientCode,
  ExpressPlayError,
  isExpressPlayError,
  toBytes,
  utf8Encode,
} from '../core/index.js';

const MANIFEST_LOADING_STARTED = 'manifestLoadingStarted';
const ERROR = 'error';
const KEY_SESSION_CREATED = 'public_keySessionCreated';
const KEY_STATUSES_CHANGED = 'public_keyStatusesChanged';

/** Options of the dash.js {@link attachExpressPlay}. */
export type DashExpressPlayOptions = AdapterOptions;

/** The handle the dash.js {@link attachExpressPlay} resolves with. */
export type DashExpressPlay = ExpressPlayHandle;

type Player = MediaPlayerClass;

/**
 * The ExpressPlayError of a dash.js `error` event, if any.
 *
 * @example
 * ```ts
 * player.on(dashjs.MediaPlayer.events.ERROR, (event) => {
 *   const err = expressPlayErrorOf(event);
 *   if (err?.category === 'auth') showSignIn();
 * });
 * ```
 */
export function expressPlayErrorOf(event: { error?: unknown } | undefined): ExpressPlayError | undefined {
  return isExpressPlayError(event?.error) ? event.error : undefined;
}

/**
 * Configures a dash.js `MediaPlayer` for ExpressPlay. Resolves once detection is
 * done; await it before `attachSource()`.
 *
 * It sets the protection data of the detected key system (robustness from
 * detection, the FairPlay certificate) and registers a license request filter:
 * each license request goes to the rights URL through the browser layer, where a
 * refused token (-4010 / 401 / 403) gets one fresh token, shared by every key
 * session of the load, and one resend; dash.js's XHR then reads the license from
 * an in-memory `blob:` URL (a page's CSP `connect-src` must allow `blob:`), so
 * dash.js's own retries never resend a refused token. When a manifest starts
 * loading, the token fetch for its content id starts, in parallel with it. A
 * failure is triggered as dash.js's `error` event with the `ExpressPlayError`
 * as `event.error` (see {@link expressPlayErrorOf}), and that license request is
 * not sent; events `expressplay:*` are triggered on the player. A request of a
 * load the player has left (new source, `detach()`) is aborted and not reported.
 *
 * @param player - a dash.js `MediaPlayer`; only types of dashjs are imported.
 * @returns the handle; call `detach()` before `player.reset()` / `destroy()`.
 * @throws `ExpressPlayError` -9030 when no DRM is supported here; -9040 when
 * FairPlay is chosen without `options.fairplay.certificate`, and the
 * certificate's own errors; the errors of `createTokenClient`.
 *
 * @example
 * ```ts
 * const player = dashjs.MediaPlayer().create();
 * player.initialize(video, undefined, true);
 * const ep = await attachExpressPlay(player, {
 *   token: { endpoint: '/api/expressplay-token' },
 *   contentId: 'movie-42',
 * });
 * player.on('expressplay:error', (event: unknown) => console.error(event));
 * player.attachSource('https://cdn.example.com/movie-42/manifest.mpd');
 * // later: ep.detach(); player.reset();
 * ```
 */
export async function attachExpressPlay(
  player: MediaPlayerClass,
  options: DashExpressPlayOptions,
): Promise<DashExpressPlay> {
  // dash.js's event bus sets `type` on the payload itself (and refuses one that has it).
  const core = await AdapterCore.create(options, ({ type, ...payload }) => triggerOn(player, type, payload));
  return new DashHooks(player, core).handle();
}

/** `player.trigger` with any event name (dash.js's types accept only its own). */
function triggerOn(player: Player, type: string, payload: object): void {
  (player as unknown as { trigger(type: string, payload: object, filters: object): void }).trigger(type, payload, {});
}

/** The license request's body: dash.js hands ClearKey's message over parsed (a JSON object), the others as bytes. */
function bodyOf(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return toBytes(data);
  return utf8Encode(typeof data === 'string' ? data : JSON.stringify(data));
}

/** The attached source's URL, if any (`getSource()` throws before `attachSource()`). */
function sourceOf(player: Player): string | undefined {
  try {
    const source = player.getSource();
    return typeof source === 'string' ? source : undefined;
  } catch {
    return undefined;
  }
}

/** A key session dash.js opened: the load it was opened under, and whether dash.js has closed it. */
interface SessionRecord {
  readonly load: ContentLoad | undefined;
  readonly closed: AbortSignal;
}

/** A promise that never settles: dash.js then neither sends its XHR nor retries. */
const never = (): Promise<never> => new Promise<never>(() => undefined);

/** The adapter's state for one player and its hooks. */
class DashHooks {
  readonly #handoff = new LicenseHandoff();
  #detached = false;
  /**
   * Key sessions by session id: a license request is routed by its session, not by the
   * load that is current when it comes (dash.js may keep sessions across sources, and
   * a session's message may come after the player moved on).
   */
  readonly #sessions = new Map<string, SessionRecord>();
  /** The last status of each key (hex): a status is reported when it changes. */
  readonly #keyStatuses = new Map<string, string>();
  readonly #requestFilter = (request: LicenseRequest): Promise<void> => this.#onLicenseRequest(request);
  readonly #responseFilter = (response: LicenseResponse): Promise<void> => {
    this.#handoff.revoke(response.url);
    return Promise.resolve();
  };

  readonly #player: Player;
  readonly #core: AdapterCore;

  constructor(player: Player, core: AdapterCore) {
    this.#player = player;
    this.#core = core;
  }

  handle(): DashExpressPlay {
    const core = this.#core;
    const player = this.#player;
    const { support, certificate } = core;
    const data: ProtectionData = {
      serverURL: PLACEHOLDER_SERVER,
      priority: 0,
      ...(support.videoRobustness ? { videoRobustness: support.videoRobustness } : {}),
      ...(support.audioRobustness ? { audioRobustness: support.audioRobustness } : {}),
      ...(certificate ? { serverCertificate: bytesToBase64(certificate) } : {}),
    };
    player.setProtectionData({ [support.keySystem]: data });
    player.registerLicenseRequestFilter(this.#requestFilter);
    player.registerLicenseResponseFilter(this.#responseFilter);
    player.on(MANIFEST_LOADING_STARTED, this.#onManifestLoading, this);
    player.on(ERROR, this.#onError, this);
    player.on(KEY_SESSION_CREATED, this.#onSessionCreated, this);
    player.on(KEY_STATUSES_CHANGED, this.#onKeyStatuses, this);
    // Attached after attachSource(): this load's content still gets its token now.
    const source = sourceOf(player);
    if (source !== undefined) this.#onManifestLoading({ request: { url: source } });
    return core.handle(() => this.detach());
  }

  #onManifestLoading(event: { request?: { url?: string } }): void {
    this.#keyStatuses.clear();
    const error = this.#core.beginLoad(event.request?.url ?? sourceOf(this.#player) ?? '');
    if (error) this.#fail(error);
  }

  /** dash.js opened a key session: it belongs to the current load, and is watched until closed. */
  #onSessionCreated(event: { data?: SessionToken | null }): void {
    const token = event.data;
    const sessionId = token?.getSessionId();
    if (!token || !sessionId) return;
    const closed = new AbortController();
    const gone = () => {
      closed.abort();
      if (this.#sessions.get(sessionId)?.closed === closed.signal) this.#sessions.delete(sessionId);
    };
    (token.session as MediaKeySession | undefined)?.closed.then(gone, gone);
    this.#sessions.set(sessionId, { load: this.#core.load, closed: closed.signal });
  }

  /** Each key whose status changed, as `expressplay:keystatus`, with the content of its session's load. */
  #onKeyStatuses(event: { data?: SessionToken | null }): void {
    const token = event.data;
    const statuses = token?.getKeyStatuses();
    if (!token || !statuses) return;
    const contentId = (this.#sessions.get(token.getSessionId())?.load ?? this.#core.load)?.context.contentId;
    statuses.forEach((status, keyId) => {
      const hex = bytesToHex(toBytes(keyId));
      if (this.#keyStatuses.get(hex) === status) return;
      this.#keyStatuses.set(hex, status);
      this.#core.emit({
        type: 'expressplay:keystatus',
        drm: this.#core.drm,
        contentId,
        keyStatus: { keyId: hex, status },
      });
    });
  }

  /**
   * Fetches the license (refresh once) and points dash.js's XHR at it. A failed
   * request is reported as dash.js's `error` and not sent: the filter's promise
   * never settles (dash.js would resend a refused token on its own retries). A
   * request of a session dash.js has closed is not sent, not reported, and never settles.
   */
  async #onLicenseRequest(request: LicenseRequest): Promise<void> {
    const session = request.sessionId ? this.#sessions.get(request.sessionId) : undefined;
    try {
      const license = await this.#core.license(
        () => this.#loadFor(session),
        bodyOf(request.data),
        request.headers ?? {},
        session?.closed,
      );
      if (session?.closed.aborted) return never();
      request.url = this.#handoff.create(license);
      request.method = 'GET';
      request.headers = {};
      request.withCredentials = false;
    } catch (err) {
      if (!session?.closed.aborted) this.#fail(err);
      return never();
    }
  }

  /**
   * The load of the request's session (see `AdapterCore.loadOwning`), else the current
   * one; dash.js needs the app's content id (FairPlay included: its SPC does not carry
   * the skd URI).
   */
  #loadFor(session: SessionRecord | undefined): ContentLoad {
    if (session?.load) return this.#core.loadOwning(session.load);
    const { load } = this.#core;
    if (load) return load;
    throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
      details: 'no content id for this load: set options.contentId',
      drm: this.#core.drm,
    });
  }

  /** Reports a typed error as `expressplay:error` and as dash.js's own `error` event. */
  #fail(err: unknown): void {
    const error = this.#core.report(err, this.#core.load?.context.contentId);
    if (error.code === ClientCode.ABORTED || error.code === ClientCode.DISPOSED || this.#detached) return;
    triggerOn(this.#player, ERROR, { error });
  }

  #onError(event: { error?: unknown }): void {
    const error = expressPlayErrorOf(event);
    if (error) this.#core.report(error, this.#core.load?.context.contentId);
  }

  detach(): void {
    if (this.#detached) return;
    this.#detached = true;
    const player = this.#player;
    player.unregisterLicenseRequestFilter(this.#requestFilter);
    player.unregisterLicenseResponseFilter(this.#responseFilter);
    player.off(MANIFEST_LOADING_STARTED, this.#onManifestLoading, this);
    player.off(ERROR, this.#onError, this);
    player.off(KEY_SESSION_CREATED, this.#onSessionCreated, this);
    player.off(KEY_STATUSES_CHANGED, this.#onKeyStatuses, this);
    player.setProtectionData({});
    this.#handoff.revokeAll();
    this.#sessions.clear();
    this.#core.close();
  }
}

/** The event payload type of `expressplay:*` events on a dash.js player (dash.js adds `type`). */
export type DashExpressPlayEvent = ExpressPlayEvent;
