// One Video.js source with an `expressplay` field, from `src()` to the next source:
// its token context, the rights URLs its license requests use and the abort for all
// of it. The token side of each rights URL is a browser-layer `ContentLoad` (the
// "refused → one fresh token → resend → else report" flow): one for the content's
// own token, and one per key-id set a ClearKey session names.

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError, type Drm } from '../core/errors.js';
import type { ContentIdStrategy } from '../core/fairplay.js';
import { contentIdFromSkd, rightsUrlFromSkd } from '../browser/fairplay-on-demand.js';
import { ContentLoad } from '../browser/content-load.js';
import { isKeyIdRequired } from '../browser/key-ids.js';
import type { ExpressPlayEvent } from '../browser/types/events.js';
import type { KeySystemSupport } from '../browser/types/detection.js';
import type { RightsInfo, TokenClient, TokenContext } from '../browser/types/token-client.js';
import type { ExpressPlaySourceOptions } from './types.js';

/** Emits an `expressplay:*` event on the player (stamped and redacted by the one emitter). */
export type Emit = (event: Omit<ExpressPlayEvent, 'time'>) => void;

/** The rights side of one source: its token context, its `ContentLoad`s, its abort. */
export class SourceLoad {
  readonly #controller = new AbortController();
  /** The token context; FairPlay without an app content id gets it from the first `skd://` URI. */
  #ctx: TokenContext;
  /** The content's own token (without a session's key ids); made once the content id is known. */
  #content: ContentLoad | undefined;
  /** Per key-id set (`a,b`): the token the sessions asking for those key ids share. */
  readonly #keys = new Map<string, ContentLoad>();
  readonly #client: TokenClient;
  readonly #wanted: ExpressPlaySourceOptions;
  readonly #emit: Emit;
  // `declare`: set by the constructor only, so no field definitions in the bundle.
  /** What detection found for the chosen DRM. */
  declare readonly support: KeySystemSupport;
  /** The contrib-eme `keySystems` entry this source is given. */
  declare readonly keySystem: string;

