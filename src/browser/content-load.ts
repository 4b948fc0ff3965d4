// One content load as an adapter sees it: its token context, the rights URL
// fetch started when the manifest starts loading, the one shared refresh after
// a refused token, and the abort for everything the load awaits. The "token
// refused → one fresh token → resend → else report" flow lives here, once, for
// adapters that send the license request (hls.js, dash.js) and for a player that
// resends it on its own retries (Shaka).

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError, isExpressPlayError } from '../core/errors.js';
import type { RightsInfo, TokenClient, TokenContext } from './types/token-client.js';

/** What a {@link ContentLoad} reports to its adapter (which turns it into `expressplay:*` events). */
export interface ContentLoadHooks {
  /** A rights URL this load will use arrived (fetched, cached, refreshed or app-supplied). */
  onRights?(info: RightsInfo, durationMs: number): void;
}

/**
 * The rights side of one content load. Made when the player starts loading a
 * manifest; `abort()` when it loads another one, unloads or is destroyed.
 */
export class ContentLoad {
  readonly #controller = new AbortController();
  /** The rights URL in use: the first fetch, then the refresh that replaced it. */
  #current: Promise<RightsInfo> | undefined;
  /** Why the rights URL in use failed, once it has. */
  #failed: unknown;
  /** Refused rights URL → the one fresh token replacing it, shared by every session it refused. */
  readonly #refreshes = new Map<string, Promise<RightsInfo>>();
  readonly #client: TokenClient;
  readonly #hooks: ContentLoadHooks;
  // `declare`: set by the constructor only, so no field definition in the bundle.
  /** The token context of this load (drm, content id, security level, HDCP). */
  declare readonly context: TokenContext;

  constructor(client: TokenClient, context: TokenContext, hooks: ContentLoadHooks = {}) {
    this.#client = client;
    this.context = context;
    this.#hooks = hooks;
  }

  /** Aborted when the load ends: every token and license request it started stops. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Starts the token fetch now (in parallel with the manifest); a failure is kept for the first license request. */
  start(): this {
    this.rights();
    return this;
  }

  /** A rights URL the app already has for this content: no token request. */
  useRightsUrl(rightsUrl: string, expiresAt?: Date): this {
    this.#track(Promise.resolve(this.#client.setRightsUrl(this.context, rightsUrl, expiresAt)));
    return this;
  }

  /** Rights the adapter already holds, not from the token client (a FairPlay `skd://` URI's rights URL): no token request. */
  useRights(info: RightsInfo): this {
    this.#track(Promise.resolve(info));
    return this;
  }

  /** Why the rights URL in use (fetched or refreshed) failed; `undefined` while it has not. */
  get failure(): unknown {
    return this.#failed;
  }

  /** The rights URL in use, fetched once per load. */
  rights(): Promise<RightsInfo> {
    return this.#current ?? this.#track(this.#client.getRightsUrl(this.context, { signal: this.signal }));
  }

  /**
   * Sends one license request (`send` gets the rights URL and this load's
   * signal). A refusal of the token (-4010 / 401 / 403) gets one fresh token,
   * shared by every session of the load, and one resend; any other failure, or
   * a second refusal, rejects with the typed error. Rejects with -9012 once aborted.
   */
  async license<T>(
    send: (rightsUrl: string, signal: AbortSignal) => Promise<T>,
  ): Promise<{ result: T; info: RightsInfo }> {
    let info = await this.rights();
    let result: T;
    try {
      result = await send(info.rightsUrl, this.signal);
    } catch (err) {
      if (this.signal.aborted) throw err;
      info = await this.rightsAfterRefusal(info.rightsUrl, err);
      result = await send(info.rightsUrl, this.signal);
    }
    this.licenseAcquired();
    return { result, info };
  }

  /**
   * The rights URL to resend a license request with after `error` failed it at
   * `refusedUrl`. A refusal of the token (-4010 / 401 / 403) gets one fresh token,
   * shared by every session of the load refused with the same URL; any other error
   * is rethrown, and once the load is aborted it rejects with -9012. `license()`
   * resends with it once; a player that resends on its own retries (Shaka) asks
   * here before each resend. `kids`: the key ids of the refused session's token
   * (multi-key content), whose token is the one refreshed.
   */
  rightsAfterRefusal(refusedUrl: string, error: unknown, kids?: readonly string[]): Promise<RightsInfo> {
    if (!isExpressPlayError(error) || !error.isTokenRejected) return Promise.reject(error);
    if (this.signal.aborted)
      return Promise.reject(
        new ExpressPlayError(ClientCode.ABORTED, { drm: this.context.drm, cause: this.signal.reason }),
      );
    let fresh = this.#refreshes.get(refusedUrl);
    if (!fresh) {
      // The content's own token is replaced for every later request; a key's token only for its sessions.
      fresh = this.#track(this.#client.refresh(this.contextFor(kids), error, { signal: this.signal }), !kids?.length);
      this.#refreshes.set(refusedUrl, fresh);
    }
    return fresh;
  }

  /** The token context of a key session asking for `kids` (none: the content's only key). */
  contextFor(kids?: readonly string[]): TokenContext {
    return kids?.length ? { ...this.context, kids } : this.context;
  }

  /** A license was granted with the token of `kids` (none: the content's): its next refusal may refresh again. */
  licenseAcquired(kids?: readonly string[]): void {
    this.#client.licenseAcquired(this.contextFor(kids));
  }

  /** Stops every request of this load. */
  abort(): void {
    this.#controller.abort();
  }

  /** Reports `rights` through `onRights` when it arrives; `replacesCurrent`: it becomes the rights URL in use. */
  #track(rights: Promise<RightsInfo>, replacesCurrent = true): Promise<RightsInfo> {
    const started = performance.now();
    if (replacesCurrent) this.#current = rights;
    rights.then(
      (info) => {
        if (!this.signal.aborted) this.#hooks.onRights?.(info, performance.now() - started);
      },
      // Reported by the license request that awaits it, if one is still wanted.
      (err: unknown) => {
        if (this.#current === rights) this.#failed = err;
      },
    );
    return rights;
  }
}
