// Token answers: uri-lists, JSON, JSON and HTML errors, statuses, Retry-After, garbage.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ClientCode,
  ExpressPlayError,
  parseErrorResponse,
  parseTokenResponse,
  parseUriList,
  tokenFromRightsUrl,
} from '../../../src/core/index.js';
import { assertExpressPlayError, NOW } from './helpers.js';

const TOKEN = 'AAAAEQ+/Tk9uZ3Vlc3NhYmxlVG9rZW4=';
const WV_URL = `https://wv.service.expressplay.com/hms/wv/rights/?ExpressPlayToken=${encodeURIComponent(TOKEN)}`;
const FP_URL = `https://fp.service.expressplay.com:80/hms/fp/rights/?ExpressPlayToken=${encodeURIComponent(TOKEN)}`;

function thrown(fn: () => unknown): ExpressPlayError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ExpressPlayError, String(e));
    return e;
  }
  assert.fail('nothing thrown');
}

describe('parseUriList', () => {
  it('splits CRLF, LF and CR lines, drops comments and blanks', () => {
    assert.deepEqual(parseUriList('# comment\r\nhttps://a/1\r\n\r\n  https://b/2  \nhttps://c/3\r# x\rhttps://d/4'), [
      'https://a/1',
      'https://b/2',
      'https://c/3',
      'https://d/4',
    ]);
    assert.deepEqual(parseUriList(''), []);
    assert.deepEqual(parseUriList('#only\r\n#comments'), []);
  });
});

describe('parseTokenResponse: success', () => {
  it('text/uri-list with CRLF', () => {
    const r = parseTokenResponse({ status: 200, contentType: 'text/uri-list', body: `${WV_URL}\r\n` });
    assert.deepEqual(r, { rightsUrl: WV_URL, token: TOKEN });
  });
  it('text/uri-list with charset and comment lines, several URIs: the first wins', () => {
    const r = parseTokenResponse({
      status: 200,
      contentType: 'Text/URI-List; charset=utf-8',
      body: `# ExpressPlay\r\n${FP_URL}\r\nhttps://other.example/x\r\n`,
    });
    assert.equal(r.rightsUrl, FP_URL);
    assert.equal(r.token, TOKEN);
  });
  it('bare URL as text/plain, and with no content type', () => {
    assert.equal(
      parseTokenResponse({ status: 200, contentType: 'text/plain', body: `  ${WV_URL}  ` }).rightsUrl,
      WV_URL,
    );
    assert.equal(parseTokenResponse({ status: 200, contentType: null, body: WV_URL }).rightsUrl, WV_URL);
    assert.equal(parseTokenResponse({ status: 200, body: WV_URL }).rightsUrl, WV_URL);
  });
  it('a rights URL without a token', () => {
    assert.deepEqual(
      parseTokenResponse({ status: 200, contentType: 'text/uri-list', body: 'http://127.0.0.1:8787/hms/wv/rights/' }),
      { rightsUrl: 'http://127.0.0.1:8787/hms/wv/rights/' },
    );
  });
  it('JSON { rightsUrl, expiresAt } from the back-end contract', () => {
    const r = parseTokenResponse({
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({ rightsUrl: WV_URL, expiresAt: '2026-01-15T13:00:00Z' }),
    });
    assert.equal(r.rightsUrl, WV_URL);
    assert.equal(r.token, TOKEN);
    assert.equal(r.expiresAt?.getTime(), Date.UTC(2026, 0, 15, 13));
  });
  it('JSON with numeric expiresAt, invalid expiresAt ignored', () => {
    assert.equal(
      parseTokenResponse({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ rightsUrl: WV_URL, expiresAt: NOW }),
      }).expiresAt?.getTime(),
      NOW,
    );
    assert.equal(
      parseTokenResponse({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ rightsUrl: WV_URL, expiresAt: 'soon' }),
      }).expiresAt,
      undefined,
    );
  });
  it('PlayReady JSON { licenseAcquisitionUrl, token }', () => {
    const r = parseTokenResponse({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        licenseAcquisitionUrl: 'https://pr.service.expressplay.com/playready/RightsManager.asmx',
        token: 'PRTOKEN',
      }),
    });
    assert.deepEqual(r, {
      rightsUrl: 'https://pr.service.expressplay.com/playready/RightsManager.asmx',
      token: 'PRTOKEN',
    });
  });
  it('JSON with no content type, and +json types', () => {
    assert.equal(parseTokenResponse({ status: 200, body: JSON.stringify({ rightsUrl: WV_URL }) }).rightsUrl, WV_URL);
    assert.equal(
      parseTokenResponse({ status: 201, contentType: 'application/vnd.ep+json', body: JSON.stringify({ url: WV_URL }) })
        .rightsUrl,
      WV_URL,
    );
  });
  it('undecodable token percent-encoding is returned as it is', () => {
    assert.equal(tokenFromRightsUrl('https://a/?ExpressPlayToken=%E0%A4'), '%E0%A4');
    assert.equal(tokenFromRightsUrl('https://a/?x=1&ExpressPlayToken=a+b%2B#f'), 'a b+');
    assert.equal(tokenFromRightsUrl('https://a/?x=1'), undefined);
  });
});

