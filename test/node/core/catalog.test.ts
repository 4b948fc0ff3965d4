// The catalog against the spec's error table, the error type, and token redaction.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  catalogEntry,
  ClientCode,
  ERROR_CATALOG,
  errorForHttpStatus,
  ExpressPlayError,
  isExpressPlayError,
  parseErrorResponse,
  redactTokens,
  seedCodes,
} from '../../../src/core/index.js';

// The spec's table (shared/spec/expressplay-token-api.md, "Error codes"): code, W column, F column.
const SPEC: readonly [number, boolean, boolean][] = [
  [-2002, true, true],
  [-2003, true, true],
  [-2005, true, true],
  [-2008, true, true],
  [-2017, true, true],
  [-2018, true, true],
  [-2019, true, true],
  [-2020, false, true],
  [-2021, false, true],
  [-2022, true, true],
  [-2023, true, true],
  [-2025, true, true],
  [-2027, true, true],
  [-2030, true, true],
  [-2031, true, true],
  [-2033, true, true],
  [-2034, true, true],
  [-2035, true, true],
  [-2036, true, true],
  [-2037, true, true],
  [-2040, true, true],
  [-3004, true, true],
  [-4001, true, true],
  [-4010, true, true],
  [-4018, true, true],
  [-4019, true, true],
  [-4020, true, true],
  [-4021, true, true],
  [-4022, true, true],
  [-4024, true, true],
  [-5003, true, true],
  [-6001, false, true],
  [-6002, false, true],
  [-6003, false, true],
  [-6004, false, true],
  [-6005, true, true],
  [-6006, false, true],
  [-6007, true, true],
  [-6008, false, true],
  [-6009, false, true],
  [-7002, true, false],
  [-7003, true, false],
  [-7004, true, false],
  [-7006, true, false],
  [-7007, true, false],
  [-7008, true, false],
  [-7009, true, false],
  [-7011, true, false],
];

describe('catalog', () => {
  it('has 48 seed codes, as the spec table does', () => {
    assert.equal(SPEC.length, 48);
    assert.deepEqual(
      [...seedCodes()].sort((a, b) => b - a),
      SPEC.map(([c]) => c).sort((a, b) => b - a),
    );
  });
  for (const [code, w, f] of SPEC) {
    it(`${code}: sources ${[w && 'widevine', f && 'fairplay'].filter(Boolean).join('+')}`, () => {
      const e = catalogEntry(code);
      assert.ok(e, `${code} missing`);
      assert.equal(e.code, code);
      assert.deepEqual([...e.sources].sort(), [...(w ? ['widevine'] : []), ...(f ? ['fairplay'] : [])].sort());
      assert.ok(e.message.length > 0);
      assert.ok(e.httpStatus >= 400 && e.httpStatus < 600, 'a seed code is answered with an HTTP error status');
    });
  }
  it('library codes are -9xxx, sourced client, and ClientCode names exactly them', () => {
    const client = [...ERROR_CATALOG.values()].filter((e) => e.sources.includes('client'));
    for (const e of client) {
      assert.ok(e.code <= -9000 && e.code > -10000, String(e.code));
      assert.deepEqual(e.sources, ['client']);
    }
    assert.deepEqual(client.map((e) => e.code).sort(), Object.values(ClientCode).sort());
  });
  it('entries are consistent', () => {
    for (const [code, e] of ERROR_CATALOG) {
      assert.equal(e.code, code);
      assert.equal(typeof e.retryable, 'boolean');
      assert.ok(
        [
          'auth',
          'input',
          'quota',
          'device',
          'server',
          'network',
          'timeout',
          'aborted',
          'policy',
          'unsupported',
        ].includes(e.category),
      );
    }
    assert.equal(catalogEntry(-2017)?.category, 'auth');
    assert.equal(catalogEntry(-2018)?.category, 'auth');
    assert.equal(catalogEntry(-4019)?.retryable, true);
    assert.equal(catalogEntry(-2002)?.retryable, false);
    assert.equal(catalogEntry(-1234), undefined);
  });
});

