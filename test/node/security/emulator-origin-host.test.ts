// Issue #11 item 4 (emulator): the control routes answer only pages of allowed
// origins (default: pages served from this machine), and no route answers a Host
// name it was not configured for (DNS rebinding). Raw node:http requests, so the
// Host and Origin headers are exactly what an attacker's browser would send.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startEmulator, type Emulator } from '../../../src/server/index.js';
import { BASE, TEST_KEY } from '../server/helpers.js';
import { encodeForm } from '../../../src/core/index.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(
  base: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Raw> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: opts.method ?? 'GET',
        headers: opts.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('security: emulator control routes and Host names', () => {
  let emu: Emulator;
  let port: string;
  before(async () => {
    emu = await startEmulator({ authenticators: { test: [TEST_KEY] }, control: true });
    port = new URL(emu.url).port;
  });
  after(() => emu.close());

  it('a cross-origin page cannot set faults: 403 -9062, no CORS echo, nothing changed', async () => {
    const r = await raw(emu.url, '/__emulator/faults', {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'text/plain' },
      body: JSON.stringify({ token: { failRate: 1 } }),
    });
    assert.equal(r.status, 403);
    assert.equal(JSON.parse(r.body).errorCode, -9062);
    assert.equal(r.headers['access-control-allow-origin'], undefined);
    assert.deepEqual(emu.faults.get().token ?? {}, {});
    for (const path of ['/__emulator/reset', '/__emulator/stats']) {
      const c = await raw(emu.url, path, {
        method: path.endsWith('reset') ? 'POST' : 'GET',
        headers: { origin: 'https://evil.example' },
      });
      assert.equal(c.status, 403, path);
    }
    const pre = await raw(emu.url, '/__emulator/faults', {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(pre.headers['access-control-allow-origin'], undefined);
  });

  it('a no-Origin browser request marked cross-site is refused too', async () => {
    const r = await raw(emu.url, '/__emulator/stats', { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(r.status, 403);
  });

  it('a page served from this machine, and programs (no Origin), still use them', async () => {
    const r = await raw(emu.url, '/__emulator/stats', { headers: { origin: 'http://localhost:8000' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['access-control-allow-origin'], 'http://localhost:8000');
    assert.equal((await raw(emu.url, '/__emulator/stats')).status, 200);
  });

  it('DNS rebinding: a Host name not configured is refused on every route (403 -9064)', async () => {
    for (const path of ['/__emulator/stats', `/hms/wv/token?${encodeForm(BASE.wv)}`]) {
      const r = await raw(emu.url, path, { headers: { host: `rebind.evil.example:${port}` } });
      assert.equal(r.status, 403, path);
      assert.match(r.body, /-9064/);
    }
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `app.localhost:${port}`,
      `[::1]:${port}`,
      `10.0.0.7:${port}`,
    ]) {
      assert.equal((await raw(emu.url, '/__emulator/stats', { headers: { host } })).status, 200, host);
    }
  });

  it('allowedHosts and publicUrl add names; controlOrigins replaces the loopback default', async () => {
    const other = await startEmulator({
      authenticators: { test: [TEST_KEY] },
      control: true,
      allowedHosts: ['emulator.internal'],
      publicUrl: 'https://ep.dev.example',
      controlOrigins: ['https://tools.example'],
    });
    try {
      for (const host of ['emulator.internal:8787', 'ep.dev.example'])
        assert.equal((await raw(other.url, '/__emulator/stats', { headers: { host } })).status, 200, host);
      assert.equal(
        (await raw(other.url, '/__emulator/stats', { headers: { origin: 'https://tools.example' } })).status,
        200,
      );
      assert.equal(
        (await raw(other.url, '/__emulator/stats', { headers: { origin: 'http://localhost:8000' } })).status,
        403,
      );
    } finally {
      await other.close();
    }
  });
});
