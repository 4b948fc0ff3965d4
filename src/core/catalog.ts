// The one catalog of ExpressPlay error codes: every code of both seed tables
// (Widevine table 18, FairPlay table), plus the few codes of our own for
// mistakes and failures the seeds have no code for. The client, the adapters,
// the emulator and the README's error table all read this file.

/** What kind of failure an error is; adapters and apps branch on this, not on codes. */
export type ErrorCategory =
  'auth' | 'input' | 'quota' | 'device' | 'server' | 'network' | 'timeout' | 'aborted' | 'policy' | 'unsupported';

/** The DRM tables a seed code appears in (`'client'` for codes of this library). */
export type CatalogSource = 'widevine' | 'fairplay' | 'client';

/** One row of {@link ERROR_CATALOG}: what a code means and how to treat it. */
export interface CatalogEntry {
  /** The numeric code: a seed code (-2002 … -7011) or one of ours (-9xxx). */
  readonly code: number;
  /** English message; `details` from the service are appended after a colon. */
  readonly message: string;
  /** The seed tables the code appears in, or `['client']` for codes of this library. */
  readonly sources: readonly CatalogSource[];
  /** What kind of failure it is. */
  readonly category: ErrorCategory;
  /** Whether the same request may succeed if simply sent again later. */
  readonly retryable: boolean;
  /**
   * The HTTP status the token service (or the emulator, or `createTokenHandler`)
   * answers with for this code; `0` for client-side failures that never become a
   * response of ours (network, timeout, EME, …).
   */
  readonly httpStatus: number;
}

const WF = ['widevine', 'fairplay'] as const;
const W = ['widevine'] as const;
const F = ['fairplay'] as const;
const C = ['client'] as const;

// [code, message, sources, category, retryable, httpStatus]
type Row = readonly [number, string, readonly CatalogSource[], ErrorCategory, boolean, number];

