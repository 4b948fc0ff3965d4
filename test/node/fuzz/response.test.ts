// Fuzzing the token answer parsers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_MAX_BODY_BYTES } from '../../../src/core/capped-read.js';
import {
  ExpressPlayError,
  parseErrorResponse,
  parseTokenResponse,
  seedCodes,
  type TokenResponseInput,
} from '../../../src/core/index.js';
import { NOW, NUM_RUNS, wtf16String } from './arbitraries.js';

const code = fc.oneof(fc.constantFrom(...seedCodes()), fc.integer({ min: -99999, max: 99999 }));
// (fc.webUrl is correct but slow; this keeps 10,000 runs cheap.)
const urlChar = fc.constantFrom(..."abcxyz019-._~:/?#[]@!$&'()*+,;=% ".split(''));
const url = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('https://', 'http://', 'HTTPS://', 'https:/', ''),
      fc.string({ unit: urlChar, minLength: 1, maxLength: 12 }),
      fc.string({ unit: urlChar, maxLength: 24 }),
      fc.constantFrom('', '?ExpressPlayToken=AAAA%2Bx', '&ExpressPlayToken=%E0'),
    )
    .map(([scheme, host, path, token]) => `${scheme}${host}/${path}${token}`),
  fc.constantFrom('ftp://x/y', 'javascript:alert(1)', 'https://', 'https://a b/', 'skd://x'),
);
const jsonBody = fc
  .oneof(
    fc.record(
      { rightsUrl: url, expiresAt: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) },
      { requiredKeys: [] },
    ),
    fc.record({ licenseAcquisitionUrl: url, token: fc.string() }, { requiredKeys: [] }),
    fc.record(
      { errorCode: fc.oneof(code, code.map(String), fc.string()), errorMessage: fc.string() },
      { requiredKeys: [] },
    ),
    fc.record({ error: fc.oneof(fc.string(), fc.record({ code, message: fc.string() }, { requiredKeys: [] })) }),
    fc.jsonValue({ maxDepth: 2 }),
  )
  .map((v) => JSON.stringify(v) ?? '');
const htmlBody = fc
  .tuple(
    fc.string(),
    code,
    fc.string(),
    fc.constantFrom('<script>', '<style>', '<p>', '</p>', '<!--', '&amp;', '&nbsp;', ''),
  )
  .map(([a, c, b, tag]) => `<html>${tag}${a} ${c} ${b}</html>`);
const uriListBody = fc
  .array(
    fc.oneof(
      url,
      fc.string().map((s) => `# ${s}`),
      fc.constant(''),
    ),
    { maxLength: 4 },
  )
  .chain((lines) => fc.constantFrom('\r\n', '\n', '\r').map((sep) => lines.join(sep)));
const body = fc.oneof(wtf16String(80), fc.string({ unit: 'binary', maxLength: 80 }), jsonBody, htmlBody, uriListBody);
const status = fc.oneof(
  { arbitrary: fc.constantFrom(200, 201, 204, 301, 400, 401, 403, 404, 408, 418, 429, 500, 502, 503), weight: 6 },
  { arbitrary: fc.integer({ min: -1000, max: 100000 }), weight: 2 },
  { arbitrary: fc.double(), weight: 1 },
);
const contentType = fc.oneof(
  fc.constantFrom(
    'text/uri-list',
    'text/uri-list; charset=utf-8',
    'application/json',
    'application/problem+json',
    'text/html',
    'text/plain',
    'image/png',
    '',
    null,
    undefined,
  ),
  wtf16String(20),
);
const retryAfter = fc.oneof(
  fc.constantFrom(undefined, null, '0', '120', 'Wed, 21 Oct 2015 07:28:00 GMT', 'soon'),
  wtf16String(12),
  fc.nat().map(String),
);
const input = fc.record({
  status,
  contentType,
  body,
  retryAfter,
  drm: fc.constantFrom(undefined, 'widevine', 'fairplay', 'playready'),
});

