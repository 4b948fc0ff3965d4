// The browser layer's way to error answers (src/browser/error-answer-on-demand.ts and
// its UMD twin error-answer-eager.ts), and the token client's success path
// (core/token-answer.ts): the same typed errors as the public parsers, field for field.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseErrorResponse, parseTokenResponse, type TokenResponseInput } from '../../../src/core/index.js';
import type { ExpressPlayError } from '../../../src/core/index.js';
import { errorFromAnswer as onDemand } from '../../../src/browser/error-answer-on-demand.js';
import { errorFromAnswer as eager } from '../../../src/browser/error-answer-eager.js';
import { tokenFromAnswer } from '../../../src/core/token-answer.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const ANSWERS: TokenResponseInput[] = [
  {
    status: 401,
    contentType: 'application/json',
    body: '{"error":{"code":-2018,"message":"bad key"}}',
    drm: 'widevine',
  },
  {
    status: 400,
    contentType: 'text/html',
    body: '<html><head><title>x</title></head><body><p>Error -4022: Invalid kid &amp; more</p></body></html>',
  },
  { status: 503, contentType: 'text/plain', body: 'busy', retryAfter: '7', drm: 'fairplay' },
  { status: 429, body: '', retryAfter: 'Tue, 01 Dec 2026 12:00:30 GMT', now: NOW },
  { status: 500, contentType: 'application/json', body: '{"errorCode":"-6004"}', drm: 'fairplay' },
  { status: 404, body: 'no such route' },
  { status: 200, contentType: 'application/json', body: '{"errorCode":-2019,"errorMessage":"no tokens"}' },
];

const fields = (e: ExpressPlayError) => ({
  name: e.name,
  message: e.message,
  code: e.code,
  httpStatus: e.httpStatus,
  category: e.category,
  retryable: e.retryable,
  drm: e.drm,
  details: e.details,
  retryAfterMs: e.retryAfterMs,
});

describe('error answers through the browser layer', () => {
  for (const answer of ANSWERS) {
    it(`HTTP ${answer.status} ${answer.body.slice(0, 30)}: as parseErrorResponse answers`, async () => {
      const expected = fields(parseErrorResponse(answer));
      assert.deepEqual(fields(await onDemand(answer)), expected);
      assert.deepEqual(fields(await eager(answer)), expected);
    });
  }

  it('a 2xx JSON answer with only an error code is left to the error parser, as parseTokenResponse throws it', async () => {
    const answer = ANSWERS.at(-1)!;
    assert.equal(tokenFromAnswer(answer), undefined);
    assert.throws(
      () => parseTokenResponse(answer),
      (err: ExpressPlayError) => {
        assert.equal(err.code, -2019);
        assert.equal(err.httpStatus, 200);
        return true;
      },
    );
    assert.equal((await onDemand(answer)).code, -2019);
  });

  it('a non-2xx answer is an error answer; a 2xx one gives the rights URL and its token', () => {
    assert.equal(
      tokenFromAnswer({ status: 403, body: 'https://wv.test.expressplay.com/x?ExpressPlayToken=abc' }),
      undefined,
    );
    const ok = {
      status: 200,
      contentType: 'text/uri-list',
      body: 'https://wv.test.expressplay.com/x?ExpressPlayToken=abc\r\n',
    };
    assert.deepEqual(tokenFromAnswer(ok), parseTokenResponse(ok));
    assert.equal(tokenFromAnswer(ok)?.token, 'abc');
  });
});
