// The adapter's state for one attached Shaka player, one method per Shaka hook:
// the networking engine's license request/response filters and `retry` event,
// the player's `loading`, `unloading`, `manifestparsed`, `keystatuschanged` and
// `error` events, and `drm.failureCallback` / `drm.initDataTransform`.

import type shaka from 'shaka-player';
import { assertOneKeyPerSession, isKeyIdRequired, sessionKeyIds } from '../browser/key-ids.js';
import { ListenerList } from '../browser/listeners.js';
import type { RightsInfo } from '../browser/types/token-client.js';
import type { ContentLoad } from '../browser/content-load.js';
import {
  contentIdFromSkd,
  legacyFairPlayInitData,
  rightsUrlFromSkd,
  skdFromInitData,
  unwrapCkc,
} from '../browser/fairplay-on-demand.js';
import { ClientCode, ExpressPlayError, isExpressPlayError, tokenFromRightsUrl } from '../core/index.js';
import { KeySystem } from '../core/key-systems.js';
import type { ContentIdStrategy, Drm } from '../core/index.js';
import { ShakaDrmConfig } from './drm-config.js';
import type { ShakaEvents } from './events.js';
import { repointIdentityLicenses } from './hls-identity.js';
import { ShakaLoad } from './load.js';
import type { ShakaLoadSetup } from './load.js';
import { tokenContext } from './setup.js';
import type { ShakaDevice, ShakaTokenClient } from './setup.js';
import {
  expressPlayErrorOf,
  failedAttemptUri,
  failedLicenseUri,
  failedSessionKeyIds,
  rejectionOf,
} from './shaka-errors.js';

type Request = shaka.extern.Request;
type Response = shaka.extern.Response;
type RequestType = shaka.net.NetworkingEngine.RequestType;

// Shaka's enum value, as a number: the enum exists only at run time in Shaka's bundle.
const LICENSE = 2 as RequestType;

/** The options the hooks read (the public options of `attachExpressPlay`). */
export interface ShakaHookOptions {
  contentId?: string | ((manifestUri: string) => string | undefined);
  fairplay?: { contentIdStrategy?: ContentIdStrategy; skdScheme?: 'https' | 'http' };
}

/** A license request the request filter sent: where, for which content's rights and key ids, since when. */
interface SentLicense {
  readonly url: string;
  readonly content: ContentLoad;
  readonly kids: readonly string[];
  readonly started: number;
}

/** ExpressPlay on one Shaka player: `attach()` hooks it, `detach()` undoes everything. */
export class ShakaController {
  readonly #player: shaka.Player;
  readonly #net: shaka.net.NetworkingEngine;
  readonly #options: ShakaHookOptions;
  readonly #events: ShakaEvents;
  readonly #token: ShakaTokenClient;
  readonly #device: ShakaDevice;
  readonly #client: ShakaTokenClient['client'];
  readonly #drm: Drm;
  readonly #keySystem: string;
  readonly #fairplay: boolean;
  readonly #config: ShakaDrmConfig;
  readonly #listeners = new ListenerList();
  readonly #loadSetup: ShakaLoadSetup;
  /** The current load (before the first `loading`: one without a content id). */
  #load: ShakaLoad;
  /** The license requests the request filter sent, per request (Shaka resends the same object). */
  readonly #sent = new WeakMap<Request, SentLicense>();
  /** Rights URLs license requests went to: Shaka's `retry` event names only the URL. */
  readonly #sentUrls = new Set<string>();
  #detached = false;