const ROWS: readonly Row[] = [
  [-2002, 'Invalid token expiration time', WF, 'input', false, 400],
  [-2003, 'Invalid IP address', WF, 'input', false, 400],
  [-2005, 'Invalid content encryption key', WF, 'input', false, 400],
  [-2008, 'Invalid output control flag', WF, 'input', false, 400],
  [-2017, 'An authenticator must be supplied', WF, 'auth', false, 401],
  [
    -2018,
    'Invalid authenticator (wrong key, or a production key used on the test service or vice versa)',
    WF,
    'auth',
    false,
    401,
  ],
  [-2019, 'Not enough tokens available', WF, 'quota', false, 400],
  [-2020, 'Rights type missing', F, 'input', false, 400],
  [-2021, 'Invalid rights type', F, 'input', false, 400],
  [-2022, 'Rental period end time missing', WF, 'input', false, 400],
  [-2023, 'Rental playback duration missing', WF, 'input', false, 400],
  [-2025, 'Invalid rental playback duration', WF, 'input', false, 400],
  [-2027, 'The content encryption key must be 32 hex digits', WF, 'input', false, 400],
  [-2030, 'ExpressPlay administration error', WF, 'server', false, 500],
  [-2031, 'Service account disabled', WF, 'auth', false, 401],
  [-2033, 'Invalid cookie (at most 32 characters)', WF, 'input', false, 400],
  [-2034, 'Invalid output control: value out of range', WF, 'input', false, 400],
  [-2035, 'Value not specified', WF, 'input', false, 400],
  [-2036, 'Extension type must be 4 characters', WF, 'input', false, 400],
  [-2037, 'Extension payload must be base64', WF, 'input', false, 400],
  [-2040, 'OutputControlFlag must encode 4 bytes', WF, 'input', false, 400],
  [-3004, 'Invalid error format (html or json)', WF, 'input', false, 400],
  [-4001, 'The device cannot be authenticated', WF, 'device', false, 403],
  [-4010, 'Invalid token', WF, 'auth', false, 401],
  [-4018, 'Missing kid', WF, 'input', false, 400],
  [-4019, 'Failed to fetch the content key from the key store', WF, 'server', true, 500],
  [-4020, 'kid must be 32 hex characters', WF, 'input', false, 400],
  [-4021, "kid must be at most 64 characters after '^'", WF, 'input', false, 400],
  [-4022, 'Invalid kid', WF, 'input', false, 400],
  [-4024, 'Invalid ek or kek', WF, 'input', false, 400],
  [-5003, 'Invalid general flags', WF, 'input', false, 400],
  [-6001, 'Invalid FPExtension parameter', F, 'input', false, 400],
  [-6002, 'Invalid FairPlay token type', F, 'input', false, 400],
  [-6003, 'Invalid iv parameter (32 hex digits)', F, 'input', false, 400],
  [-6004, 'FairPlay CKC generation failed', F, 'server', true, 500],
  [-6005, 'Invalid key data', WF, 'input', false, 400],
  [-6006, 'Service not authorised for FairPlay', F, 'policy', false, 403],
  [-6007, 'Invalid rental duration', WF, 'input', false, 400],
  [-6008, 'Device id binding is not supported for FairPlay', F, 'unsupported', false, 400],
  [-6009, 'FairPlay option disabled', F, 'policy', false, 403],
  [-7002, 'Device id binding is not supported for Widevine', W, 'unsupported', false, 400],
  [-7003, 'Security level value missing', W, 'input', false, 400],
  [-7004, 'Invalid security level value (1 to 5)', W, 'input', false, 400],
  [-7006, 'HDCP output control value missing', W, 'input', false, 400],
  [-7007, 'Invalid license duration', W, 'input', false, 400],
  [-7008, 'Widevine license generation failed', W, 'server', true, 500],
  [-7009, 'Invalid WVExtension parameter', W, 'input', false, 400],
  [-7011, 'Widevine option disabled', W, 'policy', false, 403],
  // Codes of this library (-9xxx: outside every range the seeds use).
  [-9001, 'Invalid parameter value', C, 'input', false, 400],
  [-9002, 'Duplicate parameter', C, 'input', false, 400],
  [-9003, 'Malformed request', C, 'input', false, 400],
  [-9004, 'Malformed response from the token service or endpoint', C, 'server', false, 502],
  [-9005, 'Unsupported DRM', C, 'unsupported', false, 400],
  [-9010, 'Network error', C, 'network', true, 0],
  [-9011, 'Request timed out', C, 'timeout', true, 0],
  [-9012, 'Request aborted', C, 'aborted', false, 0],
  [-9013, 'HTTP error', C, 'server', false, 0],
  [-9014, 'Too many requests', C, 'quota', true, 429],
  [-9015, 'Server error', C, 'server', true, 500],
  [-9020, 'The customerAuthenticator must stay on the back end', C, 'policy', false, 0],
  [-9021, 'URL not allowed (host not on the allowlist)', C, 'policy', false, 0],
  [-9022, 'Insecure URL (https required except on localhost)', C, 'policy', false, 0],
  [-9023, 'Not found', C, 'input', false, 404],
  [-9024, 'Method not allowed', C, 'input', false, 405],
  [-9025, 'Request body too large', C, 'input', false, 413],
  [-9030, 'No supported key system on this device', C, 'unsupported', false, 0],
  [-9031, 'EME error from the content decryption module', C, 'device', false, 0],
  [-9040, 'Invalid FairPlay certificate', C, 'input', false, 0],
  [-9041, 'Invalid CKC', C, 'server', false, 0],
  [-9042, 'Invalid skd URI or FairPlay initData', C, 'input', false, 0],
  [-9043, 'License request rejected', C, 'server', false, 0],
  [-9044, 'The emulator cannot issue a real license for this DRM', C, 'unsupported', false, 400],
  [-9045, 'One license session asks for several key ids; an ExpressPlay token holds one key', C, 'input', false, 0],
  [-9050, 'Disposed', C, 'aborted', false, 0],
  [-9060, 'The token service answer contained the customerAuthenticator: refused', C, 'server', false, 502],
  [-9061, 'Response body too large', C, 'server', false, 502],
  [-9062, 'Cross-origin request not allowed', C, 'policy', false, 403],
  [-9063, 'Token parameters name a key the browser did not ask for', C, 'policy', false, 403],
  [-9064, 'Host not allowed', C, 'policy', false, 403],
];

/** Every code, keyed by its number. */
export const ERROR_CATALOG: ReadonlyMap<number, CatalogEntry> = new Map(
  ROWS.map(([code, message, sources, category, retryable, httpStatus]) => [
    code,
    { code, message, sources, category, retryable, httpStatus },
  ]),
);

/**
 * Codes of this library (-9xxx, outside every range the seeds use), for readable
 * call sites: `new ExpressPlayError(ClientCode.TIMEOUT)`.
 */
