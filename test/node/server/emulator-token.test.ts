// Every row of the spec's parameter table, and every code the token service can
// answer, over real HTTP against the emulator, in both error formats.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { catalogEntry, seedCodes } from '../../../src/core/index.js';
import { aesKeyWrap, startEmulator, type Emulator } from '../../../src/server/index.js';
import {
  BASE,
  KEY,
  KID,
  PROD_KEY,
  TEST_KEY,
  codeOf,
  get,
  tokenGet,
  tokenPost,
  withParams,
  type Pairs,
} from './helpers.js';

const KEK = '000102030405060708090a0b0c0d0e0f';
const EK = aesKeyWrap(Buffer.from(KEK, 'hex'), Buffer.from(KEY, 'hex')).toString('hex');
const FUTURE = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
const PAST = '2001-01-01T00:00:00Z';

interface Case {
  row: string;
  seg: 'wv' | 'fp' | 'pr';
  change?: Record<string, string | undefined>;
  add?: Pairs;
  /** Expected error code, or undefined for success. */
  code?: number;
}

const CASES: Case[] = [
  { row: 'customerAuthenticator missing', seg: 'wv', change: { customerAuthenticator: undefined }, code: -2017 },
  { row: 'customerAuthenticator blank', seg: 'fp', change: { customerAuthenticator: ' ' }, code: -2017 },
  { row: 'customerAuthenticator unknown', seg: 'wv', change: { customerAuthenticator: 'nope' }, code: -2018 },
  {
    row: 'customerAuthenticator production key on the test service',
    seg: 'fp',
    change: { customerAuthenticator: PROD_KEY },
    code: -2018,
  },
  { row: 'errorFormat json', seg: 'wv', change: { errorFormat: 'json' } },
  { row: 'errorFormat html', seg: 'wv', change: { errorFormat: 'html' } },
  { row: 'errorFormat invalid', seg: 'wv', change: { errorFormat: 'xml' }, code: -3004 },
  { row: 'generalFlags 0000', seg: 'wv', change: { generalFlags: '0000' } },
  { row: 'generalFlags non-zero', seg: 'fp', change: { generalFlags: '0001' }, code: -5003 },
  { row: 'kek+ek (wv)', seg: 'wv', change: { contentKey: undefined, kek: KEK, ek: EK } },
  { row: 'kek+ek (fp)', seg: 'fp', change: { contentKey: undefined, kek: KEK, ek: EK } },
  { row: 'kek+kid (fp, key from the key store)', seg: 'fp', change: { contentKey: undefined, kek: KEK, kid: KID } },
  { row: 'kek wrong length', seg: 'wv', change: { contentKey: undefined, kek: 'abcd', ek: EK }, code: -4024 },
  { row: 'kek without ek (wv)', seg: 'wv', change: { contentKey: undefined, kek: KEK }, code: -4024 },
  {
    row: 'kek with kid and ek (fp)',
    seg: 'fp',
    change: { contentKey: undefined, kek: KEK, ek: EK, kid: KID },
    code: -4024,
  },
  { row: 'ek without kek', seg: 'wv', change: { contentKey: undefined, ek: EK }, code: -4024 },
  { row: 'ek wrong length', seg: 'wv', change: { contentKey: undefined, kek: KEK, ek: 'ab' }, code: -4024 },
  {
    row: 'ek that does not unwrap with kek',
    seg: 'wv',
    change: { contentKey: undefined, kek: 'ff'.repeat(16), ek: EK },
    code: -4024,
  },
  { row: 'kek+ek with contentKey too', seg: 'wv', change: { kek: KEK, ek: EK }, code: -2005 },
  { row: 'kid missing (wv)', seg: 'wv', change: { kid: undefined }, code: -4018 },
  { row: 'kid missing (pr)', seg: 'pr', change: { kid: undefined }, code: -4018 },
  { row: 'kid not 32 hex', seg: 'wv', change: { kid: 'abc' }, code: -4020 },
  { row: 'kid ^name', seg: 'wv', change: { kid: '^my-movie' } },
  { row: 'kid ^name too long', seg: 'wv', change: { kid: `^${'x'.repeat(65)}` }, code: -4021 },
  { row: 'kid ^ empty', seg: 'wv', change: { kid: '^' }, code: -4022 },
  { row: 'kid only (fp, key store)', seg: 'fp', change: { contentKey: undefined, kid: KID } },
  { row: 'contentKey not 32 hex', seg: 'fp', change: { contentKey: '1234' }, code: -2027 },
  { row: 'no contentKey, ek or kid (fp)', seg: 'fp', change: { contentKey: undefined }, code: -2005 },
  { row: 'contentId', seg: 'wv', change: { contentId: 'movie-42' } },
  { row: 'securityLevel missing', seg: 'wv', change: { securityLevel: undefined }, code: -7003 },
  { row: 'securityLevel 6', seg: 'wv', change: { securityLevel: '6' }, code: -7004 },
  { row: 'securityLevel 5', seg: 'wv', change: { securityLevel: '5' } },
  { row: 'hdcpOutputControl missing', seg: 'wv', change: { hdcpOutputControl: undefined }, code: -7006 },
  { row: 'hdcpOutputControl not a number', seg: 'wv', change: { hdcpOutputControl: 'x' }, code: -2008 },
  { row: 'hdcpOutputControl 3', seg: 'wv', change: { hdcpOutputControl: '3' }, code: -2034 },
  { row: 'hdcpOutputControl 2', seg: 'wv', change: { hdcpOutputControl: '2' } },
  { row: 'licenseDuration 3600', seg: 'wv', change: { licenseDuration: '3600' } },
  { row: 'licenseDuration invalid', seg: 'wv', change: { licenseDuration: '-1' }, code: -7007 },
  {
    row: 'wvExtension repeated',
    seg: 'wv',
    add: [
      ['wvExtension', 'wudo,AAAAAA=='],
      ['wvExtension', 'abcd,AQID'],
    ],
  },
  { row: 'wvExtension without comma', seg: 'wv', add: [['wvExtension', 'wudo']], code: -7009 },
  { row: 'wvExtension type not 4 chars', seg: 'wv', add: [['wvExtension', 'wu,AAAAAA==']], code: -2036 },
  { row: 'wvExtension payload not base64', seg: 'wv', add: [['wvExtension', 'wudo,***']], code: -2037 },
  { row: 'fpExtension', seg: 'fp', add: [['fpExtension', 'wudo,AAAAAA==']] },
  { row: 'fpExtension without comma', seg: 'fp', add: [['fpExtension', 'nocomma']], code: -6001 },
  { row: 'iv missing (fp)', seg: 'fp', change: { iv: undefined }, code: -6003 },
  { row: 'iv not 32 hex (fp)', seg: 'fp', change: { iv: 'zz' }, code: -6003 },
  { row: 'rentalDuration', seg: 'fp', change: { rentalDuration: '86400' } },
  { row: 'rentalDuration invalid', seg: 'fp', change: { rentalDuration: 'week' }, code: -6007 },
  { row: 'rightsType BuyToOwn', seg: 'fp', change: { rightsType: 'BuyToOwn' } },
  { row: 'rightsType Rental without rentalDuration', seg: 'fp', change: { rightsType: 'Rental' }, code: -2023 },
  { row: 'rightsType invalid', seg: 'fp', change: { rightsType: 'Lease' }, code: -2021 },
  { row: 'expirationTime +60', seg: 'wv', change: { expirationTime: '+60' } },
  { row: 'expirationTime RFC 3339', seg: 'fp', change: { expirationTime: FUTURE } },
  { row: 'expirationTime +0', seg: 'wv', change: { expirationTime: '+0' }, code: -2002 },
  { row: 'expirationTime past', seg: 'wv', change: { expirationTime: PAST }, code: -2002 },
  { row: 'expirationTime beyond 30 days', seg: 'wv', change: { expirationTime: `+${31 * 86400}` }, code: -2002 },
  { row: 'expirationTime garbage', seg: 'fp', change: { expirationTime: 'tomorrow' }, code: -2002 },
  { row: 'cookie 32 chars', seg: 'wv', change: { cookie: 'c'.repeat(32) } },
  { row: 'cookie 33 chars', seg: 'wv', change: { cookie: 'c'.repeat(33) }, code: -2033 },
  { row: 'duplicate parameter', seg: 'wv', add: [['securityLevel', '2']], code: -9002 },
  {
    row: 'unknown parameters forwarded (PlayReady/Marlin OPL)',
    seg: 'fp',
    add: [['compressedDigitalVideoOPL', '500']],
  },
  { row: 'playready basic', seg: 'pr' },
];

