// Token endpoint costs (issue #15), not a test: the reference endpoint
// (createTokenHandler over node:http) in front of the emulator with a 50 ms
// token-service latency, on loopback.
//  - latency, sequential: cold (a new connection to the token service per request,
//    `connection: close`) vs warm (the runtime's pooled fetch, the default);
//  - requests/s at concurrency 50, warm and cold;
//  - the token cache: 100 viewers × 5 replays, tokens minted with the cache off and on.
// Prints a summary and writes bench/out/token-endpoint.json.
//   node --import tsx bench/token-endpoint.ts [--n 1000]
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, Agent, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTokenHandler, startEmulator, type Emulator, type TokenHandlerOptions } from '../src/server/index.js';
import { median, quantile } from './stats.js';

const AUTH = 'bench-token-endpoint-authenticator';
const UPSTREAM_MS = 50;
const SEQUENTIAL = 40;
const N = Number(process.argv[process.argv.indexOf('--n') + 1]) || 1000;
const CONCURRENCY = 50;
const PARAMS = {
  kid: '86bf0cec3721064d624f22d25849c816',
  contentKey: 'c5a24cdf823112f0f9a9f7b0fe643619',
  securityLevel: 1,
  hdcpOutputControl: 0,
  expirationTime: '+600',
} as const;

/** Node's fetch opening a new connection per request (what no reuse costs). */
const coldFetch: typeof fetch = (input, init) =>
  fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), connection: 'close' } });

async function endpoint(
  emu: Emulator,
  extra: Partial<TokenHandlerOptions>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(
    createTokenHandler({ authenticator: AUTH, service: emu.url, resolve: () => PARAMS, ...extra }),
  );
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

/** One GET through a keep-alive client agent (the browser side stays warm in every mode). */
function get(agent: Agent, url: string, viewer?: string): Promise<{ ms: number; ok: boolean }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = httpRequest(url, { agent, headers: viewer ? { 'x-viewer': viewer } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - t0, ok: res.statusCode === 200 }));
    });
    req.setTimeout(10_000, () => req.destroy());
    req.on('error', () => resolve({ ms: performance.now() - t0, ok: false }));
    req.end();
  });
}

async function sequential(emu: Emulator, fetchImpl: typeof fetch | undefined) {
  const ep = await endpoint(emu, fetchImpl ? { fetch: fetchImpl } : {});
  const agent = new Agent({ keepAlive: true });
  try {
    await get(agent, `${ep.url}?drm=widevine&contentId=m`); // warm-up (client side, and the pool when warm)
    const ms: number[] = [];
    let errors = 0;
    for (let i = 0; i < SEQUENTIAL; i++) {
      const r = await get(agent, `${ep.url}?drm=widevine&contentId=m`);
      ms.push(r.ms);
      if (!r.ok) errors++;
    }
    return { n: ms.length, errors, p50Ms: median(ms), p90Ms: quantile(ms, 0.9) };
  } finally {
    agent.destroy();
    await ep.close();
  }
}

async function concurrent(emu: Emulator, fetchImpl: typeof fetch | undefined) {
  const ep = await endpoint(emu, fetchImpl ? { fetch: fetchImpl } : {});
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  let errors = 0;
  const ms: number[] = [];
  // Warm-up (not counted): JIT, sockets on both sides.
  await Promise.all(Array.from({ length: CONCURRENCY * 2 }, () => get(agent, `${ep.url}?drm=widevine&contentId=m`)));
  const t0 = performance.now();
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < N) {
          next++;
          const r = await get(agent, `${ep.url}?drm=widevine&contentId=m`);
          ms.push(r.ms);
          if (!r.ok) errors++;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    return { requests: ms.length, errors, rps: ms.length / seconds, p50Ms: median(ms), p99Ms: quantile(ms, 0.99) };
  } finally {
    agent.destroy();
    await ep.close();
  }
}

async function cacheRow(emu: Emulator, on: boolean) {
  const before = emu.stats().tokensIssued.widevine;
  const cache = on
    ? {
        key: (req: { headers: Record<string, unknown> }, ctx: { contentId: string }) =>
          `${String(req.headers['x-viewer'])}:${ctx.contentId}`,
      }
    : undefined;
  const ep = await endpoint(emu, cache ? { cache } : {});
  const agent = new Agent({ keepAlive: true, maxSockets: 10 });
  let errors = 0;
  try {
    for (let replay = 0; replay < 5; replay++) {
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, v) => get(agent, `${ep.url}?drm=widevine&contentId=movie`, `viewer-${v}`)),
      );
      errors += results.filter((r) => !r.ok).length;
    }
  } finally {
    agent.destroy();
    await ep.close();
  }
  return { viewers: 100, replays: 5, requests: 500, errors, tokensMinted: emu.stats().tokensIssued.widevine - before };
}

const emu = await startEmulator({ authenticators: { test: [AUTH] } });
try {
  emu.faults.set({ token: { latencyMs: UPSTREAM_MS } });
  const latency = { cold: await sequential(emu, coldFetch), warm: await sequential(emu, undefined) };
  const cold = await concurrent(emu, coldFetch);
  const throughput = { warm: await concurrent(emu, undefined), cold };
  emu.faults.reset();
  const cache = { off: await cacheRow(emu, false), on: await cacheRow(emu, true), target: { onTokens: 100 } };
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    upstreamLatencyMs: UPSTREAM_MS,
    transport: 'http on loopback (no TLS: a TLS handshake would widen cold vs warm)',
    latency,
    concurrency: CONCURRENCY,
    throughput,
    cache,
  };
  mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./out/token-endpoint.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
  console.log(
    `token endpoint, upstream ${UPSTREAM_MS} ms: sequential p50 cold ${latency.cold.p50Ms.toFixed(1)} ms / warm ${latency.warm.p50Ms.toFixed(1)} ms; concurrency ${CONCURRENCY}: warm ${throughput.warm.rps.toFixed(0)} req/s (p99 ${throughput.warm.p99Ms.toFixed(0)} ms), cold ${throughput.cold.rps.toFixed(0)} req/s; cache 100 viewers × 5 replays: off ${cache.off.tokensMinted} tokens, on ${cache.on.tokensMinted} tokens`,
  );
  const errors =
    latency.cold.errors +
    latency.warm.errors +
    throughput.warm.errors +
    throughput.cold.errors +
    cache.off.errors +
    cache.on.errors;
  if (errors > 0) process.exitCode = 1;
} finally {
  await emu.close();
}
