// Key ids from cenc (pssh v0/v1), keyids JSON, webm and sinf (tenc), from boxes built by hand;
// and a license session's key ids as the adapters read them (browser/key-ids.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ExpressPlayError,
  keyIdsFromInitData,
  keyIdsFromKeyIdsJson,
  keyIdsFromPssh,
  keyIdsFromSinf,
} from '../../../src/core/index.js';
import {
  assertOneKeyPerSession,
  isKeyIdRequired,
  normalizeKeyIds,
  sessionKeyIds,
} from '../../../src/browser/key-ids.js';

const WIDEVINE = 'edef8ba979d64acea3c827dcd51d21ed';
const PLAYREADY = '9a04f07998404286ab92e65be0885f95';
const COMMON = '1077efecc0b24d02ace33c1e52e2fb4b';
const K1 = '86bf0cec3721064d624f22d25849c816';
const K2 = '4166b9ed5fc5c7492a9a03e312aac14e';
const K3 = '0171a925eecb61c1c7a0c20e3f31daed';

const hex = (h: string) => [...Buffer.from(h, 'hex')];
const be32 = (n: number) => [(n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255];
const ascii = (s: string) => [...Buffer.from(s, 'latin1')];

function box(type: string, body: number[]): number[] {
  return [...be32(8 + body.length), ...ascii(type), ...body];
}
function fullBox(type: string, version: number, body: number[]): number[] {
  return box(type, [version, 0, 0, 0, ...body]);
}
function pssh(version: 0 | 1, systemId: string, kids: string[], data: number[]): number[] {
  const kidPart = version === 1 ? [...be32(kids.length), ...kids.flatMap(hex)] : [];
  return fullBox('pssh', version, [...hex(systemId), ...kidPart, ...be32(data.length), ...data]);
}
/** WidevinePsshData protobuf: algorithm (1, varint), key_id (2, bytes)…, provider (3), content_id (4). */
function widevineData(kids: string[], contentId: number[] = ascii('movie')): number[] {
  return [
    0x08,
    0x01,
    ...kids.flatMap((k) => [0x12, 0x10, ...hex(k)]),
    0x1a,
    0x0b,
    ...ascii('expressplay'),
    0x22,
    contentId.length,
    ...contentId,
  ];
}
function tenc(version: number, kid: string): number[] {
  return fullBox('tenc', version, [0, version === 1 ? 0x19 : 0, 1, 8, ...hex(kid)]);
}
function sinf(kid: string, version = 0): number[] {
  return box('sinf', [
    ...box('frma', ascii('avc1')),
    ...fullBox('schm', 0, [...ascii('cbcs'), ...be32(0x10000)]),
    ...box('schi', tenc(version, kid)),
  ]);
}
const bytes = (a: number[]) => Uint8Array.from(a);
const json = (o: unknown) => new Uint8Array(Buffer.from(JSON.stringify(o)));

describe('keyIdsFromPssh', () => {
  it('pssh v0, Widevine: key ids from the protobuf', () => {
    assert.deepEqual(keyIdsFromPssh(bytes(pssh(0, WIDEVINE, [], widevineData([K1, K2])))), [K1, K2]);
  });
  it('pssh v1: the KID list (any system)', () => {
    assert.deepEqual(keyIdsFromPssh(bytes(pssh(1, COMMON, [K1, K2], []))), [K1, K2]);
    assert.deepEqual(keyIdsFromPssh(bytes(pssh(1, PLAYREADY, [K3], ascii('<WRMHEADER/>')))), [K3]);
  });
  it('pssh v1 Widevine: KID list and protobuf, deduplicated', () => {
    assert.deepEqual(keyIdsFromPssh(bytes(pssh(1, WIDEVINE, [K1], widevineData([K1, K2])))), [K1, K2]);
  });
  it('several boxes in a row, and an ArrayBuffer', () => {
    const all = bytes([
      ...pssh(0, PLAYREADY, [], ascii('opaque')),
      ...pssh(0, WIDEVINE, [], widevineData([K3])),
      ...pssh(1, COMMON, [K2], []),
    ]);
    assert.deepEqual(keyIdsFromPssh(all.buffer), [K3, K2]);
    assert.deepEqual(keyIdsFromInitData('cenc', all), [K3, K2]);
  });
  it('pssh v0 of another system names no key', () => {
    assert.deepEqual(keyIdsFromPssh(bytes(pssh(0, PLAYREADY, [], widevineData([K1])))), []);
  });
  it('bytes 0x12 0x10 inside another Widevine field are not a key id', () => {
    const tricky = [0x12, 0x10, ...hex(K3), 0x00];
    assert.deepEqual(keyIdsFromPssh(bytes(pssh(0, WIDEVINE, [], widevineData([K1], tricky)))), [K1]);
  });
  it('key_id fields that are not 16 bytes are skipped', () => {
    assert.deepEqual(keyIdsFromPssh(bytes(pssh(0, WIDEVINE, [], [0x12, 0x04, 1, 2, 3, 4, 0x12, 0x10, ...hex(K2)]))), [
      K2,
    ]);
  });
  it('a 64-bit box size and a size-0 (to the end) box', () => {
    const body = pssh(1, COMMON, [K1], []).slice(8);
    const large = [...be32(1), ...ascii('pssh'), ...be32(0), ...be32(16 + body.length), ...body];
    assert.deepEqual(keyIdsFromPssh(bytes(large)), [K1]);
    const toEnd = [...be32(0), ...ascii('pssh'), ...body];
    assert.deepEqual(keyIdsFromPssh(bytes(toEnd)), [K1]);
  });
  it('truncated and corrupt boxes never throw', () => {
    const good = pssh(1, WIDEVINE, [K1, K2], widevineData([K3]));
    for (let n = 0; n < good.length; n++) {
      const out = keyIdsFromPssh(bytes(good.slice(0, n)));
      assert.ok(Array.isArray(out));
    }
    // A KID count far larger than the box: reads only what is there.
    const lying = fullBox('pssh', 1, [...hex(COMMON), ...be32(0xffffffff), ...hex(K1)]);
    assert.deepEqual(keyIdsFromPssh(bytes(lying)), [K1]);
    // A box size smaller than its header, or beyond the end.
    assert.deepEqual(keyIdsFromPssh(bytes([...be32(4), ...ascii('pssh'), 0, 0, 0, 0])), []);
    assert.deepEqual(keyIdsFromPssh(bytes([...be32(1000), ...ascii('pssh'), 0, 0, 0, 0])), []);
    // A protobuf length running past the data.
    assert.deepEqual(keyIdsFromPssh(bytes(pssh(0, WIDEVINE, [], [0x12, 0x7f, ...hex(K1)]))), []);
    assert.deepEqual(keyIdsFromPssh(new Uint8Array(0)), []);
  });
});

describe('keyIdsFromKeyIdsJson', () => {
  it('reads base64url kids', () => {
    const kid = (h: string) => Buffer.from(h, 'hex').toString('base64url');
    assert.deepEqual(keyIdsFromKeyIdsJson(json({ kids: [kid(K1), kid(K2)] })), [K1, K2]);
    assert.deepEqual(keyIdsFromInitData('keyids', json({ kids: [kid(K3)] })), [K3]);
  });
  it('empty for anything else, never throws', () => {
    for (const bad of [
      json(null),
      json({ kids: 'x' }),
      json([]),
      new Uint8Array(Buffer.from('{')),
      json({ kids: ['!!!'] }),
      new Uint8Array(0),
    ]) {
      assert.deepEqual(keyIdsFromKeyIdsJson(bad), []);
    }
    assert.deepEqual(keyIdsFromKeyIdsJson(json({ kids: [5, Buffer.from(K1, 'hex').toString('base64url')] })), [K1]);
  });
});

describe('keyIdsFromSinf', () => {
  it('the tenc default KID, tenc v0 and v1', () => {
    assert.deepEqual(keyIdsFromSinf(json({ sinf: [Buffer.from(sinf(K3)).toString('base64')] })), [K3]);
    assert.deepEqual(
      keyIdsFromInitData(
        'sinf',
        json({ sinf: [Buffer.from(sinf(K1, 1)).toString('base64'), Buffer.from(sinf(K2)).toString('base64')] }),
      ),
      [K1, K2],
    );
  });
  it('truncated sinf boxes never throw', () => {
    const full = sinf(K3);
    for (let n = 0; n < full.length; n++) {
      const out = keyIdsFromSinf(json({ sinf: [Buffer.from(full.slice(0, n)).toString('base64')] }));
      assert.deepEqual(out, []);
    }
  });
  it('empty for anything else', () => {
    for (const bad of [
      json({}),
      json({ sinf: 'x' }),
      json({ sinf: [5] }),
      json({ sinf: ['***'] }),
      new Uint8Array(Buffer.from('nope')),
    ]) {
      assert.deepEqual(keyIdsFromSinf(bad), []);
    }
  });
});

describe('keyIdsFromInitData', () => {
  it("'webm': the initData is the key id itself (16 bytes); anything else names none", () => {
    assert.deepEqual(keyIdsFromInitData('webm', Uint8Array.from(hex(K1))), [K1]);
    assert.deepEqual(keyIdsFromInitData('webm', Uint8Array.from(hex(K1)).subarray(0, 8)), []);
  });
  it('unknown initData types name no key', () => {
    assert.deepEqual(keyIdsFromInitData('skd', new Uint8Array(Buffer.from('skd://x'))), []);
    assert.deepEqual(keyIdsFromInitData('other', Uint8Array.from(hex(K1))), []);
  });
});

describe("a license session's key ids (browser/key-ids)", () => {
  const clearKeyMessage = (kids: string[]) =>
    new Uint8Array(
      Buffer.from(
        JSON.stringify({ kids: kids.map((k) => Buffer.from(k, 'hex').toString('base64url')), type: 'temporary' }),
      ),
    );
  it('from the initData first, normalized (lower-case, unique, sorted)', () => {
    const initData = Uint8Array.from([...pssh(1, COMMON, [K2, K1], []), ...pssh(1, COMMON, [K1], [])]);
    assert.deepEqual(
      sessionKeyIds({ initDataType: 'cenc', initData, clearKeyMessage: clearKeyMessage([K3]) }),
      [K2, K1].sort(),
    );
    assert.deepEqual(normalizeKeyIds([K1.toUpperCase(), `${K1.slice(0, 8)}-${K1.slice(8)}`]), [K1]);
  });
  it('else from a ClearKey license request; FairPlay skd names none', () => {
    assert.deepEqual(
      sessionKeyIds({
        initDataType: 'skd',
        initData: new Uint8Array(Buffer.from('skd://x')),
        clearKeyMessage: clearKeyMessage([K3]),
      }),
      [K3],
    );
    assert.deepEqual(sessionKeyIds({ initDataType: 'skd', initData: new Uint8Array(Buffer.from('skd://x')) }), []);
  });
  it('one session asking for several key ids: -9045 naming every one and what one token would cover', () => {
    assert.doesNotThrow(() => assertOneKeyPerSession([K1]));
    assert.doesNotThrow(() => assertOneKeyPerSession([]));
    assert.throws(
      () => assertOneKeyPerSession([K1, K2], 'widevine'),
      (err: ExpressPlayError) =>
        err.code === -9045 &&
        err.drm === 'widevine' &&
        err.message.includes(`${K1}, ${K2}`) &&
        err.message.includes(`a token for ${K1} would give a license for ${K1} only`),
    );
  });
  it("the back end's -4018 (several keys: name one) is recognised", () => {
    assert.equal(isKeyIdRequired(new ExpressPlayError(-4018)), true);
    assert.equal(isKeyIdRequired(new ExpressPlayError(-4022)), false);
    assert.equal(isKeyIdRequired(new Error('x')), false);
  });
});
