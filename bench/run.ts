// `npm run bench` (scripts/bench.mjs runs this under `node --import tsx`).
// Start-up latency (Shaka, Video.js, hls.js, dash.js × limit/naive/ours cold/prefetched/replay ×
// token latency 100/300/600 ms), request counts, detection cost, the size table
// and the load check, measured side by side in one run. Prints a table, writes
// bench/results.json (the committed figures) and bench/out/details.json (every sample).
//
// Options: --runs N (per scenario at the production latency, default 10),
// --sweep-runs N (per scenario at 100 and 600 ms, default 5), --quick (3/2, no
// size/load: for working on the harness), --only shaka|videojs|hlsjs|dashjs, --extras-only
// (re-run the size table and the load check into an existing bench/results.json).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
// @ts-expect-error -- a plain .mjs helper shared with the tests; it has no types.
import { findChrome, CHROME_ARGS } from '../scripts/find-chrome.mjs';
import { ROOT, startBenchServers, type BenchServers, type Latency } from './servers.js';
import type { DetectResult, PlayerName, RunResult, RunSpec, Scenario } from './page/main.js';
import type { BenchCounts } from './page/instrument.js';
import { median, quantile, ratio, renderTable } from './stats.js';
import { parseCost, renderParseTable } from './parse.js';
import { engineDetection, renderEngineDetection, type EngineDetectionRow } from './engines.js';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? Number(argv[i + 1]) : fallback;
};
const QUICK = flag('--quick');
/** `--multikey`: only the multi-key rows (cold / prefetched, single-key vs two-key content), into bench/out/multikey.json. */
const MULTIKEY = flag('--multikey');
const RUNS = option('--runs', QUICK ? 3 : 10);
const SWEEP_RUNS = option('--sweep-runs', QUICK ? 2 : 5);
const DETECT_PAGES = QUICK ? 2 : 6;
const DETECT_ROUNDS = 10;
const ENGINE_DETECT_PAGES = QUICK || flag('--detection-only') ? 3 : 6;
const ONLY = argv.includes('--only') ? (argv[argv.indexOf('--only') + 1] as PlayerName) : undefined;

const PLAYERS: PlayerName[] = ONLY ? [ONLY] : ['shaka', 'videojs', 'hlsjs', 'dashjs'];
const SCENARIOS: Scenario[] = ['limit', 'naive', 'cold', 'prefetched', 'replay', 'limit-replay'];
const PRODUCTION: Latency = { mediaMs: 30, tokenMs: 300, rightsMs: 150 };
const TOKEN_SWEEP = [100, 300, 600];
/** The H.264 ClearKey stream each player plays here (hls.js: org.w3.clearkey HLS; dash.js: the DASH-IF ClearKey MPD). */
const STREAMS: Record<PlayerName, string> = {
  shaka: 'cenc-h264',
  videojs: 'cenc-h264',
  hlsjs: 'clearkey-hls-a',
  dashjs: 'clearkey-dash-cenc',
};
const RUN_TIMEOUT_MS = 20_000;

interface Sample {
  player: PlayerName;
  scenario: Scenario;
  tokenMs: number;
  firstFrameMs?: number;
  setupMs?: number;
  counts?: BenchCounts;
  timedCounts?: BenchCounts;
  /** Emulator-side: tokens issued / licenses served during this page. */
  emulator?: { tokens: number; licenses: number };
  timeline?: RunResult['timeline'];
  error?: string;
}

