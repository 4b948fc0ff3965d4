// The reference token endpoint against the emulator, end to end over real HTTP.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorForHttpStatus, ExpressPlayError, parseTokenResponse } from '../../../src/core/index.js';
import {
  createTokenHandler,
  decodeStandInCkc,
  startEmulator,
  type Emulator,
  type TokenHandlerLogEntry,
  type TokenHandlerOptions,
  type TokenRequestContext,
} from '../../../src/server/index.js';
import { startTestServers, type TestServers } from '../../browser/support/servers.js';
import { IV, KEY, KID, TEST_KEY, clearKeyBody, get } from './helpers.js';

async function serve(options: TokenHandlerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(createTokenHandler(options));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe('reference token endpoint (createTokenHandler) against the emulator', () => {
  let emu: Emulator;
  let endpoint: { url: string; close(): Promise<void> };
  const logs: TokenHandlerLogEntry[] = [];
  const seen: TokenRequestContext[] = [];
  before(async () => {
    emu = await startEmulator({ authenticators: { test: [TEST_KEY] }, control: true });
    endpoint = await serve({
      authenticator: TEST_KEY,
      service: emu.url,
      allowedOrigins: ['http://app.example'],
      log: (e) => logs.push(e),
      resolve: (_req, ctx) => {
        seen.push(ctx);
        if (ctx.contentId === 'missing')
          throw new ExpressPlayError(-9023, { details: 'unknown content', httpStatus: 404 });
        // The README's refusal of a viewer.
        if (ctx.contentId === 'not-entitled')
          throw new ExpressPlayError(-9013, { httpStatus: 403, details: 'not entitled' });
        if (ctx.contentId === 'bad-key')
          return { kid: KID, contentKey: '1234', securityLevel: 1, hdcpOutputControl: 0 };
        if (ctx.drm === 'fairplay') return { contentKey: KEY, iv: IV, expirationTime: '+120' };
        if (ctx.drm === 'playready') return { kid: KID, contentKey: KEY };
        return {
          kid: KID,
          contentKey: KEY,
          securityLevel: ctx.securityLevel ?? 1,
          hdcpOutputControl: ctx.hdcp === 'unknown' || ctx.hdcp === undefined ? 0 : ctx.hdcp,
        };
      },
    });
  });
  after(async () => {
    await endpoint.close();
    await emu.close();
  });

  it('GET → JSON { rightsUrl, expiresAt } (30-day default); the rights URL gives a ClearKey license', async () => {
    const t0 = Date.now();
    const a = await get(`${endpoint.url}?drm=clearkey&contentId=movie&securityLevel=3&hdcp=1&kids=${KID}`, {
      headers: { accept: 'application/json' },
    });
    assert.equal(a.status, 200, a.body);
    const j = JSON.parse(a.body) as { rightsUrl: string; expiresAt: string };
    assert.match(j.rightsUrl, new RegExp(`^${emu.url}/hms/wv/rights/\\?ExpressPlayToken=`));
    const exp = Date.parse(j.expiresAt);
    assert.ok(Math.abs(exp - (t0 + 30 * 86400_000)) < 5000);
    assert.deepEqual(seen.at(-1), { drm: 'clearkey', contentId: 'movie', securityLevel: 3, hdcp: 1, kids: [KID] });
    const lic = await get(j.rightsUrl, { method: 'POST', body: clearKeyBody(KID) });
    assert.equal(lic.status, 200);
  });

  it('POST form and POST JSON; Accept text/uri-list → the URL alone', async () => {
    const form = await get(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/uri-list' },
      body: 'drm=widevine&contentId=m&hdcp=unknown',
    });
    assert.equal(form.status, 200);
    assert.match(form.type, /^text\/uri-list/);
    assert.match(form.body, /^http:\/\/127\.0\.0\.1:\d+\/hms\/wv\/rights\/\?ExpressPlayToken=[\w.-]+$/);
    const json = await get(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ drm: 'fairplay', contentId: 'm', kids: [KID] }),
    });
    const j = JSON.parse(json.body) as { rightsUrl: string; expiresAt: string };
    assert.match(j.rightsUrl, /\/hms\/fp\/rights\//);
    assert.ok(Math.abs(Date.parse(j.expiresAt) - (Date.now() + 120_000)) < 5000, 'expiresAt from expirationTime');
    const spc = Buffer.from('spc-bytes');
    const ckc = await fetch(j.rightsUrl, { method: 'POST', body: spc });
    assert.equal(Buffer.from(decodeStandInCkc(new Uint8Array(await ckc.arrayBuffer()), spc).key).toString('hex'), KEY);
  });

  it('PlayReady: URL and token composed into one rights URL', async () => {
    const a = await get(`${endpoint.url}?drm=playready&contentId=m`);
    const j = JSON.parse(a.body) as { rightsUrl: string };
    assert.match(j.rightsUrl, /\/hms\/pr\/rights\/\?ExpressPlayToken=[\w.-]+$/);
    assert.equal((await get(j.rightsUrl, { method: 'POST', body: clearKeyBody(KID) })).status, 200);
  });

  it('relays errors: resolve 404, local validation (-2027), ExpressPlay errors (status + code)', async () => {
    const missing = await get(`${endpoint.url}?drm=widevine&contentId=missing`);
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.body).errorCode, -9023);
    const badKey = await get(`${endpoint.url}?drm=widevine&contentId=bad-key`);
    assert.equal(badKey.status, 400);
    assert.equal(JSON.parse(badKey.body).errorCode, -2027);
    emu.faults.set({ token: { failNext: 1, status: 401, code: -2031 } });
    const disabled = await get(`${endpoint.url}?drm=widevine&contentId=m`);
    assert.equal(disabled.status, 401);
    assert.deepEqual(Object.keys(JSON.parse(disabled.body)).sort(), ['errorCode', 'errorMessage']);
    assert.equal(JSON.parse(disabled.body).errorCode, -2031);
    emu.faults.set({ token: { failNext: 1, status: 503, retryAfter: 2 } });
    const busy = await get(`${endpoint.url}?drm=widevine&contentId=m`);
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get('retry-after'), '2');
  });

  it("a viewer refused the README's way (-9013, 403) reaches the browser's parser as category auth, like a bare 403", async () => {
    const refused = await get(`${endpoint.url}?drm=widevine&contentId=not-entitled`, {
      headers: { accept: 'application/json' },
    });
    assert.equal(refused.status, 403);
    assert.equal(JSON.parse(refused.body).errorCode, -9013);
    assert.throws(
      () => parseTokenResponse({ status: refused.status, body: refused.body, contentType: refused.type }),
      (e: unknown) =>
        e instanceof ExpressPlayError &&
        e.code === -9013 &&
        e.httpStatus === 403 &&
        e.category === 'auth' &&
        e.category === errorForHttpStatus(403).category,
    );
  });

  it('bad browser requests → 400 with a code; other methods → 405', async () => {
    for (const [q, code] of [
      ['drm=nope&contentId=m', -9005],
      ['drm=widevine', -9001],
      ['drm=widevine&contentId=m&securityLevel=9', -9001],
      ['drm=widevine&contentId=m&hdcp=7', -9001],
      ['drm=widevine&contentId=m&kids=zz', -9001],
      ['drm=widevine&drm=fairplay&contentId=m', -9002],
      ['drm=widevine&contentId=%zz', -9003],
    ] as const) {
      const a = await get(`${endpoint.url}?${q}`);
      assert.equal(a.status, 400, q);
      assert.equal(JSON.parse(a.body).errorCode, code, q);
    }
    const del = await get(endpoint.url, { method: 'DELETE' });
    assert.equal(del.status, 405);
    assert.equal(del.headers.get('allow'), 'GET, POST, OPTIONS');
  });

  it('CORS: allowed origin echoed, others get none', async () => {
    const pre = await get(endpoint.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'http://app.example');
    const other = await get(`${endpoint.url}?drm=widevine&contentId=m`, { headers: { origin: 'http://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  it('never leaks the authenticator (responses and logs)', async () => {
    assert.ok(logs.length > 5);
    assert.ok(!JSON.stringify(logs).includes(TEST_KEY));
    assert.ok(!JSON.stringify(logs).includes('ExpressPlayToken=ey'));
  });

  it('refuses (502 -9060) an error text in which the service echoes the authenticator', async () => {
    const echo = await serve({
      authenticator: 'SECRET-123',
      service: 'http://127.0.0.1:1',
      fetch: async () =>
        new Response(JSON.stringify({ errorCode: -2018, errorMessage: 'bad key SECRET-123' }), {
          status: 401,
          headers: { 'content-type': 'application/json' },
        }),
      resolve: () => ({ kid: KID, contentKey: KEY, securityLevel: 1, hdcpOutputControl: 0 }),
    });
    try {
      const a = await get(`${echo.url}?drm=widevine&contentId=m`);
      assert.equal(a.status, 502);
      assert.equal(JSON.parse(a.body).errorCode, -9060);
      assert.ok(!a.body.includes('SECRET-123'), a.body);
    } finally {
      await echo.close();
    }
  });

  it('bounds a resolve() that never answers by the same timeout → 504 -9011, and nothing is asked of the service', async () => {
    const before = emu.stats().tokensIssued;
    const stuck = await serve({
      authenticator: TEST_KEY,
      service: emu.url,
      timeoutMs: 200,
      resolve: () => new Promise<never>(() => undefined),
    });
    try {
      const a = await get(`${stuck.url}?drm=widevine&contentId=m`);
      assert.equal(a.status, 504);
      assert.equal(JSON.parse(a.body).errorCode, -9011);
      assert.match(JSON.parse(a.body).errorMessage, /resolve\(\) did not answer/);
      assert.equal(a.headers.get('x-content-type-options'), 'nosniff');
      assert.deepEqual(emu.stats().tokensIssued, before);
    } finally {
      await stuck.close();
    }
  });

  it('times out a slow token service → 504 -9011; an unreachable one → 502 -9010', async () => {
    emu.faults.set({ token: { latencyMs: 1000 } });
    const slow = await serve({
      authenticator: TEST_KEY,
      service: emu.url,
      timeoutMs: 200,
      resolve: () => ({ kid: KID, contentKey: KEY, securityLevel: 1, hdcpOutputControl: 0 }),
    });
    try {
      const t0 = performance.now();
      const a = await get(`${slow.url}?drm=widevine&contentId=m`);
      assert.equal(a.status, 504);
      assert.equal(JSON.parse(a.body).errorCode, -9011);
      assert.ok(performance.now() - t0 < 900);
    } finally {
      emu.faults.reset();
      await slow.close();
    }
    const down = await serve({
      authenticator: TEST_KEY,
      service: 'http://127.0.0.1:1',
      resolve: () => ({ kid: KID, contentKey: KEY, securityLevel: 1, hdcpOutputControl: 0 }),
    });
    try {
      const a = await get(`${down.url}?drm=widevine&contentId=m`);
      assert.equal(a.status, 502);
      assert.equal(JSON.parse(a.body).errorCode, -9010);
    } finally {
      await down.close();
    }
  });
});

describe('browser test servers (startTestServers)', () => {
  let servers: TestServers;
  before(async () => {
    servers = await startTestServers();
  });
  after(() => servers.close());

  it('serves tokens for the test streams and ClearKey licenses with their keys', async () => {
    const { tokenEndpointUrl, controlUrl } = servers.config;
    const a = await get(`${tokenEndpointUrl}?drm=clearkey&contentId=cenc-h264`);
    const { rightsUrl } = JSON.parse(a.body) as { rightsUrl: string };
    const lic = JSON.parse(
      (await get(rightsUrl, { method: 'POST', body: clearKeyBody('86bf0cec3721064d624f22d25849c816') })).body,
    ) as { keys: { k: string }[] };
    assert.equal(Buffer.from(lic.keys[0]!.k, 'base64url').toString('hex'), 'c5a24cdf823112f0f9a9f7b0fe643619');
    const fp = await get(`${tokenEndpointUrl}?drm=fairplay&contentId=fairplay-hls`);
    assert.equal(fp.status, 200);
    assert.equal((await get(`${tokenEndpointUrl}?drm=widevine&contentId=nope`)).status, 404);
    assert.equal((await get(`${controlUrl}/stats`)).status, 200);
  });
});