export const ClientCode = {
  /** A parameter has an invalid value (also: a required option is missing). */
  INVALID_PARAMETER: -9001,
  /** A parameter was given twice. */
  DUPLICATE_PARAMETER: -9002,
  /** A request (query, form or JSON body) could not be parsed. */
  MALFORMED_REQUEST: -9003,
  /** The token service or token endpoint answered with something unparseable. */
  MALFORMED_RESPONSE: -9004,
  /** The `drm` value is not one this library knows. */
  UNSUPPORTED_DRM: -9005,
  /** The request failed at the network level (retryable). */
  NETWORK: -9010,
  /** The request timed out, or the server answered 408 (retryable). */
  TIMEOUT: -9011,
  /** The request was aborted through its `AbortSignal`. */
  ABORTED: -9012,
  /** An HTTP error status without an ExpressPlay code; with a status below 500 its category is `auth` (401/403) or `input`, wherever it is made. */
  HTTP: -9013,
  /** HTTP 429 (retryable; honours `Retry-After`). */
  TOO_MANY_REQUESTS: -9014,
  /** HTTP 5xx without an ExpressPlay code (retryable). */
  SERVER: -9015,
  /** A `customerAuthenticator` was about to be used in a browser: it must stay on the back end. */
  AUTHENTICATOR_IN_BROWSER: -9020,
  /** A rights URL's (or the FairPlay certificate URL's) host is not on the allowlist. */
  RIGHTS_URL_NOT_ALLOWED: -9021,
  /** A URL is not https (http is allowed on loopback hosts only). */
  INSECURE_URL: -9022,
  /** HTTP 404, or an unknown route / unknown content. */
  NOT_FOUND: -9023,
  /** HTTP 405: the method is not accepted by this endpoint. */
  METHOD_NOT_ALLOWED: -9024,
  /** HTTP 413: the request body exceeds the limit. */
  BODY_TOO_LARGE: -9025,
  /** No supported key system on this device (or the player lacks EME support, e.g. contrib-eme not loaded). */
  NO_KEY_SYSTEM: -9030,
  /** The browser / content decryption module reported an EME failure. */
  EME: -9031,
  /** The FairPlay application certificate could not be decoded. */
  CERTIFICATE_INVALID: -9040,
  /** The CKC from the rights URL could not be decoded. */
  CKC_INVALID: -9041,
  /** An `skd://` URI or FairPlay initData is invalid. */
  SKD_INVALID: -9042,
  /** The license server refused the request or the license failed to apply. */
  LICENSE_REJECTED: -9043,
  /** The emulator was asked for a real Widevine/PlayReady license, which it cannot issue. */
  EMULATOR_CANNOT_LICENSE: -9044,
  /**
   * One license session asks for several key ids at once (a single pssh listing every key).
   * An ExpressPlay token carries one key (`kid` + `contentKey`, or `kek` + `ek`), so a license
   * from it would hold one of them and leave the others' tracks undecryptable. Package each
   * track with a pssh naming its own key id (one token per key), or all tracks under one key.
   */
  SEVERAL_KEY_IDS: -9045,
  /** The token client or adapter was disposed while the operation was pending. */
  DISPOSED: -9050,
  /** The token service's answer contained the authenticator (in any encoding): refused whole, never relayed. */
  AUTHENTICATOR_ECHOED: -9060,
  /** A response body exceeds its size cap (the rest is not read). */
  RESPONSE_TOO_LARGE: -9061,
  /** A browser request from an origin the token endpoint does not allow (`Origin` or `Sec-Fetch-Site`). */
  ORIGIN_NOT_ALLOWED: -9062,
  /** `resolve()` returned a `kid` that is not among the key ids the browser asked for. */
  KID_NOT_REQUESTED: -9063,
  /** A request whose `Host` is not one the server answers to (DNS rebinding guard of the development servers). */
  HOST_NOT_ALLOWED: -9064,
} as const;

/** The catalog entry for `code`, or `undefined` for a code the catalog does not know. */
export function catalogEntry(code: number): CatalogEntry | undefined {
  return ERROR_CATALOG.get(code);
}

/** Seed codes only (both tables), in numeric order: what the token service can answer. */
export function seedCodes(): number[] {
  return [...ERROR_CATALOG.values()].filter((e) => !e.sources.includes('client')).map((e) => e.code);
}