function shuffle<T>(items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function emulatorTotals(servers: BenchServers): { tokens: number; licenses: number } {
  const s = servers.emulator.stats() as unknown as Record<string, unknown>;
  const sum = (v: unknown): number =>
    typeof v === 'number'
      ? v
      : typeof v === 'object' && v !== null
        ? Object.values(v).reduce<number>((n, x) => n + sum(x), 0)
        : 0;
  return { tokens: sum(s['tokensIssued']), licenses: sum(s['licensesServed']) };
}

async function rightsUrlFor(servers: BenchServers, contentId: string): Promise<string> {
  const r = await fetch(`${servers.appUrl}/api/token?drm=clearkey&contentId=${contentId}`, {
    headers: { accept: 'application/json' },
  });
  if (!r.ok) throw new Error(`token endpoint: HTTP ${r.status} ${await r.text()}`);
  return ((await r.json()) as { rightsUrl: string }).rightsUrl;
}

async function newPage(browser: Browser, servers: BenchServers, player: PlayerName) {
  // A fresh context per run: no HTTP cache, connection or preflight cache leaks between runs.
  const context = await browser.newContext();
  const page = await context.newPage();
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.addInitScript({ content: readInstrument(servers) });
  await page.goto(`${servers.appUrl}/${player}.html`);
  return { context, page, logs };
}

let instrumentJs: string | undefined;
function readInstrument(servers: BenchServers): string {
  // Fetched once from the app server (esbuild output), then reused as an init script.
  if (instrumentJs === undefined) throw new Error(`instrument script not loaded from ${servers.appUrl}`);
  return instrumentJs;
}

async function runOnce(
  browser: Browser,
  servers: BenchServers,
  player: PlayerName,
  scenario: Scenario,
  tokenMs: number,
  streamId: string = STREAMS[player],
): Promise<Sample> {
  const stream = servers.streams[streamId]!;
  const spec: RunSpec = {
    player,
    scenario,
    manifest: `/${stream.manifest}`,
    type: stream.type,
    contentId: streamId,
    ...(stream.multiKey && scenario === 'prefetched' ? { kids: Object.keys(stream.keys) } : {}),
    tokenEndpoint: '/api/token',
    rightsHost: new URL(servers.emulator.url).hostname,
    timeoutMs: RUN_TIMEOUT_MS,
  };
  // limit: the rights URL is known before the clock starts (not counted against the page).
  if (scenario === 'limit' || scenario === 'limit-replay') spec.rightsUrl = await rightsUrlFor(servers, streamId);
  const { context, page, logs } = await newPage(browser, servers, player);
  const before = emulatorTotals(servers);
  try {
    const r: RunResult = await page.evaluate((s) => window.__bench.run(s), spec);
    const after = emulatorTotals(servers);
    return {
      player,
      scenario,
      tokenMs,
      firstFrameMs: r.firstFrameMs,
      setupMs: r.setupMs,
      counts: r.counts,
      ...(r.timedCounts ? { timedCounts: r.timedCounts } : {}),
      emulator: { tokens: after.tokens - before.tokens, licenses: after.licenses - before.licenses },
      timeline: r.timeline,
    };
  } catch (err) {
    return {
      player,
      scenario,
      tokenMs,
      error: `${(err as Error).message.split('\n')[0]} | ${logs.slice(-5).join(' | ')}`,
    };
  } finally {
    await context.close();
  }
}

async function startup(browser: Browser, servers: BenchServers): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const tokenMs of TOKEN_SWEEP) {
    const runs = tokenMs === PRODUCTION.tokenMs ? RUNS : SWEEP_RUNS;
    servers.setLatency({ ...PRODUCTION, tokenMs });
    const combos = PLAYERS.flatMap((player) => SCENARIOS.map((scenario) => ({ player, scenario })));
    // Warm-up (not recorded): the first pages of a browser pay for process start-up.
    if (tokenMs === TOKEN_SWEEP[0])
      for (const c of combos) await runOnce(browser, servers, c.player, c.scenario, tokenMs);
    for (let round = 0; round < runs; round++) {
      // Interleaved: every scenario once per round, in a new random order each round.
      for (const c of shuffle(combos)) {
        const s = await runOnce(browser, servers, c.player, c.scenario, tokenMs);
        samples.push(s);
        process.stderr.write(s.error ? 'x' : '.');
      }
    }
    process.stderr.write(` token ${tokenMs} ms done\n`);
  }
  return samples;
}

async function detection(browser: Browser, servers: BenchServers): Promise<DetectResult[]> {
  const out: DetectResult[] = [];
  for (let i = 0; i < DETECT_PAGES; i++) {
    const { context, page } = await newPage(browser, servers, 'shaka');
    try {
      out.push(await page.evaluate((n) => window.__bench.detect(n), DETECT_ROUNDS));
    } finally {
      await context.close();
    }
  }
  return out;
}

