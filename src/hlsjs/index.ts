/**
 * hls.js adapter (`expressplay-eme/hlsjs`).
 *
 * ```ts
 * const hls = new Hls();
 * const ep = await attachExpressPlay(hls, { token: { endpoint: '/api/expressplay-token' }, contentId: 'movie-42' });
 * hls.attachMedia(video);
 * hls.loadSource(url);
 * ```
 *
 * Await `attachExpressPlay` before `attachMedia()`: detection decides the key
 * system, and hls.js reads `emeEnabled` when media is attached.
 *
 * Thin by design: detection, tokens, license requests and FairPlay formats live
 * in src/browser and src/core. Here only hls.js's own hooks are used: its EME
 * configuration (`emeEnabled`, `drmSystems`, `drmSystemOptions`,
 * `licenseXhrSetup`, `licenseResponseCallback`) and its events. Only types are
 * imported from hls.js.
 */
import { PLACEHOLDER_SERVER } from '../browser/allowlist.js';
import type Hls from 'hls.js';
import type { ErrorData, Events, HlsConfig, KeyLoadingData, ManifestLoadingData } from 'hls.js';
import { AdapterCore } from '../browser/adapter-setup.js';
import type { AdapterOptions, ExpressPlayHandle } from '../browser/adapter-setup.js';
import type { ContentLoad } from '../browser/content-load.js';
import { LicenseHandoff } from '../browser/handoff.js';
import type { ExpressPlayEvent } from '../browser/types/events.js';
import type { KeySystem } from '../core/key-systems.js';
import { watchKeySession, type KeyContext, type KeySessionWatch } from './key-session.js';
import {
  bytesToBase64Url,
  bytesToHex,
  ClientCode,
  ExpressPlayError,
  isExpressPlayError,
  toBytes,
  utf8Encode,
} from '../core/index.js';

const MANIFEST_LOADING = 'hlsManifestLoading' as Events.MANIFEST_LOADING;
const KEY_LOADING = 'hlsKeyLoading' as Events.KEY_LOADING;
const ERROR = 'hlsError' as Events.ERROR;
const DESTROYING = 'hlsDestroying' as Events.DESTROYING;

type EmeConfig = Pick<
  HlsConfig,
  'emeEnabled' | 'drmSystems' | 'drmSystemOptions' | 'licenseXhrSetup' | 'licenseResponseCallback'
>;

/** Options of the hls.js {@link attachExpressPlay}. */
export type HlsExpressPlayOptions = AdapterOptions;

/** The handle the hls.js {@link attachExpressPlay} resolves with. */
export interface HlsExpressPlay extends ExpressPlayHandle {
  /** Starts the token fetch before `loadSource()` (content card shown, hover). */
  prefetch(contentId: string): Promise<unknown>;
}

/** The event names the adapter triggers on the `Hls` instance; listeners get `(name, ExpressPlayEvent)`. */
export type HlsExpressPlayEventName = ExpressPlayEvent['type'];

/**
 * The ExpressPlayError in an hls.js `ERROR` event's data, if any.
 *
 * @example
 * ```ts
 * hls.on(Hls.Events.ERROR, (_event, data) => {
 *   const err = expressPlayErrorOf(data);
 *   if (err?.category === 'auth') showSignIn();
 * });
 * ```
 */
export function expressPlayErrorOf(data: Pick<ErrorData, 'error'> | undefined): ExpressPlayError | undefined {
  return isExpressPlayError(data?.error) ? data.error : undefined;
}

/**
 * Configures `hls` for ExpressPlay. Resolves once detection is done; await it
 * before `hls.attachMedia()`.
 *
 * It sets `emeEnabled`, `drmSystems` for the detected key system (FairPlay: the
 * certificate, fetched once per page), `drmSystemOptions` (robustness from the
 * detected security level), `licenseXhrSetup` and `licenseResponseCallback`
 * (an app's own are replaced until `detach()`). When a manifest starts loading
 * the token fetch for its content id starts, in parallel with it. Each license
 * request goes to the rights URL through the browser layer: a refused token
 * (-4010 / 401 / 403) gets one fresh token, shared by every key session of the
 * load, and one resend; hls.js's XHR then reads the license from an in-memory
 * `blob:` URL (a page's CSP `connect-src` must allow `blob:`). A failure reaches
 * hls.js's `ERROR` event with the `ExpressPlayError` as `data.error` (see
 * {@link expressPlayErrorOf}); events `expressplay:*` are triggered on `hls`.
 * A request of a load the player has left (new source, `detach()`, `destroy()`)
 * is aborted and never reported.
 *
 * @param hls - an `Hls` instance; only types of hls.js are imported.
 * @returns the handle; `detach()` (or `hls.destroy()`) undoes everything.
 * @throws `ExpressPlayError` -9030 when no DRM is supported here; -9040 when
 * FairPlay is chosen without `options.fairplay.certificate`, and the
 * certificate's own errors; the errors of `createTokenClient`.
 *
 * @example
 * ```ts
 * const hls = new Hls();
 * const ep = await attachExpressPlay(hls, {
 *   token: { endpoint: '/api/expressplay-token' },
 *   contentId: (url) => new URL(url).pathname.split('/')[2],
 *   fairplay: { certificate: '/fairplay.cer' },
 * });
 * hls.on('expressplay:error', (_name, event) => console.error(event));
 * hls.attachMedia(video);
 * hls.loadSource('https://cdn.example.com/movie-42/master.m3u8');
 * // later: ep.detach(), or hls.destroy()
 * ```
 */
