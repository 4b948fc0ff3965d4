// What every player adapter does before it touches the player: detection, the
// token client (the app's, or one it owns), the FairPlay certificate, the token
// context per content, the one redacting emitter with a player-specific sink,
// and the license request of the chosen DRM through the browser layer.

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError, isExpressPlayError } from '../core/errors.js';
import type { Drm } from '../core/errors.js';
import type { PlayerFairPlayOptions } from './types/fairplay.js';
import { createEmitter } from './events.js';
import { detectDrmWithItsCode } from './detect-with-code.js';
import { contentIdFromSkd, getFairPlayCertificate, requestCkc } from './fairplay-on-demand.js';
import { requestLicense } from './license.js';
import { createLogger } from './log.js';
import { ContentLoad } from './content-load.js';
import { createTokenClient } from './token-client.js';
import type { DetectDrmOptions, DrmProfile, KeySystemSupport } from './types/detection.js';
import type { ExpressPlayEvent } from './types/events.js';
import type { TokenClient, TokenClientOptions, TokenContext } from './types/token-client.js';

/** The options every adapter takes (each adds its player's own). */
export interface AdapterOptions {
  /** The token endpoint's options (a client is made and owned), or a client the app made (never disposed here). */
  token: TokenClientOptions | TokenClient;
  /**
   * The app's content id for each load: a string, or a function of the manifest URL
   * (`undefined`: FairPlay with the id taken from the `skd://` URI, or clear content).
   * Known when the manifest starts loading, the token fetch starts then, in parallel with it.
   */
  contentId?: string | ((manifestUrl: string) => string | undefined);
  /** Detection options, e.g. `{ includeClearKey: true }` for the emulator's ClearKey stand-in. */
  detect?: DetectDrmOptions;
  /** FairPlay settings; used only when detection picks FairPlay (Safari). */
  fairplay?: PlayerFairPlayOptions;
  /** Cap on each license request (default 10 s). */
  licenseTimeoutMs?: number;
  /** Extra headers on each license request (e.g. your CDN's). */
  licenseHeaders?: Record<string, string>;
}

/** The adapter's handle, common to every player. */
export interface ExpressPlayHandle {
  /** What detection found on this device. */
  readonly profile: DrmProfile;
  /** The DRM chosen (`profile.preferred`), whose key system the player was configured for. */
  readonly support: KeySystemSupport;
  /** The token client in use: the app's, or the one made from `options.token`. */
  readonly tokenClient: TokenClient;
  /** Starts the token fetch before the source is loaded (content card shown, hover). */
  prefetch(contentId: string): Promise<unknown>;
  /** A rights URL the app already has: no token request for this content. */
  setRightsUrl(contentId: string, rightsUrl: string, expiresAt?: Date): unknown;
  /** Removes every hook and listener, aborts in-flight requests, restores the player's DRM config, disposes an owned client. */
  detach(): void;
}

/** An event for the player's listeners: stamped, its rights URL redacted. */
export type EventSink = (event: ExpressPlayEvent) => void;

/** Detection done, client ready: what an adapter builds its hooks on. */
export class AdapterCore {
  /** Errors already reported, so a player's own error event does not report them twice. */
  readonly #reported = new WeakSet<ExpressPlayError>();
  readonly #emitter: (event: Omit<ExpressPlayEvent, 'time'>) => void;
  #closed = false;
  /** The player's current load (undefined: none yet, clear content, or its content id failed). */
  #current: ContentLoad | undefined;
  /** License requests of left loads, parked until a load of their content starts (players reuse key sessions). */
  readonly #parked = new Map<string, Array<() => void>>();

  readonly #options: AdapterOptions;
  readonly #owned: boolean;
  // `declare`: set by the constructor only, so no field definitions in the bundle.
  declare readonly client: TokenClient;
  declare readonly profile: DrmProfile;
  declare readonly support: KeySystemSupport & { keySystem: string };
  declare readonly certificate: Uint8Array | undefined;

  private constructor(
    options: AdapterOptions,
    client: TokenClient,
    owned: boolean,
    profile: DrmProfile,
    support: KeySystemSupport & { keySystem: string },
    certificate: Uint8Array | undefined,
    sink: EventSink,
  ) {
    this.#options = options;
    this.client = client;
    this.#owned = owned;
    this.profile = profile;
    this.support = support;
    this.certificate = certificate;
    this.#emitter = createEmitter((event) => this.#closed || sink(event), createLogger(undefined));
  }

