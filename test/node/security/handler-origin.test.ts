// Issue #11 item 3: no cross-site token minting. A browser request from an origin
// that is not allowed is refused (403 -9062) before resolve() runs and before any
// call to the token service; JSON is read only from application/json; preflights
// are answered; credentials only for listed origins when the app opts in.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type Emulator, type TokenHandlerOptions } from '../../../src/server/index.js';
import { KEY, KID, TEST_KEY } from '../server/helpers.js';
import { serve, type Served } from './handler-support.js';

const APP = 'https://app.example';
const EVIL = 'https://evil.example';

describe('origin checks of the token endpoint (issue #11 item 3)', () => {
  let emu: Emulator;
  let resolves = 0;
  let sameOrigin: Served;
  let listed: Served;
  const options = (extra: Partial<TokenHandlerOptions> = {}): TokenHandlerOptions => ({
    authenticator: TEST_KEY,
    service: emu.url,
    resolve: () => {
      resolves++;
      return { kid: KID, contentKey: KEY, securityLevel: 1, hdcpOutputControl: 0 };
    },
    ...extra,
  });
  const tokens = () => emu.stats().tokensIssued.widevine;

  before(async () => {
    emu = await startEmulator({ authenticators: { test: [TEST_KEY] } });
    sameOrigin = await serve(options());
    listed = await serve(options({ allowedOrigins: [APP], allowCredentials: true }));
  });
  after(async () => {
    await sameOrigin.close();
    await listed.close();
    await emu.close();
  });

  /** Asserts the request is refused 403 -9062 and neither resolve() nor the token service ran. */
  async function refused(url: string, init: RequestInit) {
    const [r0, t0] = [resolves, tokens()];
    const r = await fetch(url, init);
    const body = await r.text();
    assert.equal(r.status, 403, body);
    assert.equal(JSON.parse(body).errorCode, -9062);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    assert.equal(resolves, r0, 'resolve() ran');
    assert.equal(tokens(), t0, 'a token was minted');
  }

  it('same-origin by default: a cross-origin GET with the viewer’s cookies is refused', () =>
    refused(`${sameOrigin.url}?drm=widevine&contentId=m`, { headers: { origin: EVIL, cookie: 'session=viewer' } }));

  it('a no-cors GET (no Origin) flagged Sec-Fetch-Site: cross-site is refused, same-site too', async () => {
    await refused(`${sameOrigin.url}?drm=widevine&contentId=m`, { headers: { 'sec-fetch-site': 'cross-site' } });
    await refused(`${sameOrigin.url}?drm=widevine&contentId=m`, { headers: { 'sec-fetch-site': 'same-site' } });
  });

  it('a text/plain POST whose body is JSON (no preflight) from another origin is refused', () =>
    refused(sameOrigin.url, {
      method: 'POST',
      headers: { origin: EVIL, 'content-type': 'text/plain' },
      body: JSON.stringify({ drm: 'widevine', contentId: 'm' }),
    }));

  it('JSON is read only from application/json: a text/plain JSON body is not parsed (415), resolve() not called', async () => {
    const r0 = resolves;
    const r = await fetch(sameOrigin.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ drm: 'widevine', contentId: 'm' }),
    });
    assert.equal(r.status, 415);
    assert.equal((await r.json()).errorCode, -9003);
    assert.equal(resolves, r0);
  });

  it('the endpoint’s own origin is served (by Origin, or Sec-Fetch-Site: same-origin)', async () => {
    const own = await fetch(sameOrigin.url, {
      method: 'POST',
      headers: { origin: sameOrigin.origin, 'content-type': 'application/json' },
      body: JSON.stringify({ drm: 'widevine', contentId: 'm' }),
    });
    assert.equal(own.status, 200, await own.text());
    const vouched = await fetch(`${sameOrigin.url}?drm=widevine&contentId=m`, {
      headers: { origin: 'https://public-name.example', 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(vouched.status, 200);
    const plain = await fetch(`${sameOrigin.url}?drm=widevine&contentId=m`);
    assert.equal(plain.status, 200, 'a server-to-server call (no Origin, no Sec-Fetch-Site) is served');
  });

  it('a listed origin gets CORS with credentials when the app opted in; others are refused', async () => {
    const r = await fetch(`${listed.url}?drm=widevine&contentId=m`, {
      headers: { origin: APP, 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), APP);
    assert.equal(r.headers.get('access-control-allow-credentials'), 'true');
    assert.match(r.headers.get('vary') ?? '', /Origin/);
    await refused(`${listed.url}?drm=widevine&contentId=m`, { headers: { origin: EVIL } });
  });

  it('preflight: answered 204 for a listed origin, 403 for another', async () => {
    const ok = await fetch(listed.url, {
      method: 'OPTIONS',
      headers: {
        origin: APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), APP);
    assert.match(ok.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.equal(ok.headers.get('access-control-allow-headers'), 'content-type');
    assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
    await refused(listed.url, {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'POST' },
    });
  });

  it("credentials with allowedOrigins '*' are refused at creation (any site could then mint with cookies)", async () => {
    const { createTokenHandler } = await import('../../../src/server/index.js');
    assert.throws(() => createTokenHandler(options({ allowedOrigins: '*', allowCredentials: true })), TypeError);
  });
});
