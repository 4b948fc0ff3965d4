// Bad input never crashes the emulator: malformed encoding, duplicates, huge
// bodies, slow clients, unknown paths and methods; CORS; faults; control routes.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startEmulator, type Emulator } from '../../../src/server/index.js';
import {
  BASE,
  KID,
  TEST_KEY,
  clearKeyBody,
  codeOf,
  get,
  issueRightsUrl,
  raw,
  tokenGet,
  tokenPost,
  withParams,
} from './helpers.js';
import { encodeForm } from '../../../src/core/index.js';

function postBig(url: string, size: number): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('emulator robustness', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      authenticators: { test: [TEST_KEY] },
      control: true,
      headersTimeoutMs: 400,
      requestTimeoutMs: 400,
    });
  });
  after(() => emu.close());

  it('malformed percent-encoding → -9003 (query and body, both formats)', async () => {
    const q = await get(`${emu.url}/hms/wv/token?errorFormat=json&kid=%E0%A4%A`);
    assert.equal(q.status, 400);
    assert.equal(codeOf(q), -9003);
    const b = await get(`${emu.url}/hms/wv/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'cookie=%zz',
    });
    assert.equal(b.status, 400);
    assert.match(b.type, /text\/html/);
    assert.equal(codeOf(b), -9003);
  });

  it('duplicate parameters, also split between query and body → -9002', async () => {
    const a = await get(`${emu.url}/hms/wv/token?${encodeForm(withParams(BASE.wv, { errorFormat: 'json' }))}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `kid=${KID}`,
    });
    assert.equal(codeOf(a), -9002);
    const dupAuth = await tokenGet(
      emu.url,
      'wv',
      withParams(BASE.wv, { errorFormat: 'json' }, [['customerAuthenticator', TEST_KEY]]),
    );
    assert.equal(codeOf(dupAuth), -9002);
  });

  it('a JSON body on the token route is refused (-9003)', async () => {
    const a = await get(`${emu.url}/hms/wv/token?errorFormat=json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(codeOf(a), -9003);
  });

  it('a 2 MB body → 413 -9025, and the server still answers', async () => {
    const a = await postBig(`${emu.url}/hms/wv/token?errorFormat=json`, 2 * 1024 * 1024);
    assert.equal(a.status, 413);
    assert.equal(JSON.parse(a.body).errorCode, -9025);
    const url = await issueRightsUrl(emu.url, 'wv', BASE.wv);
    const b = await postBig(url, 2 * 1024 * 1024);
    assert.equal(b.status, 413);
    assert.equal((await tokenPost(emu.url, 'wv', BASE.wv)).status, 200);
  });

  it('slowloris: partial headers → connection closed (408), no crash', async () => {
    const r = await raw(emu.url, 'GET /hms/wv/token HTTP/1.1\r\nHost: x\r\nX-Slow: ', { waitMs: 4000 });
    assert.ok(r.closed, 'the server closed the connection');
    assert.match(r.text, /^HTTP\/1\.1 408/);
    const body = await raw(emu.url, 'POST /hms/wv/token HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nkid=', {
      waitMs: 4000,
    });
    assert.ok(body.closed);
    assert.equal((await tokenGet(emu.url, 'wv', BASE.wv)).status, 200);
  });

  it('garbage HTTP → 400 and close', async () => {
    const r = await raw(emu.url, 'NOT HTTP AT ALL\r\n\r\n');
    assert.ok(r.closed);
    assert.match(r.text, /^HTTP\/1\.1 400/);
  });

  it('unknown path → 404 -9023; other methods → 405 with Allow', async () => {
    const n = await get(`${emu.url}/hms/wv/tokens?errorFormat=json`);
    assert.equal(n.status, 404);
    assert.equal(codeOf(n), -9023);
    const put = await get(`${emu.url}/hms/wv/token?errorFormat=json`, { method: 'PUT', body: 'x' });
    assert.equal(put.status, 405);
    assert.equal(codeOf(put), -9024);
    assert.equal(put.headers.get('allow'), 'GET, POST, OPTIONS');
    const del = await get(`${emu.url}/hms/fp/rights/`, { method: 'GET' });
    assert.equal(del.status, 405);
    assert.equal(del.headers.get('allow'), 'POST, OPTIONS');
  });

  it('CORS: preflight and echoed origin with exposed headers', async () => {
    const pre = await get(`${emu.url}/hms/wv/rights/`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'http://app.example');
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.equal(pre.headers.get('access-control-allow-headers'), 'content-type');
    const a = await get(`${emu.url}/hms/wv/token?${encodeForm(BASE.wv)}`, {
      headers: { origin: 'http://app.example' },
    });
    assert.equal(a.headers.get('access-control-allow-origin'), 'http://app.example');
    assert.match(a.headers.get('access-control-expose-headers') ?? '', /retry-after/);
    // The control routes answer pages of this machine only (test/node/security/emulator-origin-host.test.ts).
    const c = await get(`${emu.url}/__emulator/stats`, { headers: { origin: 'http://localhost:8000' } });
    assert.equal(c.headers.get('access-control-allow-origin'), 'http://localhost:8000');
    assert.equal((await get(`${emu.url}/__emulator/stats`, { headers: { origin: 'http://app.example' } })).status, 403);
  });

  it('faults: latency per route', async () => {
    await get(`${emu.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ token: { latencyMs: 300 } }) });
    const t0 = performance.now();
    assert.equal((await tokenGet(emu.url, 'wv', BASE.wv)).status, 200);
    assert.ok(performance.now() - t0 >= 280);
    await get(`${emu.url}/__emulator/reset`, { method: 'POST' });
    const t1 = performance.now();
    await tokenGet(emu.url, 'wv', BASE.wv);
    assert.ok(performance.now() - t1 < 250);
  });

  it('faults: fail the next N with a status, code and Retry-After; failRate 1 and 0', async () => {
    const set = await get(`${emu.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ token: { failNext: 2, status: 503, retryAfter: 3 } }),
    });
    assert.deepEqual(JSON.parse(set.body), { token: { failNext: 2, status: 503, retryAfter: 3 } });
    for (let i = 0; i < 2; i++) {
      const a = await tokenGet(emu.url, 'wv', withParams(BASE.wv, { errorFormat: 'json' }));
      assert.equal(a.status, 503);
      assert.equal(codeOf(a), -9015);
      assert.equal(a.headers.get('retry-after'), '3');
    }
    assert.equal((await tokenGet(emu.url, 'wv', BASE.wv)).status, 200);
    emu.faults.set({ rights: { failRate: 1, status: 429 } });
    const url = await issueRightsUrl(emu.url, 'wv', BASE.wv);
    const r = await get(url, { method: 'POST', body: clearKeyBody(KID) });
    assert.equal(r.status, 429);
    assert.equal(codeOf(r), -9014);
    emu.faults.set({ rights: { failRate: 0 } });
    assert.equal((await get(url, { method: 'POST', body: clearKeyBody(KID) })).status, 200);
    const stats = JSON.parse((await get(`${emu.url}/__emulator/stats`)).body) as {
      faultsInjected: number;
      rejectsByCode: Record<string, number>;
    };
    assert.equal(stats.faultsInjected, 3);
    assert.equal(stats.rejectsByCode['-9014'], 1);
    emu.faults.reset();
  });

  it('faults: forced expiry, for new tokens (issued) and for all (redeem)', async () => {
    const before = await issueRightsUrl(emu.url, 'wv', BASE.wv);
    emu.faults.set({ forceExpiry: 'issued' });
    const during = await issueRightsUrl(emu.url, 'wv', BASE.wv);
    assert.equal(codeOf(await get(during, { method: 'POST', body: clearKeyBody(KID) })), -4010);
    assert.equal((await get(before, { method: 'POST', body: clearKeyBody(KID) })).status, 200);
    emu.faults.set({ forceExpiry: 'all' });
    assert.equal(codeOf(await get(before, { method: 'POST', body: clearKeyBody(KID) })), -4010);
    emu.faults.set({ forceExpiry: 'off' });
    assert.equal((await get(before, { method: 'POST', body: clearKeyBody(KID) })).status, 200);
  });

  it('control: bad fault config → 400 -9001 / -9003; reset clears stats', async () => {
    const bad = await get(`${emu.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ token: { failRate: 2 } }),
    });
    assert.equal(bad.status, 400);
    assert.equal(codeOf(bad), -9001);
    const notJson = await get(`${emu.url}/__emulator/faults`, { method: 'POST', body: '{' });
    assert.equal(codeOf(notJson), -9003);
    await get(`${emu.url}/__emulator/reset`, { method: 'POST' });
    const s = JSON.parse((await get(`${emu.url}/__emulator/stats`)).body) as { tokensIssued: Record<string, number> };
    assert.deepEqual(s.tokensIssued, { widevine: 0, fairplay: 0, playready: 0 });
  });

  it('control routes are absent unless control: true', async () => {
    const plain = await startEmulator({ authenticators: { test: [TEST_KEY] } });
    try {
      assert.equal((await get(`${plain.url}/__emulator/stats`)).status, 404);
    } finally {
      await plain.close();
    }
  });
});
