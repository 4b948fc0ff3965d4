// One Shaka load, from its `loading` event to the next one (or `unloading`, or
// detach): its content id, the rights of each content it licenses (a
// ContentLoad each: the app's content, or for FairPlay the one each `skd://`
// URI names), the token fetch started at `loading`, and what its license
// attempts were refused with.

import { ContentLoad } from '../browser/content-load.js';
import { isKeyIdRequired } from '../browser/key-ids.js';
import type { RightsInfo, TokenClient, TokenContext } from '../browser/types/token-client.js';
import type { ExpressPlayError } from '../core/index.js';

/** What a load is made with: the client, the token context of a content, and the sink of its rights. */
export interface ShakaLoadSetup {
  readonly client: TokenClient;
  contextOf(contentId: string): TokenContext;
  /** A rights URL a license request of this load will use arrived. */
  onRights(info: RightsInfo): void;
}

/** The rights side of one Shaka load. */
export class ShakaLoad {
  readonly #setup: ShakaLoadSetup;
  /** Content id → its rights for this load. */
  readonly #contents = new Map<string, ContentLoad>();
  /** The token fetch started at `loading`, while under way and once failed (undefined once it succeeded). */
  #first: Promise<RightsInfo> | undefined;
  #firstFailure: unknown;
  #aborted = false;
  /** Rights URL → the typed error of its last failed license attempt (from Shaka's `retry` event), being parsed. */
  readonly rejections = new Map<string, Promise<ExpressPlayError>>();
  /** The same once parsed: what Shaka's synchronous `failureCallback` reads. */
  readonly parsedRejections = new Map<string, ExpressPlayError>();
  /** Key id → last status reported; per load, so a reload of the same content reports its keys again. */
  readonly lastStatus = new Map<string, string>();

  /**
   * @param contentId - the app's content id for this load (undefined: clear content, FairPlay
   * with the id taken from the `skd://` URI, or `error`).
   * @param error - why there is none: the app's `contentId` function threw (-9001).
   */
  constructor(
    setup: ShakaLoadSetup,
    readonly contentId?: string,
    readonly error?: ExpressPlayError,
  ) {
    this.#setup = setup;
  }

  /** Records the rejection of a license attempt sent to `url`; readable synchronously once parsed. */
  reject(url: string, rejection: Promise<ExpressPlayError>): void {
    this.rejections.set(url, rejection);
    this.parsedRejections.delete(url);
    void rejection.then((error) => {
      if (this.rejections.get(url) === rejection) this.parsedRejections.set(url, error);
    });
  }

  /** Starts the app's content's token fetch, in parallel with the manifest; `onFailure` gets its error. */
  start(onFailure: (err: unknown) => void): void {
    if (this.contentId === undefined) return;
    // A prefetched or app-supplied rights URL answers from the client's cache.
    const first = this.content(this.contentId).start().rights();
    this.#first = first;
    first.then(
      () => {
        this.#first = undefined;
      },
      (err: unknown) => {
        this.#firstFailure = err;
        onFailure(err);
      },
    );
  }

  /** The rights of `contentId` in this load (made when a license request first asks for them). */
  content(contentId: string): ContentLoad {
    let content = this.#contents.get(contentId);
    if (!content) {
      const { client, contextOf, onRights } = this.#setup;
      content = new ContentLoad(client, contextOf(contentId), { onRights: (info) => onRights(info) });
      if (this.#aborted) content.abort();
      this.#contents.set(contentId, content);
    }
    return content;
  }

  /**
   * The rights URL for a license request of `contentId` whose session asks for `kids`.
   * The fetch started at `loading` is awaited, never repeated, even when it failed: no
   * second request for an error. With key ids the client answers: this key's token
   * (prefetched, set or cached) at once, else the content's (the load's fetch, awaited:
   * single-key content), else, that fetch having answered -4018, one for this key.
   */
  rights(contentId: string, kids: readonly string[]): Promise<RightsInfo> {
    const content = this.content(contentId);
    const sameLoad = this.#first !== undefined && contentId === this.contentId;
    if (sameLoad && !kids.length) return this.#first!;
    if (sameLoad && this.#firstFailure !== undefined && !isKeyIdRequired(this.#firstFailure))
      return Promise.reject(this.#firstFailure);
    const { client, onRights } = this.#setup;
    return client.getRightsUrl(content.contextFor(kids), { signal: content.signal }).then((info) => {
      onRights(info);
      return info;
    });
  }

  /** Stops every token request of this load, and any it would start later. */
  abort(): void {
    this.#aborted = true;
    for (const content of this.#contents.values()) content.abort();
  }
}
