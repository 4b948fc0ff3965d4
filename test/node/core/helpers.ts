// Shared fixtures and assertions for the core tests.
import assert from 'node:assert/strict';
import { catalogEntry, ExpressPlayError, type TokenDrm, type TokenParamsByDrm } from '../../../src/core/index.js';

/** A fixed clock: 2026-01-15T12:00:00Z. */
export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
export const SECRET = 'S3cr3t-Auth3nticator-value';
export const KID = '86bf0cec3721064d624f22d25849c816';
export const KEY = 'c5a24cdf823112f0f9a9f7b0fe643619';
export const IV = '0123456789abcdef0123456789abcdef';
export const KEK = '000102030405060708090a0b0c0d0e0f';
/** A 16-byte key wrapped with RFC 3394: 24 bytes. */
export const EK = '1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5';

export const BASE: { [D in TokenDrm]: TokenParamsByDrm[D] } = {
  widevine: { customerAuthenticator: SECRET, kid: KID, securityLevel: 1, hdcpOutputControl: 0 },
  fairplay: { customerAuthenticator: SECRET, contentKey: KEY, iv: IV },
  playready: { customerAuthenticator: SECRET, kid: KID },
};

export const DRMS: readonly TokenDrm[] = ['widevine', 'fairplay', 'playready'];

/** The base parameters of a DRM with a patch applied (`undefined` removes a parameter). */
export function paramsFor<D extends TokenDrm>(drm: D, patch: Record<string, unknown> = {}): TokenParamsByDrm[D] {
  const out: Record<string, unknown> = { ...BASE[drm], ...patch };
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out as unknown as TokenParamsByDrm[D];
}

/** Runs `fn`, asserts it throws an ExpressPlayError with `code`, the catalog's category, and no secret in the message. */
export function assertExpressPlayError(
  fn: () => unknown,
  code: number,
  extra: { drm?: string; category?: string } = {},
): ExpressPlayError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown !== undefined, `expected ExpressPlayError ${code}, nothing was thrown`);
  assert.ok(thrown instanceof ExpressPlayError, `expected ExpressPlayError ${code}, got ${String(thrown)}`);
  const err = thrown;
  assert.equal(err.code, code, `code: ${err.message}`);
  assert.equal(err.name, 'ExpressPlayError');
  const entry = catalogEntry(code);
  assert.ok(entry, `code ${code} is in the catalog`);
  assert.equal(err.category, extra.category ?? entry.category);
  if (extra.drm !== undefined) assert.equal(err.drm, extra.drm);
  assert.ok(err.message.startsWith(`[${code}] ${entry.message}`), err.message);
  assert.ok(!err.message.includes(SECRET), `the authenticator leaked into: ${err.message}`);
  assert.ok(!JSON.stringify(err.toJSON()).includes(SECRET));
  return err;
}
