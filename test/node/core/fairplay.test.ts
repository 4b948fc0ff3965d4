// FairPlay helpers: skd URIs, initData, the legacy WebKit layout, CKC unwrapping.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ClientCode,
  contentIdFromSkd,
  isSkdUri,
  legacyFairPlayInitData,
  rightsUrlFromSkd,
  skdFromInitData,
  unwrapCkc,
} from '../../../src/core/index.js';
import { assertExpressPlayError } from './helpers.js';

const SKD_ID = 'skd://asset-42';
const SKD_RIGHTS = 'skd://fp.service.expressplay.com:80/hms/fp/rights/?ExpressPlayToken=AAAAtoken';

const u32le = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255];
const utf16le = (s: string) => Buffer.from(s, 'utf16le');

describe('contentIdFromSkd', () => {
  it('whole (default): everything after skd://', () => {
    assert.equal(contentIdFromSkd(SKD_ID), 'asset-42');
    assert.equal(contentIdFromSkd(SKD_RIGHTS, 'whole'), SKD_RIGHTS.slice(6));
    assert.equal(contentIdFromSkd('  SKD://Asset  '), 'Asset');
  });
  it("host: the host name as URL parsing gives it (Apple's sample, Shaka, contrib-eme): no port, no user info", () => {
    assert.equal(contentIdFromSkd(SKD_ID, 'host'), 'asset-42');
    assert.equal(contentIdFromSkd(SKD_RIGHTS, 'host'), 'fp.service.expressplay.com');
    assert.equal(contentIdFromSkd('skd://user:pw@Asset-42:443/x', 'host'), 'Asset-42');
    assert.equal(contentIdFromSkd('skd://asset-42:/x', 'host'), 'asset-42');
    assert.equal(contentIdFromSkd('skd://caf\u00e9', 'host'), 'caf%C3%A9');
    // Authorities URL parsing refuses are taken whole (Shaka's fallback): not a port, a port over 65535.
    assert.equal(contentIdFromSkd('skd://uuid:token/x', 'host'), 'uuid:token');
    assert.equal(contentIdFromSkd('skd://asset:65536', 'host'), 'asset:65536');
    assert.equal(contentIdFromSkd('skd://a|b', 'host'), 'a|b');
    assert.equal(contentIdFromSkd('skd://abc?x=1', 'host'), 'abc');
    assert.equal(contentIdFromSkd('skd://abc#f', 'host'), 'abc');
  });
  it('custom function gets the trimmed URI', () => {
    assert.equal(
      contentIdFromSkd(' skd://a/b/c ', (u) => u.split('/').pop()!),
      'c',
    );
  });
  it('rejects what is not an skd URI, or an empty id → -9042', () => {
    for (const bad of ['', 'https://a/b', 'skd://', 'skd:// x', 'skd://a b', 'skd:/a']) {
      assertExpressPlayError(() => contentIdFromSkd(bad), ClientCode.SKD_INVALID, { drm: 'fairplay' });
    }
    assertExpressPlayError(() => contentIdFromSkd(5 as never), ClientCode.SKD_INVALID);
    assertExpressPlayError(() => contentIdFromSkd('skd://?x', 'host'), ClientCode.SKD_INVALID);
    assertExpressPlayError(() => contentIdFromSkd(SKD_ID, () => ''), ClientCode.SKD_INVALID);
    assertExpressPlayError(() => contentIdFromSkd(SKD_ID, (() => 5) as never), ClientCode.SKD_INVALID);
    assertExpressPlayError(() => contentIdFromSkd(SKD_ID, 'path' as never), ClientCode.SKD_INVALID);
  });
  it('isSkdUri', () => {
    assert.equal(isSkdUri(SKD_ID), true);
    assert.equal(isSkdUri('SKD://X'), true);
    assert.equal(isSkdUri('skd://'), false);
    assert.equal(isSkdUri('http://x'), false);
  });
});

describe('rightsUrlFromSkd', () => {
  it('turns an skd URI carrying the rights URL into https (or http)', () => {
    assert.equal(rightsUrlFromSkd(SKD_RIGHTS), `https://${SKD_RIGHTS.slice(6)}`);
    assert.equal(rightsUrlFromSkd(SKD_RIGHTS, 'http'), `http://${SKD_RIGHTS.slice(6)}`);
    assert.equal(rightsUrlFromSkd('skd://host/hms/fp/rights/'), 'https://host/hms/fp/rights/');
    assert.equal(rightsUrlFromSkd('skd://host/other?ExpressPlayToken=x'), 'https://host/other?ExpressPlayToken=x');
  });
  it('undefined for an id-only skd URI or a non-skd string', () => {
    assert.equal(rightsUrlFromSkd(SKD_ID), undefined);
    assert.equal(rightsUrlFromSkd('skd://host/some/path'), undefined);
    assert.equal(rightsUrlFromSkd('https://host/hms/fp/rights/'), undefined);
    assert.equal(rightsUrlFromSkd(''), undefined);
  });
});

