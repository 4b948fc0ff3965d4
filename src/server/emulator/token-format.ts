// The emulator's tokens: `base64url(JSON payload) "." base64url(HMAC-SHA256)`.
// Opaque to clients by contract (they must not parse them); tamper-proof by the
// signature. Not encrypted: the emulator only ever sees test keys, and a readable
// payload makes failures easy to debug. The authenticator is never put in a token.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NormalizedTokenParams, TokenDrm } from '../../core/index.js';

export interface TokenPayload {
  /** Format version. */
  v: 1;
  /** Random id: log correlation and per-token state (first redemption time). */
  id: string;
  drm: TokenDrm;
  /** Issue time and absolute expiry, ms since the epoch. */
  iat: number;
  exp: number;
  kid?: string;
  contentKey?: string;
  kek?: string;
  ek?: string;
  iv?: string;
  contentId?: string;
  securityLevel?: number;
  hdcpOutputControl?: number;
  licenseDuration?: number;
  rentalDuration?: number;
  rightsType?: string;
  cookie?: string;
  extensions?: { type: string; payload: string }[];
}

/** What a token carries: the normalized parameters minus the authenticator, error format and extras. */
export function payloadFromParams(p: NormalizedTokenParams, issuedAt: number, expiresAt: number): TokenPayload {
  const out: TokenPayload = { v: 1, id: randomBytes(9).toString('base64url'), drm: p.drm, iat: issuedAt, exp: expiresAt };
  const copy = ['kid', 'contentKey', 'kek', 'ek', 'iv', 'contentId', 'securityLevel', 'hdcpOutputControl', 'licenseDuration', 'rentalDuration', 'rightsType', 'cookie'] as const;
  for (const k of copy) {
    const value = p[k];
    if (value !== undefined) (out as unknown as Record<string, unknown>)[k] = value;
  }
  if (p.extensions.length > 0) out.extensions = p.extensions;
  return out;
}

function sign(secret: Buffer, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

export function encodeToken(payload: TokenPayload, secret: Buffer): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(secret, body).toString('base64url')}`;
}

/** The payload of a well-formed token with a valid signature, else undefined. Does not check expiry. */
export function decodeToken(token: string, secret: Buffer): TokenPayload | undefined {
  if (token.length > 8192) return undefined;
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!m) return undefined;
  const expected = sign(secret, m[1]!);
  const given = Buffer.from(m[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as TokenPayload;
    if (payload?.v !== 1 || typeof payload.exp !== 'number' || typeof payload.id !== 'string') return undefined;
    return payload;
  } catch {
    return undefined;
  }
}
