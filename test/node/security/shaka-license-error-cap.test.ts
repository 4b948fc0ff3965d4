// Issue #11 item 2, Shaka side: Shaka reads a failed license answer itself (no cap of
// ours on the wire), and the adapter turns that body into the typed error. The body is
// held to the same 64 KiB cap as every body the browser layer reads before any of it is
// parsed: over it, -9061.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type shaka from 'shaka-player';
import { ClientCode } from '../../../src/core/index.js';
import { DEFAULT_MAX_BODY_BYTES } from '../../../src/core/capped-read.js';
import { rejectionOf } from '../../../src/shaka/shaka-errors.js';

/** Shaka's BAD_HTTP_STATUS (1001) error: data is [uri, status, body text, headers]. */
function badStatus(body: string, contentType = 'text/html'): shaka.util.Error {
  return {
    code: 1001,
    data: ['https://wv.service.expressplay.com/hms/wv/rights/', 500, body, { 'content-type': contentType }],
  } as unknown as shaka.util.Error;
}

const errorPage = (filler: string, bytes: number) =>
  `<html><body>Error -2018 ${filler.repeat(Math.ceil(bytes / filler.length))}`.slice(0, bytes);

describe('security: license error bodies read by Shaka are capped before parsing', () => {
  it('a body at the cap is parsed as before (the code in it is kept)', async () => {
    const err = await rejectionOf(badStatus(errorPage('x', DEFAULT_MAX_BODY_BYTES)), 'widevine');
    assert.equal(err.code, -2018);
  });

  it('one byte over the cap: -9061, not parsed', async () => {
    const err = await rejectionOf(badStatus(errorPage('x', DEFAULT_MAX_BODY_BYTES + 1)), 'widevine');
    assert.equal(err.code, ClientCode.RESPONSE_TOO_LARGE);
    assert.equal(err.drm, 'widevine');
  });

  it('the cap counts UTF-8 bytes, not characters', async () => {
    const body = errorPage('é', DEFAULT_MAX_BODY_BYTES / 2 + 100);
    assert.ok(body.length < DEFAULT_MAX_BODY_BYTES);
    assert.equal((await rejectionOf(badStatus(body), 'playready')).code, ClientCode.RESPONSE_TOO_LARGE);
  });
});