  constructor(
    player: shaka.Player,
    net: shaka.net.NetworkingEngine,
    options: ShakaHookOptions,
    events: ShakaEvents,
    token: ShakaTokenClient,
    device: ShakaDevice,
  ) {
    this.#player = player;
    this.#net = net;
    this.#options = options;
    this.#events = events;
    this.#token = token;
    this.#device = device;
    this.#client = token.client;
    this.#drm = device.support.drm;
    this.#keySystem = device.keySystem;
    this.#fairplay = this.#drm === 'fairplay';
    this.#config = new ShakaDrmConfig(player, device.keySystem);
    this.#loadSetup = {
      client: this.#client,
      contextOf: (contentId) => tokenContext(device.support, contentId),
      onRights: (info) => this.#noteRights(info),
    };
    this.#load = new ShakaLoad(this.#loadSetup);
  }

  /** Configures the player's DRM, registers every filter and listener, starts the token of a load already under way. */
  attach(): void {
    this.#config.apply(this.#device.support, this.#device.certificate, {
      ...(this.#fairplay ? { initDataTransform: this.#initDataTransform } : {}),
      failureCallback: this.#failureCallback,
    });
    this.#net.registerRequestFilter(this.#requestFilter);
    this.#net.registerResponseFilter(this.#responseFilter);
    const listeners = this.#listeners;
    const net = this.#net;
    const player = this.#player;
    listeners.add(net, 'retry', (event) => this.#onRetry(event));
    listeners.add(player, 'loading', () => this.#onLoading());
    listeners.add(player, 'unloading', () => this.#onUnloading());
    listeners.add(player, 'manifestparsed', () => repointIdentityLicenses(player, this.#keySystem));
    listeners.add(player, 'keystatuschanged', () => this.#onKeyStatus());
    listeners.add(player, 'error', (event) => this.#onError(event));
    // Attached after load() was called: this load's content still gets its token now.
    if (player.getAssetUri()) this.#onLoading();
  }

  /** Removes every filter and listener, aborts in-flight token requests, restores the DRM config, disposes an owned client. */
  detach(): void {
    if (this.#detached) return;
    this.#detached = true;
    this.#events.close();
    this.#load.abort();
    this.#net.unregisterRequestFilter(this.#requestFilter);
    this.#net.unregisterResponseFilter(this.#responseFilter);
    this.#listeners.removeAll();
    this.#config.restore();
    if (this.#token.owned) this.#client.dispose();
  }

  /**
   * A load starts: the previous one's token requests stop, and this one's token fetch
   * starts now, in parallel with the manifest. A throwing `contentId` function fails
   * this load (-9001): it never keeps the previous load's content id and token.
   */
  #onLoading(): void {
    this.#load.abort();
    const { contentId } = this.#options;
    const uri = this.#player.getAssetUri() ?? '';
    let id: string | undefined;
    let error: ExpressPlayError | undefined;
    try {
      id = typeof contentId === 'function' ? contentId(uri) : contentId;
    } catch (err) {
      error = this.#events.report(
        new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
          details: 'options.contentId threw for this load',
          drm: this.#drm,
          cause: err,
        }),
      );
    }
    this.#load = new ShakaLoad(this.#loadSetup, id, error);
    this.#load.start((err) => {
      // -4018: the content has several keys; its sessions ask per key id (reported if one cannot).
      if (isExpressPlayError(err) && !isKeyIdRequired(err)) this.#events.report(err, id);
    });
  }

  #onUnloading(): void {
    this.#load.abort();
  }

  /** Puts the rights URL for this license request's session in (a fresh token after a refusal), or fails it typed. */
  readonly #requestFilter = async (type: RequestType, request: Request): Promise<void> => {
    if (type !== LICENSE || request.drmInfo?.keySystem !== this.#keySystem) return;
    const load = this.#load;
    let contentId: string | undefined;
    const kids = this.#keyIdsOf(request);
    try {
      assertOneKeyPerSession(kids, this.#drm);
      contentId = this.#contentIdFor(load, request);
      const content = load.content(contentId);
      const info = await this.#rightsForAttempt(load, request, contentId, kids);
      this.#client.assertAllowedRightsUrl(info.rightsUrl);
      request.uris = [info.rightsUrl];
      if (this.#fairplay) request.headers['Content-Type'] = 'application/octet-stream';
      this.#sent.set(request, { url: info.rightsUrl, content, kids, started: performance.now() });
      this.#sentUrls.add(info.rightsUrl);
    } catch (err) {
      throw isExpressPlayError(err) ? this.#events.report(err, contentId, kids) : err;
    }
  };

  /**
   * The rights for this attempt of a license request. After a failed attempt:
   * Shaka gives up after this filter when attempts are exhausted, so the typed cause
   * is thrown instead; Shaka retries every HTTP error, but a final one (a 4xx such as
   * -9044, not a token refusal) is not sent again; a refused token gets the load's
   * one fresh token (see `ContentLoad.rightsAfterRefusal`) for Shaka's resend.
   */
  async #rightsForAttempt(
    load: ShakaLoad,
    request: Request,
    contentId: string,
    kids: readonly string[],
  ): Promise<RightsInfo> {
    const previous = this.#sent.get(request);
    const pending = previous && load.rejections.get(previous.url);
    const rejection = pending && (await pending);
    if (previous && rejection) {
      if (
        request.attempt >= request.retryParameters.maxAttempts ||
        (!rejection.retryable && !rejection.isTokenRejected)
      )
        throw rejection;
      if (rejection.isTokenRejected) return load.content(contentId).rightsAfterRefusal(previous.url, rejection, kids);
    }
    return load.rights(contentId, kids);
  }

  /** The content id of a license request: the load's, or for FairPlay the one its `skd://` URI names. */
  #contentIdFor(load: ShakaLoad, request: Request): string {
    if (load.error) throw load.error;
    if (load.contentId !== undefined) return load.contentId;
    if (this.#fairplay && request.initData)
      return contentIdFromSkd(skdFromInitData(request.initData), this.#options.fairplay?.contentIdStrategy ?? 'whole');
    throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
      details: 'no content id for this load: set options.contentId',
      drm: this.#drm,
    });
  }

  /** The key ids this license request's session asks for (empty when they cannot be read: FairPlay). */
  #keyIdsOf(request: Request): string[] {
    return sessionKeyIds({
      initDataType: request.initDataType,
      initData: request.initData,
      clearKeyMessage: this.#keySystem === KeySystem.CLEARKEY ? request.body : null,
    });
  }

  /** A license arrived: the FairPlay CKC unwrapped, the token's refresh count reset, `expressplay:license` emitted. */
  readonly #responseFilter = (type: RequestType, response: Response): void => {
    const record = type === LICENSE ? this.#sent.get(response.originalRequest) : undefined;
    if (!record) return;
    const { contentId } = record.content.context;
    try {
      if (this.#fairplay) response.data = unwrapCkc(response.data);
    } catch (err) {
      throw isExpressPlayError(err) ? this.#events.report(err, contentId) : err;
    }
    record.content.licenseAcquired(record.kids);
    this.#events.emit({
      type: 'expressplay:license',
      durationMs: performance.now() - record.started,
      drm: this.#drm,
      contentId,
      ...(record.kids.length ? { kids: record.kids } : {}),
      rightsUrl: record.url,
    });
  };

  /** A license attempt failed and Shaka will retry: the rights server's typed answer is kept for the next attempt. */
  #onRetry(event: Event): void {
    const error = (event as Event & { error?: shaka.util.Error | null }).error;
    const uri = failedAttemptUri(error);
    if (error && uri !== undefined && this.#sentUrls.has(uri)) this.#load.reject(uri, rejectionOf(error, this.#drm));
  }

  #onKeyStatus(): void {
    const { lastStatus, contentId } = this.#load;
    for (const [keyId, status] of Object.entries(this.#player.getKeyStatuses())) {
      if (lastStatus.get(keyId) === status) continue;
      lastStatus.set(keyId, status);
      this.#events.emit({ type: 'expressplay:keystatus', drm: this.#drm, contentId, keyStatus: { keyId, status } });
    }
  }

  #onError(event: Event): void {
    const error = expressPlayErrorOf((event as Event & { detail?: unknown }).detail);
    if (error) this.#events.report(error, this.#load.contentId);
  }

  /**
   * Shaka's hook for failed license requests. A request whose token wait the adapter
   * itself aborted (the next load(), unload(), detach) fails inside Shaka's DrmEngine
   * *before* Shaka destroys it, so Shaka would report a critical 6007 for content the
   * app has already left: it is marked handled. It is also the one place every failed
   * license request passes: with several sessions (multi-key content) Shaka drops a
   * failed one without an `error` event, so it is reported here. Anything else goes
   * to the app's own callback.
   */
  readonly #failureCallback = (error: shaka.util.Error): unknown => {
    const refusedUrl = failedLicenseUri(error);
    const load = this.#load;
    const typed =
      expressPlayErrorOf(error) ?? (refusedUrl === undefined ? undefined : load.parsedRejections.get(refusedUrl));
    if (typed?.code === ClientCode.ABORTED) {
      error.handled = true;
      return undefined;
    }
    const kids = failedSessionKeyIds(error);
    if (typed) this.#events.report(typed, load.contentId, kids);
    // The rights server's answer still being parsed (its parser's first load): reported once it is.
    else if (refusedUrl !== undefined)
      void load.rejections
        .get(refusedUrl)
        ?.then(
          (rejection) => rejection.code !== ClientCode.ABORTED && this.#events.report(rejection, load.contentId, kids),
        );
    return this.#config.saved.failureCallback?.(error);
  };

  /**
   * FairPlay's `skd` initData: starts the token fetch for the content id it names when
   * the app gave none, and packs the content id and certificate in for legacy WebKit.
   */
  readonly #initDataTransform = (
    initData: Uint8Array,
    initDataType: string,
    drmInfo: shaka.extern.DrmInfo | null,
  ): Uint8Array => {
    const saved = this.#config.saved.initDataTransform;
    if (initDataType !== 'skd' || drmInfo?.keySystem !== this.#keySystem)
      return saved ? saved(initData, initDataType, drmInfo) : initData;
    try {
      const skd = skdFromInitData(initData);
      const skdId = contentIdFromSkd(skd, this.#options.fairplay?.contentIdStrategy ?? 'whole');
      if (this.#load.contentId === undefined) this.#startSkdToken(skdId, skd);
      // Legacy WebKit (Shaka's Apple polyfill) wants the content id and certificate packed in.
      const legacy = this.#device.support.api === 'webkit-legacy' || drmInfo.keySystem !== KeySystem.FAIRPLAY;
      const certificate = drmInfo.serverCertificate ?? this.#device.certificate ?? new Uint8Array();
      return legacy ? legacyFairPlayInitData(initData, skdId, certificate) : initData;
    } catch (err) {
      if (isExpressPlayError(err)) this.#events.report(err);
      return initData;
    }
  };

  /** The content id is only known from the `skd://` URI: its token fetch starts at the earliest point. */
  #startSkdToken(skdId: string, skd: string): void {
    const context = tokenContext(this.#device.support, skdId);
    const rightsUrl = rightsUrlFromSkd(skd, this.#options.fairplay?.skdScheme ?? 'https');
    // Only a rights URL that carries its token can stand in for the token client's;
    // a bare one would send the SPC without a token and cost a refresh.
    if (rightsUrl && tokenFromRightsUrl(rightsUrl)) this.#client.setRightsUrl(context, rightsUrl);
    else void this.#client.prefetch(context);
  }

  /** An owned client reports its own token events; an app's client reports to the app, so the adapter tells the player. */
  #noteRights(info: RightsInfo): void {
    if (this.#token.owned) return;
    this.#events.emit({
      type: 'expressplay:token',
      drm: this.#drm,
      contentId: info.contentId,
      ...(info.kids ? { kids: info.kids } : {}),
      rightsUrl: info.rightsUrl,
      source: info.source,
    });
  }
}
