// The one catalog of ExpressPlay error codes: every code of both seed tables
// (Widevine table 18, FairPlay table), plus the few codes of our own for
// mistakes and failures the seeds have no code for. The client, the adapters,
// the emulator and the README's error table all read this file.

/** What kind of failure an error is; adapters and apps branch on this, not on codes. */
export type ErrorCategory =
  | 'auth'
  | 'input'
  | 'quota'
  | 'device'
  | 'server'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'policy'
  | 'unsupported';

/** The DRM tables a seed code appears in (`'client'` for codes of this library). */
export type CatalogSource = 'widevine' | 'fairplay' | 'client';

export interface CatalogEntry {
  readonly code: number;
  /** English message; `details` from the service are appended after a colon. */
  readonly message: string;
  readonly sources: readonly CatalogSource[];
  readonly category: ErrorCategory;
  /** Whether the same request may succeed if simply sent again later. */
  readonly retryable: boolean;
  /** The HTTP status the token service answers with for this code. */
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
  [-2018, 'Invalid authenticator (wrong key, or a production key used on the test service or vice versa)', WF, 'auth', false, 401],
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
  [-9021, 'Rights URL not allowed (host not on the allowlist)', C, 'policy', false, 0],
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
  [-9050, 'Disposed', C, 'aborted', false, 0],
];

/** Every code, keyed by its number. */
export const ERROR_CATALOG: ReadonlyMap<number, CatalogEntry> = new Map(
  ROWS.map(([code, message, sources, category, retryable, httpStatus]) => [
    code,
    { code, message, sources, category, retryable, httpStatus },
  ]),
);

/** Codes of this library, for readable call sites. */
export const ClientCode = {
  INVALID_PARAMETER: -9001,
  DUPLICATE_PARAMETER: -9002,
  MALFORMED_REQUEST: -9003,
  MALFORMED_RESPONSE: -9004,
  UNSUPPORTED_DRM: -9005,
  NETWORK: -9010,
  TIMEOUT: -9011,
  ABORTED: -9012,
  HTTP: -9013,
  TOO_MANY_REQUESTS: -9014,
  SERVER: -9015,
  AUTHENTICATOR_IN_BROWSER: -9020,
  RIGHTS_URL_NOT_ALLOWED: -9021,
  INSECURE_URL: -9022,
  NOT_FOUND: -9023,
  METHOD_NOT_ALLOWED: -9024,
  BODY_TOO_LARGE: -9025,
  NO_KEY_SYSTEM: -9030,
  EME: -9031,
  CERTIFICATE_INVALID: -9040,
  CKC_INVALID: -9041,
  SKD_INVALID: -9042,
  LICENSE_REJECTED: -9043,
  EMULATOR_CANNOT_LICENSE: -9044,
  DISPOSED: -9050,
} as const;

export function catalogEntry(code: number): CatalogEntry | undefined {
  return ERROR_CATALOG.get(code);
}

/** Seed codes only (both tables), in numeric order: what the token service can answer. */
export function seedCodes(): number[] {
  return [...ERROR_CATALOG.values()].filter((e) => !e.sources.includes('client')).map((e) => e.code);
}
