// createFetchHandler on its own (Request in, Response out) against the emulator:
// the bounded retry (only before any answer), connection handling, the token cache.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createTcpServer, connect, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  createFetchHandler,
  MemoryTokenStore,
  type FetchHandlerOptions,
  type TokenStore,
} from '../../../src/fetch/index.js';
import { startEmulator, type Emulator } from '../../../src/server/index.js';
import { KEY, KID, TEST_KEY } from './helpers.js';

const PARAMS = { kid: KID, contentKey: KEY, securityLevel: 1, hdcpOutputControl: 0 } as const;
const tokenRequest = (query = 'drm=widevine&contentId=m', headers: Record<string, string> = {}) =>
  new Request(`https://app.example/api/token?${query}`, { headers });

/** A TCP front for the emulator; `onConnection` decides per connection (index from 1) what happens. */
async function front(
  target: string,
  onConnection: (n: number, socket: Socket) => boolean,
): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  const t = new URL(target);
  let n = 0;
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    if (!onConnection(++n, socket)) return;
    const upstream = connect(Number(t.port), t.hostname);
    upstream.on('error', () => socket.destroy());
    sockets.add(upstream);
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => n,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A loopback URL nothing listens on (connection refused). */
async function closedPort(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe('createFetchHandler against the emulator', () => {
  let emu: Emulator;
  const options = (extra: Partial<FetchHandlerOptions> = {}): FetchHandlerOptions => ({
    authenticator: TEST_KEY,
    service: emu.url,
    resolve: () => PARAMS,
    ...extra,
  });
  const minted = () => emu.stats().tokensIssued.widevine;
  before(async () => {
    emu = await startEmulator({ authenticators: { test: [TEST_KEY] } });
  });
  after(() => emu.close());

  it('a Web Request in, a Response out: a rights URL that gives a license', async () => {
    const r = await createFetchHandler(options())(tokenRequest());
    assert.equal(r.status, 200);
    const { rightsUrl } = (await r.json()) as { rightsUrl: string };
    assert.match(rightsUrl, /\/hms\/wv\/rights\/\?ExpressPlayToken=/);
  });

  /** The first connection is reset by `reset`; the handler must retry once and serve one token. */
  async function servedAfterOneReset(reset: (socket: Socket) => void): Promise<void> {
    const tcp = await front(emu.url, (n, socket) => {
      if (n === 1) reset(socket);
      return n > 1;
    });
    try {
      const t0 = minted();
      const r = await createFetchHandler(options({ service: tcp.url }))(tokenRequest());
      assert.equal(r.status, 200, await r.clone().text());
      assert.equal(tcp.connections(), 2);
      assert.equal(minted() - t0, 1);
    } finally {
      await tcp.close();
    }
  }

  it('a connection reset before any answer is retried once, and the token is served', () =>
    servedAfterOneReset((socket) => socket.resetAndDestroy()));

  it('a refused connection is tried 1 + retries times, then 502 -9010', async () => {
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    const r = await createFetchHandler(options({ service: await closedPort(), fetch: counting, retries: 2 }))(
      tokenRequest(),
    );
    assert.equal(r.status, 502);
    assert.equal(((await r.json()) as { errorCode: number }).errorCode, -9010);
    assert.equal(calls, 3);
  });

  it('never retried after a timeout once the request was sent (it may have spent a token): 504, one connection', async () => {
    const tcp = await front(emu.url, () => false); // accepts, reads, never answers
    try {
      const r = await createFetchHandler(options({ service: tcp.url, timeoutMs: 300, retries: 3 }))(tokenRequest());
      assert.equal(r.status, 504);
      assert.equal(tcp.connections(), 1);
    } finally {
      await tcp.close();
    }
  });

  it('a reset after the request was sent but before any answer byte is retried (no token can have been issued)', () =>
    servedAfterOneReset((socket) => socket.once('data', () => socket.resetAndDestroy())));

  it('never retried once the service began answering (the token may be in that answer): 502 -9010, one connection', async () => {
    const tcp = await front(emu.url, (_n, socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/uri-list\r\ncontent-length: 200\r\n\r\nhttp://');
        setTimeout(() => socket.resetAndDestroy(), 50);
      });
      return false;
    });
    try {
      const r = await createFetchHandler(options({ service: tcp.url, retries: 3 }))(tokenRequest());
      assert.equal(r.status, 502);
      assert.equal(((await r.json()) as { errorCode: number }).errorCode, -9010);
      assert.equal(tcp.connections(), 1);
    } finally {
      await tcp.close();
    }
  });

  it(
    'runs where AbortSignal.any is missing (Node 20.0–20.2, which engines admit): a token, and the timeout still bounds the call',
    { timeout: 15_000 },
    async () => {
      const any = Object.getOwnPropertyDescriptor(AbortSignal, 'any');
      const tcp = await front(emu.url, () => false); // accepts, reads, never answers
      try {
        delete (AbortSignal as { any?: unknown }).any;
        const r = await createFetchHandler(options())(tokenRequest());
        assert.equal(r.status, 200, await r.clone().text());
        const t0 = Date.now();
        const silent = await createFetchHandler(options({ service: tcp.url, timeoutMs: 300 }))(tokenRequest());
        assert.equal(silent.status, 504);
        assert.ok(Date.now() - t0 < 5_000, `504 after ${Date.now() - t0} ms: the 300 ms timeout did not stop the call`);
        const browser = new AbortController();
        setTimeout(() => browser.abort(), 100);
        const gone = await createFetchHandler(options({ service: tcp.url, timeoutMs: 5_000 }))(
          new Request('https://app.example/api/token?drm=widevine&contentId=m', { signal: browser.signal }),
        );
        assert.equal(gone.status, 499, 'the browser going away stops the call');
      } finally {
        if (any) Object.defineProperty(AbortSignal, 'any', any);
        await tcp.close();
      }
    },
  );

  it('reuses its connection to the token service across requests (pooled fetch)', async () => {
    const tcp = await front(emu.url, () => true);
    try {
      const handler = createFetchHandler(options({ service: tcp.url }));
      for (let i = 0; i < 10; i++) assert.equal((await handler(tokenRequest())).status, 200);
      // Node's fetch may open a second socket while the first is being released; never one per request.
      assert.ok(tcp.connections() <= 2, `${tcp.connections()} connections for 10 requests`);
    } finally {
      await tcp.close();
    }
  });
});