describe('parseTokenResponse: malformed answers → -9004', () => {
  const cases: [string, { status: number; contentType?: string; body: string }][] = [
    ['empty body', { status: 200, contentType: 'text/uri-list', body: '' }],
    ['only comments', { status: 200, contentType: 'text/uri-list', body: '# nothing\r\n' }],
    ['garbage', { status: 200, contentType: 'text/uri-list', body: '\u0000\u0001garbage' }],
    ['non-http URL', { status: 200, contentType: 'text/uri-list', body: 'ftp://wv.service.expressplay.com/x' }],
    ['javascript: URL', { status: 200, contentType: 'text/uri-list', body: 'javascript:alert(1)' }],
    ['URL with a space', { status: 200, contentType: 'text/uri-list', body: 'https://a/b c' }],
    [
      'first URI not http even if a later one is',
      { status: 200, contentType: 'text/uri-list', body: 'urn:x\r\nhttps://a/' },
    ],
    ['unknown content type', { status: 200, contentType: 'image/png', body: WV_URL }],
    ['text/html success', { status: 200, contentType: 'text/html', body: `<a href="${WV_URL}">x</a>` }],
    ['JSON array', { status: 200, contentType: 'application/json', body: '[1,2]' }],
    ['JSON string', { status: 200, contentType: 'application/json', body: '"https://a/"' }],
    ['JSON without URL', { status: 200, contentType: 'application/json', body: '{"ok":true}' }],
    [
      'JSON with a non-http URL',
      { status: 200, contentType: 'application/json', body: '{"rightsUrl":"data:text/plain,x"}' },
    ],
    ['JSON with a number URL', { status: 200, contentType: 'application/json', body: '{"rightsUrl":5}' }],
    ['broken JSON', { status: 200, contentType: 'application/json', body: '{"rightsUrl":' }],
    ['empty JSON body', { status: 200, contentType: 'application/json', body: '' }],
  ];
  for (const [name, input] of cases) {
    it(name, () => {
      const e = assertExpressPlayError(
        () => parseTokenResponse({ ...input, drm: 'widevine' }),
        ClientCode.MALFORMED_RESPONSE,
      );
      assert.equal(e.httpStatus, input.status);
      assert.equal(e.drm, 'widevine');
    });
  }
  it('bad input shapes are -9001', () => {
    for (const bad of [
      null,
      undefined,
      'x',
      { status: '200', body: '' },
      { status: 200 },
      { status: Number.NaN, body: WV_URL },
      { status: 200.5, body: WV_URL },
      { status: 200, body: WV_URL, contentType: 5 },
      { status: 200, body: WV_URL, retryAfter: {} },
    ]) {
      assertExpressPlayError(() => parseTokenResponse(bad as never), ClientCode.INVALID_PARAMETER);
      assertExpressPlayError(() => parseErrorResponse(bad as never), ClientCode.INVALID_PARAMETER);
    }
  });
});

