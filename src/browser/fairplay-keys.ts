// What the modern-EME and legacy-WebKit FairPlay handlers share: the key request
// read from initData, the rights URL for it, and the SPC → CKC exchange (with the
// one token refresh the token client allows).

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError, isExpressPlayError } from '../core/errors.js';
import { contentIdFromSkd, rightsUrlFromSkd, skdFromInitData, type ContentIdStrategy } from '../core/fairplay.js';
import { keyIdsFromInitData } from '../core/initdata.js';
import { assertRightsUrl, DEFAULT_RIGHTS_HOSTS, isLoopbackHost } from './allowlist.js';
import { requestCkc } from './fairplay.js';
import { ListenerList } from './listeners.js';
import type { AttachFairPlayOptions } from './types/fairplay.js';
import type { EmeEnvironment } from './types/environment.js';
import type { ExpressPlayEvent } from './types/events.js';
import type { RightsSource, TokenContext } from './types/token-client.js';

/** One key the CDM asked for. */
export interface KeyRequest {
  /** The skd URI, when the initData carries one. */
  skd?: string;
  /** Content id for the token client. */
  contentId: string;
}

interface Rights {
  url: string;
  source: RightsSource;
}

/** The `onEvent` emitter of one attachment (stamps, redacts, contains a throwing handler). */
export type FairPlayEmit = (event: Omit<ExpressPlayEvent, 'time'>) => void;

/** What {@link FairPlayLicenser} reads of the options. */
export type LicenserOptions = Pick<
  AttachFairPlayOptions,
  | 'tokenClient'
  | 'rightsUrl'
  | 'contentId'
  | 'contentIdStrategy'
  | 'allowedRightsHosts'
  | 'timeoutMs'
  | 'headers'
  | 'fetch'
>;

/** What the modern and legacy key handlers of one attachment get from it. */
export interface FairPlayKeyContext {
  readonly video: HTMLMediaElement;
  readonly env: EmeEnvironment;
  /** The application certificate, fetched from attach time on. */
  readonly certificate: Promise<Uint8Array>;
  readonly licenser: FairPlayLicenser;
  readonly emit: FairPlayEmit;
  /** Reports a failure (typed) through `onError` and `expressplay:error`, unless detached. */
  readonly fail: (err: unknown, contentId?: string) => void;
}

/** A -9031 EME error of the FairPlay flow. */
export function emeError(details: string, cause?: unknown): ExpressPlayError {
  return new ExpressPlayError(ClientCode.EME, { drm: 'fairplay', details, cause });
}

/** The key sessions of one half of an attachment: their listeners, and closing them all at once. */
export class KeySessions<S extends EventTarget & { close(): unknown }> {
  readonly #sessions: S[] = [];
  readonly #listeners = new ListenerList();
  #closed = false;

  /** True once {@link KeySessions.closeAll} ran: late answers are dropped. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Keeps `session` and listens to it with `handlers` (event type → handler) until {@link KeySessions.closeAll}. */
  add(session: S, handlers: Record<string, (event: Event) => void>): void {
    this.#sessions.push(session);
    for (const [type, handler] of Object.entries(handlers)) this.#listeners.add(session, type, handler);
  }

  /** Removes the session listeners and closes every session (one the CDM already closed is ignored). */
  closeAll(): void {
    this.#closed = true;
    this.#listeners.removeAll();
    for (const session of this.#sessions.splice(0)) {
      try {
        Promise.resolve(session.close()).catch(() => undefined);
      } catch {
        // A session the CDM already closed.
      }
    }
  }
}

