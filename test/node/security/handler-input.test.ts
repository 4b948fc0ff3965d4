// Issue #11 items 8 and 9 and the upstream cap (item 2, handler side): only `kids`
// may be an array, other non-scalars and over-deep bodies are 400 -9003 (never 500);
// reading the request body is bounded in time; the token service's answer is read up
// to a cap, then refused (502 -9061) without reading further.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type Emulator, type TokenRequestContext } from '../../../src/server/index.js';
import { KEY, KID, TEST_KEY, raw } from '../server/helpers.js';
import { serve, type Served } from './handler-support.js';

describe('malformed browser requests → 400 -9003 (issue #11 item 8)', () => {
  let emu: Emulator;
  let endpoint: Served;
  const seen: TokenRequestContext[] = [];
  before(async () => {
    emu = await startEmulator({ authenticators: { test: [TEST_KEY] } });
    endpoint = await serve({
      authenticator: TEST_KEY,
      service: emu.url,
      resolve: (_req, ctx) => {
        seen.push(ctx);
        return { kid: KID, contentKey: KEY, securityLevel: 1, hdcpOutputControl: 0 };
      },
    });
  });
  after(async () => {
    await endpoint.close();
    await emu.close();
  });
  const post = (body: string) =>
    fetch(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  const cases: Record<string, string> = {
    'an array contentId': JSON.stringify({ drm: 'widevine', contentId: ['a', 'b'] }),
    'an object contentId': JSON.stringify({ drm: 'widevine', contentId: { id: 'm' } }),
    'an array drm': JSON.stringify({ drm: ['widevine'], contentId: 'm' }),
    'kids holding a non-string': JSON.stringify({ drm: 'widevine', contentId: 'm', kids: [[KID]] }),
    'a 5,000-deep array in an ignored field': `{"drm":"widevine","contentId":"m","x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    'a 2,500-deep object in an ignored field': `{"drm":"widevine","contentId":"m","x":${'{"a":'.repeat(2500)}1${'}'.repeat(2500)}}`,
  };
  for (const [name, body] of Object.entries(cases)) {
    it(`${name} → 400 -9003, resolve() not called`, async () => {
      const n = seen.length;
      const r = await post(body);
      const text = await r.text();
      assert.equal(r.status, 400, text);
      assert.equal(JSON.parse(text).errorCode, -9003);
      assert.equal(seen.length, n);
    });
  }

  it('kids as an array of key ids is accepted', async () => {
    const r = await post(JSON.stringify({ drm: 'widevine', contentId: 'm', kids: [KID] }));
    assert.equal(r.status, 200, await r.text());
    assert.deepEqual(seen.at(-1)?.kids, [KID]);
  });
});

describe('slow request bodies are bounded (issue #11 item 9)', () => {
  it('a body sent too slowly → 408 -9011 within bodyTimeoutMs, connection closed; resolve() not called', async () => {
    let resolves = 0;
    const endpoint = await serve({
      authenticator: TEST_KEY,
      service: 'http://127.0.0.1:9',
      bodyTimeoutMs: 300,
      resolve: () => {
        resolves++;
        return { kid: KID, contentKey: KEY, securityLevel: 1, hdcpOutputControl: 0 };
      },
    });
    try {
      const u = new URL(endpoint.url);
      const t0 = performance.now();
      // Headers announce 100 bytes; 10 arrive; the rest never does.
      const a = await raw(
        endpoint.url,
        `POST ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"drm":"wi`,
        { waitMs: 4000 },
      );
      assert.match(a.text, /^HTTP\/1\.1 408 /);
      assert.match(a.text, /-9011/);
      assert.ok(performance.now() - t0 < 3000, 'answered long before the client gave up');
      assert.ok(a.closed, 'the connection is closed after the 408');
      assert.equal(resolves, 0);
    } finally {
      await endpoint.close();
    }
  });
});

describe('the token service answer is capped (issue #11 item 2, handler side)', () => {
  /** An endless upstream body; counts what the handler pulled. */
  function endless(pulled: { bytes: number }, status = 200): Response {
    const chunk = new TextEncoder().encode(`<p>${'x'.repeat(4089)}</p>`);
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled.bytes += chunk.byteLength;
        c.enqueue(chunk);
      },
    });
    return new Response(body, { status, headers: { 'content-type': 'text/html' } });
  }

  for (const [name, limit, status] of [
    ['default 64 KiB, a 200', undefined, 200],
    ['configured 8 KiB, a 500 error page', 8 * 1024, 500],
  ] as const) {
    it(`${name}: endless body → 502 -9061, reading stopped near the cap`, async () => {
      const pulled = { bytes: 0 };
      const endpoint = await serve({
        authenticator: TEST_KEY,
        service: 'http://127.0.0.1:9',
        ...(limit === undefined ? {} : { maxResponseBytes: limit }),
        fetch: async () => endless(pulled, status),
        resolve: () => ({ kid: KID, contentKey: KEY, securityLevel: 1, hdcpOutputControl: 0 }),
      });
      try {
        const r = await fetch(`${endpoint.url}?drm=widevine&contentId=m`);
        assert.equal(r.status, 502);
        assert.equal((await r.json()).errorCode, -9061);
        const cap = limit ?? 64 * 1024;
        assert.ok(
          pulled.bytes > cap && pulled.bytes < cap + 64 * 1024,
          `pulled ${pulled.bytes} bytes for a cap of ${cap}`,
        );
      } finally {
        await endpoint.close();
      }
    });
  }

  it('a declared Content-Length over the cap is refused without reading the body', async () => {
    const pulled = { bytes: 0 };
    const endpoint = await serve({
      authenticator: TEST_KEY,
      service: 'http://127.0.0.1:9',
      maxResponseBytes: 1024,
      fetch: async () => {
        const r = endless(pulled);
        return new Response(r.body, { headers: { 'content-length': '5000000', 'content-type': 'application/json' } });
      },
      resolve: () => ({ kid: KID, contentKey: KEY, securityLevel: 1, hdcpOutputControl: 0 }),
    });
    try {
      const r = await fetch(`${endpoint.url}?drm=widevine&contentId=m`);
      assert.equal(r.status, 502);
      assert.equal((await r.json()).errorCode, -9061);
    } finally {
      await endpoint.close();
    }
  });
});