describe('skdFromInitData', () => {
  const forms: [string, Uint8Array][] = [
    ['UTF-8', new Uint8Array(Buffer.from(SKD_RIGHTS, 'utf8'))],
    ['UTF-8 with a length prefix', Uint8Array.from([...u32le(SKD_RIGHTS.length), ...Buffer.from(SKD_RIGHTS, 'utf8')])],
    ['UTF-16LE', new Uint8Array(utf16le(SKD_RIGHTS))],
    ['UTF-16LE with a length prefix', Uint8Array.from([...u32le(SKD_RIGHTS.length * 2), ...utf16le(SKD_RIGHTS)])],
    ['UTF-8 with a trailing NUL', new Uint8Array(Buffer.from(`${SKD_RIGHTS}\0`, 'utf8'))],
    ['UTF-16LE with trailing NULs', new Uint8Array(utf16le(`${SKD_RIGHTS}\0`))],
  ];
  for (const [name, bytes] of forms) {
    it(name, () => {
      assert.equal(skdFromInitData(bytes), SKD_RIGHTS);
      assert.equal(
        skdFromInitData(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer),
        SKD_RIGHTS,
        'as an ArrayBuffer',
      );
      const padded = new Uint8Array(bytes.length + 3);
      padded.set(bytes, 3);
      assert.equal(skdFromInitData(new DataView(padded.buffer, 3, bytes.length)), SKD_RIGHTS, 'as an offset view');
    });
  }
  it('short skd URIs (id only) in every form', () => {
    assert.equal(skdFromInitData(utf16le(SKD_ID)), SKD_ID);
    assert.equal(skdFromInitData(Uint8Array.from([...u32le(SKD_ID.length * 2), ...utf16le(SKD_ID)])), SKD_ID);
    assert.equal(skdFromInitData(Buffer.from(SKD_ID)), SKD_ID);
  });
  it('not an skd URI → -9042', () => {
    for (const bad of [
      new Uint8Array(0),
      Uint8Array.from([0, 0, 0, 0]),
      new Uint8Array(Buffer.from('https://x')),
      Uint8Array.from([0xff, 0xfe, 1, 2, 3]),
    ]) {
      assertExpressPlayError(() => skdFromInitData(bad), ClientCode.SKD_INVALID, { drm: 'fairplay' });
    }
  });
});

describe('legacyFairPlayInitData', () => {
  const cert = Uint8Array.from([0xaa, 0xbb, 0xcc, 0xdd, 0xee]);
  // Shaka's initDataTransform / contrib-eme / Apple: [u32le len][skd UTF-16LE][u32le len][id UTF-16LE][u32le len][cert].
  const expected = [
    ...u32le(SKD_ID.length * 2),
    ...utf16le(SKD_ID),
    4,
    0,
    0,
    0,
    0x41,
    0x00,
    0xe9,
    0x00,
    5,
    0,
    0,
    0,
    0xaa,
    0xbb,
    0xcc,
    0xdd,
    0xee,
  ];
  const forms: [string, string | Uint8Array][] = [
    ['the skd URI', SKD_ID],
    ['UTF-8 initData (modern EME, Shaka)', new Uint8Array(Buffer.from(SKD_ID, 'utf8'))],
    ['UTF-16LE initData', new Uint8Array(utf16le(SKD_ID))],
    [
      'webkitneedkey initData ([u32le len][UTF-16LE])',
      Uint8Array.from([...u32le(SKD_ID.length * 2), ...utf16le(SKD_ID)]),
    ],
    ['UTF-8 with a length prefix', Uint8Array.from([...u32le(SKD_ID.length), ...Buffer.from(SKD_ID, 'utf8')])],
  ];
  for (const [name, input] of forms) {
    it(`${name} → the reference layout, byte for byte`, () => {
      assert.deepEqual([...legacyFairPlayInitData(input, 'A\u00e9', cert)], expected);
    });
  }
  it('writes lengths little-endian over 255', () => {
    const big = new Uint8Array(0x010203).fill(9);
    const out = legacyFairPlayInitData(SKD_ID, '', big);
    const idAt = 4 + SKD_ID.length * 2;
    assert.equal(out.length, idAt + 4 + 4 + 0x010203);
    assert.deepEqual([...out.subarray(idAt, idAt + 8)], [0, 0, 0, 0, 0x03, 0x02, 0x01, 0]);
  });
  it('no skd URI → -9042; an empty certificate → -9040', () => {
    assertExpressPlayError(() => legacyFairPlayInitData(Uint8Array.from([1, 2, 3]), 'x', cert), ClientCode.SKD_INVALID);
    assertExpressPlayError(() => legacyFairPlayInitData('https://x', 'x', cert), ClientCode.SKD_INVALID);
    assertExpressPlayError(
      () => legacyFairPlayInitData(SKD_ID, 'x', new Uint8Array(0)),
      ClientCode.CERTIFICATE_INVALID,
    );
  });
});

