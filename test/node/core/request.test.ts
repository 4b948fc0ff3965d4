// The builder: GET/POST carry the same pairs, service URLs, extensions, form encoding.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildTokenRequest,
  ClientCode,
  decodeForm,
  encodeForm,
  encodeFormComponent,
  serializeTokenParams,
  tokenServiceUrl,
  type TokenDrm,
} from '../../../src/core/index.js';
import { assertExpressPlayError, DRMS, NOW, paramsFor } from './helpers.js';

const RICH: Record<TokenDrm, Record<string, unknown>> = {
  widevine: {
    contentId: 'movie 42/é?&=+#',
    cookie: 'a b&c=d+e%f',
    licenseDuration: 3600,
    errorFormat: 'json',
    generalFlags: '0000',
    expirationTime: new Date(NOW + 3_600_000),
    wvExtension: [
      'wudo,AAAAAA==',
      { type: 'abcd', payload: new Uint8Array([0xfb, 0xff, 0xbf]) },
      { type: 'efgh', payload: 'AQID' },
    ],
    extra: { deviceBinding: 'off', n: 7 },
  },
  fairplay: {
    kid: '^asset 42',
    rentalDuration: 0,
    rightsType: 'BuyToOwn',
    expirationTime: '+60',
    cookie: '日本語',
    fpExtension: ['wudo,AAAAAA==', { type: 'abcd', payload: new Uint8Array([1, 2, 3, 4]) }],
    extra: { digitalOPL: 100 },
  },
  playready: {
    rightsType: 'Rental',
    expirationTime: '2026-01-20T12:00:00Z',
    cookie: "!'()*~",
    extra: { uncompressedDigitalVideoOPL: '300' },
  },
};

