// Typed token parameters, one interface per DRM, covering every parameter of
// the spec's table. These are what an app or back end writes; `serializeTokenParams`
// turns them into the wire pairs that `validateTokenParams` (rules.ts) checks.

import type { Drm } from './errors.js';

/** The DRMs the token API serves (`clearkey` is only the emulator's stand-in and uses the Widevine path). */
export type TokenDrm = Exclude<Drm, 'clearkey'>;

/** Widevine `securityLevel`: 1 SW_SECURE_CRYPTO … 5 HW_SECURE_ALL. */
export type SecurityLevel = 1 | 2 | 3 | 4 | 5;
/** Widevine `hdcpOutputControl`: 0 HDCP_NONE, 1 HDCP_V1, 2 HDCP_V2. */
export type HdcpOutputControl = 0 | 1 | 2;

/** `wvExtension` / `fpExtension`: `"type,payloadBase64"`, or its parts (payload as base64 text or bytes). */
export type TokenExtension =
  | string
  | {
      /** The 4-character extension type (-2036 otherwise). */
      type: string;
      /** The payload: base64 text (checked, -2037), or bytes (encoded for you). */
      payload: string | Uint8Array;
    };

/**
 * Token expiry: a `Date`, an RFC 3339 date-time in UTC (`2026-04-14T12:01:10Z`),
 * or `+N` seconds after issue (`'+60'`). At most 30 days; 30 days when omitted.
 */
export type ExpirationTime = Date | string;

/** Parameters shared by every DRM. */
export interface CommonTokenParams {
  /** Secret API key. Belongs on the back end only. */
  customerAuthenticator: string;
  /** Format of error bodies: `html` (the service's default) or `json`. */
  errorFormat?: 'html' | 'json';
  /** 4-byte license flags as hex; the service accepts only zero (`'0000'`). */
  generalFlags?: string;
  /** Key-encryption key (32 hex); the content key is then given wrapped in `ek` (RFC 3394). */
  kek?: string;
  /** Key id: 32 hex characters, or `^name` with at most 64 characters after `^`. */
  kid?: string;
  /** The content key wrapped with `kek` (AES Key Wrap, RFC 3394), as hex. */
  ek?: string;
  /** Content encryption key, 32 hex characters. */
  contentKey?: string;
  /** When the token expires; see {@link ExpirationTime}. */
  expirationTime?: ExpirationTime;
  /** At most 32 characters, logged by the redemption server to correlate logs. */
  cookie?: string;
  /** Further parameters forwarded as they are (e.g. PlayReady/Marlin-era options). */
  extra?: Readonly<Record<string, string | number>>;
}

/** Token parameters for Widevine (`/hms/wv/token`). */
export interface WidevineTokenParams extends CommonTokenParams {
  /** Key id (required for Widevine, -4018 when missing). */
  kid: string;
  /** Minimum security level the license demands (required, -7003 / -7004). */
  securityLevel: SecurityLevel;
  /** HDCP the license demands on outputs (required, -7006 / -2034). */
  hdcpOutputControl: HdcpOutputControl;
  /** Content id carried in the license; free text. */
  contentId?: string;
  /** Seconds playback may last once started; unlimited when omitted. */
  licenseDuration?: number;
  /** Widevine extensions; may repeat (-7009 / -2036 / -2037 when malformed). */
  wvExtension?: TokenExtension | readonly TokenExtension[];
}

/** Token parameters for FairPlay (`/hms/fp/token`). `kid` is optional here: FairPlay needs `contentKey` (or `kek` with `ek` / `kid`) and `iv`. */
export interface FairPlayTokenParams extends CommonTokenParams {
  /** Content encryption IV, 32 hex characters. */
  iv: string;
  /** Rental duration in seconds (default 0). */
  rentalDuration?: number;
  /** FairPlay extensions; may repeat (-6001 / -2036 / -2037 when malformed). */
  fpExtension?: TokenExtension | readonly TokenExtension[];
  /** Shown in the seed's sample request; accepted and forwarded, not required. */
  rightsType?: 'BuyToOwn' | 'Rental';
}

/** PlayReady: beyond the seeds. The shared parameters and rules only. */
export interface PlayReadyTokenParams extends CommonTokenParams {
  /** Key id (required, -4018 when missing). */
  kid: string;
  /** `BuyToOwn` or `Rental` (-2021 otherwise). */
  rightsType?: 'BuyToOwn' | 'Rental';
}

/** The parameter type for each token DRM: `TokenParamsByDrm['widevine']` is {@link WidevineTokenParams}. */
export interface TokenParamsByDrm {
  /** Widevine parameters. */
  widevine: WidevineTokenParams;
  /** FairPlay parameters. */
  fairplay: FairPlayTokenParams;
  /** PlayReady parameters. */
  playready: PlayReadyTokenParams;
}

/** Parameters on the wire: ordered name/value pairs (names may repeat). */
export type WireParams = ReadonlyArray<readonly [string, string]>;

/** The path segment of each DRM on the token and rights services. */
export const DRM_PATH: Readonly<Record<TokenDrm, string>> = { widevine: 'wv', fairplay: 'fp', playready: 'pr' };

/**
 * True for the DRMs the token API serves. An own-property check: `drm in DRM_PATH`
 * or `DRM_PATH[drm]` would accept `'toString'`, `'constructor'` … from Object.prototype.
 */
export function isTokenDrm(value: unknown): value is TokenDrm {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DRM_PATH, value);
}

/** The longest token lifetime the service grants (30 days), and the default when `expirationTime` is omitted. */
export const MAX_TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600;
