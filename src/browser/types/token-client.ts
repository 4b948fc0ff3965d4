// The token client: token contexts, the back-end request, options, rights URLs and the client itself.

import type { Drm, ExpressPlayError } from '../../core/errors.js';
import type { SecurityLevel } from '../../core/params.js';
import type { TokenResult } from '../../core/response.js';
import type { HdcpSupport } from './detection.js';
import type { ExpressPlayEvent } from './events.js';
import type { Logger } from './logger.js';
import type { RetryOptions } from './retry.js';

/** What the browser tells the customer's token endpoint (see docs/architecture.md, "contract"). */
export interface TokenContext {
  /** The DRM the rights URL is for. With `contentId`, the token client's cache key. */
  drm: Drm;
  /** The app's own content id (non-empty). */
  contentId: string;
  /**
   * The key ids (hex) one license session asks for, from its initData or the manifest's
   * `default_KID`. Absent: the content's only key (single-key content). An ExpressPlay
   * token holds one key, so multi-key content gets one token per key id, and the token
   * client keeps one entry per (drm, contentId, key-id set).
   */
  kids?: readonly string[];
  /** Detected Widevine security level (1–5). */
  securityLevel?: SecurityLevel;
  /** Detected HDCP capability. */
  hdcp?: HdcpSupport;
}

/**
 * A complete request to the token endpoint, returned by a {@link TokenEndpoint}
 * function: sent as it is (no context fields are added), its headers merged
 * over the client's.
 */
export interface TokenEndpointRequest {
  /** Absolute or page-relative URL. */
  url: string;
  /** Default GET. */
  method?: 'GET' | 'POST';
  /** Merged over `accept` and the client's `headers`. */
  headers?: Record<string, string>;
  /** The request body, as it is. */
  body?: string;
}

/** A URL, or a function of the context returning a URL or a complete request. */
export type TokenEndpoint =
  string | ((context: TokenContext) => string | TokenEndpointRequest | Promise<string | TokenEndpointRequest>);

/** Options of {@link createTokenClient}. */
export interface TokenClientOptions {
  /** Your token endpoint (not ExpressPlay's token service): a URL, or a function of the context. */
  endpoint: TokenEndpoint;
  /** Default GET (query string). */
  method?: 'GET' | 'POST';
  /** POST body format (default `form`). */
  bodyFormat?: 'form' | 'json';
  /** Extra request headers (e.g. your own auth), or a function of the context returning them. */
  headers?: Record<string, string> | ((context: TokenContext) => Record<string, string>);
  /** `fetch` credentials mode for the token request (default `same-origin`). */
  credentials?: RequestCredentials;
  /** Per attempt, body included (default 10 s). */
  timeoutMs?: number;
  /** Largest answer body read, bytes (default 64 KiB); a larger one is -9061 and is not read further. */
  maxBodyBytes?: number;
  /** Retry policy (default 3 attempts, 250 ms base, 4 s cap, 20 s in all). */
  retry?: RetryOptions;
  /** A cached token is not used within this margin of its expiry (default 30 s). */
  expiryMarginMs?: number;
  /** Lifetime assumed when the endpoint does not say (`expiresAt`); default 10 min. */
  defaultTokenLifetimeMs?: number;
  /**
   * Hosts license requests may go to: exact host names, `*.suffix` patterns or
   * RegExps. Default: ExpressPlay's hosts (`*.expressplay.com`). Add the emulator's host in development.
   */
  allowedRightsHosts?: ReadonlyArray<string | RegExp>;
  /** `<link rel=preconnect>` to the rights host once known (default true). */
  preconnect?: boolean;
  /** Receives `expressplay:token` and `expressplay:error` events (rights URLs redacted); a throwing handler is logged, not rethrown. */
  onEvent?: (event: ExpressPlayEvent) => void;
  /** Your logger; every message and data string is token-redacted first. Silent when omitted. */
  logger?: Logger;
  /** Injected fetch (tests, service workers); default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /**
   * Refused (-9020) unless `dangerouslyAllowAuthenticatorInBrowser` is also set and the
   * endpoint is ExpressPlay's test service or localhost. Belongs on the back end.
   * When allowed, it is sent to the endpoint as a `customerAuthenticator` field.
   */
  customerAuthenticator?: string;
  /** Development only: lets `customerAuthenticator` into the browser (a warning is logged). Never ship it. */
  dangerouslyAllowAuthenticatorInBrowser?: boolean;
}

