// Nothing left running: a request parked in an injected latency must not keep a
// timer alive after its client went away or after emulator.close().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { createTokenHandler, startEmulator } from '../../../src/server/index.js';
import { KEY, KID, TEST_KEY } from './helpers.js';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

/** A request on a raw connection (no client-side keep-alive timers), left hanging. */
function hangingRequest(url: string, method = 'GET') {
  const req = request(url, { agent: false, method });
  req.on('error', () => undefined);
  req.end();
  return req;
}

test('emulator.close() with a request in a 60 s fault latency leaves no timer running', async () => {
  const emu = await startEmulator({ authenticators: { test: [TEST_KEY] } });
  emu.faults.set({ token: { latencyMs: 60_000 } });
  const before = timers();
  hangingRequest(`${emu.url}/hms/wv/token`);
  await delay(200);
  assert.ok(timers() > before, 'the latency timer is running');
  await emu.close();
  await delay(50);
  // (close() also stops the server's own connection-checking interval: hence <=)
  assert.ok(timers() <= before, `timers left after close(): ${timers()} > ${before}`);
});

test('a client that gives up during a fault latency does not keep its timer running', async () => {
  const emu = await startEmulator({ authenticators: { test: [TEST_KEY] } });
  try {
    emu.faults.set({ rights: { latencyMs: 60_000 } });
    const before = timers();
    const req = hangingRequest(`${emu.url}/hms/wv/rights/?ExpressPlayToken=x`, 'POST');
    await delay(200);
    assert.ok(timers() > before, 'the latency timer is running');
    req.destroy();
    await delay(100);
    assert.equal(timers(), before, 'timers left after the client went away');
  } finally {
    await emu.close();
  }
});

test('token handler: a browser that goes away while resolve() runs costs no ExpressPlay token', async () => {
  const serviceCalls: string[] = [];
  const handler = createTokenHandler({
    authenticator: TEST_KEY,
    service: 'http://127.0.0.1:9', // never reached: the fetch below is a spy
    fetch: (async (url: string) => {
      serviceCalls.push(String(url));
      return new Response('http://127.0.0.1:9/hms/wv/rights/?ExpressPlayToken=abc', {
        status: 200,
        headers: { 'content-type': 'text/uri-list' },
      });
    }) as unknown as typeof fetch,
    resolve: async () => {
      await delay(300); // the app's own entitlement check, say
      return { kid: KID, contentKey: KEY, securityLevel: 1, hdcpOutputControl: 0 };
    },
  });
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const req = hangingRequest(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/token?drm=widevine&contentId=movie`,
    );
    await delay(100);
    req.destroy(); // the player was disposed: its token request aborted
    await delay(500);
    assert.deepEqual(serviceCalls, [], 'token service called for a browser that had gone');
  } finally {
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  }
});
