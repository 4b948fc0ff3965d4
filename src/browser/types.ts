// The browser layer's public contract. Adapters, the demo and the benchmarks code
// against these types; src/browser/* implements them.

import type { Drm, ExpressPlayError } from '../core/errors.js';
import type { HdcpOutputControl, SecurityLevel } from '../core/params.js';
import type { TokenResult } from '../core/response.js';
import type { ContentIdStrategy } from '../core/fairplay.js';

/* ------------------------------------------------------------------ detection */

/** Common encryption schemes EME can be asked about (`cbcs-1-9`: cbcs with the 1:9 pattern). */
export type EncryptionScheme = 'cenc' | 'cbcs' | 'cbcs-1-9';
/** HDCP the outputs can do, in the seed's `hdcpOutputControl` terms; `'unknown'` when the browser cannot say. */
export type HdcpSupport = HdcpOutputControl | 'unknown';

/** What one DRM can do on this device. */
export interface KeySystemSupport {
  /** The DRM this entry is about. */
  drm: Drm;
  /** Whether EME granted access to a key system of this DRM. */
  supported: boolean;
  /** The EME key system string that worked (e.g. `com.widevine.alpha`, `com.apple.fps`). */
  keySystem?: string;
  /** `eme`: navigator.requestMediaKeySystemAccess; `webkit-legacy`: window.WebKitMediaKeys. */
  api?: 'eme' | 'webkit-legacy';
  /** Widevine: the best seed securityLevel (1–5) that works for video / for audio. */
  securityLevel?: SecurityLevel;
  /** Widevine: the best seed securityLevel (1–5) that works for audio. */
  audioSecurityLevel?: SecurityLevel;
  /** The robustness string that worked best for video (Widevine, PlayReady). */
  videoRobustness?: string;
  /** The robustness string that worked best for audio (Widevine, PlayReady). */
  audioRobustness?: string;
  /** PlayReady SL3000 / hardware-backed key system available. */
  hardware?: boolean;
  /** From MediaKeys.getStatusForPolicy; 'unknown' where the API is missing (never guessed). */
  hdcp: HdcpSupport;
  /** The encryption schemes it can decrypt (see `encryptionSchemesSource`). */
  encryptionSchemes: EncryptionScheme[];
  /**
   * `probed`: the browser honoured the `encryptionScheme` capability field, so
   * `encryptionSchemes` is what it said. `assumed`: it ignored the field (older
   * browsers) and `encryptionSchemes` is the DRM's baseline (`cenc`; FairPlay `cbcs`).
   */
  encryptionSchemesSource?: 'probed' | 'assumed';
  /** The highest HDCP version string getStatusForPolicy reported usable (e.g. `2.2`). */
  hdcpVersion?: string;
  /** Session types it supports (`temporary`, and `persistent-license` where available). */
  sessionTypes: MediaKeySessionType[];
  /**
   * `true` when this key system had not answered when detection returned: it could
   * not change `preferred` (a DRM earlier in the preference order is supported),
   * so {@link detectDrm} did not wait for it. `supported` is then `false`.
   */
  pending?: true;
}

/** What {@link detectDrm} found: one entry per DRM, and the preferred one. */
export interface DrmProfile {
  /** Widevine (`com.widevine.alpha`). */
  widevine: KeySystemSupport;
  /** FairPlay (`com.apple.fps` or the legacy WebKit key systems). */
  fairplay: KeySystemSupport;
  /** PlayReady (recommendation key systems, SL3000 first). */
  playready: KeySystemSupport;
  /** Present only when `includeClearKey` was asked. */
  clearkey?: KeySystemSupport;
  /** The first supported DRM in the preference order, if any. */
  preferred?: KeySystemSupport;
  /** How long the probe took (ms). */
  durationMs: number;
}

/** Options of {@link detectDrm}; every one except `refresh` and `environment` is part of the memo key. */
export interface DetectDrmOptions {
  /** Order of preference; default `['widevine', 'playready', 'fairplay']` (+ `clearkey` last when included). */
  preference?: readonly Drm[];
  /** Probe ClearKey too (development: the emulator's stand-in). */
  includeClearKey?: boolean;
  /** Content types to probe; default H.264 video and AAC audio in MP4. */
  videoContentTypes?: readonly string[];
  /** Audio content types to probe; default AAC in MP4. An empty list probes video only. */
  audioContentTypes?: readonly string[];
  /**
   * Walk HDCP versions with getStatusForPolicy (default true) for Widevine and PlayReady.
   * ClearKey is never walked: it has no output protection (its CDMs answer from a fixed
   * table), and starting its CDM only to ask would cost the first detection 100 ms or more
   * in Firefox. ClearKey's `hdcp` is always `'unknown'`.
   */
  hdcp?: boolean;
  /** Bypass the per-page memo and probe again. */
  refresh?: boolean;
  /** Encryption schemes to ask about (default `['cenc', 'cbcs']`). */
  encryptionSchemes?: readonly EncryptionScheme[];
  /**
   * Cap on each EME call in ms (default 5000): a CDM that never answers must not
   * hang start-up; a call that times out counts as unsupported. Detection waits for
   * it only while the key system is preferred over every supported one.
   */
  probeTimeoutMs?: number;
  /**
   * The EME entry points to use instead of the page's (tests, iframes). Memoized
   * separately per environment object.
   */
  environment?: EmeEnvironment;
}