/** scripts/size.mjs's entries: `budget`/`ok` in its first version, `target`/`meetsTarget` (+ CI `ceiling`) since. */
interface SizeEntry {
  name: string;
  gzip: number;
  budget?: number | null;
  ok?: boolean;
  target?: number | null;
  meetsTarget?: boolean | null;
  ceiling?: number | null;
  underCeiling?: boolean;
}

function sizeRow(e: SizeEntry): {
  name: string;
  gzip: number;
  budget: number | null;
  ok: boolean;
  ceiling: number | null;
} {
  const budget = e.target !== undefined ? e.target : (e.budget ?? null);
  const ok = e.meetsTarget !== undefined ? e.meetsTarget !== false : e.ok !== false;
  return { name: e.name, gzip: e.gzip, budget, ok, ceiling: e.ceiling ?? null };
}

function size(): { entries: SizeEntry[]; raw: unknown } | { error: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/size.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const file = join(ROOT, 'bench/out/size.json');
  if (!existsSync(file)) return { error: `scripts/size.mjs exited ${r.status}: ${r.stderr.slice(-500)}` };
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { entries?: SizeEntry[] };
  return { entries: raw.entries ?? [], raw };
}

function loadCheck(): { ran: boolean; status?: number | null; output?: string; json?: unknown } {
  const script = join(ROOT, 'bench/load.mjs');
  if (!existsSync(script)) return { ran: false };
  // load.mjs imports the emulator from src/ (TypeScript): it runs under tsx too.
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  const output = `${r.stdout}${r.stderr}`.trim();
  const loadJson = join(ROOT, 'bench/out/load.json');
  // Only this run's answer: an older load.json must not pass for it.
  const json: unknown =
    existsSync(loadJson) && statSync(loadJson).mtimeMs >= started - 1000
      ? JSON.parse(readFileSync(loadJson, 'utf8'))
      : undefined;
  return { ran: true, status: r.status, output: output.slice(-4000), json };
}

/** bench/token-endpoint.ts: the token endpoint's latency (cold vs warm upstream connection), req/s at concurrency 50, the token cache row. */
function tokenEndpointCheck(): { status: number | null; json?: unknown; tail: string } {
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/token-endpoint.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
  const file = join(ROOT, 'bench/out/token-endpoint.json');
  const json: unknown =
    existsSync(file) && statSync(file).mtimeMs >= started - 1000 ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  return { status: r.status, json, tail: `${r.stdout}${r.stderr}`.trim().split('\n').slice(-3).join('\n') };
}

function summarise(samples: Sample[]) {
  const cell = (player: PlayerName, scenario: Scenario, tokenMs: number) => {
    const ok = samples.filter(
      (s) => s.player === player && s.scenario === scenario && s.tokenMs === tokenMs && s.firstFrameMs !== undefined,
    );
    const errors = samples.filter(
      (s) => s.player === player && s.scenario === scenario && s.tokenMs === tokenMs && s.error,
    ).length;
    const ff = ok.map((s) => s.firstFrameMs!);
    const setup = ok.map((s) => s.setupMs!);
    // Per playback: the timed one (replay: the second playback only).
    const counts = ok.map((s) => s.timedCounts ?? s.counts!);
    const perPage = ok.map((s) => s.counts!);
    const med = (xs: number[]) => (xs.length ? median(xs) : NaN);
    return {
      n: ok.length,
      errors,
      medianMs: med(ff),
      p25Ms: ff.length ? quantile(ff, 0.25) : NaN,
      p75Ms: ff.length ? quantile(ff, 0.75) : NaN,
      setupMedianMs: med(setup),
      perPlayback: {
        token: med(counts.map((c) => c.token)),
        license: med(counts.map((c) => c.license)),
        certificate: med(counts.map((c) => c.certificate)),
        emeProbes: med(counts.map((c) => c.emeProbes)),
        emeProbesOurs: med(counts.map((c) => c.emeProbesOurs)),
      },
      perPage: {
        token: med(perPage.map((c) => c.token)),
        license: med(perPage.map((c) => c.license)),
        emeProbesOurs: med(perPage.map((c) => c.emeProbesOurs)),
        emeProbes: med(perPage.map((c) => c.emeProbes)),
      },
      maxTokensPerPage: Math.max(0, ...perPage.map((c) => c.token)),
      emulatorTokensPerPage: med(ok.map((s) => s.emulator?.tokens ?? NaN)),
    };
  };
  const table: Record<string, Record<string, Record<string, ReturnType<typeof cell>>>> = {};
  for (const player of PLAYERS) {
    table[player] = {};
    for (const tokenMs of TOKEN_SWEEP) {
      table[player]![String(tokenMs)] = {};
      for (const scenario of SCENARIOS) table[player]![String(tokenMs)]![scenario] = cell(player, scenario, tokenMs);
    }
  }
  return table;
}

