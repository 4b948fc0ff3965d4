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
export type TokenExtension = string | { type: string; payload: string | Uint8Array };

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
  expirationTime?: ExpirationTime;
  /** At most 32 characters, logged by the redemption server to correlate logs. */
  cookie?: string;
  /** Further parameters forwarded as they are (e.g. PlayReady/Marlin-era options). */
  extra?: Readonly<Record<string, string | number>>;
}

export interface WidevineTokenParams extends CommonTokenParams {
  kid: string;
  securityLevel: SecurityLevel;
  hdcpOutputControl: HdcpOutputControl;
  contentId?: string;
  /** Seconds playback may last once started; unlimited when omitted. */
  licenseDuration?: number;
  wvExtension?: TokenExtension | readonly TokenExtension[];
}

export interface FairPlayTokenParams extends CommonTokenParams {
  /** Content encryption IV, 32 hex characters. */
  iv: string;
  /** Rental duration in seconds (default 0). */
  rentalDuration?: number;
  fpExtension?: TokenExtension | readonly TokenExtension[];
  /** Shown in the seed's sample request; accepted and forwarded, not required. */
  rightsType?: 'BuyToOwn' | 'Rental';
}

/** PlayReady: beyond the seeds. The shared parameters and rules only. */
export interface PlayReadyTokenParams extends CommonTokenParams {
  kid: string;
  rightsType?: 'BuyToOwn' | 'Rental';
}

export interface TokenParamsByDrm {
  widevine: WidevineTokenParams;
  fairplay: FairPlayTokenParams;
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

export const MAX_TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600;