  /**
   * Detects, makes or takes the token client, fetches the FairPlay certificate.
   * @throws -9030 when no DRM is supported; -9040 for FairPlay without a certificate; the client's errors.
   */
  static async create(options: AdapterOptions, sink: EventSink): Promise<AdapterCore> {
    const owned = typeof (options.token as TokenClient).getRightsUrl !== 'function';
    const client = owned ? createTokenClient(options.token as TokenClientOptions) : (options.token as TokenClient);
    try {
      const profile = await detectDrmWithItsCode(options.detect);
      const support = profile.preferred;
      if (!support?.supported || !support.keySystem)
        throw new ExpressPlayError(ClientCode.NO_KEY_SYSTEM, { details: 'no supported DRM on this device' });
      let certificate: Uint8Array | undefined;
      if (support.drm === 'fairplay') {
        if (!options.fairplay?.certificate)
          throw new ExpressPlayError(ClientCode.CERTIFICATE_INVALID, {
            details: 'FairPlay needs options.fairplay.certificate',
            drm: 'fairplay',
          });
        certificate = await getFairPlayCertificate(options.fairplay.certificate);
      }
      const core = new AdapterCore(
        options,
        client,
        owned,
        profile,
        { ...support, keySystem: support.keySystem },
        certificate,
        sink,
      );
      core.emit({ type: 'expressplay:detected', drm: support.drm, profile, durationMs: profile.durationMs });
      return core;
    } catch (err) {
      if (owned) client.dispose();
      throw err;
    }
  }

  /** The DRM in use. */
  get drm(): Drm {
    return this.support.drm;
  }

  /** The token context of a content on this device. */
  context(contentId: string): TokenContext {
    const { drm, securityLevel, hdcp } = this.support;
    return { drm, contentId, ...(drm === 'widevine' && securityLevel !== undefined ? { securityLevel } : {}), hdcp };
  }

