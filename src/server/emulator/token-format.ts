// The emulator's tokens: base64url(nonce[12] || AES-256-GCM(JSON payload) || tag[16]).
// Opaque like ExpressPlay's own: a rights URL reveals nothing (not the content
// key, not the policy), because whoever sees a page's network traffic sees the
// rights URL. Tamper-proof by GCM's tag. The authenticator is never put in a token.

import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { NormalizedTokenParams, TokenDrm } from '../../core/index.js';

/** The license parameters a token carries: the normalized request minus the authenticator, error format and extras. */
const CARRIED = [
  'kid',
  'contentKey',
  'kek',
  'ek',
  'iv',
  'contentId',
  'securityLevel',
  'hdcpOutputControl',
  'licenseDuration',
  'rentalDuration',
  'rightsType',
  'cookie',
] as const;

export type TokenPayload = Partial<Pick<NormalizedTokenParams, (typeof CARRIED)[number]>> & {
  /** Format version. */
  v: 1;
  /** Random id: log correlation and per-token state (first redemption time). */
  id: string;
  drm: TokenDrm;
  /** Issue time and absolute expiry, ms since the epoch. */
  iat: number;
  exp: number;
  extensions?: NormalizedTokenParams['extensions'];
};

/** The payload for a valid request: the carried parameters, issue time, expiry and a random id. */
export function payloadFromParams(p: NormalizedTokenParams, issuedAt: number, expiresAt: number): TokenPayload {
  const out: TokenPayload = {
    v: 1,
    id: randomBytes(9).toString('base64url'),
    drm: p.drm,
    iat: issuedAt,
    exp: expiresAt,
  };
  for (const k of CARRIED) {
    const value = p[k];
    if (value !== undefined) (out as unknown as Record<string, unknown>)[k] = value;
  }
  if (p.extensions.length > 0) out.extensions = p.extensions;
  return out;
}

/** The shortest `tokenSecret` accepted: 32 bytes, the strength of the AES-256 key derived from it. */
export const MIN_TOKEN_SECRET_BYTES = 32;

/** The secret as bytes; TypeError when shorter than {@link MIN_TOKEN_SECRET_BYTES}. */
export function tokenSecretBytes(secret: string | Uint8Array): Buffer {
  const bytes = Buffer.from(secret);
  if (bytes.length < MIN_TOKEN_SECRET_BYTES)
    throw new TypeError(`tokenSecret must be at least ${MIN_TOKEN_SECRET_BYTES} bytes (got ${bytes.length})`);
  return bytes;
}

/** The AES-256 key, derived from the emulator's secret so one secret serves every purpose. */
function tokenKey(secret: Buffer): Buffer {
  return createHmac('sha256', secret).update('expressplay-emulator/token-key/v1').digest();
}

export function encodeToken(payload: TokenPayload, secret: Buffer): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', tokenKey(secret), nonce);
  const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
}

/** The payload of a well-formed (canonical base64url), authentic token, else undefined. Does not check expiry. */
export function decodeToken(token: string, secret: Buffer): TokenPayload | undefined {
  if (token.length > 8192 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  // One spelling per token: Node's decoder ignores a dangling last character and the
  // unused low bits of the final one, so other strings decode to the same bytes.
  if (raw.toString('base64url') !== token) return undefined;
  if (raw.length < 12 + 16 + 2) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', tokenKey(secret), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const json = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
    const payload = JSON.parse(json) as TokenPayload;
    if (payload?.v !== 1 || typeof payload.exp !== 'number' || typeof payload.id !== 'string') return undefined;
    return payload;
  } catch {
    // A wrong tag (tampered or foreign token) throws in final(): that is the -4010 case.
    return undefined;
  }
}