describe('unwrapCkc', () => {
  const CKC = Uint8Array.from([0x00, 0x01, 0xfe, 0xff, 0x80, 0x7f, 0x10, 0x20, 0x30]);
  const B64 = Buffer.from(CKC).toString('base64');
  it('raw binary bytes are returned as they are (ArrayBuffer and views)', () => {
    assert.deepEqual([...unwrapCkc(CKC)], [...CKC]);
    assert.deepEqual([...unwrapCkc(CKC.buffer.slice(0))], [...CKC]);
    assert.deepEqual([...unwrapCkc(new DataView(CKC.buffer))], [...CKC]);
  });
  it('base64 text, as a string or as bytes, with line breaks', () => {
    assert.deepEqual([...unwrapCkc(B64)], [...CKC]);
    assert.deepEqual([...unwrapCkc(new Uint8Array(Buffer.from(`\r\n${B64}\n`)))], [...CKC]);
    assert.deepEqual([...unwrapCkc(`${B64.slice(0, 4)}\n${B64.slice(4)}`)], [...CKC]);
  });
  it('<ckc>…</ckc>', () => {
    assert.deepEqual([...unwrapCkc(`<ckc>${B64}</ckc>`)], [...CKC]);
    assert.deepEqual([...unwrapCkc(new Uint8Array(Buffer.from(`  <CKC>\n${B64}\n</CKC>\n`)))], [...CKC]);
  });
  it('<ckc> and JSON with base64url, unpadded (Shaka decodes both)', () => {
    const url = B64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    assert.deepEqual([...unwrapCkc(`<ckc>${url}</ckc>`)], [...CKC]);
    assert.deepEqual([...unwrapCkc(`<ckc>${B64.replace(/=+$/, '')}</ckc>`)], [...CKC]);
    assert.deepEqual([...unwrapCkc(JSON.stringify({ ckc: url }))], [...CKC]);
  });
  it("JSON with several CKC fields: Shaka's precedence (License, CkcMessage, ckc), empty ones skipped", () => {
    assert.deepEqual([...unwrapCkc(JSON.stringify({ ckc: 'AAAA', License: B64 }))], [...CKC]);
    assert.deepEqual([...unwrapCkc(JSON.stringify({ ckc: B64, License: '' }))], [...CKC]);
  });
  it('JSON with a non-ASCII character in another field (bytes that are not all ASCII)', () => {
    assert.deepEqual(
      [...unwrapCkc(new Uint8Array(Buffer.from(JSON.stringify({ message: 'd\u00e9livr\u00e9e', ckc: B64 }))))],
      [...CKC],
    );
  });
  for (const field of ['ckc', 'CkcMessage', 'ckcMessage', 'License', 'license']) {
    it(`JSON { ${field} }`, () => {
      assert.deepEqual([...unwrapCkc(JSON.stringify({ status: 'ok', [field]: B64 }))], [...CKC]);
      assert.deepEqual([...unwrapCkc(new Uint8Array(Buffer.from(JSON.stringify({ [field]: B64 }))))], [...CKC]);
    });
  }
  const garbage: [string, string | Uint8Array][] = [
    ['empty bytes', new Uint8Array(0)],
    ['empty string', ''],
    ['whitespace', ' \r\n '],
    ['text that is not base64', 'not a ckc!'],
    ['unpadded base64', 'AAE'],
    ['HTML error page', '<html><body>error -6004</body></html>'],
    ['empty <ckc>', '<ckc></ckc>'],
    ['bad base64 in <ckc>', '<ckc>***</ckc>'],
    ['broken JSON', '{"ckc":'],
    ['JSON without a ckc field', '{"error":"x"}'],
    ['JSON with a non-string ckc', '{"ckc":5}'],
    ['JSON with bad base64', '{"ckc":"@@@"}'],
    ['JSON array', '["AAAA"]'],
  ];
  for (const [name, input] of garbage) {
    it(`garbage: ${name} → -9041`, () => {
      assertExpressPlayError(() => unwrapCkc(input), ClientCode.CKC_INVALID, { drm: 'fairplay' });
    });
  }
});