describe('token cache', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ authenticators: { test: [TEST_KEY] } });
  });
  after(() => emu.close());
  const minted = () => emu.stats().tokensIssued.widevine;
  const viewer = (request: Request) => request.headers.get('x-viewer') ?? undefined;

  it('one token per viewer and content, reused on replay; resolve() still runs every time', async () => {
    let resolves = 0;
    const handler = createFetchHandler({
      authenticator: TEST_KEY,
      service: emu.url,
      resolve: () => {
        resolves++;
        return { ...PARAMS, expirationTime: '+600' };
      },
      cache: { key: (request, ctx) => (viewer(request) ? `${viewer(request)}:${ctx.contentId}` : undefined) },
    });
    const t0 = minted();
    const urls = new Set<string>();
    for (const v of ['alice', 'bob']) {
      for (let replay = 0; replay < 3; replay++) {
        const r = await handler(tokenRequest('drm=widevine&contentId=m', { 'x-viewer': v }));
        urls.add(((await r.json()) as { rightsUrl: string }).rightsUrl);
      }
    }
    assert.equal(minted() - t0, 2);
    assert.equal(urls.size, 2);
    assert.equal(resolves, 6);
    await handler(tokenRequest('drm=widevine&contentId=other', { 'x-viewer': 'alice' }));
    await handler(tokenRequest());
    await handler(tokenRequest());
    assert.equal(minted() - t0, 5, 'other content and unkeyed requests are minted');
  });

  it('entries live until expiry minus the margin; too short-lived tokens are not cached; the store sees no key material', async () => {
    const sets: { key: string; value: string; ttlMs: number }[] = [];
    const inner = new MemoryTokenStore();
    const store: TokenStore = {
      get: (k) => inner.get(k),
      set: (key, value, ttlMs) => {
        sets.push({ key, value, ttlMs });
        inner.set(key, value, ttlMs);
      },
    };
    let expirationTime = '+600';
    const handler = createFetchHandler({
      authenticator: TEST_KEY,
      service: emu.url,
      resolve: () => ({ ...PARAMS, expirationTime }),
      cache: { key: () => 'viewer:m', store, marginMs: 60_000 },
    });
    assert.equal((await handler(tokenRequest())).status, 200);
    assert.equal(sets.length, 1);
    assert.ok(Math.abs(sets[0]!.ttlMs - 540_000) < 5000, String(sets[0]!.ttlMs));
    assert.ok(!sets[0]!.key.includes(KEY) && !sets[0]!.key.includes('viewer'), sets[0]!.key);
    expirationTime = '+30';
    const t0 = minted();
    await handler(tokenRequest());
    await handler(tokenRequest());
    assert.equal(minted() - t0, 2);
    assert.equal(sets.length, 1);
  });

  it('a token held by the store is not handed out within marginMs of its expiry: a new one is minted', async () => {
    // A shared store may keep an entry past its TTL (coarse expiry, clock skew between instances).
    const held = new Map<string, string>();
    const store: TokenStore = { get: (k) => held.get(k), set: (k, v) => void held.set(k, v) };
    let clock = Date.now();
    const handler = createFetchHandler({
      authenticator: TEST_KEY,
      service: emu.url,
      resolve: () => ({ ...PARAMS, expirationTime: '+600' }),
      cache: { key: () => 'viewer:m', store, marginMs: 60_000 },
      now: () => clock,
    });
    const t0 = minted();
    const first = (await (await handler(tokenRequest())).json()) as { rightsUrl: string };
    clock += 539_000;
    const reused = (await (await handler(tokenRequest())).json()) as { rightsUrl: string };
    assert.equal(reused.rightsUrl, first.rightsUrl);
    assert.equal(minted() - t0, 1, 'reused while more than the margin is left');
    clock += 2_000;
    const renewed = (await (await handler(tokenRequest())).json()) as { rightsUrl: string };
    assert.notEqual(renewed.rightsUrl, first.rightsUrl);
    assert.equal(minted() - t0, 2, 'minted again once within the margin of expiry');
  });

  it('MemoryTokenStore: an entry lives for its TTL; past maxEntries the oldest is dropped', () => {
    let clock = 1_000_000;
    const store = new MemoryTokenStore(2, () => clock);
    store.set('a', 'A', 1_000);
    clock += 999;
    assert.equal(store.get('a'), 'A');
    clock += 1;
    assert.equal(store.get('a'), undefined);
    store.set('a', 'A', 10_000);
    store.set('b', 'B', 10_000);
    store.set('a', 'A2', 10_000); // rewritten: now the newest
    store.set('c', 'C', 10_000);
    assert.equal(store.get('b'), undefined);
    assert.equal(store.get('a'), 'A2');
    assert.equal(store.get('c'), 'C');
  });

  it('a failing store does not fail the request', async () => {
    const broken: TokenStore = {
      get: () => Promise.reject(new Error('down')),
      set: () => {
        throw new Error('down');
      },
    };
    const handler = createFetchHandler({
      authenticator: TEST_KEY,
      service: emu.url,
      resolve: () => PARAMS,
      cache: { key: () => 'k', store: broken },
    });
    assert.equal((await handler(tokenRequest())).status, 200);
  });
});