/** `--extras-only`: re-runs the size table and the load check into an existing bench/results.json. */
function extrasOnly(): void {
  const file = join(ROOT, 'bench/results.json');
  const results = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const sizes = size();
  const load = loadCheck();
  results['size'] = 'error' in sizes ? sizes : sizes.entries.map(sizeRow);
  results['load'] = load.ran
    ? { status: load.status, json: load.json ?? null, tail: load.output?.split('\n').slice(-15).join('\n') }
    : { ran: false, note: 'bench/load.mjs not present' };
  results['tokenEndpoint'] = tokenEndpointCheck();
  results['extrasRerunAt'] = new Date().toISOString();
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(renderTable(results as unknown as Parameters<typeof renderTable>[0]));
}

/** `--parse-only`: re-measures only the parse-cost row into the existing bench/results.json. */
function parseOnly(): void {
  const file = join(ROOT, 'bench/results.json');
  const results = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  results['parse'] = { measuredAt: new Date().toISOString(), rows: parseCost() };
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(renderParseTable((results['parse'] as { rows: ReturnType<typeof parseCost> }).rows));
}

/**
 * `--multikey`: start-up of multi-key content (multikey-dash: audio, SD, HD under three
 * keys, every pssh in the manifest) beside single-key (cenc-h264), cold and prefetched
 * (one prefetch per key id), at the production latency; token requests and tokens
 * minted per playback.
 */
async function multikey(browser: Browser, servers: BenchServers): Promise<void> {
  servers.setLatency(PRODUCTION);
  // The adapters proven on multi-key content (issue #16); hls.js plays no DASH.
  const combos = PLAYERS.filter((p) => p === 'shaka' || p === 'videojs').flatMap((player) =>
    ['cenc-h264', 'multikey-dash'].flatMap((stream) =>
      (['cold', 'prefetched'] as const).map((scenario) => ({ player, stream, scenario })),
    ),
  );
  for (const c of combos) await runOnce(browser, servers, c.player, c.scenario, PRODUCTION.tokenMs, c.stream); // warm-up
  const samples: Array<Sample & { stream: string }> = [];
  for (let round = 0; round < RUNS; round++) {
    for (const c of shuffle(combos)) {
      const s = await runOnce(browser, servers, c.player, c.scenario, PRODUCTION.tokenMs, c.stream);
      samples.push({ ...s, stream: c.stream });
      process.stderr.write(s.error ? 'x' : '.');
    }
  }
  process.stderr.write('\n');
  const rows = combos.map((c) => {
    const ok = samples.filter(
      (s) =>
        s.player === c.player && s.stream === c.stream && s.scenario === c.scenario && s.firstFrameMs !== undefined,
    );
    const med = (xs: number[]) => (xs.length ? Math.round(median(xs)) : NaN);
    return {
      ...c,
      n: ok.length,
      errors: samples.filter(
        (s) => s.player === c.player && s.stream === c.stream && s.scenario === c.scenario && s.error,
      ).length,
      firstFrameMedianMs: med(ok.map((s) => s.firstFrameMs!)),
      p75Ms: ok.length
        ? Math.round(
            quantile(
              ok.map((s) => s.firstFrameMs!),
              0.75,
            ),
          )
        : NaN,
      tokenRequestsPerPage: med(ok.map((s) => s.counts!.token)),
      tokensMintedPerPage: med(ok.map((s) => s.emulator?.tokens ?? NaN)),
      licensesPerPage: med(ok.map((s) => s.counts!.license)),
    };
  });
  const out = {
    date: new Date().toISOString(),
    command: `npm run bench -- --multikey --runs ${RUNS}`,
    latency: PRODUCTION,
    loadavg: loadavg(),
    rows,
    failures: samples
      .filter((s) => s.error)
      .map((s) => `${s.player}/${s.stream}/${s.scenario}: ${s.error}`)
      .slice(0, 10),
  };
  mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/out/multikey.json'), JSON.stringify(out, null, 2) + '\n');
  console.log('player   stream         scenario    n  median  p75  token req  minted  licenses');
  for (const r of rows) {
    console.log(
      `${r.player.padEnd(8)} ${r.stream.padEnd(14)} ${r.scenario.padEnd(10)} ${String(r.n).padStart(2)} ${String(r.firstFrameMedianMs).padStart(6)} ${String(r.p75Ms).padStart(5)} ${String(r.tokenRequestsPerPage).padStart(9)} ${String(r.tokensMintedPerPage).padStart(7)} ${String(r.licensesPerPage).padStart(9)}`,
    );
  }
  if (out.failures.length) console.log(out.failures.join('\n'));
}