/** EME entry points; defaults to `navigator.requestMediaKeySystemAccess` and `window.WebKitMediaKeys`. */
export interface EmeEnvironment {
  /** Standard EME (`navigator.requestMediaKeySystemAccess`). */
  requestMediaKeySystemAccess?: (
    keySystem: string,
    configurations: MediaKeySystemConfiguration[],
  ) => Promise<MediaKeySystemAccess>;
  /** Safari's legacy prefixed API (`window.WebKitMediaKeys`). */
  WebKitMediaKeys?: LegacyWebKitMediaKeysConstructor;
}

// The legacy WebKit FairPlay API, described here (not only in the ambient
// types/webkit-media-keys.d.ts) so the published declarations stand alone.

/** A session of Safari's legacy prefixed FairPlay API (`webkitkeymessage`, `webkitkeyadded`, `webkitkeyerror` events). */
export interface LegacyWebKitMediaKeySession extends EventTarget {
  /** The last key error, or null. */
  readonly error: {
    /** WebKit's key error code. */
    readonly code: number;
    /** The CDM's own code. */
    readonly systemCode: number;
  } | null;
  /** Hands the CKC to the CDM. */
  update(key: Uint8Array): void;
  /** Closes the session. */
  close(): void;
}

/** Safari's legacy `WebKitMediaKeys` instance. */
export interface LegacyWebKitMediaKeys {
  /** The key system it was created for. */
  readonly keySystem: string;
  /** Starts a session; `initData` in the layout of `legacyFairPlayInitData`. */
  createSession(type: string, initData: Uint8Array): LegacyWebKitMediaKeySession;
}

/** Safari's legacy `window.WebKitMediaKeys` constructor. */
export interface LegacyWebKitMediaKeysConstructor {
  /** Creates the media keys for a key system (e.g. `com.apple.fps.1_0`). */
  new (keySystem: string): LegacyWebKitMediaKeys;
  /** Whether the key system (and optionally the MIME type) is supported. */
  isTypeSupported(keySystem: string, type?: string): boolean;
}

/* --------------------------------------------------------------- token client */

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

/** Retry policy for token requests (network errors, timeouts, 429 and 5xx). */
export interface RetryOptions {
  /** Attempts in all, first included (default 3). */
  maxAttempts?: number;
  /** First backoff delay (default 250 ms), doubled each attempt, with full jitter. */
  baseDelayMs?: number;
  /** Cap on one delay (default 4 s). */
  maxDelayMs?: number;
  /** Cap on the whole operation including retries (default 20 s). */
  maxTotalMs?: number;
}

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

/* --------------------------------------------------------------------- events */

/** The events both adapters (and `attachFairPlay`, the token client) emit. */
export type ExpressPlayEventType =
  'expressplay:detected' | 'expressplay:token' | 'expressplay:license' | 'expressplay:keystatus' | 'expressplay:error';

/**
 * The payload of every `expressplay:*` event. Fields are set where they apply:
 * `profile` on `detected`; `rightsUrl` and `source` on `token` and `license`;
 * `keyStatus` on `keystatus`; `error` on `error`.
 */
export interface ExpressPlayEvent {
  /** Which event. */
  type: ExpressPlayEventType;
  /** performance.now() when it happened. */
  time: number;
  /** How long the step took (ms), where it is a step. */
  durationMs?: number;
  /** The DRM concerned. */
  drm?: Drm;
  /** The app's content id concerned. */
  contentId?: string;
  /** `token`, `license`, `error`: the key ids the token or license session is for (hex), when known. */
  kids?: readonly string[];
  /** Rights URL with the token redacted. */
  rightsUrl?: string;
  /** Where the rights URL came from. */
  source?: RightsSource;
  /** `expressplay:detected`: the device's DRM profile. */
  profile?: DrmProfile;
  /** `expressplay:keystatus`: the key id (hex; FairPlay legacy: the content id) and its EME status. */
  keyStatus?: {
    /** Key id as hex. */
    keyId: string;
    /** `usable`, `expired`, `output-restricted`, … */
    status: string;
  };
  /** `expressplay:error`: the typed error. */
  error?: ExpressPlayError;
}