/**
 * Where a rights URL came from: the token `endpoint`, the client's `cache`, the
 * `app` (`setRightsUrl` / a source's `rightsUrl`), or the `skd` URI of a FairPlay playlist.
 */
export type RightsSource = 'endpoint' | 'cache' | 'app' | 'skd';

/** A rights URL with what the client knows about it. */
export interface RightsInfo extends TokenResult {
  /** The DRM it is for. */
  drm: Drm;
  /** The app's content id it is for. */
  contentId: string;
  /** The key ids it was asked for (lower-case hex, sorted); absent: the content's only key. */
  kids?: readonly string[];
  /** Where it came from. */
  source: RightsSource;
  /** When it was obtained (ms, performance.now() clock of this page). */
  obtainedAt: number;
  /**
   * When it stops being used (ms since the epoch): `expiresAt` from the endpoint,
   * else now + `defaultTokenLifetimeMs`. The cache stops handing it out
   * `expiryMarginMs` earlier.
   */
  expiresAtMs: number;
}

/**
 * Gets rights URLs from your token endpoint. Made by {@link createTokenClient};
 * the Shaka and Video.js adapters use one (theirs, or the one you pass).
 * Entries are keyed by `drm` + `contentId` + the set of `kids`: two sessions for
 * the same key share one token, sessions for different keys get their own.
 * `securityLevel` and `hdcp` are sent with the request but do not make a separate entry.
 *
 * How a key's token is found: a context with `kids` uses the entry for exactly those
 * key ids; failing that, the content's entry without kids (a back end answers a request
 * without `kids` only for single-key content, so that token holds the one key), waiting
 * for it if its fetch is under way; failing that (none, or the back end answered -4018
 * "missing kid": the content has several keys), it asks the endpoint with `kids`.
 */
export interface TokenClient {
  /**
   * The rights URL for this content: cached, or one shared fetch for concurrent callers.
   * Aborting `signal` detaches only this caller; the fetch is aborted when no caller is left.
   *
   * Rejects with -9001 for a context without `drm` / `contentId`, -9050 after
   * `dispose()`, -9012 on abort, -9021 / -9022 for a rights URL the allowlist
   * refuses, -9004 for an unusable answer, and the endpoint's own code
   * (ExpressPlay's, or an HTTP-status code) otherwise.
   */
  getRightsUrl(context: TokenContext, options?: { signal?: AbortSignal }): Promise<RightsInfo>;
  /** Starts the fetch early (content card shown, hover); never produces an unhandled rejection. */
  prefetch(context: TokenContext): Promise<RightsInfo | undefined>;
  /**
   * A rights URL the app already has (its playback API returned one): no token request at all.
   * Cached like a fetched one (until `expiresAt`, else the default lifetime).
   * Throws -9021 / -9022 when the URL is off the allowlist, -9001 / -9050 as `getRightsUrl`.
   */
  setRightsUrl(context: TokenContext, rightsUrl: string, expiresAt?: Date): RightsInfo;
  /**
   * After a license server rejected `rejected` (-4010 / 401 / 403): fetches a fresh
   * token once. A second refresh for the same content without a successful license
   * in between rejects with `error` — never a loop.
   */
  refresh(context: TokenContext, error: ExpressPlayError, options?: { signal?: AbortSignal }): Promise<RightsInfo>;
  /** Reports a license obtained with this content's token (re-arms `refresh`). */
  licenseAcquired(context: TokenContext): void;
  /** Forgets the cached rights URL of this content (of every content without `context`); pending callers keep their fetch. */
  invalidate(context?: TokenContext): void;
  /** Aborts every request, clears timers and the cache. */
  dispose(): void;
  /** Throws the typed policy error (-9022 not https / -9021 host not allowed) if a license request may not go to this URL. */
  assertAllowedRightsUrl(url: string): void;
}