describe('emulator token endpoint: the parameter table', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      authenticators: { test: [TEST_KEY], production: [PROD_KEY] },
      keyStore: { [KID]: KEY },
    });
  });
  after(() => emu.close());

  for (const c of CASES) {
    for (const format of ['html', 'json'] as const) {
      for (const method of ['GET', 'POST'] as const) {
        it(`${c.row} [${format}, ${method}]`, async () => {
          const change =
            c.change && 'errorFormat' in c.change
              ? c.change
              : { ...c.change, errorFormat: format === 'json' ? 'json' : undefined };
          const pairs = withParams(BASE[c.seg], change, c.add);
          const a = method === 'GET' ? await tokenGet(emu.url, c.seg, pairs) : await tokenPost(emu.url, c.seg, pairs);
          if (c.code === undefined) {
            assert.equal(a.status, 200, a.body);
            if (c.seg === 'pr') {
              assert.match(a.type, /^application\/json/);
              const j = JSON.parse(a.body) as { licenseAcquisitionUrl: string; token: string };
              assert.equal(j.licenseAcquisitionUrl, `${emu.url}/hms/pr/rights/`);
              assert.match(j.token, /^[\w-]{40,}$/);
            } else {
              assert.match(a.type, /^text\/uri-list/);
              assert.match(a.body, new RegExp(`^${emu.url}/hms/${c.seg}/rights/\\?ExpressPlayToken=[\\w-]{40,}$`));
            }
            return;
          }
          const expectedFormat = c.change?.errorFormat === 'xml' ? 'html' : format;
          assert.equal(codeOf(a), c.code, a.body);
          assert.equal(a.status, c.code === -2017 || c.code === -2018 ? 401 : 400);
          assert.match(a.type, expectedFormat === 'json' ? /^application\/json/ : /^text\/html/);
          if (expectedFormat === 'json') {
            const j = JSON.parse(a.body) as { errorCode: number; errorMessage: string };
            assert.deepEqual(Object.keys(j).sort(), ['errorCode', 'errorMessage']);
            assert.ok(j.errorMessage.startsWith(catalogEntry(c.code)!.message), j.errorMessage);
          }
          assert.ok(!a.body.includes(TEST_KEY) && !a.body.includes(PROD_KEY), 'the authenticator never comes back');
        });
      }
    }
  }

  it('escapes server-supplied text in HTML error pages', async () => {
    const a = await tokenGet(emu.url, 'wv', withParams(BASE.wv, { errorFormat: '<script>alert(1)</script>' }));
    assert.equal(codeOf(a), -3004);
    assert.ok(!a.body.includes('<script>'));
    assert.ok(a.body.includes('&lt;script&gt;'));
  });

  it('answers a production emulator: test keys get -2018, production keys work', async () => {
    const prod = await startEmulator({
      service: 'production',
      authenticators: { test: [TEST_KEY], production: [PROD_KEY] },
    });
    try {
      const bad = await tokenGet(prod.url, 'wv', withParams(BASE.wv, { errorFormat: 'json' }));
      assert.equal(bad.status, 401);
      assert.equal(codeOf(bad), -2018);
      assert.match(JSON.parse(bad.body).errorMessage, /test authenticator used on the production service/);
      const ok = await tokenGet(prod.url, 'wv', withParams(BASE.wv, { customerAuthenticator: PROD_KEY }));
      assert.equal(ok.status, 200);
    } finally {
      await prod.close();
    }
  });

  it('counts issued tokens per DRM', () => {
    const s = emu.stats();
    assert.ok(s.tokensIssued.widevine > 0 && s.tokensIssued.fairplay > 0 && s.tokensIssued.playready > 0);
    assert.ok(s.rejects.token > 0);
  });
});