/** A logger you supply (`console` fits); every method is optional. */
export interface Logger {
  /** Debug detail (rights URLs redacted, timings). */
  debug?(message: string, data?: Record<string, unknown>): void;
  /** Notable steps (retries, refreshes). */
  info?(message: string, data?: Record<string, unknown>): void;
  /** Failures that may recover. */
  warn?(message: string, data?: Record<string, unknown>): void;
  /** Failures. */
  error?(message: string, data?: Record<string, unknown>): void;
}

/* ------------------------------------------------------------------- FairPlay */

/**
 * Options of {@link getFairPlayCertificate}. A certificate URL is fetched once
 * per page: `timeoutMs`, `fetch` and `credentials` of the call that starts the
 * fetch apply to it; `signal` only detaches its own caller.
 */
export interface FairPlayCertificateOptions {
  /** Aborts this caller's wait (-9012). */
  signal?: AbortSignal;
  /** Cap on the fetch (default 10 s). */
  timeoutMs?: number;
  /** Largest answer body read, bytes (default 64 KiB); a larger one is -9061 and is not read further. */
  maxBodyBytes?: number;
  /** Injected fetch; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** `fetch` credentials mode (default `same-origin`). */
  credentials?: RequestCredentials;
  /**
   * Hosts the certificate may come from (exact hosts, `*.suffix` patterns or RegExps,
   * as `allowedRightsHosts`). Default: any host; https is always required except on localhost.
   */
  allowedCertificateHosts?: ReadonlyArray<string | RegExp>;
}

/** Options of {@link requestLicense}. */
export interface LicenseRequestOptions {
  /** The DRM of the challenge (typed errors carry it). */
  drm: Drm;
  /** Aborts the request (-9012). */
  signal?: AbortSignal;
  /** Cap on the request, body included (default 10 s). */
  timeoutMs?: number;
  /** Largest answer body read, bytes (default 64 KiB); a larger one is -9061 and is not read further. */
  maxBodyBytes?: number;
  /** Injected fetch; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Extra request headers (over `content-type`). */
  headers?: Record<string, string>;
  /** Default `application/octet-stream`. */
  contentType?: string;
  /** `fetch` credentials mode (default `omit`: the rights URL carries its own token). */
  credentials?: RequestCredentials;
  /**
   * When given, the rights URL's host must match (same patterns as the token
   * client's). https is always required except on localhost.
   */
  allowedRightsHosts?: ReadonlyArray<string | RegExp>;
  /**
   * Retry a 5xx, 429, network error or timeout (backoff with jitter, Retry-After).
   * Off by default: players with a retry policy of their own (Shaka) keep it; pass
   * one where the player has none (videojs-contrib-eme). Token refusals
   * (-4010/401/403) are never retried here: they need a fresh token.
   */
  retry?: RetryOptions;
}

/* ----------------------------------------------------------- FairPlay on <video> */

/** Options of {@link attachFairPlay}. */
export interface AttachFairPlayOptions {
  /** The FairPlay application certificate: a URL, or its bytes (DER or base64). */
  certificate: string | ArrayBuffer | Uint8Array;
  /** Where rights URLs come from when neither `rightsUrl` nor the skd URI gives one. */
  tokenClient?: TokenClient;
  /** A rights URL the app already has (used for every key of this element). */
  rightsUrl?: string;
  /** How the content id is taken from the `skd://` URI (default `whole`). */
  contentIdStrategy?: ContentIdStrategy;
  /** The app's content id for the token client; default: from the skd URI, else the first key id. */
  contentId?: string;
  /** `auto` (default): modern EME when `requestMediaKeySystemAccess` exists, else legacy WebKit. */
  api?: 'auto' | 'eme' | 'webkit-legacy';
  /** Aborting it detaches (as `detach()`). */
  signal?: AbortSignal;
  /** Cap on the certificate fetch and on each CKC request (default 10 s). */
  timeoutMs?: number;
  /** Extra headers on the CKC request. */
  headers?: Record<string, string>;
  /** Injected fetch for the certificate and CKC requests. */
  fetch?: typeof fetch;
  /** Receives the `expressplay:*` events of this element (`drm` is `fairplay`). */
  onEvent?: (event: ExpressPlayEvent) => void;
  /** Every failure, typed (also emitted as `expressplay:error`). */
  onError?: (error: ExpressPlayError) => void;
  /** Your logger (messages token-redacted). */
  logger?: Logger;
  /**
   * Hosts the SPC may go to when there is no `tokenClient` (which has its own
   * allowlist). Default: ExpressPlay's hosts. Protects against a playlist whose
   * skd URI points elsewhere.
   */
  allowedRightsHosts?: ReadonlyArray<string | RegExp>;
  /** EME entry points instead of the page's (tests, iframes). */
  environment?: EmeEnvironment;
}

/** What {@link attachFairPlay} returns. */
export interface FairPlayAttachment {
  /** Removes every listener, aborts requests, closes sessions. */
  detach(): void;
}