describe('parseTokenResponse / parseErrorResponse: errors', () => {
  it('JSON { errorCode, errorMessage } with the HTTP status', () => {
    const e = thrown(() =>
      parseTokenResponse({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({ errorCode: -2033, errorMessage: 'cookie too long' }),
        drm: 'fairplay',
      }),
    );
    assert.equal(e.code, -2033);
    assert.equal(e.httpStatus, 400);
    assert.equal(e.category, 'input');
    assert.equal(e.retryable, false);
    assert.equal(e.drm, 'fairplay');
    assert.match(e.message, /cookie too long/);
  });
  const lenient: [string, unknown, number, string][] = [
    ['code + message', { code: -4020, message: 'bad kid' }, -4020, 'bad kid'],
    ['numeric string code', { errorCode: '-2017', errorMessage: 'no auth' }, -2017, 'no auth'],
    ['numeric string with spaces', { code: ' -2018 ', error: 'wrong key' }, -2018, 'wrong key'],
    ['nested error object', { error: { code: -7004, message: 'level' } }, -7004, 'level'],
    ['nested error, string code', { error: { errorCode: '-6003', errorMessage: 'iv' } }, -6003, 'iv'],
    ['snake_case', { error_code: -5003, error_description: 'flags' }, -5003, 'flags'],
    ['PascalCase', { ErrorCode: -2027, ErrorMessage: 'key' }, -2027, 'key'],
    ['description', { Code: -2036, description: 'ext type' }, -2036, 'ext type'],
  ];
  for (const [name, body, code, msg] of lenient) {
    it(`JSON error, lenient field names: ${name}`, () => {
      const e = parseErrorResponse({ status: 400, contentType: 'application/json', body: JSON.stringify(body) });
      assert.equal(e.code, code);
      assert.equal(e.httpStatus, 400);
      assert.ok(e.message.includes(msg), e.message);
    });
  }
  it('JSON error with an unknown code falls back to the HTTP status, keeping the code in the message', () => {
    const e = parseErrorResponse({
      status: 400,
      contentType: 'application/json',
      body: '{"errorCode":-1234,"errorMessage":"odd"}',
    });
    assert.equal(e.code, ClientCode.HTTP);
    assert.equal(e.httpStatus, 400);
    assert.match(e.message, /code -1234: odd/);
  });
  it('a hostile, deeply nested JSON error body is parsed without a stack overflow', () => {
    const deep = `${'{"error":'.repeat(20000)}{"code":-2017}${'}'.repeat(20000)}`;
    const e = parseErrorResponse({ status: 400, contentType: 'application/json', body: deep });
    assert.ok(e instanceof ExpressPlayError);
    const shallow = parseErrorResponse({ status: 400, body: '{"error":{"error":{"code":-2017}}}' });
    assert.equal(shallow.code, -2017);
  });
  it('HTML error: finds the -NNNN code, strips tags, ignores script and style', () => {
    const body = `<!DOCTYPE html><html><head><title>Error</title><style>p{color:red} /* -2003 */</style>
      <script>var code = -2019; if (a < b) {}</script></head>
      <body><h1>Bad request</h1><p>Error&nbsp;-2018: invalid authenticator &amp; more</p></body></html>`;
    const e = parseErrorResponse({ status: 401, contentType: 'text/html; charset=UTF-8', body, drm: 'widevine' });
    assert.equal(e.code, -2018);
    assert.equal(e.httpStatus, 401);
    assert.equal(e.category, 'auth');
    assert.ok(!e.message.includes('<'), e.message);
    assert.ok(!e.message.includes('var code'), e.message);
    assert.ok(!e.message.includes('color:red'), e.message);
    assert.match(e.message, /Error -2018: invalid authenticator & more/);
  });
  it('HTML with text that lengthens under toLowerCase still has its tags stripped where they are', () => {
    const e = parseErrorResponse({
      status: 400,
      contentType: 'text/html',
      body: 'İİİİ<b>bold</b> -2018 <HEAD><title>t</title></HEAD>done',
    });
    assert.equal(e.code, -2018);
    assert.match(e.message, /İİİİ bold -2018 done$/);
  });
  it('HTML without a content type is recognized by its tags', () => {
    assert.equal(parseErrorResponse({ status: 400, body: '<p>code: -4018 missing kid</p>' }).code, -4018);
  });
  it('plain text error with a code', () => {
    const e = parseErrorResponse({ status: 400, contentType: 'text/plain', body: 'Error -2033 (invalid cookie)' });
    assert.equal(e.code, -2033);
  });
  it('does not take digits inside numbers or dates for a code', () => {
    const e = parseErrorResponse({
      status: 400,
      contentType: 'text/plain',
      body: 'at 2026-2018 ref 12-4010 id -40100',
    });
    assert.equal(e.code, ClientCode.HTTP);
  });
  it('a long HTML message is clipped', () => {
    const e = parseErrorResponse({ status: 400, contentType: 'text/html', body: `<p>-2002 ${'x'.repeat(2000)}</p>` });
    assert.ok(e.message.length < 400, String(e.message.length));
  });
  it('5xx with a seed code is retryable, 4xx is not', () => {
    const e5 = parseErrorResponse({ status: 503, contentType: 'application/json', body: '{"errorCode":-2002}' });
    assert.equal(e5.code, -2002);
    assert.equal(e5.retryable, true);
    const e4 = parseErrorResponse({ status: 400, contentType: 'application/json', body: '{"errorCode":-4019}' });
    assert.equal(e4.code, -4019);
    assert.equal(e4.retryable, false);
  });
  it('5xx and 4xx without a code', () => {
    const e5 = parseErrorResponse({ status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' });
    assert.equal(e5.code, ClientCode.SERVER);
    assert.equal(e5.retryable, true);
    assert.equal(e5.httpStatus, 502);
    assert.match(e5.message, /Bad Gateway/);
    const e4 = parseErrorResponse({ status: 404, contentType: 'text/html', body: '' });
    assert.equal(e4.code, ClientCode.NOT_FOUND);
    assert.equal(e4.retryable, false);
    assert.match(e4.message, /HTTP 404/);
    const e401 = thrown(() => parseTokenResponse({ status: 401, body: 'nope' }));
    assert.equal(e401.category, 'auth');
    assert.equal(e401.isTokenRejected, true);
  });
  it('429 + Retry-After in seconds', () => {
    const e = parseErrorResponse({ status: 429, body: '', retryAfter: ' 120 ', now: NOW });
    assert.equal(e.code, ClientCode.TOO_MANY_REQUESTS);
    assert.equal(e.retryable, true);
    assert.equal(e.retryAfterMs, 120_000);
    assert.equal(e.httpStatus, 429);
  });
  it('429 + Retry-After as an HTTP date', () => {
    const e = parseErrorResponse({ status: 429, body: '', retryAfter: new Date(NOW + 30_000).toUTCString(), now: NOW });
    assert.equal(e.retryAfterMs, 30_000);
    const past = parseErrorResponse({
      status: 429,
      body: '',
      retryAfter: new Date(NOW - 30_000).toUTCString(),
      now: NOW,
    });
    assert.equal(past.retryAfterMs, 0);
    const bad = parseErrorResponse({ status: 429, body: '', retryAfter: 'whenever', now: NOW });
    assert.equal(bad.retryAfterMs, undefined);
  });
  it('429 with a seed code keeps Retry-After and is retryable', () => {
    const e = parseErrorResponse({
      status: 429,
      contentType: 'application/json',
      body: '{"errorCode":-2019}',
      retryAfter: '5',
      now: NOW,
    });
    assert.equal(e.code, -2019);
    assert.equal(e.retryable, true);
    assert.equal(e.retryAfterMs, 5000);
  });
  it('503 + Retry-After', () => {
    const e = thrown(() => parseTokenResponse({ status: 503, body: 'busy', retryAfter: '3', now: NOW }));
    assert.equal(e.code, ClientCode.SERVER);
    assert.equal(e.retryAfterMs, 3000);
    assert.equal(e.retryable, true);
  });
  it("a 200 carrying a JSON error keeps the real status and the catalog's retryability", () => {
    const e = thrown(() =>
      parseTokenResponse({
        status: 200,
        contentType: 'application/json',
        body: '{"errorCode":-2018,"errorMessage":"wrong key"}',
      }),
    );
    assert.equal(e.code, -2018);
    assert.equal(e.httpStatus, 200);
    assert.equal(e.retryable, false);
    assert.match(e.message, /wrong key/);
    const odd = thrown(() =>
      parseTokenResponse({ status: 200, contentType: 'application/json', body: '{"errorCode":-1}' }),
    );
    assert.equal(odd.code, ClientCode.SERVER);
  });
  it('error messages never carry a token', () => {
    const e = parseErrorResponse({
      status: 400,
      contentType: 'text/html',
      body: `<p>-4010 invalid token in ${WV_URL}</p>`,
    });
    assert.equal(e.code, -4010);
    assert.ok(!e.message.includes(TOKEN.slice(8)), e.message);
    assert.ok(!e.message.includes(encodeURIComponent(TOKEN).slice(8)), e.message);
  });
  it('empty and garbage error bodies', () => {
    for (const body of ['', '   ', '\u0000\uffff', '{', '[]', 'null']) {
      const e = parseErrorResponse({ status: 400, body });
      assert.equal(e.code, ClientCode.HTTP);
      assert.equal(e.httpStatus, 400);
    }
  });
});
