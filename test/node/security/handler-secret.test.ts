// Issue #11 item 1: the customerAuthenticator never leaves the token endpoint, in
// any encoding, in any status line, header, body or log line, on success or error.
// An upstream answer that carries it is refused whole: 502 -9060.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TokenHandlerLogEntry } from '../../../src/server/index.js';
import { KEY, KID } from '../server/helpers.js';
import { leaks, secretForms, serve } from './handler-support.js';

const SECRET = 'Sx7/Secret+Auth=42&key';

type Upstream = (form: string) => Response;

/** Where a token service could echo the authenticator. */
const PLACES: Record<string, Upstream> = {
  'success: the rights URL': (f) =>
    Response.json({ rightsUrl: `https://pr.example/hms/wv/rights/?ExpressPlayToken=abc&x=${f}` }),
  'success: PlayReady token field': (f) =>
    Response.json({ licenseAcquisitionUrl: 'https://pr.example/hms/pr/rights/', token: `tok-${f}` }),
  'success: text/uri-list': (f) =>
    new Response(`https://pr.example/hms/wv/rights/?ExpressPlayToken=abc${f}`, {
      headers: { 'content-type': 'text/uri-list' },
    }),
  'error: JSON message': (f) =>
    Response.json({ errorCode: -2018, errorMessage: `bad customerAuthenticator ${f}` }, { status: 401 }),
  'error: HTML page': (f) =>
    new Response(`<html><body><h1>Error -2018</h1><p>Invalid authenticator: ${f}</p></body></html>`, {
      status: 401,
      headers: { 'content-type': 'text/html' },
    }),
  'error: echo past the 300-character clip': (f) =>
    Response.json({ errorCode: -2018, errorMessage: `${'x'.repeat(290)}${f}` }, { status: 401 }),
  'error: a header': (f) => new Response('busy', { status: 503, headers: { 'retry-after': '1', 'x-debug': f } }),
};

async function ask(upstream: () => Response) {
  const logs: TokenHandlerLogEntry[] = [];
  const endpoint = await serve({
    authenticator: SECRET,
    service: 'http://127.0.0.1:9',
    fetch: async () => upstream(),
    log: (e) => logs.push(e),
    resolve: () => ({ kid: KID, contentKey: KEY, securityLevel: 1, hdcpOutputControl: 0 }),
  });
  try {
    const r = await fetch(`${endpoint.url}?drm=widevine&contentId=m`);
    const headers = JSON.stringify([...r.headers]);
    return { status: r.status, statusText: r.statusText, headers, body: await r.text(), logs: JSON.stringify(logs) };
  } finally {
    await endpoint.close();
  }
}

describe('the authenticator never leaves the token endpoint (issue #11 item 1)', () => {
  for (const [place, upstream] of Object.entries(PLACES)) {
    for (const [name, form] of Object.entries(secretForms(SECRET))) {
      it(`${place}, ${name}: refused whole (502 -9060), no form of it anywhere`, async () => {
        const a = await ask(() => upstream(form));
        assert.equal(a.status, 502, a.body);
        assert.equal(JSON.parse(a.body).errorCode, -9060);
        for (const text of [a.statusText, a.headers, a.body, a.logs]) assert.ok(!leaks(text, SECRET), text);
        assert.match(a.logs, /-9060/, 'the refusal is logged (without the secret)');
      });
    }
  }

  it('an answer without the authenticator still passes (no false refusal of ordinary text)', async () => {
    const a = await ask(() =>
      Response.json({ rightsUrl: 'https://pr.example/hms/wv/rights/?ExpressPlayToken=abc%2Fdef&amp;x' }),
    );
    assert.equal(a.status, 200, a.body);
  });

  it('an app error whose details carry the authenticator is withheld from body and log', async () => {
    const logs: TokenHandlerLogEntry[] = [];
    const { ExpressPlayError } = await import('../../../src/core/index.js');
    const endpoint = await serve({
      authenticator: SECRET,
      service: 'http://127.0.0.1:9',
      log: (e) => logs.push(e),
      resolve: () => {
        throw new ExpressPlayError(-9023, {
          httpStatus: 404,
          details: `lookup with ${encodeURIComponent(SECRET)} failed`,
        });
      },
    });
    try {
      const r = await fetch(`${endpoint.url}?drm=widevine&contentId=m`);
      const body = await r.text();
      assert.equal(r.status, 404);
      assert.ok(!leaks(body, SECRET), body);
      assert.ok(!leaks(JSON.stringify(logs), SECRET));
    } finally {
      await endpoint.close();
    }
  });
});