export async function attachExpressPlay(hls: Hls, options: HlsExpressPlayOptions): Promise<HlsExpressPlay> {
  const emitter = hls as unknown as { trigger(type: string, data: ExpressPlayEvent): boolean };
  const core = await AdapterCore.create(options, (event) => void emitter.trigger(event.type, event));
  return new HlsHooks(hls, core).handle();
}

type GenerateRequest = NonNullable<
  NonNullable<NonNullable<HlsConfig['drmSystems']>[typeof KeySystem.CLEARKEY]>['generateRequest']
>;

/**
 * ClearKey (the emulator's stand-in): hls.js 1.5 opens no session for a playlist key
 * without initData, and ignores the init segment's common-system 'cenc' initData.
 * The key id is known from the playlist: ask for it as 'keyids' initData.
 */
const clearKeyInitData: GenerateRequest = (initDataType, initData, keyContext) => {
  const keyId = keyContext.decryptdata?.keyId;
  if (initData || !keyId) return { initDataType, initData };
  const keyids = utf8Encode(JSON.stringify({ kids: [bytesToBase64Url(keyId)] }));
  return {
    initDataType: 'keyids',
    initData: keyids.buffer.slice(keyids.byteOffset, keyids.byteOffset + keyids.byteLength) as ArrayBuffer,
  };
};

/** A promise that never settles: hls.js then neither sends its XHR nor reports anything. */
const never = (): Promise<never> => new Promise<never>(() => undefined);

/** The adapter's state for one `Hls` instance and its hooks. */
class HlsHooks {
  readonly #handoff = new LicenseHandoff();
  /** One license attempt per challenge: hls.js calls `licenseXhrSetup` a second time when the first one throws. */
  readonly #attempts = new WeakMap<Uint8Array, Promise<string>>();
  /**
   * The load each key (id in base64url) was requested under: hls.js may open a key
   * session, and ask for its license, after the player moved on to another source.
   */
  readonly #keyLoads = new Map<string, ContentLoad>();
  /** The last status of each key (hex): a status is reported when it changes. */
  readonly #keyStatuses = new Map<string, string>();
  /** Aborted by `detach()`: the key sessions' listeners go. */
  readonly #detaching = new AbortController();
  readonly #saved: EmeConfig;
  #certificateUrl: string | undefined;
  #detached = false;

  readonly #hls: Hls;
  readonly #core: AdapterCore;