  /**
   * Starts the source's token fetch now, in parallel with the manifest (or takes the
   * app's rights URL). FairPlay without a content id waits for the `skd://` URI.
   * @throws -9001 without `contentId`, except for FairPlay.
   */
  constructor(
    client: TokenClient,
    support: KeySystemSupport,
    keySystem: string,
    wanted: ExpressPlaySourceOptions,
    emit: Emit,
  ) {
    this.#client = client;
    this.support = support;
    this.keySystem = keySystem;
    this.#wanted = wanted;
    this.#emit = emit;
    const { drm } = support;
    if (!wanted.contentId && drm !== 'fairplay') {
      throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
        details: 'source.expressplay.contentId is required',
        drm,
      });
    }
    this.#ctx = {
      drm,
      contentId: wanted.contentId ?? '',
      ...(wanted.kids ? { kids: wanted.kids } : {}),
      ...(drm === 'widevine' && support.securityLevel ? { securityLevel: support.securityLevel } : {}),
      hdcp: support.hdcp,
    };
    if (wanted.contentId) this.#startContent(true);
  }

  /** Aborted when the source is left or the player disposed: every request of the source stops. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The DRM of this source. */
  get drm(): Drm {
    return this.#ctx.drm;
  }

  /** The content id (`''` for FairPlay until its `skd://` URI names it). */
  get contentId(): string {
    return this.#ctx.contentId;
  }

  /** Stops every token and license request of this source. */
  abort(): void {
    this.#controller.abort();
    this.#content?.abort();
    for (const load of this.#keys.values()) load.abort();
  }

  /**
   * FairPlay: the content id of a key request (contrib-eme hands over the initData as a
   * string). The app's id wins: its token is already on the way. Otherwise the `skd://`
   * URI's, whose own rights URL (if any) is used unless the app gave one.
   * @throws -9042 when the initData holds no `skd://` URI; the allowlist's error for its rights URL.
   */
  fairPlayContentId(initData: string, strategy: ContentIdStrategy | undefined): string {
    if (this.#ctx.contentId) return this.#ctx.contentId;
    const skd = /skd:\/\/[^\0\s]+/i.exec(initData)?.[0];
    if (!skd)
      throw new ExpressPlayError(ClientCode.SKD_INVALID, {
        details: 'initData does not hold an skd:// URI',
        drm: 'fairplay',
      });
    this.#ctx = { ...this.#ctx, contentId: contentIdFromSkd(skd, strategy) };
    const content = this.#startContent(false);
    const inSkd = this.#wanted.rightsUrl ? undefined : rightsUrlFromSkd(skd);
    if (inSkd) {
      this.#client.assertAllowedRightsUrl(inSkd); // the playlist must not send SPCs anywhere
      content.useRights({
        drm: 'fairplay',
        contentId: this.#ctx.contentId,
        rightsUrl: inSkd,
        source: 'skd',
        obtainedAt: performance.now(),
        expiresAtMs: Number.POSITIVE_INFINITY,
      });
    }
    return this.#ctx.contentId;
  }

  /**
   * One license request (`send` gets the rights URL and the signal) with the token for
   * `kids` (the content's without them), refreshed once if refused; then
   * `expressplay:license`. Rejects with the typed error otherwise.
   */
  async license<T>(send: (rightsUrl: string, signal: AbortSignal) => Promise<T>, kids?: readonly string[]): Promise<T> {
    const started = performance.now();
    const { result, info } = await this.#loadFor(kids).license(send);
    this.#emit({
      type: 'expressplay:license',
      drm: this.#ctx.drm,
      contentId: this.#ctx.contentId,
      ...(kids ? { kids } : {}),
      source: info.source,
      rightsUrl: info.rightsUrl,
      durationMs: performance.now() - started,
    });
    return result;
  }

  /**
   * The `ContentLoad` whose token serves these key ids (the content's without them).
   * A key's first session gets the token client's answer: this key's token (prefetched,
   * set or cached), else the content's (single-key content), else, the content's fetch
   * having answered -4018, one for this key. The source's own fetch is never repeated
   * when it failed otherwise.
   */
  #loadFor(kids: readonly string[] | undefined): ContentLoad {
    if (!kids) return this.#content ?? this.#startContent(false);
    const key = kids.join(',');
    const known = this.#keys.get(key);
    if (known) return known;
    const failure = this.#content?.failure;
    if (failure !== undefined && !isKeyIdRequired(failure)) throw failure;
    const load = this.#newLoad({ ...this.#ctx, kids });
    this.#keys.set(key, load);
    return load;
  }

  /**
   * The content's own `ContentLoad`, with the app's rights URL if it gave one; else its
   * token fetch starts now when `fetchNow` (at `src()`), or with the first license request.
   */
  #startContent(fetchNow: boolean): ContentLoad {
    const load = this.#newLoad(this.#ctx);
    this.#content = load;
    if (this.#wanted.rightsUrl) load.useRightsUrl(this.#wanted.rightsUrl, this.#wanted.expiresAt);
    else if (fetchNow) load.start();
    return load;
  }

  #newLoad(context: TokenContext): ContentLoad {
    const load = new ContentLoad(this.#client, context, { onRights: (info, ms) => this.#announce(context, info, ms) });
    if (this.signal.aborted) load.abort();
    return load;
  }

  /** `expressplay:token`, except for a key's sessions given the content's own token: announced already. */
  #announce(context: TokenContext, info: RightsInfo, durationMs: number): void {
    if (context.kids && !info.kids) return;
    this.#emit({
      type: 'expressplay:token',
      drm: info.drm,
      contentId: info.contentId,
      ...(info.kids ? { kids: info.kids } : {}),
      source: info.source,
      rightsUrl: info.rightsUrl,
      durationMs,
    });
  }
}
