// Rights endpoints: token checks (tamper, expiry, DRM), ClearKey licenses, kek+ek
// unwrap (RFC 3394 §4.1), licenseDuration, the FairPlay stand-in CKC, PlayReady.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { unwrapCkc } from '../../../src/core/index.js';
import {
  aesKeyUnwrap,
  aesKeyWrap,
  decodeStandInCkc,
  startEmulator,
  type Emulator,
  type EmulatorLogEntry,
} from '../../../src/server/index.js';
import {
  BASE,
  IV,
  KEY,
  KID,
  TEST_KEY,
  clearKeyBody,
  codeOf,
  get,
  issueRightsUrl,
  tokenGet,
  withParams,
} from './helpers.js';

const RFC_KEK = '000102030405060708090A0B0C0D0E0F';
const RFC_KEY = '00112233445566778899AABBCCDDEEFF';
const RFC_WRAPPED = '1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5';

function postJson(url: string, body: string, headers: Record<string, string> = {}) {
  return get(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

describe('AES Key Wrap (RFC 3394)', () => {
  it('matches the published §4.1 vector both ways', () => {
    assert.equal(
      aesKeyWrap(Buffer.from(RFC_KEK, 'hex'), Buffer.from(RFC_KEY, 'hex')).toString('hex').toUpperCase(),
      RFC_WRAPPED,
    );
    assert.equal(
      aesKeyUnwrap(Buffer.from(RFC_KEK, 'hex'), Buffer.from(RFC_WRAPPED, 'hex'))?.toString('hex').toUpperCase(),
      RFC_KEY,
    );
  });
  it('refuses a damaged wrapped key', () => {
    const bad = Buffer.from(RFC_WRAPPED, 'hex');
    bad[23]! ^= 1;
    assert.equal(aesKeyUnwrap(Buffer.from(RFC_KEK, 'hex'), bad), undefined);
  });
});

describe('emulator rights endpoints', () => {
  let emu: Emulator;
  let clock = Date.now();
  const logs: EmulatorLogEntry[] = [];
  before(async () => {
    emu = await startEmulator({
      authenticators: { test: [TEST_KEY] },
      now: () => clock,
      log: (e) => logs.push(e),
      keyStore: { [KID]: KEY },
    });
  });
  after(() => emu.close());

  it('ClearKey license end to end: contentKey → JWK set', async () => {
    const url = await issueRightsUrl(emu.url, 'wv', withParams(BASE.wv, { cookie: 'session-7' }));
    const a = await postJson(url, clearKeyBody(KID));
    assert.equal(a.status, 200, a.body);
    assert.deepEqual(JSON.parse(a.body), {
      keys: [
        {
          kty: 'oct',
          kid: Buffer.from(KID, 'hex').toString('base64url'),
          k: Buffer.from(KEY, 'hex').toString('base64url'),
        },
      ],
      type: 'temporary',
    });
    assert.equal(emu.stats().licensesServed.clearkey, 1);
    // Per key id: the token issued for KID and the license that holds KID.
    assert.equal(emu.stats().tokensByKid[KID.toLowerCase()], 1);
    assert.equal(emu.stats().licensesByKid[KID.toLowerCase()], 1);
  });

  it('kek + ek from the RFC 3394 vector unwrap to the content key in the license', async () => {
    const url = await issueRightsUrl(
      emu.url,
      'wv',
      withParams(BASE.wv, { contentKey: undefined, kek: RFC_KEK, ek: RFC_WRAPPED }),
    );
    const a = await postJson(url, clearKeyBody(KID));
    assert.equal(a.status, 200, a.body);
    const k = (JSON.parse(a.body) as { keys: { k: string }[] }).keys[0]!.k;
    assert.equal(Buffer.from(k, 'base64url').toString('hex').toUpperCase(), RFC_KEY);
  });

  it('a kid the token does not cover → -4022 (400)', async () => {
    const url = await issueRightsUrl(emu.url, 'wv', BASE.wv);
    const a = await postJson(url, clearKeyBody('00'.repeat(16)));
    assert.equal(a.status, 400);
    assert.equal(codeOf(a), -4022);
  });

  it('a real Widevine/PlayReady challenge → -9044 (400)', async () => {
    const url = await issueRightsUrl(emu.url, 'wv', BASE.wv);
    const a = await get(url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Uint8Array.of(0x08, 0x01, 0x12, 0x00, 0xff),
    });
    assert.equal(a.status, 400);
    assert.equal(codeOf(a), -9044);
    assert.match(JSON.parse(a.body).errorMessage, /cannot issue a real license/);
  });

  it('tampered, truncated, foreign-DRM and missing tokens → -4010 (401)', async () => {
    const url = await issueRightsUrl(emu.url, 'wv', BASE.wv);
    const token = new URL(url).searchParams.get('ExpressPlayToken')!;
    // Opaque: neither the key nor the kid can be read from the token.
    const raw = Buffer.from(token, 'base64url');
    assert.ok(!raw.toString('latin1').includes('contentKey'));
    assert.ok(
      !raw.toString('hex').includes(KEY) && !token.includes(Buffer.from(KEY, 'hex').toString('base64url').slice(0, 12)),
    );
    const flipped = Buffer.from(raw);
    flipped[20] = flipped[20]! ^ 1;
    const base = `${emu.url}/hms/wv/rights/`;
    for (const bad of [
      flipped.toString('base64url'),
      token.slice(0, -2),
      token.slice(0, 30),
      'garbage',
      randomBytes(80).toString('base64url'),
    ]) {
      const a = await postJson(`${base}?ExpressPlayToken=${bad}`, clearKeyBody(KID));
      assert.equal(a.status, 401);
      assert.equal(codeOf(a), -4010);
    }
    const none = await postJson(base, clearKeyBody(KID));
    assert.equal(codeOf(none), -4010);
    const fpUrl = url.replace('/hms/wv/', '/hms/fp/');
    const wrongDrm = await get(fpUrl, { method: 'POST', body: 'spc' });
    assert.equal(codeOf(wrongDrm), -4010);
  });

  it('an expired token → -4010 (401)', async () => {
    const url = await issueRightsUrl(emu.url, 'wv', withParams(BASE.wv, { expirationTime: '+60' }));
    clock += 61_000;
    const a = await postJson(url, clearKeyBody(KID));
    assert.equal(a.status, 401);
    assert.equal(codeOf(a), -4010);
    assert.match(JSON.parse(a.body).errorMessage, /expired/);
  });

  it('licenseDuration: in the answer, and redemption refused once it has run out since the first license', async () => {
    const url = await issueRightsUrl(emu.url, 'wv', withParams(BASE.wv, { licenseDuration: '30' }));
    const first = await postJson(url, clearKeyBody(KID));
    assert.equal(first.status, 200);
    assert.equal((JSON.parse(first.body) as { licenseDuration: number }).licenseDuration, 30);
    assert.equal(first.headers.get('x-expressplay-license-duration'), '30');
    clock += 20_000;
    assert.equal((await postJson(url, clearKeyBody(KID))).status, 200);
    clock += 11_000;
    const late = await postJson(url, clearKeyBody(KID));
    assert.equal(late.status, 401);
    assert.equal(codeOf(late), -4010);
  });

  it('FairPlay: SPC → stand-in CKC that decodes to the token key and iv, bound to that SPC', async () => {
    const url = await issueRightsUrl(emu.url, 'fp', withParams(BASE.fp, { rentalDuration: '3600' }));
    const spc = randomBytes(300);
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: spc });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/octet-stream');
    const ckc = new Uint8Array(await r.arrayBuffer());
    // The core's unwrapCkc takes it as the raw binary CKC it is.
    assert.deepEqual(unwrapCkc(ckc), ckc);
    const d = decodeStandInCkc(ckc, spc);
    assert.equal(Buffer.from(d.key).toString('hex'), KEY);
    assert.equal(Buffer.from(d.iv).toString('hex'), IV);
    assert.equal(d.rentalDuration, 3600);
    assert.throws(
      () => decodeStandInCkc(ckc, randomBytes(300)),
      (e: { code?: number }) => e.code === -9041,
    );
    assert.throws(
      () => decodeStandInCkc(ckc.subarray(1), spc),
      (e: { code?: number }) => e.code === -9041,
    );
    // spc=<base64> form bodies are accepted too.
    const form = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `spc=${encodeURIComponent(spc.toString('base64'))}`,
    });
    assert.deepEqual(decodeStandInCkc(new Uint8Array(await form.arrayBuffer()), spc).key, d.key);
  });

  it('FairPlay: kid-only tokens use the key store; an empty SPC is refused', async () => {
    const url = await issueRightsUrl(emu.url, 'fp', withParams(BASE.fp, { contentKey: undefined, kid: KID }));
    const spc = randomBytes(64);
    const r = await fetch(url, { method: 'POST', body: spc });
    assert.equal(Buffer.from(decodeStandInCkc(new Uint8Array(await r.arrayBuffer()), spc).key).toString('hex'), KEY);
    const empty = await get(url, { method: 'POST' });
    assert.equal(empty.status, 400);
    assert.equal(codeOf(empty), -9003);
  });

  it('a kid with no key anywhere → -4019', async () => {
    const url = await issueRightsUrl(
      emu.url,
      'fp',
      withParams(BASE.fp, { contentKey: undefined, kid: 'ab'.repeat(16) }),
    );
    const a = await get(url, { method: 'POST', body: 'x' });
    assert.equal(codeOf(a), -4019);
    assert.equal(a.status, 500);
  });

  it('PlayReady: JSON answer, and the rights endpoint serves ClearKey with the token', async () => {
    const a = await tokenGet(emu.url, 'pr', BASE.pr);
    const j = JSON.parse(a.body) as { licenseAcquisitionUrl: string; token: string };
    const lic = await postJson(`${j.licenseAcquisitionUrl}?ExpressPlayToken=${j.token}`, clearKeyBody(KID));
    assert.equal(lic.status, 200);
    const soap = await get(`${j.licenseAcquisitionUrl}?ExpressPlayToken=${j.token}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<?xml version="1.0"?><soap:Envelope/>',
    });
    assert.equal(codeOf(soap), -9044);
  });

  it('logs one structured line per issue/redeem, with the cookie, never the authenticator or a token', () => {
    const issued = logs.find((l) => l.event === 'token.issued' && l.cookie === 'session-7');
    assert.ok(issued);
    const served = logs.find((l) => l.event === 'license.served' && l.cookie === 'session-7');
    assert.ok(served);
    assert.equal(served.tokenId, issued.tokenId);
    assert.ok(logs.some((l) => l.event === 'license.rejected' && l.code === -4010));
    const text = JSON.stringify(logs);
    assert.ok(!text.includes(TEST_KEY));
    assert.ok(!/ExpressPlayToken=[\w-]{8}/.test(text));
    assert.ok(!text.includes(KEY), 'no content key in logs');
  });
});
