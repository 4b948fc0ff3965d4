// Byte/text helpers against Node's Buffer (the fuzz suite covers random inputs).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  base64ToBytes,
  bytesToBase64,
  bytesToBase64Url,
  bytesToHex,
  hexToBytes,
  isBase64,
  isHex,
  toBytes,
  utf8Decode,
  utf8Encode,
} from '../../../src/core/index.js';

describe('encoding', () => {
  it('isHex', () => {
    assert.equal(isHex('00ff'), true);
    assert.equal(isHex('00FF', 4), true);
    assert.equal(isHex('0'), false);
    assert.equal(isHex('0g'), false);
    assert.equal(isHex('00', 4), false);
    assert.equal(isHex('00\n'), false);
  });
  it('isBase64: canonical padded only', () => {
    for (const ok of ['AAAA', 'AAAAAA==', 'AAAAAAA=', '+/+/']) assert.equal(isBase64(ok), true, ok);
    for (const bad of ['', 'AAA', 'AAAAAA', '-_-_', 'AA==AA==', 'AAAA\n', '===='])
      assert.equal(isBase64(bad), false, bad);
  });
  it('hex round trip', () => {
    assert.equal(bytesToHex(Uint8Array.from([0, 15, 255])), '000fff');
    assert.deepEqual([...hexToBytes('000FfF')], [0, 15, 255]);
    assert.throws(() => hexToBytes('zz'), TypeError);
  });
  it('base64: standard, url-safe, unpadded', () => {
    const b = Uint8Array.from([0xfb, 0xff, 0xbf, 0x01]);
    assert.equal(bytesToBase64(b), Buffer.from(b).toString('base64'));
    assert.equal(bytesToBase64Url(b), Buffer.from(b).toString('base64url'));
    assert.deepEqual([...base64ToBytes('+/+/AQ==')], [...b]);
    assert.deepEqual([...base64ToBytes('-_-_AQ')], [...b]);
    assert.deepEqual([...base64ToBytes('')], []);
    assert.throws(() => base64ToBytes('A'), TypeError);
    assert.throws(() => base64ToBytes('A*AA'), TypeError);
  });
  it('utf8 round trips, lone surrogates become U+FFFD like Buffer', () => {
    for (const s of ['', 'abc', 'é', '日本', '😀', 'a\uD800b', '\uDC00', '\uD83D']) {
      assert.deepEqual([...utf8Encode(s)], [...Buffer.from(s, 'utf8')], JSON.stringify(s));
      assert.equal(utf8Decode(utf8Encode(s)), Buffer.from(s, 'utf8').toString('utf8'));
    }
  });
  it('utf8Decode: invalid input as TextDecoder decodes it', () => {
    const cases = [
      [0xe2, 0x82],
      [0xe2, 0x82, 0x41],
      [0xc0, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf0, 0x9f, 0x98],
      [0x80, 0xbf],
      [0xff],
    ];
    for (const c of cases)
      assert.equal(utf8Decode(Uint8Array.from(c)), new TextDecoder().decode(Uint8Array.from(c)), c.join(' '));
  });
  it('toBytes views the same memory', () => {
    const buf = new ArrayBuffer(8);
    const view = new DataView(buf, 2, 4);
    const u = toBytes(view);
    assert.equal(u.byteOffset, 2);
    assert.equal(u.length, 4);
    u[0] = 9;
    assert.equal(new Uint8Array(buf)[2], 9);
  });
});
