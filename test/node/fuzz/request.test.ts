// Fuzzing the token request builder and validator.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  buildTokenRequest,
  decodeForm,
  ExpressPlayError,
  serializeTokenParams,
  validateTokenParams,
  type TokenDrm,
} from '../../../src/core/index.js';
import {
  anyDrm,
  anyParams,
  NOW,
  NUM_RUNS,
  validFairPlay,
  validPlayReady,
  validWidevine,
  wtf16String,
} from './arbitraries.js';

const onlyExpressPlayError = (fn: () => unknown): void => {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ExpressPlayError)) throw e;
    assert.ok(Number.isInteger(e.code) && e.code < 0);
    assert.ok(e.message.startsWith(`[${e.code}]`));
  }
};

describe('fuzz: token request builder', () => {
  it('arbitrary DRMs, parameter objects and options: only ExpressPlayError is ever thrown', () => {
    fc.assert(
      fc.property(
        anyDrm,
        anyParams,
        fc.constantFrom('GET', 'POST', 'PUT', undefined),
        fc.oneof(
          { arbitrary: fc.constantFrom('test', 'production', 'http://127.0.0.1:8787'), weight: 6 },
          { arbitrary: wtf16String(12), weight: 1 },
        ),
        (drm, params, method, service) => {
          onlyExpressPlayError(() =>
            buildTokenRequest(drm as TokenDrm, params as never, { method: method as 'GET', service, now: NOW }),
          );
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
  it('arbitrary wire pairs: validateTokenParams throws only ExpressPlayError', () => {
    const name = fc.oneof(
      fc.constantFrom(
        'customerAuthenticator',
        'kid',
        'kek',
        'ek',
        'contentKey',
        'iv',
        'securityLevel',
        'hdcpOutputControl',
        'wvExtension',
        'fpExtension',
        'expirationTime',
        'cookie',
        'rightsType',
        'toString',
        '__proto__',
      ),
      wtf16String(6),
    );
    const value = fc.oneof(
      wtf16String(40),
      fc.constantFrom('1', '0', '+60', '^x', '0000', 'abcd,AAAA', '00'.repeat(16), '00'.repeat(24)),
    );
    fc.assert(
      fc.property(
        fc.constantFrom<TokenDrm>('widevine', 'fairplay', 'playready'),
        fc.array(fc.tuple(name, value), { maxLength: 12 }),
        (drm, pairs) => {
          onlyExpressPlayError(() => validateTokenParams(drm, pairs, { now: NOW }));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
  const valid: [TokenDrm, fc.Arbitrary<Record<string, unknown>>][] = [
    ['widevine', validWidevine],
    ['fairplay', validFairPlay],
    ['playready', validPlayReady],
  ];
  it('valid generated parameters build, and decodeForm(body) round-trips to serializeTokenParams', () => {
    const drmAndParams = fc.oneof(...valid.map(([drm, arb]) => arb.map((p) => [drm, p] as const)));
    fc.assert(
      fc.property(
        drmAndParams,
        fc.constantFrom('GET', 'POST') as fc.Arbitrary<'GET' | 'POST'>,
        ([drm, params], method) => {
          const req = buildTokenRequest(drm, params as never, { method, now: NOW });
          const expected = serializeTokenParams(drm, params as never).map(([k, v]) => [k, v]);
          const form = method === 'POST' ? req.body! : req.url.slice(req.url.indexOf('?') + 1);
          assert.deepEqual(decodeForm(form), expected);
          assert.deepEqual([...new URLSearchParams(form)], expected);
          // What was sent validates on the other side (the emulator) too.
          const n = validateTokenParams(drm, decodeForm(form), { now: NOW });
          assert.equal(n.customerAuthenticator, params['customerAuthenticator']);
          assert.ok(n.expiresAt > NOW && n.expiresAt <= NOW + 30 * 24 * 3600 * 1000 + 60_000);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
