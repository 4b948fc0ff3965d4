// Issue #11 items 4 and 9 (demo server, `npm start`): the site and its emulator answer
// only loopback Host names (DNS rebinding), the emulator's control routes only the
// page's own origin, and a slowly sent header or body is cut off instead of holding a
// connection open for Node's default 60/300 s.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function raw(
  base: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/**
 * Sends `head` then one more byte every 500 ms; resolves with the ms until the server
 * closed the connection, or `undefined` if it was still open after `guardMs`.
 */
function trickle(base: string, head: string, guardMs: number): Promise<number | undefined> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const t0 = Date.now();
    const socket = connect(Number(url.port), url.hostname, () => socket.write(head));
    const timer = setInterval(() => socket.writable && socket.write('a'), 500);
    const guard = setTimeout(() => done(undefined), guardMs);
    const done = (ms: number | undefined) => {
      clearInterval(timer);
      clearTimeout(guard);
      socket.destroy();
      resolve(ms);
    };
    socket.on('data', () => undefined);
    socket.on('close', () => done(Date.now() - t0));
    socket.on('error', () => undefined);
  });
}

describe('security: the demo server (npm start)', { timeout: 120_000 }, () => {
  let child: ChildProcess;
  let site = '';
  let emulatorUrl = '';
  before(async () => {
    child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', EMULATOR_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    site = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`start.mjs exited ${code}`)));
    });
    emulatorUrl = (JSON.parse((await raw(site, '/demo/config.json')).body) as { emulator: { url: string } }).emulator
      .url;
  });
  after(() => {
    child.kill('SIGTERM');
  });

  it('DNS rebinding: a Host name that is not loopback gets 403 from the site and the emulator', async () => {
    const port = new URL(site).port;
    assert.equal((await raw(site, '/demo/', { headers: { host: `rebind.evil.example:${port}` } })).status, 403);
    assert.equal((await raw(site, '/api/token', { headers: { host: `rebind.evil.example:${port}` } })).status, 403);
    assert.equal(
      (await raw(emulatorUrl, '/__emulator/stats', { headers: { host: 'rebind.evil.example' } })).status,
      403,
    );
    assert.equal((await raw(site, '/demo/', { headers: { host: `localhost:${port}` } })).status, 200);
    assert.equal((await raw(site, '/demo/')).status, 200);
  });

  it("the emulator's control routes answer the page's own origin only", async () => {
    const evil = await raw(emulatorUrl, '/__emulator/faults', {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'text/plain' },
      body: '{"token":{"failRate":1}}',
    });
    assert.equal(evil.status, 403);
    assert.equal(evil.headers['access-control-allow-origin'], undefined);
    const otherLocal = await raw(emulatorUrl, '/__emulator/stats', { headers: { origin: 'http://localhost:1' } });
    assert.equal(otherLocal.status, 403);
    const own = new URL(site).origin;
    const mine = await raw(emulatorUrl, '/__emulator/stats', { headers: { origin: own } });
    assert.equal(mine.status, 200);
    assert.equal(mine.headers['access-control-allow-origin'], own);
    const faults = JSON.parse((await raw(emulatorUrl, '/__emulator/faults')).body) as Record<string, unknown>;
    assert.ok(!JSON.stringify(faults).includes('failRate":1'), JSON.stringify(faults));
  });

  it('a slowly sent header or body is cut off within the server timeouts (not 60/300 s)', async () => {
    const [head, body] = await Promise.all([
      trickle(site, 'GET /demo/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', 30_000),
      trickle(
        site,
        'POST /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
        30_000,
      ),
    ]);
    assert.ok(head !== undefined && head < 20_000, `slow header held ${head ?? '> 30000'} ms`);
    assert.ok(body !== undefined && body < 20_000, `slow body held ${body ?? '> 30000'} ms`);
  });
});
