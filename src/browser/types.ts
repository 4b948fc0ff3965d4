// The browser layer's public contract. Adapters, the demo and the benchmarks code
// against these types; src/browser/* implements them.

import type { Drm, ExpressPlayError } from '../core/errors.js';
import type { HdcpOutputControl, SecurityLevel } from '../core/params.js';
import type { TokenResult } from '../core/response.js';
import type { ContentIdStrategy } from '../core/fairplay.js';

/* ------------------------------------------------------------------ detection */

export type EncryptionScheme = 'cenc' | 'cbcs' | 'cbcs-1-9';
export type HdcpSupport = HdcpOutputControl | 'unknown';

/** What one DRM can do on this device. */
export interface KeySystemSupport {
  drm: Drm;
  supported: boolean;
  /** The EME key system string that worked (e.g. `com.widevine.alpha`, `com.apple.fps`). */
  keySystem?: string;
  /** `eme`: navigator.requestMediaKeySystemAccess; `webkit-legacy`: window.WebKitMediaKeys. */
  api?: 'eme' | 'webkit-legacy';
  /** Widevine: the best seed securityLevel (1–5) that works for video / for audio. */
  securityLevel?: SecurityLevel;
  audioSecurityLevel?: SecurityLevel;
  /** The robustness strings that worked best (Widevine, PlayReady). */
  videoRobustness?: string;
  audioRobustness?: string;
  /** PlayReady SL3000 / hardware-backed key system available. */
  hardware?: boolean;
  /** From MediaKeys.getStatusForPolicy; 'unknown' where the API is missing (never guessed). */
  hdcp: HdcpSupport;
  encryptionSchemes: EncryptionScheme[];
  /**
   * `probed`: the browser honoured the `encryptionScheme` capability field, so
   * `encryptionSchemes` is what it said. `assumed`: it ignored the field (older
   * browsers) and `encryptionSchemes` is the DRM's baseline (`cenc`; FairPlay `cbcs`).
   */
  encryptionSchemesSource?: 'probed' | 'assumed';
  /** The highest HDCP version string getStatusForPolicy reported usable (e.g. `2.2`). */
  hdcpVersion?: string;
  sessionTypes: MediaKeySessionType[];
}

export interface DrmProfile {
  widevine: KeySystemSupport;
  fairplay: KeySystemSupport;
  playready: KeySystemSupport;
  /** Present only when `includeClearKey` was asked. */
  clearkey?: KeySystemSupport;
  /** The first supported DRM in the preference order, if any. */
  preferred?: KeySystemSupport;
  /** How long the probe took (ms). */
  durationMs: number;
}

export interface DetectDrmOptions {
  /** Order of preference; default `['widevine', 'playready', 'fairplay']` (+ `clearkey` last when included). */
  preference?: readonly Drm[];
  /** Probe ClearKey too (development: the emulator's stand-in). */
  includeClearKey?: boolean;
  /** Content types to probe; default H.264 video and AAC audio in MP4. */
  videoContentTypes?: readonly string[];
  audioContentTypes?: readonly string[];
  /** Walk HDCP versions with getStatusForPolicy (default true). */
  hdcp?: boolean;
  /** Bypass the per-page memo and probe again. */
  refresh?: boolean;
  /** Encryption schemes to ask about (default `['cenc', 'cbcs']`). */
  encryptionSchemes?: readonly EncryptionScheme[];
  /** Cap on each EME call (default 5 s): a CDM that never answers must not hang start-up. */
  probeTimeoutMs?: number;
  /**
   * The EME entry points to use instead of the page's (tests, iframes). Memoized
   * separately per environment object.
   */
  environment?: EmeEnvironment;
}

/** EME entry points; defaults to `navigator.requestMediaKeySystemAccess` and `window.WebKitMediaKeys`. */
export interface EmeEnvironment {
  requestMediaKeySystemAccess?: (keySystem: string, configurations: MediaKeySystemConfiguration[]) => Promise<MediaKeySystemAccess>;
  /** Safari's legacy prefixed API (`window.WebKitMediaKeys`). */
  WebKitMediaKeys?: LegacyWebKitMediaKeysConstructor;
}

// The legacy WebKit FairPlay API, described here (not only in the ambient
// types/webkit-media-keys.d.ts) so the published declarations stand alone.
export interface LegacyWebKitMediaKeySession extends EventTarget {
  readonly error: { readonly code: number; readonly systemCode: number } | null;
  update(key: Uint8Array): void;
  close(): void;
}

export interface LegacyWebKitMediaKeys {
  readonly keySystem: string;
  createSession(type: string, initData: Uint8Array): LegacyWebKitMediaKeySession;
}

export interface LegacyWebKitMediaKeysConstructor {
  new (keySystem: string): LegacyWebKitMediaKeys;
  isTypeSupported(keySystem: string, type?: string): boolean;
}

/* --------------------------------------------------------------- token client */

/** What the browser tells the customer's token endpoint (see docs/architecture.md, "contract"). */
export interface TokenContext {
  drm: Drm;
  /** The app's own content id. */
  contentId: string;
  /** Key ids (hex), when known from the manifest or initData. */
  kids?: readonly string[];
  /** Detected Widevine security level (1–5). */
  securityLevel?: SecurityLevel;
  /** Detected HDCP capability. */
  hdcp?: HdcpSupport;
}