  /** The app's content id for a manifest URL; a throwing `contentId` function is a typed -9001. */
  contentIdFor(manifestUrl: string): string | undefined {
    const { contentId } = this.#options;
    try {
      return typeof contentId === 'function' ? contentId(manifestUrl) : contentId;
    } catch (err) {
      throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
        details: 'options.contentId threw for this load',
        drm: this.drm,
        cause: err,
      });
    }
  }

  /** FairPlay without an app content id: the one the `skd://` URI carries. */
  contentIdFromSkd(skd: string): string {
    return contentIdFromSkd(skd, this.#options.fairplay?.contentIdStrategy);
  }

  /** The current load, if any. */
  get load(): ContentLoad | undefined {
    return this.#current;
  }

  /**
   * The player started loading `manifestUrl`: the previous load's requests stop, and
   * this one's token fetch starts now, in parallel with the manifest. A throwing
   * `contentId` function is reported (-9001), returned, and leaves no load.
   */
  beginLoad(manifestUrl: string): ExpressPlayError | undefined {
    this.#current?.abort();
    this.#current = undefined;
    let contentId: string | undefined;
    try {
      contentId = this.contentIdFor(manifestUrl);
    } catch (err) {
      return this.report(err);
    }
    if (contentId !== undefined) this.startLoad(contentId);
    return undefined;
  }

  /** Starts a load of `contentId` (FairPlay: once the `skd://` URI names it) and wakes its parked license requests. */
  startLoad(contentId: string): ContentLoad {
    this.#current?.abort();
    const load = new ContentLoad(this.client, this.context(contentId), {
      onRights: (info, durationMs) =>
        this.emit({
          type: 'expressplay:token',
          drm: info.drm,
          contentId: info.contentId,
          rightsUrl: info.rightsUrl,
          source: info.source,
          durationMs,
        }),
    }).start();
    this.#current = load;
    const waiting = this.#parked.get(contentId) ?? [];
    this.#parked.delete(contentId);
    for (const wake of waiting) wake();
    return load;
  }

  /**
   * The load a key session's license request belongs to: `owner`, the load its key
   * was requested under, while the player is on it; a later load of the same content
   * (players reuse key sessions); else `owner`, left, whose request `license()` parks.
   * Never another content's load, whatever load is current when the request comes.
   */
  loadOwning(owner: ContentLoad): ContentLoad {
    const current = this.#current;
    return owner.signal.aborted && current?.context.contentId === owner.context.contentId ? current : owner;
  }

  /**
   * The license for `challenge` with the token of the load `loadFor` returns (refresh once on a
   * refused token), through the browser layer: the CKC unwrapped for FairPlay.
   * Emits `expressplay:license`; a failure is reported and rethrown. A request
   * whose load the player left waits for the next load of the same content (the
   * player may reuse its key session there) and never settles otherwise:
   * nothing is sent with another content's token, and nothing is reported.
   * `dropped`, aborted when the player gave the request up (its key session closed):
   * then nothing more is sent and it rejects with -9012, not reported.
   */
  async license(
    loadFor: () => ContentLoad,
    challenge: Uint8Array,
    headers: Record<string, string> = {},
    dropped?: AbortSignal,
  ): Promise<Uint8Array> {
    for (;;) {
      if (dropped?.aborted) throw new ExpressPlayError(ClientCode.ABORTED, { drm: this.drm });
      let load: ContentLoad | undefined;
      try {
        load = loadFor();
        if (!load.signal.aborted) return await this.#licenseOnce(load, challenge, headers);
      } catch (err) {
        if (!load?.signal.aborted) throw this.report(err, load?.context.contentId);
      }
      await this.#park(load.context.contentId, dropped);
    }
  }

  /** Waits for the next load of `contentId`, or for `dropped`. */
  #park(contentId: string, dropped: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((wake) => {
      this.#parked.set(contentId, [...(this.#parked.get(contentId) ?? []), wake]);
      if (dropped?.aborted) wake();
      dropped?.addEventListener('abort', () => wake());
    });
  }

  async #licenseOnce(load: ContentLoad, challenge: Uint8Array, headers: Record<string, string>): Promise<Uint8Array> {
    const started = performance.now();
    const common = {
      timeoutMs: this.#options.licenseTimeoutMs,
      headers: { ...headers, ...this.#options.licenseHeaders },
    };
    const { result, info } = await load.license((url, signal) => {
      this.client.assertAllowedRightsUrl(url);
      return this.drm === 'fairplay'
        ? requestCkc(url, challenge, { ...common, signal })
        : requestLicense(url, challenge, { ...common, signal, drm: this.drm });
    });
    this.emit({
      type: 'expressplay:license',
      drm: this.drm,
      contentId: load.context.contentId,
      rightsUrl: info.rightsUrl,
      source: info.source,
      durationMs: performance.now() - started,
    });
    return result;
  }

  /** The handle an adapter returns; `detach` is the adapter's own undo. */
  handle(detach: () => void): ExpressPlayHandle {
    return {
      profile: this.profile,
      support: this.support,
      tokenClient: this.client,
      prefetch: (contentId) => this.client.prefetch(this.context(contentId)),
      setRightsUrl: (contentId, rightsUrl, expiresAt) =>
        this.client.setRightsUrl(this.context(contentId), rightsUrl, expiresAt),
      detach,
    };
  }

  /** Emits an `expressplay:*` event to the player's listeners (nothing after `close()`). */
  emit(event: Omit<ExpressPlayEvent, 'time'>): void {
    if (event.error) this.#reported.add(event.error);
    this.#emitter(event);
  }

  /** Emits `expressplay:error` once per error; aborts and disposal are not errors of the content. */
  report(error: unknown, contentId?: string): ExpressPlayError {
    const err = isExpressPlayError(error)
      ? error
      : new ExpressPlayError(ClientCode.LICENSE_REJECTED, { details: String(error), drm: this.drm, cause: error });
    if (!this.#reported.has(err) && err.code !== ClientCode.ABORTED && err.code !== ClientCode.DISPOSED) {
      this.emit({ type: 'expressplay:error', drm: err.drm ?? this.drm, contentId, error: err });
    }
    return err;
  }

  /** Aborts the current load, drops parked requests, no more events; an owned client is disposed. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#current?.abort();
    this.#current = undefined;
    this.#parked.clear();
    if (this.#owned) this.client.dispose();
  }
}
