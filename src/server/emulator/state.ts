// What the emulator's routes share: options, signing secret, faults, counters, log.

import type { TokenDrm } from '../../core/index.js';
import type { FaultController } from './faults.js';

/** Which ExpressPlay service the emulator plays (its authenticators are accepted, the other set's get -2018). */
export type ServiceName = 'test' | 'production';

/** One entry of the emulator's structured log (`EmulatorOptions.log`). */
export interface EmulatorLogEntry {
  /** When (ISO 8601, the emulator's clock). */
  time: string;
  /** What happened. */
  event: 'token.issued' | 'token.rejected' | 'license.served' | 'license.rejected';
  /** The DRM path. */
  drm?: TokenDrm;
  /** The token's random id (never the token). */
  tokenId?: string;
  /** The token's `cookie` parameter, when it has one. */
  cookie?: string;
  /** The token's `contentId`, when it has one. */
  contentId?: string;
  /** The HTTP status answered. */
  status: number;
  /** The error code answered, on failure. */
  code?: number;
  /** Error message, tokens redacted. Never contains the authenticator. */
  message?: string;
}

/** The emulator's counters (`Emulator.stats()`, `GET /__emulator/stats`). */
export interface EmulatorStats {
  /** Tokens issued, per DRM path. */
  tokensIssued: Record<TokenDrm, number>;
  /** Licenses served, per kind. */
  licensesServed: {
    /** ClearKey JWK sets (the Widevine and PlayReady paths' stand-in). */
    clearkey: number;
    /** Stand-in CKCs. */
    fairplay: number;
  };
  /** Tokens issued, per `kid` they carry (lower-case hex, or `^name`); tokens without a kid are not counted here. */
  tokensByKid: Record<string, number>;
  /** ClearKey licenses served, per key id the license holds: with `tokensByKid`, one token per key shows. */
  licensesByKid: Record<string, number>;
  /** Error answers by route group. */
  rejects: {
    /** On the token routes. */
    token: number;
    /** On the rights routes. */
    rights: number;
    /** Anywhere else (unknown routes, control routes). */
    other: number;
  };
  /** Error answers by code. */
  rejectsByCode: Record<string, number>;
  /** Failures injected by the fault controller since its last reset. */
  faultsInjected: number;
}

export function emptyStats(): EmulatorStats {
  return {
    tokensIssued: { widevine: 0, fairplay: 0, playready: 0 },
    licensesServed: { clearkey: 0, fairplay: 0 },
    tokensByKid: {},
    licensesByKid: {},
    rejects: { token: 0, rights: 0, other: 0 },
    rejectsByCode: {},
    faultsInjected: 0,
  };
}

export interface EmulatorState {
  service: ServiceName;
  authenticators: Readonly<Record<ServiceName, ReadonlySet<string>>>;
  secret: Buffer;
  /** Where rights URLs point: the public URL if given, else the listening URL. */
  baseUrl(): string;
  keyStore: ReadonlyMap<string, string>;
  faults: FaultController;
  stats: EmulatorStats;
  /** First redemption time per token id, for licenseDuration. Bounded. */
  firstRedeemed: Map<string, number>;
  control: boolean;
  allowedOrigins: '*' | readonly string[];
  /** Whether a page of this origin may use the control routes. */
  controlOrigin(origin: string): boolean;
  /** Host names answered besides localhost and IP literals. */
  allowedHosts: readonly string[];
  bodyLimit: number;
  log(entry: Omit<EmulatorLogEntry, 'time'>): void;
  now(): number;
}