  constructor(hls: Hls, core: AdapterCore) {
    this.#hls = hls;
    this.#core = core;
    const c = hls.config;
    this.#saved = {
      emeEnabled: c.emeEnabled,
      drmSystems: c.drmSystems,
      drmSystemOptions: c.drmSystemOptions,
      licenseXhrSetup: c.licenseXhrSetup,
      licenseResponseCallback: c.licenseResponseCallback,
    };
  }

  handle(): HlsExpressPlay {
    const core = this.#core;
    const { support } = core;
    if (core.certificate) this.#certificateUrl = this.#handoff.create(core.certificate);
    Object.assign(this.#hls.config, {
      emeEnabled: true,
      drmSystems: {
        [support.keySystem]: {
          licenseUrl: PLACEHOLDER_SERVER,
          ...(this.#certificateUrl ? { serverCertificateUrl: this.#certificateUrl } : {}),
          ...(support.drm === 'clearkey' ? { generateRequest: clearKeyInitData } : {}),
        },
      },
      drmSystemOptions: {
        ...this.#saved.drmSystemOptions,
        ...(support.videoRobustness ? { videoRobustness: support.videoRobustness } : {}),
        ...(support.audioRobustness ? { audioRobustness: support.audioRobustness } : {}),
      },
      // hls.js calls these with `this` bound to the Hls instance: arrows keep the adapter's.
      licenseXhrSetup: (xhr: XMLHttpRequest, _url: string, keyContext: KeyContext, challenge: Uint8Array) =>
        this.#licenseXhrSetup(xhr, keyContext, challenge),
      licenseResponseCallback: (xhr: XMLHttpRequest) => {
        this.#handoff.revoke(xhr.responseURL);
        return xhr.response as ArrayBuffer;
      },
    } satisfies Partial<EmeConfig>);
    this.#hls.on(MANIFEST_LOADING, this.#onManifestLoading, this);
    this.#hls.on(KEY_LOADING, this.#onKeyLoading, this);
    this.#hls.on(ERROR, this.#onError, this);
    this.#hls.on(DESTROYING, this.detach, this);
    const url = this.#hls.url;
    // Attached after loadSource(): this load's content still gets its token now.
    if (url) this.#onManifestLoading(MANIFEST_LOADING, { url });
    return core.handle(() => this.detach());
  }

  #onManifestLoading(_event: Events.MANIFEST_LOADING, data: ManifestLoadingData): void {
    this.#keyStatuses.clear();
    this.#core.beginLoad(data.url);
  }

  /** A fragment of the current load asks for its key: the key belongs to this load. */
  #onKeyLoading(_event: Events.KEY_LOADING, data: KeyLoadingData): void {
    const keyId = data.frag.decryptdata?.keyId;
    const { load } = this.#core;
    if (keyId && load) this.#keyLoads.set(bytesToBase64Url(keyId), load);
  }

  /**
   * Gets the license (refresh once) and opens hls.js's XHR on it; a failure goes to `fail()`
   * and the XHR is never sent. Once hls.js has dropped the key session (it left the source)
   * nothing more is sent, nothing is reported, and the XHR is never opened: its answer
   * would reach a closed session, which hls.js treats as fatal.
   */
  #licenseXhrSetup(xhr: XMLHttpRequest, keyContext: KeyContext, challenge: Uint8Array): Promise<void> {
    let attempt = this.#attempts.get(challenge);
    if (!attempt) {
      const session = watchKeySession(
        keyContext,
        (statuses) => this.#onKeyStatuses(keyContext, statuses),
        this.#detaching.signal,
      );
      attempt = this.#core
        .license(() => this.#loadFor(keyContext, session), challenge, {}, session.signal)
        .then(
          (license) => (session.dropped() ? never() : this.#handoff.create(license)),
          (err: unknown) => (session.dropped() ? never() : this.#fail(err)),
        );
      this.#attempts.set(challenge, attempt);
    }
    return attempt.then((url) => {
      xhr.open('GET', url, true);
      xhr.addEventListener('loadend', () => this.#handoff.revoke(url), { once: true });
    });
  }

  /** Each key whose status changed, as `expressplay:keystatus`, with the content of the key's load. */
  #onKeyStatuses(keyContext: KeyContext, statuses: MediaKeyStatusMap): void {
    const keyId = keyContext.decryptdata?.keyId;
    const load = (keyId && this.#keyLoads.get(bytesToBase64Url(keyId))) || this.#core.load;
    statuses.forEach((status, id) => {
      const hex = bytesToHex(toBytes(id));
      if (this.#keyStatuses.get(hex) === status) return;
      this.#keyStatuses.set(hex, status);
      this.#core.emit({
        type: 'expressplay:keystatus',
        drm: this.#core.drm,
        contentId: load?.context.contentId,
        keyStatus: { keyId: hex, status },
      });
    });
  }

  /**
   * The load of the session's key (see `AdapterCore.loadOwning`); a key no fragment
   * asked for (e.g. from init data only): the current load; for FairPlay without an
   * app content id, one made from the key's `skd://` URI. A session hls.js dropped has none (-9012).
   */
  #loadFor(keyContext: KeyContext, session: KeySessionWatch): ContentLoad {
    if (session.dropped()) throw new ExpressPlayError(ClientCode.ABORTED, { drm: this.#core.drm });
    const keyId = keyContext.decryptdata?.keyId;
    const owner = keyId ? this.#keyLoads.get(bytesToBase64Url(keyId)) : undefined;
    if (owner) return this.#core.loadOwning(owner);
    const { load } = this.#core;
    if (load) return load;
    const skd = keyContext.decryptdata?.uri;
    if (this.#core.drm === 'fairplay' && typeof skd === 'string' && skd.startsWith('skd://'))
      return this.#core.startLoad(this.#core.contentIdFromSkd(skd));
    throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
      details: 'no content id for this load: set options.contentId',
      drm: this.#core.drm,
    });
  }

  /**
   * A failed license request is reported as hls.js's own fatal key-system `ERROR`
   * (the typed error as `data.error`) and its XHR is never sent: hls.js 1.5 does not
   * catch a rejection from `licenseXhrSetup`, and any resend would carry a refused token.
   */
  #fail(err: unknown): Promise<never> {
    const error = this.#core.report(err, this.#core.load?.context.contentId);
    if (!this.#detached) {
      const data = {
        type: 'keySystemError',
        details: 'keySystemLicenseRequestFailed',
        fatal: true,
        error,
      } as unknown as ErrorData;
      this.#hls.trigger(ERROR, data);
    }
    return never();
  }

  #onError(_event: Events.ERROR, data: ErrorData): void {
    const error = expressPlayErrorOf(data);
    if (error) this.#core.report(error, this.#core.load?.context.contentId);
  }

  detach(): void {
    if (this.#detached) return;
    this.#detached = true;
    this.#hls.off(MANIFEST_LOADING, this.#onManifestLoading, this);
    this.#hls.off(KEY_LOADING, this.#onKeyLoading, this);
    this.#hls.off(ERROR, this.#onError, this);
    this.#hls.off(DESTROYING, this.detach, this);
    // hls.js clears its config on destroy; restoring first is harmless then.
    if (this.#hls.config) Object.assign(this.#hls.config, this.#saved);
    this.#handoff.revokeAll();
    this.#keyLoads.clear();
    this.#detaching.abort();
    this.#core.close();
  }
}