/** `--detection-only`: only the per-engine detection rows, merged into bench/results.json. */
async function detectionOnly(): Promise<void> {
  mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
  const servers = await startBenchServers();
  let rows: EngineDetectionRow[];
  try {
    const instrument = await (await fetch(`${servers.appUrl}/instrument.js`)).text();
    rows = await engineDetection(servers, instrument, ENGINE_DETECT_PAGES, DETECT_ROUNDS);
  } finally {
    await servers.close();
  }
  const file = join(ROOT, 'bench/results.json');
  const results = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  results['detectionByEngine'] = { date: new Date().toISOString(), loadavg: loadavg(), rows };
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(renderEngineDetection(rows));
}

async function main(): Promise<void> {
  if (flag('--extras-only')) {
    extrasOnly();
    return;
  }
  if (flag('--parse-only')) {
    parseOnly();
    return;
  }
  if (flag('--detection-only')) {
    await detectionOnly();
    return;
  }
  const started = Date.now();
  const load0 = loadavg();
  mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
  const servers = await startBenchServers();
  instrumentJs = await (await fetch(`${servers.appUrl}/instrument.js`)).text();
  const browser = await chromium.launch({
    executablePath: findChrome() as string,
    args: [...(CHROME_ARGS as string[]), '--headless=new'],
  });
  let samples: Sample[] = [];
  let detect: DetectResult[] = [];
  let byEngine: EngineDetectionRow[] = [];
  const loadDuring: number[][] = [];
  if (MULTIKEY) {
    try {
      await multikey(browser, servers);
    } finally {
      await browser.close();
      await servers.close();
    }
    return;
  }
  const sampler = setInterval(() => loadDuring.push(loadavg()), 10_000);
  try {
    console.error(
      `[bench] start-up: ${PLAYERS.join(', ')} × ${SCENARIOS.join('/')} × token ${TOKEN_SWEEP.join('/')} ms; ${RUNS} runs at 300 ms, ${SWEEP_RUNS} at the others`,
    );
    samples = await startup(browser, servers);
    console.error('[bench] detection cost');
    servers.setLatency(PRODUCTION);
    detect = await detection(browser, servers);
    console.error("[bench] detection in the demo's set-up, per engine");
    byEngine = await engineDetection(servers, instrumentJs, ENGINE_DETECT_PAGES, DETECT_ROUNDS);
  } finally {
    clearInterval(sampler);
    await browser.close();
    await servers.close();
  }
  console.error('[bench] parse cost of hostile answers');
  const parse = { measuredAt: new Date().toISOString(), rows: parseCost() };
  const sizes = QUICK ? { error: 'skipped (--quick)' } : size();
  console.error('[bench] load check');
  const load = QUICK ? { ran: false } : loadCheck();
  console.error('[bench] token endpoint');
  const tokenEndpoint = QUICK ? undefined : tokenEndpointCheck();

  const startupTable = summarise(samples);
  const detectOurs = detect.flatMap((d) => d.oursMs);
  const detectShaka = detect.flatMap((d) => d.shakaMs);
  const detectionSummary = {
    pages: detect.length,
    roundsPerPage: DETECT_ROUNDS,
    oursMedianMs: median(detectOurs),
    shakaProbeSupportMedianMs: median(detectShaka),
    ratio: ratio(median(detectOurs), median(detectShaka)),
    firstCall: {
      oursMedianMs: median(detect.map((d) => d.oursFirstMs)),
      shakaMedianMs: median(detect.map((d) => d.shakaFirstMs)),
      ratio: ratio(median(detect.map((d) => d.oursFirstMs)), median(detect.map((d) => d.shakaFirstMs))),
    },
    preferredKeySystem: detect[0]?.oursPreferred,
    target: 0.5,
  };
  const ratios: Record<string, Record<string, number>> = {};
  for (const player of PLAYERS) {
    for (const tokenMs of TOKEN_SWEEP) {
      const c = startupTable[player]![String(tokenMs)]!;
      const lim = c['limit']!.medianMs;
      const naive = c['naive']!.medianMs;
      ratios[`${player}@${tokenMs}`] = {
        naiveOverLimit: ratio(naive, lim),
        coldOverNaive: ratio(c['cold']!.medianMs, naive),
        coldOverLimit: ratio(c['cold']!.medianMs, lim),
        prefetchedOverLimit: ratio(c['prefetched']!.medianMs, lim),
        replayOverLimit: ratio(c['replay']!.medianMs, lim),
        replayOverLimitReplay: ratio(c['replay']!.medianMs, c['limit-replay']!.medianMs),
      };
    }
  }
  const load1 = loadavg();
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    loadavgStart: load0,
    loadavgEnd: load1,
    loadavg1mDuringMax: Math.max(...loadDuring.map((l) => l[0]!), load0[0]!),
    loadavg1mDuringMedian: loadDuring.length ? median(loadDuring.map((l) => l[0]!)) : load0[0],
    node: process.version,
    chromium: findChrome() as string,
  };
  const results = {
    date: new Date().toISOString(),
    command: 'npm run bench',
    durationS: Math.round((Date.now() - started) / 1000),
    quick: QUICK,
    machine,
    setup: {
      streams: STREAMS,
      latency: PRODUCTION,
      tokenSweepMs: TOKEN_SWEEP,
      runsAtProduction: RUNS,
      runsInSweep: SWEEP_RUNS,
      measure:
        'load()/src() → first currentTime > 0 (requestVideoFrameCallback, timeupdate and a 5 ms poll), fresh browser context per run, scenarios interleaved in random order per round',
    },
    targets: {
      prefetchedOverLimit: 1.05,
      replayOverLimit: 1.05,
      replayOverLimitReplay: 1.05,
      coldOverNaive: 0.85,
      detectionOverShaka: 0.5,
      tokensPerContentPerLifetime: 1,
      certificatesPerUrlPerPage: 1,
      probeSetsPerPage: 1,
    },
    startup: startupTable,
    ratios,
    detection: detectionSummary,
    detectionByEngine: { date: new Date().toISOString(), loadavg: loadavg(), rows: byEngine },
    size: 'error' in sizes ? sizes : sizes.entries.map(sizeRow),
    load: load.ran
      ? { status: load.status, json: load.json ?? null, tail: load.output?.split('\n').slice(-15).join('\n') }
      : { ran: false, note: 'bench/load.mjs not present' },
    tokenEndpoint,
    parse,
    failures: samples
      .filter((s) => s.error)
      .map((s) => `${s.player}/${s.scenario}@${s.tokenMs}: ${s.error}`)
      .slice(0, 20),
  };
  writeFileSync(join(ROOT, 'bench/out/details.json'), JSON.stringify({ samples, detect }, null, 1));
  if (!QUICK) writeFileSync(join(ROOT, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
  else writeFileSync(join(ROOT, 'bench/out/results.quick.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(renderTable(results));
  console.log(renderParseTable(parse.rows));
  console.log(renderEngineDetection(byEngine));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