describe('buildTokenRequest: GET and POST carry the same parameter pairs', () => {
  for (const drm of DRMS) {
    it(`${drm}: decodeForm and URLSearchParams agree with serializeTokenParams`, () => {
      const params = paramsFor(drm, RICH[drm]);
      const expected = serializeTokenParams(drm, params).map(([k, v]) => [k, v]);
      const get = buildTokenRequest(drm, params, { method: 'GET', now: NOW });
      const post = buildTokenRequest(drm, params, { method: 'POST', now: NOW });
      assert.equal(get.method, 'GET');
      assert.equal(get.body, undefined);
      assert.equal(post.method, 'POST');
      assert.equal(post.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.match(get.headers['accept'] ?? '', /^text\/uri-list/);
      assert.equal(post.url, tokenServiceUrl(drm, 'test'));
      const query = new URL(get.url).search;
      assert.equal(query.slice(1), post.body);
      assert.deepEqual(decodeForm(query), expected);
      assert.deepEqual(decodeForm(post.body!), expected);
      assert.deepEqual([...new URLSearchParams(post.body)], expected);
      assert.deepEqual([...new URL(get.url).searchParams], expected);
      // Encoded exactly as URLSearchParams encodes.
      assert.equal(post.body, new URLSearchParams(expected as [string, string][]).toString());
    });
  }
  it('POST is the default method', () => {
    const r = buildTokenRequest('widevine', paramsFor('widevine'), { now: NOW });
    assert.equal(r.method, 'POST');
    assert.ok(!r.url.includes('?'));
  });
  it('the wire order follows the parameter object, extra last; repeated extensions stay in order', () => {
    const pairs = serializeTokenParams('widevine', paramsFor('widevine', RICH.widevine));
    assert.deepEqual(
      pairs.filter(([k]) => k === 'wvExtension').map(([, v]) => v),
      ['wudo,AAAAAA==', 'abcd,+/+/', 'efgh,AQID'],
    );
    assert.deepEqual(pairs.slice(-2), [
      ['deviceBinding', 'off'],
      ['n', '7'],
    ]);
  });
  it('an extension given as { type, payload: Uint8Array } is base64 on the wire', () => {
    const pairs = serializeTokenParams(
      'fairplay',
      paramsFor('fairplay', { fpExtension: { type: 'wudo', payload: new Uint8Array([0, 0, 0, 0]) } }),
    );
    assert.deepEqual(
      pairs.filter(([k]) => k === 'fpExtension'),
      [['fpExtension', 'wudo,AAAAAA==']],
    );
    const empty = serializeTokenParams('fairplay', paramsFor('fairplay', { fpExtension: [] }));
    assert.equal(empty.filter(([k]) => k === 'fpExtension').length, 0);
  });
  it('numbers are sent in decimal', () => {
    const r = buildTokenRequest(
      'widevine',
      paramsFor('widevine', { securityLevel: 5, hdcpOutputControl: 2, licenseDuration: 86400 }),
      { method: 'GET', now: NOW },
    );
    assert.match(r.url, /securityLevel=5&hdcpOutputControl=2&licenseDuration=86400$/);
  });
  it('an unknown method is -9001', () => {
    assertExpressPlayError(
      () => buildTokenRequest('widevine', paramsFor('widevine'), { method: 'PUT' as 'GET', now: NOW }),
      ClientCode.INVALID_PARAMETER,
    );
  });
  it('options may be null (untyped callers)', () => {
    const r = buildTokenRequest('widevine', paramsFor('widevine'), null as never);
    assert.equal(r.method, 'POST');
  });
});

describe('tokenServiceUrl', () => {
  const cases: [TokenDrm, string, string][] = [
    ['widevine', 'test', 'https://wv-gen.test.expressplay.com/hms/wv/token'],
    ['fairplay', 'test', 'https://fp-gen.test.expressplay.com/hms/fp/token'],
    ['playready', 'test', 'https://pr-gen.test.expressplay.com/hms/pr/token'],
    ['widevine', 'production', 'https://wv-gen.service.expressplay.com/hms/wv/token'],
    ['fairplay', 'production', 'https://fp-gen.service.expressplay.com/hms/fp/token'],
    ['playready', 'production', 'https://pr-gen.service.expressplay.com/hms/pr/token'],
    ['widevine', 'http://127.0.0.1:8787', 'http://127.0.0.1:8787/hms/wv/token'],
    ['fairplay', 'http://127.0.0.1:8787/', 'http://127.0.0.1:8787/hms/fp/token'],
    ['playready', 'https://emu.example.com/base//', 'https://emu.example.com/base/hms/pr/token'],
    ['widevine', 'HTTPS://EMU.example.com', 'HTTPS://EMU.example.com/hms/wv/token'],
  ];
  for (const [drm, service, url] of cases) {
    it(`${drm} ${service}`, () => {
      assert.equal(tokenServiceUrl(drm, service), url);
      assert.ok(buildTokenRequest(drm, paramsFor(drm), { service, method: 'GET', now: NOW }).url.startsWith(`${url}?`));
    });
  }
  it('test is the default', () => {
    assert.equal(tokenServiceUrl('widevine'), 'https://wv-gen.test.expressplay.com/hms/wv/token');
    assert.equal(
      buildTokenRequest('fairplay', paramsFor('fairplay'), { now: NOW }).url,
      'https://fp-gen.test.expressplay.com/hms/fp/token',
    );
  });
  for (const bad of [
    'ftp://example.com',
    'example.com',
    '',
    'prod',
    'https://',
    'https://host/a b',
    'https://host?x=1',
    'https://host#f',
    'javascript:alert(1)',
  ]) {
    it(`invalid service ${JSON.stringify(bad)} → -9001`, () => {
      assertExpressPlayError(() => tokenServiceUrl('widevine', bad), ClientCode.INVALID_PARAMETER);
      assertExpressPlayError(
        () => buildTokenRequest('widevine', paramsFor('widevine'), { service: bad, now: NOW }),
        ClientCode.INVALID_PARAMETER,
      );
    });
  }
  it('a non-string service is -9001, never a TypeError', () => {
    for (const bad of [5, 10n, null, {}, Symbol('s')]) {
      assertExpressPlayError(() => tokenServiceUrl('widevine', bad as never), ClientCode.INVALID_PARAMETER);
    }
  });
  it('an unknown DRM is -9005', () => {
    for (const drm of ['clearkey', 'toString', 'constructor', 'wv'])
      assertExpressPlayError(() => tokenServiceUrl(drm as TokenDrm), ClientCode.UNSUPPORTED_DRM);
  });
});

describe('form encoding', () => {
  it('encodes like URLSearchParams', () => {
    for (const s of ['a b', "!'()*~-._", '+&=%#?/', 'é日本😀', '', '\r\n\t']) {
      assert.equal(encodeFormComponent(s), new URLSearchParams([['x', s]]).toString().slice(2));
    }
  });
  it('turns lone surrogates into U+FFFD like URLSearchParams (no URIError)', () => {
    assert.equal(encodeFormComponent('a\uD800b'), new URLSearchParams([['x', 'a\uD800b']]).toString().slice(2));
    assert.equal(encodeFormComponent('\uDC00'), '%EF%BF%BD');
  });
  it('decodes queries and bodies', () => {
    assert.deepEqual(decodeForm('?a=1&b=x+y&c=%26%3D&d&=e&&f='), [
      ['a', '1'],
      ['b', 'x y'],
      ['c', '&='],
      ['d', ''],
      ['', 'e'],
      ['f', ''],
    ]);
    assert.deepEqual(decodeForm(''), []);
    assert.deepEqual(decodeForm('?'), []);
    assert.deepEqual(decodeForm('a=1=2'), [['a', '1=2']]);
  });
  it('malformed percent-encoding is -9003, not URIError', () => {
    for (const bad of ['a=%', 'a=%zz', '%E0%A4=1', 'a=%ED%A0%80'])
      assertExpressPlayError(() => decodeForm(bad), ClientCode.MALFORMED_REQUEST);
  });
  it('encodeForm / decodeForm round trip', () => {
    const pairs: [string, string][] = [
      ['k 1', 'v&1'],
      ['k', ''],
      ['日本', '😀 +'],
      ['k', 'again'],
    ];
    assert.deepEqual(decodeForm(encodeForm(pairs)), pairs);
  });
});
