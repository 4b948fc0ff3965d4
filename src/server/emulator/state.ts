// What the emulator's routes share: options, signing secret, faults, counters, log.

import type { TokenDrm } from '../../core/index.js';
import type { FaultController } from './faults.js';

export type ServiceName = 'test' | 'production';

export interface EmulatorLogEntry {
  time: string;
  event: 'token.issued' | 'token.rejected' | 'license.served' | 'license.rejected';
  drm?: TokenDrm;
  /** The token's random id (never the token). */
  tokenId?: string;
  cookie?: string;
  contentId?: string;
  status: number;
  code?: number;
  /** Error message, tokens redacted. Never contains the authenticator. */
  message?: string;
}

export interface EmulatorStats {
  tokensIssued: Record<TokenDrm, number>;
  licensesServed: { clearkey: number; fairplay: number };
  /** Error answers by route group. */
  rejects: { token: number; rights: number; other: number };
  /** Error answers by code. */
  rejectsByCode: Record<string, number>;
  faultsInjected: number;
}

export function emptyStats(): EmulatorStats {
  return {
    tokensIssued: { widevine: 0, fairplay: 0, playready: 0 },
    licensesServed: { clearkey: 0, fairplay: 0 },
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
  bodyLimit: number;
  log(entry: Omit<EmulatorLogEntry, 'time'>): void;
  now(): number;
}