describe('emulator: every seed code the service can answer, in both formats', () => {
  // Codes our rules cannot trigger (quota, account, CDM-side failures) come from the
  // service's own state; fault injection with a code stands for that state.
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ authenticators: { test: [TEST_KEY] } });
  });
  after(() => emu.close());

  for (const code of seedCodes()) {
    const status = catalogEntry(code)!.httpStatus;
    it(`${code} (HTTP ${status})`, async () => {
      for (const format of ['html', 'json'] as const) {
        emu.faults.set({ token: { failNext: 1, status, code } });
        const a = await tokenGet(emu.url, 'fp', withParams(BASE.fp, { errorFormat: format }));
        assert.equal(a.status, status);
        assert.equal(codeOf(a), code);
        assert.match(a.type, format === 'json' ? /^application\/json/ : /^text\/html/);
        assert.equal(a.headers.get('x-expressplay-error-code'), String(code));
      }
    });
  }

  it('-9023 for unknown paths, with the requested format', async () => {
    const a = await get(`${emu.url}/hms/xx/token?errorFormat=json`);
    assert.equal(a.status, 404);
    assert.equal(codeOf(a), -9023);
    const h = await get(`${emu.url}/nothing`);
    assert.equal(h.status, 404);
    assert.equal(codeOf(h), -9023);
  });
});