describe('fuzz: token answer parsers', () => {
  it('parseTokenResponse: a rights URL or an ExpressPlayError, nothing else', () => {
    fc.assert(
      fc.property(input, (i) => {
        let result;
        try {
          result = parseTokenResponse({ ...i, now: NOW } as TokenResponseInput);
        } catch (e) {
          if (!(e instanceof ExpressPlayError)) throw e;
          assert.ok(Number.isInteger(e.code));
          return;
        }
        assert.ok(Number.isInteger(i.status) && i.status >= 200 && i.status <= 299);
        assert.match(result.rightsUrl, /^https?:\/\/\S+$/i);
        if (result.expiresAt !== undefined) assert.ok(!Number.isNaN(result.expiresAt.getTime()));
      }),
      { numRuns: NUM_RUNS },
    );
  });
  it('parseErrorResponse: always an ExpressPlayError keeping the HTTP status', () => {
    fc.assert(
      fc.property(input, (i) => {
        let err: ExpressPlayError;
        try {
          err = parseErrorResponse({ ...i, now: NOW } as TokenResponseInput);
        } catch (e) {
          // Only for an input of the wrong shape (a non-integer status).
          if (!(e instanceof ExpressPlayError)) throw e;
          assert.equal(e.code, -9001);
          assert.ok(!Number.isInteger(i.status));
          return;
        }
        assert.ok(err instanceof ExpressPlayError);
        if (i.status >= 400) assert.equal(err.httpStatus, i.status);
        if (i.status >= 500) assert.equal(err.retryable, true);
        if (err.retryAfterMs !== undefined) assert.ok(err.retryAfterMs >= 0);
        assert.ok(err.message.length < 600);
      }),
      { numRuns: NUM_RUNS },
    );
  });
  it('parseTokenResponse with inputs of the wrong types: only ExpressPlayError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything({ maxDepth: 1 }),
          fc.record(
            {
              status: fc.anything({ maxDepth: 0 }),
              body: fc.anything({ maxDepth: 0 }),
              contentType: fc.anything({ maxDepth: 0 }),
              retryAfter: fc.anything({ maxDepth: 0 }),
            },
            { requiredKeys: [] },
          ),
        ),
        (i) => {
          for (const fn of [parseTokenResponse, parseErrorResponse]) {
            try {
              fn(i as TokenResponseInput);
            } catch (e) {
              if (!(e instanceof ExpressPlayError)) throw e;
            }
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

// The shapes that made the backtracking parsers quadratic (issue #11), mixed and filled
// to exactly the browser's default body cap: whatever the mix, a typed answer comes back.
const hostileUnit = fc.constantFrom(
  '<head',
  '<a ',
  '<script',
  '<style',
  '</head',
  '<',
  '>',
  '&amp;',
  '-2018',
  ' ',
  'https://',
  'a',
  '"',
  '{"rightsUrl":"https://',
);
const hostileBody = fc.array(hostileUnit, { minLength: 1, maxLength: 8 }).map((units) => {
  const unit = units.join('');
  return unit.repeat(Math.ceil(DEFAULT_MAX_BODY_BYTES / unit.length)).slice(0, DEFAULT_MAX_BODY_BYTES);
});
const hostileJson = fc
  .constantFrom('https://', 'http://x', 'https://a ')
  .chain((prefix) =>
    fc
      .constantFrom(' ', 'a', '/', '?')
      .map((tail) => JSON.stringify({ rightsUrl: `${prefix}${'a'.repeat(DEFAULT_MAX_BODY_BYTES - 40)}${tail}` })),
  );

describe('fuzz: hostile bodies at the 64 KiB cap', () => {
  it('parseTokenResponse and parseErrorResponse: typed answers, clipped messages', () => {
    fc.assert(
      fc.property(
        fc.oneof(hostileBody, hostileJson),
        fc.constantFrom('text/html', 'text/plain', 'application/json', 'text/uri-list', null),
        fc.constantFrom(200, 400, 500),
        (body, type, st) => {
          const err = parseErrorResponse({ status: st, contentType: type, body });
          assert.ok(err instanceof ExpressPlayError);
          assert.ok(err.message.length < 600);
          try {
            const r = parseTokenResponse({ status: st, contentType: type, body });
            assert.match(r.rightsUrl, /^https?:\/\/\S+$/i);
          } catch (e) {
            if (!(e instanceof ExpressPlayError)) throw e;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