describe('ExpressPlayError', () => {
  it('takes message, category and retryability from the catalog', () => {
    const e = new ExpressPlayError(-2033, { details: 'too long', drm: 'widevine', httpStatus: 400 });
    assert.equal(e.message, '[-2033] Invalid cookie (at most 32 characters): too long');
    assert.equal(e.category, 'input');
    assert.equal(e.retryable, false);
    assert.equal(e.drm, 'widevine');
    assert.ok(e instanceof Error);
    assert.ok(isExpressPlayError(e));
    assert.ok(isExpressPlayError({ name: 'ExpressPlayError', code: -1 }));
    assert.ok(!isExpressPlayError(new Error('x')));
    assert.ok(!isExpressPlayError(null));
    assert.deepEqual(e.toJSON(), {
      name: 'ExpressPlayError',
      code: -2033,
      message: e.message,
      httpStatus: 400,
      category: 'input',
      retryable: false,
      drm: 'widevine',
    });
  });
  it('an unknown code still makes an error', () => {
    const e = new ExpressPlayError(-1);
    assert.equal(e.message, '[-1] ExpressPlay error -1');
    assert.equal(e.category, 'server');
  });
  it('redacts tokens in details', () => {
    const e = new ExpressPlayError(-4010, {
      details: 'https://x/hms/wv/rights/?ExpressPlayToken=AAAASECRETTOKEN&x=1 customerAuthenticator=KEY123',
    });
    assert.ok(!e.message.includes('SECRETTOKEN'));
    assert.ok(!e.message.includes('KEY123'));
    assert.ok(e.isTokenRejected);
  });
  it('errorForHttpStatus', () => {
    assert.equal(errorForHttpStatus(401).category, 'auth');
    assert.equal(errorForHttpStatus(403).isTokenRejected, true);
    assert.equal(errorForHttpStatus(404).code, ClientCode.NOT_FOUND);
    assert.equal(errorForHttpStatus(408).code, ClientCode.TIMEOUT);
    assert.equal(errorForHttpStatus(429).code, ClientCode.TOO_MANY_REQUESTS);
    assert.equal(errorForHttpStatus(429).retryable, true);
    assert.equal(errorForHttpStatus(503).code, ClientCode.SERVER);
    assert.equal(errorForHttpStatus(503).retryable, true);
    assert.equal(errorForHttpStatus(418).code, ClientCode.HTTP);
    assert.equal(errorForHttpStatus(418).retryable, false);
    assert.equal(errorForHttpStatus(400).httpStatus, 400);
  });
  it("-9013 takes its category from its HTTP status wherever it is made: a back end's, a relayed one, a bare status", () => {
    for (const status of [400, 401, 403, 409, 410, 418, 451]) {
      const bare = errorForHttpStatus(status);
      assert.equal(bare.code, ClientCode.HTTP);
      // The README's back end: `throw new ExpressPlayError(-9013, { httpStatus: 403 })`.
      assert.equal(
        new ExpressPlayError(-9013, { httpStatus: status }).category,
        bare.category,
        `made with status ${status}`,
      );
      // …and what the browser makes of its answer.
      const relayed = parseErrorResponse({
        status,
        contentType: 'application/json',
        body: JSON.stringify({ errorCode: -9013, errorMessage: 'not entitled' }),
      });
      assert.equal(relayed.code, -9013);
      assert.equal(relayed.category, bare.category, `relayed with status ${status}`);
    }
    assert.equal(new ExpressPlayError(-9013, { httpStatus: 403 }).category, 'auth');
    assert.equal(
      new ExpressPlayError(-9013, { httpStatus: 403, category: 'policy' }).category,
      'policy',
      'an explicit category still wins',
    );
    assert.equal(new ExpressPlayError(-9013).category, 'server', 'no status: the catalog row');
  });
});

describe('redactTokens', () => {
  it('keeps 4 characters of a token and hides the rest', () => {
    assert.equal(redactTokens('GET /?ExpressPlayToken=AbCdEfGh123&x=1'), 'GET /?ExpressPlayToken=AbCd…[redacted]&x=1');
    assert.equal(redactTokens('expressplaytoken=zzzzzzzz'), 'expressplaytoken=zzzz…[redacted]');
  });
  it('hides authenticators entirely', () => {
    assert.equal(redactTokens('a?customerAuthenticator=secret-key&b=2'), 'a?customerAuthenticator=[redacted]&b=2');
  });
  it('redacts every occurrence, stops at delimiters', () => {
    const out = redactTokens(
      '"ExpressPlayToken=AAAA1111" <a href=\'?ExpressPlayToken=BBBB2222\'> ExpressPlayToken=CCCC3333#frag',
    );
    assert.ok(!/1111|2222|3333/.test(out), out);
    assert.ok(out.endsWith('#frag'));
  });
  it('leaves other text alone', () => {
    assert.equal(redactTokens('no token here: ExpressPlayToken='), 'no token here: ExpressPlayToken=');
  });
});