export interface TokenEndpointRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/** A URL, or a function of the context returning a URL or a complete request. */
export type TokenEndpoint = string | ((context: TokenContext) => string | TokenEndpointRequest | Promise<string | TokenEndpointRequest>);

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

export interface TokenClientOptions {
  endpoint: TokenEndpoint;
  /** Default GET (query string). */
  method?: 'GET' | 'POST';
  /** POST body format (default `form`). */
  bodyFormat?: 'form' | 'json';
  headers?: Record<string, string> | ((context: TokenContext) => Record<string, string>);
  credentials?: RequestCredentials;
  /** Per request (default 10 s). */
  timeoutMs?: number;
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
  onEvent?: (event: ExpressPlayEvent) => void;
  logger?: Logger;
  /** Injected fetch (tests, service workers); default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /**
   * Refused unless `dangerouslyAllowAuthenticatorInBrowser` is also set and the
   * endpoint is ExpressPlay's test service or localhost. Belongs on the back end.
   */
  customerAuthenticator?: string;
  dangerouslyAllowAuthenticatorInBrowser?: boolean;
}

export type RightsSource = 'endpoint' | 'cache' | 'app' | 'skd';

export interface RightsInfo extends TokenResult {
  drm: Drm;
  contentId: string;
  source: RightsSource;
  /** When it was obtained (ms, performance.now() clock of this page). */
  obtainedAt: number;
  /** When it stops being used (ms since the epoch). */
  expiresAtMs: number;
}

export interface TokenClient {
  /** The rights URL for this content: cached, or one shared fetch for concurrent callers. */
  getRightsUrl(context: TokenContext, options?: { signal?: AbortSignal }): Promise<RightsInfo>;
  /** Starts the fetch early (content card shown, hover); never produces an unhandled rejection. */
  prefetch(context: TokenContext): Promise<RightsInfo | undefined>;
  /** A rights URL the app already has (its playback API returned one): no token request at all. */
  setRightsUrl(context: TokenContext, rightsUrl: string, expiresAt?: Date): RightsInfo;
  /**
   * After a license server rejected `rejected` (-4010 / 401 / 403): fetches a fresh
   * token once. A second refresh for the same content without a successful license
   * in between rejects with `error` — never a loop.
   */
  refresh(context: TokenContext, error: ExpressPlayError, options?: { signal?: AbortSignal }): Promise<RightsInfo>;
  /** Reports a license obtained with this content's token (re-arms `refresh`). */
  licenseAcquired(context: TokenContext): void;
  invalidate(context?: TokenContext): void;
  /** Aborts every request, clears timers and the cache. */
  dispose(): void;
  /** Throws the typed policy error if a license request may not go to this URL. */
  assertAllowedRightsUrl(url: string): void;
}

/* --------------------------------------------------------------------- events */

export type ExpressPlayEventType =
  | 'expressplay:detected'
  | 'expressplay:token'
  | 'expressplay:license'
  | 'expressplay:keystatus'
  | 'expressplay:error';

export interface ExpressPlayEvent {
  type: ExpressPlayEventType;
  /** performance.now() when it happened. */
  time: number;
  /** How long the step took (ms), where it is a step. */
  durationMs?: number;
  drm?: Drm;
  contentId?: string;
  /** Rights URL with the token redacted. */
  rightsUrl?: string;
  source?: RightsSource;
  profile?: DrmProfile;
  keyStatus?: { keyId: string; status: string };
  error?: ExpressPlayError;
}

export interface Logger {
  debug?(message: string, data?: Record<string, unknown>): void;
  info?(message: string, data?: Record<string, unknown>): void;
  warn?(message: string, data?: Record<string, unknown>): void;
  error?(message: string, data?: Record<string, unknown>): void;
}

/* ------------------------------------------------------------------- FairPlay */

export interface FairPlayCertificateOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  fetch?: typeof fetch;
  credentials?: RequestCredentials;
}

export interface LicenseRequestOptions {
  drm: Drm;
  signal?: AbortSignal;
  timeoutMs?: number;
  fetch?: typeof fetch;
  headers?: Record<string, string>;
  /** Default `application/octet-stream`. */
  contentType?: string;
  credentials?: RequestCredentials;
  /**
   * When given, the rights URL's host must match (same patterns as the token
   * client's). https is always required except on localhost.
   */
  allowedRightsHosts?: ReadonlyArray<string | RegExp>;
}

/* ----------------------------------------------------------- FairPlay on <video> */

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
  signal?: AbortSignal;
  timeoutMs?: number;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  onEvent?: (event: ExpressPlayEvent) => void;
  /** Every failure, typed (also emitted as `expressplay:error`). */
  onError?: (error: ExpressPlayError) => void;
  logger?: Logger;
  /**
   * Hosts the SPC may go to when there is no `tokenClient` (which has its own
   * allowlist). Default: ExpressPlay's hosts. Protects against a playlist whose
   * skd URI points elsewhere.
   */
  allowedRightsHosts?: ReadonlyArray<string | RegExp>;
  environment?: EmeEnvironment;
}

export interface FairPlayAttachment {
  /** Removes every listener, aborts requests, closes sessions. */
  detach(): void;
}
