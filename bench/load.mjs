// Load check (not a test): the emulator in this process, a second Node process
// firing N token requests (default 2000, concurrency 50) on loopback.
// Prints requests/s, p50/p99 latency and errors; writes bench/out/load.json.
//   node --import tsx bench/load.mjs [--n 2000] [--concurrency 50] [--timeout 60]
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request, Agent } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    worker: { type: 'boolean', default: false },
    url: { type: 'string' },
    n: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '50' },
    timeout: { type: 'string', default: '60' },
  },
});
const N = Math.min(Math.max(Number(values.n) || 2000, 1), 100_000);
const CONCURRENCY = Math.min(Math.max(Number(values.concurrency) || 50, 1), 1000);
const AUTH = 'bench-key';
const QUERY = `customerAuthenticator=${AUTH}&kid=86bf0cec3721064d624f22d25849c816&contentKey=c5a24cdf823112f0f9a9f7b0fe643619&securityLevel=1&hdcpOutputControl=0&errorFormat=json`;

function one(agent, base) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = request(`${base}/hms/wv/token?${QUERY}`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - t0, ok: res.statusCode === 200 }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ms: performance.now() - t0, ok: false }));
    req.end();
  });
}

async function worker() {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        next++;
        const r = await one(agent, values.url);
        latencies.push(r.ms);
        if (!r.ok) errors++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  process.send({
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50Ms: pct(50),
    p99Ms: pct(99),
    maxMs: latencies.at(-1),
  });
}

async function main() {
  const { startEmulator } = await import('../src/server/index.ts');
  const emulator = await startEmulator({ authenticators: { test: [AUTH] } });
  const child = fork(
    new URL(import.meta.url).pathname,
    ['--worker', '--url', emulator.url, '--n', String(N), '--concurrency', String(CONCURRENCY)],
    { stdio: 'inherit' },
  );
  const deadline = setTimeout(() => child.kill(), Number(values.timeout) * 1000);
  let result;
  try {
    result = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`load worker exited (${code}) without a result`)));
    });
  } finally {
    clearTimeout(deadline);
    await emulator.close();
  }
  const stats = emulator.stats();
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    n: N,
    concurrency: CONCURRENCY,
    ...result,
    tokensIssued: stats.tokensIssued.widevine,
  };
  mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./out/load.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
  console.log(
    `${out.requests} token requests, concurrency ${CONCURRENCY}: ${out.rps.toFixed(0)} req/s, p50 ${out.p50Ms.toFixed(1)} ms, p99 ${out.p99Ms.toFixed(1)} ms, max ${out.maxMs.toFixed(1)} ms, ${out.errors} errors`,
  );
  if (out.errors > 0 || out.requests !== N) process.exitCode = 1;
}

if (values.worker) await worker();
else await main();
