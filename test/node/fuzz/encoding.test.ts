// Fuzzing the byte/text helpers against Node's Buffer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  base64ToBytes,
  bytesToBase64,
  bytesToBase64Url,
  bytesToHex,
  hexToBytes,
  isBase64,
  isHex,
  utf8Decode,
  utf8Encode,
} from '../../../src/core/index.js';
import { NUM_RUNS, wtf16String } from './arbitraries.js';

const bytes = fc.uint8Array({ maxLength: 64 });
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('fuzz: encoding helpers vs Buffer', () => {
  it('hex round trip', () => {
    fc.assert(
      fc.property(bytes, fc.boolean(), (b, upper) => {
        const h = bytesToHex(b);
        assert.equal(h, hexOf(b));
        assert.ok(isHex(h, b.length * 2));
        assert.equal(hexOf(hexToBytes(upper ? h.toUpperCase() : h)), h);
      }),
      { numRuns: NUM_RUNS },
    );
  });
  it('base64 / base64url round trip', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const b64 = bytesToBase64(b);
        assert.equal(b64, Buffer.from(b).toString('base64'));
        assert.equal(bytesToBase64Url(b), Buffer.from(b).toString('base64url'));
        assert.equal(hexOf(base64ToBytes(b64)), hexOf(b));
        assert.equal(hexOf(base64ToBytes(bytesToBase64Url(b))), hexOf(b));
        assert.equal(isBase64(b64), b.length > 0);
      }),
      { numRuns: NUM_RUNS },
    );
  });
  it("base64ToBytes on arbitrary text: bytes equal to Buffer's, or a TypeError", () => {
    const b64ish = fc.string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_*'.split('')),
      maxLength: 24,
    });
    fc.assert(
      fc.property(b64ish, (s) => {
        let out: Uint8Array;
        try {
          out = base64ToBytes(s);
        } catch (e) {
          assert.ok(e instanceof TypeError);
          return;
        }
        assert.equal(hexOf(out), Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('hex'));
      }),
      { numRuns: NUM_RUNS },
    );
  });
  it('utf8Encode equals Buffer.from(s) for any string, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.oneof(wtf16String(40), fc.string({ unit: 'binary', maxLength: 40 })), (s) => {
        assert.equal(hexOf(utf8Encode(s)), Buffer.from(s, 'utf8').toString('hex'));
        assert.equal(utf8Decode(utf8Encode(s)), Buffer.from(s, 'utf8').toString('utf8'));
      }),
      { numRuns: NUM_RUNS },
    );
  });
  it('utf8Decode equals Buffer#toString / TextDecoder for any bytes', () => {
    const decoder = new TextDecoder();
    const utf8ish = fc
      .uint8Array({ maxLength: 48 })
      .map((b) => b.map((x) => (x < 96 ? x : x < 176 ? 0x80 + (x % 64) : 0xc0 + (x % 64))));
    fc.assert(
      fc.property(fc.oneof(bytes, utf8ish), (b) => {
        const s = utf8Decode(b);
        assert.equal(s, Buffer.from(b).toString('utf8'));
        assert.equal(s, decoder.decode(b));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