/** An skd URI's rights URL; plain http only for a loopback host (the emulator in development). */
function skdRightsUrl(skd: string | undefined): string | undefined {
  if (skd === undefined) return undefined;
  const host =
    skd
      .trim()
      .slice('skd://'.length)
      .split(/[/?#:]/)[0] ?? '';
  return rightsUrlFromSkd(skd, isLoopbackHost(host) ? 'http' : 'https');
}

/** Turns initData into a key request and an SPC into a CKC, for one attachment. */
export class FairPlayLicenser {
  /** How the content id is taken from an skd URI. */
  readonly contentIdStrategy: ContentIdStrategy;
  readonly #options: LicenserOptions;
  readonly #signal: AbortSignal;
  readonly #emit: FairPlayEmit;
  readonly #allowedHosts: ReadonlyArray<string | RegExp> | undefined;

  constructor(options: LicenserOptions, signal: AbortSignal, emit: FairPlayEmit) {
    this.#options = options;
    this.#signal = signal;
    this.#emit = emit;
    this.contentIdStrategy = options.contentIdStrategy ?? 'whole';
    this.#allowedHosts = options.tokenClient ? undefined : (options.allowedRightsHosts ?? DEFAULT_RIGHTS_HOSTS);
  }

  /** The key an `encrypted` / `webkitneedkey` event asks for. */
  keyRequest(initDataType: string, initData: Uint8Array): KeyRequest {
    if (initDataType === 'skd') {
      const skd = skdFromInitData(initData);
      return { skd, contentId: this.#options.contentId ?? contentIdFromSkd(skd, this.contentIdStrategy) };
    }
    const kids = keyIdsFromInitData(initDataType, initData);
    const contentId = this.#options.contentId ?? kids[0];
    if (contentId === undefined) {
      throw new ExpressPlayError(ClientCode.SKD_INVALID, {
        drm: 'fairplay',
        details: `no content id in ${initDataType} initData: pass contentId`,
      });
    }
    return { contentId };
  }

  /** The CKC for `spc`; a token the license server refuses gets one fresh one from the token client. */
  async ckcFor(spc: Uint8Array, key: KeyRequest): Promise<Uint8Array> {
    const started = performance.now();
    const rights = await this.#rightsFor(key);
    this.#checkRights(rights.url);
    let ckc: Uint8Array;
    let url = rights.url;
    try {
      ckc = await this.#send(url, spc);
    } catch (err) {
      const tokenClient = this.#options.tokenClient;
      const fromClient = rights.source === 'endpoint' || rights.source === 'cache';
      if (!tokenClient || !fromClient || !isExpressPlayError(err) || !err.isTokenRejected) throw err;
      // The token client refuses a second refresh without a license in between.
      const fresh = await tokenClient.refresh(this.#tokenContext(key), err, { signal: this.#signal });
      url = fresh.rightsUrl;
      this.#checkRights(url);
      ckc = await this.#send(url, spc);
    }
    this.#options.tokenClient?.licenseAcquired(this.#tokenContext(key));
    this.#emit({
      type: 'expressplay:license',
      durationMs: performance.now() - started,
      contentId: key.contentId,
      rightsUrl: url,
      source: rights.source,
    });
    return ckc;
  }

  /** App's URL, else the skd URI's own (token included), else the token client, else the skd's bare URL. */
  async #rightsFor(key: KeyRequest): Promise<Rights> {
    if (this.#options.rightsUrl) return { url: this.#options.rightsUrl, source: 'app' };
    const fromSkd = skdRightsUrl(key.skd);
    if (fromSkd && /[?&]ExpressPlayToken=/.test(fromSkd)) return { url: fromSkd, source: 'skd' };
    if (this.#options.tokenClient) {
      const info = await this.#options.tokenClient.getRightsUrl(this.#tokenContext(key), { signal: this.#signal });
      return { url: info.rightsUrl, source: info.source };
    }
    if (fromSkd) return { url: fromSkd, source: 'skd' };
    throw new ExpressPlayError(ClientCode.SKD_INVALID, {
      drm: 'fairplay',
      details: 'no rights URL: pass rightsUrl or tokenClient, or use a playlist whose skd URI carries the rights URL',
    });
  }

  /** The token client's allowlist when there is one, else `allowedRightsHosts`. */
  #checkRights(url: string): void {
    if (this.#options.tokenClient) this.#options.tokenClient.assertAllowedRightsUrl(url);
    else assertRightsUrl(url, this.#allowedHosts, 'fairplay');
  }

  #send(url: string, spc: Uint8Array): Promise<Uint8Array> {
    const { timeoutMs, headers, fetch } = this.#options;
    return requestCkc(url, spc, {
      signal: this.#signal,
      timeoutMs,
      ...(headers ? { headers } : {}),
      ...(fetch ? { fetch } : {}),
    });
  }

  #tokenContext(key: KeyRequest): TokenContext {
    return { drm: 'fairplay', contentId: key.contentId };
  }
}
