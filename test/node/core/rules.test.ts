// Every validation rule and every error code the client builder can raise, for each DRM.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildTokenRequest,
  ClientCode,
  MAX_TOKEN_LIFETIME_SECONDS,
  serializeTokenParams,
  tokenParamNames,
  validateTokenParams,
  type TokenDrm,
} from '../../../src/core/index.js';
import { assertExpressPlayError, DRMS, EK, IV, KEK, KEY, KID, NOW, paramsFor, SECRET } from './helpers.js';

const ALL = DRMS;
const WV: readonly TokenDrm[] = ['widevine'];
const FP: readonly TokenDrm[] = ['fairplay'];
const WVPR: readonly TokenDrm[] = ['widevine', 'playready'];
const FPPR: readonly TokenDrm[] = ['fairplay', 'playready'];

interface Case {
  name: string;
  drms: readonly TokenDrm[];
  patch: Record<string, unknown>;
  code: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const DAY = 24 * 3600 * 1000;

const FAILING: Case[] = [
  // -2017 authenticator
  { name: 'customerAuthenticator missing', drms: ALL, patch: { customerAuthenticator: undefined }, code: -2017 },
  { name: 'customerAuthenticator empty', drms: ALL, patch: { customerAuthenticator: '' }, code: -2017 },
  { name: 'customerAuthenticator blank', drms: ALL, patch: { customerAuthenticator: ' \t ' }, code: -2017 },
  // -3004 errorFormat
  { name: 'errorFormat xml', drms: ALL, patch: { errorFormat: 'xml' }, code: -3004 },
  { name: 'errorFormat JSON (case)', drms: ALL, patch: { errorFormat: 'JSON' }, code: -3004 },
  { name: 'errorFormat empty', drms: ALL, patch: { errorFormat: '' }, code: -3004 },
  // -5003 generalFlags
  { name: 'generalFlags 0001', drms: ALL, patch: { generalFlags: '0001' }, code: -5003 },
  { name: 'generalFlags not hex', drms: ALL, patch: { generalFlags: 'zzzz' }, code: -5003 },
  { name: 'generalFlags 3 digits', drms: ALL, patch: { generalFlags: '000' }, code: -5003 },
  { name: 'generalFlags 6 digits', drms: ALL, patch: { generalFlags: '000000' }, code: -5003 },
  { name: 'generalFlags empty', drms: ALL, patch: { generalFlags: '' }, code: -5003 },
  // -4024 kek / ek
  { name: 'kek not 32 hex', drms: ALL, patch: { kek: 'abc', ek: EK, contentKey: undefined }, code: -4024 },
  { name: 'kek 32 non-hex', drms: ALL, patch: { kek: 'g'.repeat(32), ek: EK, contentKey: undefined }, code: -4024 },
  { name: 'ek without kek', drms: ALL, patch: { ek: EK, contentKey: undefined }, code: -4024 },
  { name: 'ek wrong length', drms: WVPR, patch: { kek: KEK, ek: EK.slice(0, 32) }, code: -4024 },
  { name: 'ek not hex', drms: WVPR, patch: { kek: KEK, ek: 'x'.repeat(48) }, code: -4024 },
  {
    name: 'FairPlay: ek wrong length',
    drms: FP,
    patch: { kek: KEK, ek: EK.slice(0, 32), contentKey: undefined },
    code: -4024,
  },
  {
    name: 'FairPlay: ek not hex',
    drms: FP,
    patch: { kek: KEK, ek: 'x'.repeat(48), contentKey: undefined },
    code: -4024,
  },
  { name: 'kek without ek', drms: WVPR, patch: { kek: KEK }, code: -4024 },
  {
    name: 'FairPlay: kek with both kid and ek',
    drms: FP,
    patch: { kek: KEK, kid: KID, ek: EK, contentKey: undefined },
    code: -4024,
  },
  { name: 'FairPlay: kek with neither kid nor ek', drms: FP, patch: { kek: KEK, contentKey: undefined }, code: -4024 },
  { name: 'FairPlay: kek with neither kid nor ek (contentKey given)', drms: FP, patch: { kek: KEK }, code: -4024 },
  // -4018 / -4020 / -4021 / -4022 kid
  { name: 'kid missing', drms: WVPR, patch: { kid: undefined }, code: -4018 },
  { name: 'kid 31 hex', drms: ALL, patch: { kid: KID.slice(1) }, code: -4020 },
  { name: 'kid 33 hex', drms: ALL, patch: { kid: `${KID}0` }, code: -4020 },
  { name: 'kid 34 hex', drms: ALL, patch: { kid: `${KID}00` }, code: -4020 },
  { name: 'kid 32 non-hex', drms: ALL, patch: { kid: 'g'.repeat(32) }, code: -4020 },
  { name: 'kid empty', drms: ALL, patch: { kid: '' }, code: -4020 },
  {
    name: 'kid with dashes (UUID form)',
    drms: ALL,
    patch: { kid: '86bf0cec-3721-064d-624f-22d25849c816' },
    code: -4020,
  },
  { name: 'kid ^ + 65 characters', drms: ALL, patch: { kid: `^${'a'.repeat(65)}` }, code: -4021 },
  { name: 'kid ^ alone', drms: ALL, patch: { kid: '^' }, code: -4022 },
  // -2027 / -2005 content key
  { name: 'contentKey 30 hex', drms: ALL, patch: { contentKey: KEY.slice(2) }, code: -2027 },
  { name: 'contentKey non-hex', drms: ALL, patch: { contentKey: 'z'.repeat(32) }, code: -2027 },
  { name: 'contentKey empty', drms: ALL, patch: { contentKey: '' }, code: -2027 },
  { name: 'contentKey together with kek+ek', drms: WVPR, patch: { kek: KEK, ek: EK, contentKey: KEY }, code: -2005 },
  {
    name: 'FairPlay: contentKey together with kek+ek',
    drms: FP,
    patch: { kek: KEK, ek: EK, contentKey: KEY },
    code: -2005,
  },
  { name: 'FairPlay: no contentKey, no kid, no ek', drms: FP, patch: { contentKey: undefined }, code: -2005 },
  // -7003 / -7004 security level
  { name: 'securityLevel missing', drms: WV, patch: { securityLevel: undefined }, code: -7003 },
  { name: 'securityLevel 0', drms: WV, patch: { securityLevel: 0 }, code: -7004 },
  { name: 'securityLevel 6', drms: WV, patch: { securityLevel: 6 }, code: -7004 },
  { name: 'securityLevel 1.5', drms: WV, patch: { securityLevel: 1.5 }, code: -7004 },
  { name: 'securityLevel -1', drms: WV, patch: { securityLevel: -1 }, code: -7004 },
  { name: 'securityLevel NaN', drms: WV, patch: { securityLevel: Number.NaN }, code: -7004 },
  { name: 'securityLevel "L1"', drms: WV, patch: { securityLevel: 'L1' }, code: -7004 },
  { name: 'securityLevel " 1"', drms: WV, patch: { securityLevel: ' 1' }, code: -7004 },
  // -7006 / -2008 / -2034 HDCP
  { name: 'hdcpOutputControl missing', drms: WV, patch: { hdcpOutputControl: undefined }, code: -7006 },
  { name: 'hdcpOutputControl -1', drms: WV, patch: { hdcpOutputControl: -1 }, code: -2008 },
  { name: 'hdcpOutputControl 1.5', drms: WV, patch: { hdcpOutputControl: 1.5 }, code: -2008 },
  { name: 'hdcpOutputControl "HDCP_V1"', drms: WV, patch: { hdcpOutputControl: 'HDCP_V1' }, code: -2008 },
  { name: 'hdcpOutputControl empty', drms: WV, patch: { hdcpOutputControl: '' }, code: -2008 },
  { name: 'hdcpOutputControl 3', drms: WV, patch: { hdcpOutputControl: 3 }, code: -2034 },
  { name: 'hdcpOutputControl 255', drms: WV, patch: { hdcpOutputControl: 255 }, code: -2034 },
  // -7007 license duration
  { name: 'licenseDuration -1', drms: WV, patch: { licenseDuration: -1 }, code: -7007 },
  { name: 'licenseDuration 1.5', drms: WV, patch: { licenseDuration: 1.5 }, code: -7007 },
  { name: 'licenseDuration "1h"', drms: WV, patch: { licenseDuration: '1h' }, code: -7007 },
  { name: 'licenseDuration beyond 2^53', drms: WV, patch: { licenseDuration: '9007199254740993' }, code: -7007 },
  { name: 'licenseDuration 1e21', drms: WV, patch: { licenseDuration: 1e21 }, code: -7007 },
  // -7009 / -6001 / -2036 / -2037 extensions
  { name: 'wvExtension without comma', drms: WV, patch: { wvExtension: 'wudoAAAAAA==' }, code: -7009 },
  { name: 'wvExtension type 3 chars', drms: WV, patch: { wvExtension: 'wud,AAAAAA==' }, code: -2036 },
  { name: 'wvExtension type 5 chars', drms: WV, patch: { wvExtension: 'wudoo,AAAAAA==' }, code: -2036 },
  { name: 'wvExtension type empty', drms: WV, patch: { wvExtension: ',AAAAAA==' }, code: -2036 },
  { name: 'wvExtension payload not base64', drms: WV, patch: { wvExtension: 'wudo,not base64!' }, code: -2037 },
  { name: 'wvExtension payload unpadded', drms: WV, patch: { wvExtension: 'wudo,AAAAAA' }, code: -2037 },
  { name: 'wvExtension payload empty', drms: WV, patch: { wvExtension: 'wudo,' }, code: -2037 },
  { name: 'wvExtension second one bad', drms: WV, patch: { wvExtension: ['wudo,AAAAAA==', 'bad'] }, code: -7009 },
  {
    name: 'wvExtension object, type 2 chars',
    drms: WV,
    patch: { wvExtension: { type: 'wu', payload: 'AAAA' } },
    code: -2036,
  },
  {
    name: 'wvExtension object, bad payload text',
    drms: WV,
    patch: { wvExtension: { type: 'wudo', payload: '***' } },
    code: -2037,
  },
  { name: 'fpExtension without comma', drms: FP, patch: { fpExtension: 'wudo' }, code: -6001 },
  { name: 'fpExtension type 5 chars', drms: FP, patch: { fpExtension: 'abcde,AAAA' }, code: -2036 },
  { name: 'fpExtension payload not base64', drms: FP, patch: { fpExtension: 'abcd,%%%%' }, code: -2037 },
  // -6003 iv
  { name: 'iv missing', drms: FP, patch: { iv: undefined }, code: -6003 },
  { name: 'iv 30 hex', drms: FP, patch: { iv: IV.slice(2) }, code: -6003 },
  { name: 'iv non-hex', drms: FP, patch: { iv: 'q'.repeat(32) }, code: -6003 },
  // -6007 rental duration
  { name: 'rentalDuration -5', drms: FP, patch: { rentalDuration: -5 }, code: -6007 },
  { name: 'rentalDuration 2.5', drms: FP, patch: { rentalDuration: 2.5 }, code: -6007 },
  { name: 'rentalDuration "1d"', drms: FP, patch: { rentalDuration: '1d' }, code: -6007 },
  // -2021 / -2023 rights type
  { name: 'rightsType Forever', drms: FPPR, patch: { rightsType: 'Forever' }, code: -2021 },
  { name: 'rightsType lower case', drms: FPPR, patch: { rightsType: 'buytoown' }, code: -2021 },
  { name: 'FairPlay: Rental without rentalDuration', drms: FP, patch: { rightsType: 'Rental' }, code: -2023 },
  // -2002 expiration time
  { name: 'expirationTime +0', drms: ALL, patch: { expirationTime: '+0' }, code: -2002 },
  { name: 'expirationTime +2592001', drms: ALL, patch: { expirationTime: '+2592001' }, code: -2002 },
  { name: 'expirationTime +', drms: ALL, patch: { expirationTime: '+' }, code: -2002 },
  { name: 'expirationTime +-5', drms: ALL, patch: { expirationTime: '+-5' }, code: -2002 },
  { name: 'expirationTime +1.5', drms: ALL, patch: { expirationTime: '+1.5' }, code: -2002 },
  { name: 'expirationTime +1e3', drms: ALL, patch: { expirationTime: '+1e3' }, code: -2002 },
  { name: 'expirationTime + 60 (space)', drms: ALL, patch: { expirationTime: '+ 60' }, code: -2002 },
  { name: 'expirationTime 60 (no plus)', drms: ALL, patch: { expirationTime: '60' }, code: -2002 },
  { name: 'expirationTime huge +N', drms: ALL, patch: { expirationTime: `+${'9'.repeat(30)}` }, code: -2002 },
  { name: 'expirationTime without Z', drms: ALL, patch: { expirationTime: '2026-01-20T12:00:00' }, code: -2002 },
  {
    name: 'expirationTime with offset',
    drms: ALL,
    patch: { expirationTime: '2026-01-20T12:00:00+01:00' },
    code: -2002,
  },
  { name: 'expirationTime date only', drms: ALL, patch: { expirationTime: '2026-01-20' }, code: -2002 },
  { name: 'expirationTime space separator', drms: ALL, patch: { expirationTime: '2026-01-20 12:00:00Z' }, code: -2002 },
  { name: 'expirationTime in the past', drms: ALL, patch: { expirationTime: '2026-01-14T12:00:00Z' }, code: -2002 },
  { name: 'expirationTime exactly now', drms: ALL, patch: { expirationTime: iso(NOW) }, code: -2002 },
  { name: 'expirationTime 31 days ahead', drms: ALL, patch: { expirationTime: iso(NOW + 31 * DAY) }, code: -2002 },
  { name: 'expirationTime Feb 31', drms: ALL, patch: { expirationTime: '2026-02-31T00:00:00Z' }, code: -2002 },
  {
    name: 'expirationTime Feb 29 of a non-leap year',
    drms: ALL,
    patch: { expirationTime: '2026-02-29T00:00:00Z' },
    code: -2002,
  },
  { name: 'expirationTime hour 25', drms: ALL, patch: { expirationTime: '2026-01-20T25:00:00Z' }, code: -2002 },
  { name: 'expirationTime hour 24', drms: ALL, patch: { expirationTime: '2026-01-20T24:00:00Z' }, code: -2002 },
  { name: 'expirationTime minute 60', drms: ALL, patch: { expirationTime: '2026-01-20T12:60:00Z' }, code: -2002 },
  { name: 'expirationTime month 13', drms: ALL, patch: { expirationTime: '2026-13-01T12:00:00Z' }, code: -2002 },
  { name: 'expirationTime garbage', drms: ALL, patch: { expirationTime: 'tomorrow' }, code: -2002 },
  { name: 'expirationTime Date in the past', drms: ALL, patch: { expirationTime: new Date(NOW - 1000) }, code: -2002 },
  {
    name: 'expirationTime Date 31 days ahead',
    drms: ALL,
    patch: { expirationTime: new Date(NOW + 31 * DAY) },
    code: -2002,
  },
  { name: 'expirationTime invalid Date', drms: ALL, patch: { expirationTime: new Date(Number.NaN) }, code: -2002 },
  {
    name: 'expirationTime Date beyond year 9999',
    drms: ALL,
    patch: { expirationTime: new Date(Date.UTC(12000, 0, 1)) },
    code: -2002,
  },
  // -2033 cookie
  { name: 'cookie 33 characters', drms: ALL, patch: { cookie: 'c'.repeat(33) }, code: -2033 },
  // -9001 values without a wire form
  { name: 'kid an object', drms: ALL, patch: { kid: { hex: KID } }, code: ClientCode.INVALID_PARAMETER },
  { name: 'cookie an array', drms: ALL, patch: { cookie: ['a'] }, code: ClientCode.INVALID_PARAMETER },
  { name: 'cookie a boolean', drms: ALL, patch: { cookie: true }, code: ClientCode.INVALID_PARAMETER },
  { name: 'contentId a function', drms: ALL, patch: { contentId: () => 'x' }, code: ClientCode.INVALID_PARAMETER },
  { name: 'cookie a symbol', drms: ALL, patch: { cookie: Symbol('x') }, code: ClientCode.INVALID_PARAMETER },
  {
    name: 'cookie with a lone surrogate',
    drms: ALL,
    patch: { cookie: 'a\uD800b' },
    code: ClientCode.INVALID_PARAMETER,
  },
  { name: 'extra not an object', drms: ALL, patch: { extra: 'x=1' }, code: ClientCode.INVALID_PARAMETER },
  {
    name: 'extra value an object',
    drms: ALL,
    patch: { extra: { foo: { bar: 1 } } },
    code: ClientCode.INVALID_PARAMETER,
  },
  {
    name: 'extension payload a number',
    drms: WV,
    patch: { wvExtension: { type: 'wudo', payload: 5 } },
    code: ClientCode.INVALID_PARAMETER,
  },
  { name: 'extension a number', drms: WV, patch: { wvExtension: 5 }, code: ClientCode.INVALID_PARAMETER },
  { name: 'extension null in a list', drms: FP, patch: { fpExtension: [null] }, code: ClientCode.INVALID_PARAMETER },
  {
    name: 'wvExtension given for another DRM',
    drms: FPPR,
    patch: { wvExtension: 'wudo,AAAAAA==' },
    code: ClientCode.INVALID_PARAMETER,
  },
  {
    name: 'fpExtension given for another DRM',
    drms: WVPR,
    patch: { fpExtension: 'wudo,AAAAAA==' },
    code: ClientCode.INVALID_PARAMETER,
  },
  // -9002 duplicates
  {
    name: 'extra repeats customerAuthenticator',
    drms: ALL,
    patch: { extra: { customerAuthenticator: 'other' } },
    code: ClientCode.DUPLICATE_PARAMETER,
  },
  { name: 'extra repeats kid', drms: WVPR, patch: { extra: { kid: KID } }, code: ClientCode.DUPLICATE_PARAMETER },
  {
    name: 'extra repeats cookie',
    drms: ALL,
    patch: { cookie: 'a', extra: { cookie: 'b' } },
    code: ClientCode.DUPLICATE_PARAMETER,
  },
];

describe('validation rules: every code the builder raises, per DRM', () => {
  for (const c of FAILING) {
    for (const drm of c.drms) {
      it(`${drm}: ${c.name} → ${c.code}`, () => {
        assertExpressPlayError(() => buildTokenRequest(drm, paramsFor(drm, c.patch), { now: NOW }), c.code, { drm });
        // The wire-level validator (what the emulator runs) agrees wherever the value has a wire form.
        let pairs: ReturnType<typeof serializeTokenParams> | undefined;
        try {
          pairs = serializeTokenParams(drm, paramsFor(drm, c.patch));
        } catch {
          pairs = undefined;
        }
        if (pairs) assertExpressPlayError(() => validateTokenParams(drm, pairs, { now: NOW }), c.code, { drm });
      });
    }
  }
});

const PASSING: { name: string; drms: readonly TokenDrm[]; patch: Record<string, unknown> }[] = [
  { name: 'the base parameters', drms: ALL, patch: {} },
  { name: 'errorFormat json / html', drms: ALL, patch: { errorFormat: 'json' } },
  { name: 'errorFormat html', drms: ALL, patch: { errorFormat: 'html' } },
  { name: 'generalFlags 0000', drms: ALL, patch: { generalFlags: '0000' } },
  { name: 'generalFlags 00000000', drms: ALL, patch: { generalFlags: '00000000' } },
  { name: 'kid upper-case hex', drms: ALL, patch: { kid: KID.toUpperCase() } },
  { name: 'kid ^ + 64 characters', drms: ALL, patch: { kid: `^${'a'.repeat(64)}` } },
  { name: 'kid ^name', drms: ALL, patch: { kid: '^movie-42' } },
  { name: 'kek with ek (and kid), no contentKey', drms: WVPR, patch: { kek: KEK, ek: EK } },
  { name: 'kek with ek, no kid, no contentKey', drms: FP, patch: { kek: KEK, ek: EK, contentKey: undefined } },
  { name: 'contentKey', drms: ALL, patch: { contentKey: KEY } },
  { name: 'securityLevel 1..5', drms: WV, patch: { securityLevel: 5 } },
  { name: 'securityLevel as a string', drms: WV, patch: { securityLevel: '3' } },
  { name: 'hdcpOutputControl 2', drms: WV, patch: { hdcpOutputControl: 2 } },
  { name: 'licenseDuration 0', drms: WV, patch: { licenseDuration: 0 } },
  { name: 'licenseDuration 86400', drms: WV, patch: { licenseDuration: 86400 } },
  {
    name: 'wvExtension list',
    drms: WV,
    patch: { wvExtension: ['wudo,AAAAAA==', { type: 'abcd', payload: new Uint8Array([1, 2, 3]) }] },
  },
  { name: 'fpExtension list', drms: FP, patch: { fpExtension: ['wudo,AAAAAA==', { type: 'abcd', payload: 'AQID' }] } },
  { name: 'rentalDuration 0', drms: FP, patch: { rentalDuration: 0 } },
  { name: 'Rental with rentalDuration', drms: FP, patch: { rightsType: 'Rental', rentalDuration: 3600 } },
  { name: 'rightsType BuyToOwn', drms: FPPR, patch: { rightsType: 'BuyToOwn' } },
  { name: 'expirationTime +1', drms: ALL, patch: { expirationTime: '+1' } },
  { name: 'expirationTime +2592000', drms: ALL, patch: { expirationTime: '+2592000' } },
  { name: 'expirationTime RFC 3339 Z', drms: ALL, patch: { expirationTime: '2026-01-20T12:00:00Z' } },
  { name: 'expirationTime with fraction', drms: ALL, patch: { expirationTime: '2026-01-20T12:00:00.250Z' } },
  { name: 'expirationTime lower-case t and z', drms: ALL, patch: { expirationTime: '2026-01-20t12:00:00z' } },
  { name: 'expirationTime Feb 28', drms: ALL, patch: { expirationTime: '2026-02-10T00:00:00Z' } },
  { name: 'expirationTime Date', drms: ALL, patch: { expirationTime: new Date(NOW + 3600_000) } },
  { name: 'expirationTime exactly 30 days', drms: ALL, patch: { expirationTime: iso(NOW + 30 * DAY) } },
  { name: 'cookie 32 characters', drms: ALL, patch: { cookie: 'c'.repeat(32) } },
  { name: 'cookie empty', drms: ALL, patch: { cookie: '' } },
  { name: 'extra forwarded', drms: ALL, patch: { extra: { deviceBinding: 'no', n: 5 } } },
  {
    name: 'extra named like Object.prototype members',
    drms: ALL,
    patch: { extra: { constructor: 'c', toString: 't', hasOwnProperty: 'h' } },
  },
  { name: 'extra with an undefined/null value is skipped', drms: ALL, patch: { extra: { a: undefined, b: null } } },
];

describe('validation rules: valid parameters pass', () => {
  for (const c of PASSING) {
    for (const drm of c.drms) {
      it(`${drm}: ${c.name}`, () => {
        const req = buildTokenRequest(drm, paramsFor(drm, c.patch), { now: NOW });
        assert.equal(typeof req.body, 'string');
      });
    }
  }
  it('fairplay: kek with kid (no ek) is the one FairPlay form without contentKey or ek', () => {
    buildTokenRequest('fairplay', paramsFor('fairplay', { kek: KEK, kid: KID, contentKey: undefined }), { now: NOW });
  });
  it('fairplay: kid alone, no contentKey', () => {
    buildTokenRequest('fairplay', paramsFor('fairplay', { kid: KID, contentKey: undefined }), { now: NOW });
  });
  it('widevine-only parameters given to FairPlay are forwarded, not validated', () => {
    const n = validateTokenParams(
      'fairplay',
      serializeTokenParams('fairplay', paramsFor('fairplay', { securityLevel: 9 } as Record<string, unknown>)),
      { now: NOW },
    );
    assert.deepEqual(n.extra, { securityLevel: '9' });
    assert.equal(n.securityLevel, undefined);
  });
});

describe('validateTokenParams: normalization', () => {
  it('normalizes Widevine parameters', () => {
    const pairs = serializeTokenParams(
      'widevine',
      paramsFor('widevine', {
        kid: KID.toUpperCase(),
        contentKey: KEY.toUpperCase(),
        securityLevel: 3,
        hdcpOutputControl: 2,
        licenseDuration: 60,
        contentId: 'movie',
        cookie: 'c1',
        errorFormat: 'json',
        wvExtension: ['wudo,AAAAAA==', 'abcd,AQID'],
        extra: { foo: 'bar' },
      }),
    );
    const n = validateTokenParams('widevine', pairs, { now: NOW });
    assert.deepEqual(n, {
      drm: 'widevine',
      customerAuthenticator: SECRET,
      errorFormat: 'json',
      expiresAt: NOW + MAX_TOKEN_LIFETIME_SECONDS * 1000,
      extensions: [
        { type: 'wudo', payload: 'AAAAAA==' },
        { type: 'abcd', payload: 'AQID' },
      ],
      extra: { foo: 'bar' },
      kid: KID,
      contentKey: KEY,
      contentId: 'movie',
      securityLevel: 3,
      hdcpOutputControl: 2,
      licenseDuration: 60,
      cookie: 'c1',
    });
  });
  it('normalizes FairPlay parameters', () => {
    const n = validateTokenParams(
      'fairplay',
      serializeTokenParams(
        'fairplay',
        paramsFor('fairplay', {
          iv: IV.toUpperCase(),
          rentalDuration: 10,
          rightsType: 'Rental',
          fpExtension: 'abcd,AQID',
          expirationTime: '+60',
        }),
      ),
      { now: NOW },
    );
    assert.equal(n.iv, IV);
    assert.equal(n.rentalDuration, 10);
    assert.equal(n.rightsType, 'Rental');
    assert.deepEqual(n.extensions, [{ type: 'abcd', payload: 'AQID' }]);
    assert.equal(n.expiresAt, NOW + 60_000);
    assert.equal(n.errorFormat, 'html');
  });
  it('keeps a ^name kid as given', () => {
    const n = validateTokenParams(
      'playready',
      serializeTokenParams('playready', paramsFor('playready', { kid: '^Movie' })),
      { now: NOW },
    );
    assert.equal(n.kid, '^Movie');
  });
  it('expirationTime: absolute times and Date objects', () => {
    const at = (e: unknown) =>
      validateTokenParams(
        'playready',
        serializeTokenParams('playready', paramsFor('playready', { expirationTime: e })),
        { now: NOW },
      ).expiresAt;
    assert.equal(at('2026-01-20T12:00:00Z'), Date.UTC(2026, 0, 20, 12));
    assert.equal(at('+2592000'), NOW + 2_592_000_000);
    // A Date goes on the wire with whole seconds.
    assert.equal(at(new Date(NOW + 3_600_500)), NOW + 3_600_000);
    const pairs = serializeTokenParams(
      'playready',
      paramsFor('playready', { expirationTime: new Date(Date.UTC(2026, 0, 20, 12, 1, 10, 999)) }),
    );
    assert.deepEqual(
      pairs.find(([k]) => k === 'expirationTime'),
      ['expirationTime', '2026-01-20T12:01:10Z'],
    );
  });
  it('a parameter twice on the wire is -9002; extensions may repeat', () => {
    const base = serializeTokenParams('widevine', paramsFor('widevine'));
    assertExpressPlayError(
      () => validateTokenParams('widevine', [...base, ['kid', KID]], { now: NOW }),
      ClientCode.DUPLICATE_PARAMETER,
    );
    assertExpressPlayError(
      () => validateTokenParams('widevine', [...base, ['foo', '1'], ['foo', '2']], { now: NOW }),
      ClientCode.DUPLICATE_PARAMETER,
    );
    const n = validateTokenParams('widevine', [...base, ['wvExtension', 'abcd,AQID'], ['wvExtension', 'efgh,AQID']], {
      now: NOW,
    });
    assert.equal(n.extensions.length, 2);
  });
  it('parameter names from Object.prototype are forwarded, never a TypeError', () => {
    const base = serializeTokenParams('widevine', paramsFor('widevine'));
    const n = validateTokenParams('widevine', [...base, ['toString', 'a'], ['constructor', 'b'], ['__proto__', 'c']], {
      now: NOW,
    });
    assert.equal(Object.getPrototypeOf(n.extra), Object.prototype);
    assert.deepEqual(Object.entries(n.extra), [
      ['toString', 'a'],
      ['constructor', 'b'],
      ['__proto__', 'c'],
    ]);
  });
  it('-9005 for a DRM the token API does not serve', () => {
    for (const drm of ['clearkey', 'toString', 'constructor', '__proto__', 'hasOwnProperty', '', 'WIDEVINE']) {
      assertExpressPlayError(() => validateTokenParams(drm as TokenDrm, [], { now: NOW }), ClientCode.UNSUPPORTED_DRM);
      assertExpressPlayError(
        () => buildTokenRequest(drm as TokenDrm, paramsFor('widevine') as never, { now: NOW }),
        ClientCode.UNSUPPORTED_DRM,
      );
    }
  });
  it('-9001 when the parameters are not an object', () => {
    for (const p of [null, undefined, 'kid=1', 5]) {
      assertExpressPlayError(
        () => buildTokenRequest('widevine', p as never, { now: NOW }),
        ClientCode.INVALID_PARAMETER,
      );
    }
  });
  it("tokenParamNames lists each DRM's table", () => {
    assert.deepEqual(tokenParamNames('widevine'), [
      'customerAuthenticator',
      'errorFormat',
      'generalFlags',
      'kek',
      'kid',
      'ek',
      'contentKey',
      'contentId',
      'securityLevel',
      'hdcpOutputControl',
      'licenseDuration',
      'wvExtension',
      'expirationTime',
      'cookie',
    ]);
    assert.deepEqual(tokenParamNames('fairplay'), [
      'customerAuthenticator',
      'errorFormat',
      'generalFlags',
      'kek',
      'kid',
      'ek',
      'contentKey',
      'iv',
      'rentalDuration',
      'fpExtension',
      'rightsType',
      'expirationTime',
      'cookie',
    ]);
    assert.deepEqual(tokenParamNames('playready'), [
      'customerAuthenticator',
      'errorFormat',
      'generalFlags',
      'kek',
      'kid',
      'ek',
      'contentKey',
      'rightsType',
      'expirationTime',
      'cookie',
    ]);
  });
  it('the first broken rule in table order wins', () => {
    // authenticator missing and a bad kid: -2017 comes first.
    assertExpressPlayError(
      () =>
        buildTokenRequest('widevine', paramsFor('widevine', { customerAuthenticator: undefined, kid: 'x' }), {
          now: NOW,
        }),
      -2017,
    );
    assertExpressPlayError(
      () => buildTokenRequest('widevine', paramsFor('widevine', { kid: 'x', securityLevel: 9 }), { now: NOW }),
      -4020,
    );
  });
});
