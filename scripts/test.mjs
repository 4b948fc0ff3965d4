// `npm test`: makes sure every browser engine is installed (before any test
// starts), then Node-side tests (node:test, including the demo driven in both
// engines), the browser tests (@web/test-runner) once per engine — Chromium,
// then Firefox — and the peer matrix (the adapters' end-to-end tests on the
// oldest player versions peerDependencies claim) per engine, and ends with ONE plain closing line summing everything, with
// each part's count after it:
//   N passed, N failed, N skipped (node …; chromium …; firefox …)
// Every skipped test is printed with its reason. Exits non-zero when anything
// failed or no test ran.
//
// Flags: --node-only, --browser-only, --build (rebuild dist/ first).
// $TEST_ENGINES=chromium (or firefox) runs one engine; $WTR_FILES a subset of browser tests.
import { spawnSync } from 'node:child_process';
import { buildState } from './build-state.mjs';
import { existsSync, readdirSync, readFileSync, rmSync, mkdtempSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ENGINES, ensureBrowsers, selectedEngines } from './browsers.mjs';

const args = new Set(process.argv.slice(2));
const root = new URL('..', import.meta.url).pathname;

function listTests(dir, suffix) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listTests(p, suffix));
    else if (name.endsWith(suffix)) out.push(p);
  }
  return out;
}

function readCounts(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

// Every browser first: a missing one fails here, before any test has run.
let engines;
let paths;
try {
  engines = selectedEngines();
  paths = ensureBrowsers(engines);
} catch (err) {
  console.error(`[test] ${err.message}`);
  process.exit(1);
}
const browserEnv = {};
for (const engine of engines) browserEnv[ENGINES[engine].env] = paths[engine];
for (const engine of engines) console.log(`[test] ${ENGINES[engine].name}: ${paths[engine]}`);

const tmp = mkdtempSync(join(tmpdir(), 'expressplay-test-'));
const total = { passed: 0, failed: 0, skipped: 0 };
const parts = [];
const failures = [];
function add(counts, label, exitCode, seconds) {
  if (!counts) {
    console.error(`[test] ${label}: no counts were reported (exit ${exitCode}); counting it as one failure.`);
    total.failed++;
    parts.push(`${label}: no counts`);
    return;
  }
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
  // A runner that exits non-zero without a failing test (a crash, a file that did not load) is a failure.
  if (exitCode !== 0 && counts.failed === 0) total.failed++;
  for (const name of counts.skippedTests ?? []) console.log(`[test] ${label} skipped: ${name}`);
  for (const name of counts.failedTests ?? []) failures.push(`${label}: ${name}`);
  console.log(
    `[test] ${label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped in ${seconds} s`,
  );
  parts.push(`${label} ${counts.passed}/${counts.failed}/${counts.skipped}`);
}

function spawnCounted(label, argv, env) {
  const countFile = join(tmp, `${label}.json`);
  const started = Date.now();
  const r = spawnSync(process.execPath, argv, {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, ...browserEnv, ...env, EXPRESSPLAY_COUNT_FILE: countFile },
  });
  return { counts: readCounts(countFile), status: r.status, seconds: Math.round((Date.now() - started) / 1000) };
}

function run(label, argv, env) {
  const { counts, status, seconds } = spawnCounted(label, argv, env);
  add(counts, label, status, seconds);
}

/** Browser files that failed, each run once more on its own: media timing on a loaded 2-core machine. */
const RERUN_AT_MOST = 3;
const flaky = [];

/**
 * A browser run whose failures sit in at most RERUN_AT_MOST files runs those files once
 * more. A file that passes then counts with its second run's results, and every test that
 * failed first is printed as FLAKY with its first error (so nothing is hidden: it is named
 * in the log and in the closing total); a file that fails again stays failed.
 */
function runBrowser(label, argv, env) {
  const first = spawnCounted(label, argv, env);
  const files = Object.entries(first.counts?.files ?? {})
    .filter(([, c]) => c.failed > 0)
    .map(([file]) => file);
  if (!first.counts || files.length === 0 || files.length > RERUN_AT_MOST) {
    add(first.counts, label, first.status, first.seconds);
    return;
  }
  console.log(`[test] ${label}: running the failed file(s) once more: ${files.join(', ')}`);
  const again = spawnCounted(`${label}-again`, argv, { ...env, WTR_FILES: files.join(',') });
  if (!again.counts || again.counts.failed > 0 || again.status !== 0) {
    add(first.counts, label, first.status, first.seconds);
    return;
  }
  const merged = { passed: 0, failed: 0, skipped: 0, skippedTests: [], failedTests: [] };
  const perFile = { ...first.counts.files, ...again.counts.files };
  for (const c of Object.values(perFile)) {
    for (const key of ['passed', 'failed', 'skipped']) merged[key] += c[key];
    merged.skippedTests.push(...c.skippedTests);
  }
  for (const file of files) for (const name of first.counts.files[file].failedTests) flaky.push(`${label}: ${name}`);
  add(merged, label, 0, first.seconds + again.seconds);
}

// The browser tests and the end-to-end tests load the built UMD and ESM files: built
// before any test starts, so that no test (npm start in the demo test) rebuilds it under the others.
const state = args.has('--build') ? 'to be rebuilt (--build)' : buildState(root);
if (state !== 'fresh') {
  console.log(`[test] building (dist/ is ${state === 'stale' ? 'older than src/' : state})…`);
  const b = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', cwd: root });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

if (!args.has('--browser-only')) {
  const files = listTests(join(root, 'test/node'), '.test.ts');
  run(
    'node',
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=2',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${join(root, 'scripts/node-count-reporter.mjs')}`,
      '--test-reporter-destination=stderr',
      ...files,
    ],
    { TEST_ENGINES: engines.join(',') },
  );
}

if (!args.has('--node-only')) {
  const wtr = [
    '--import',
    'tsx',
    join(root, 'node_modules/@web/test-runner/dist/bin.js'),
    '--config',
    'web-test-runner.config.mjs',
  ];
  for (const engine of engines) {
    console.log(`[test] browser tests in ${ENGINES[engine].name}`);
    runBrowser(engine, wtr, { WTR_ENGINE: engine, WTR_ENGINE_PATH: paths[engine] });
  }
  // The peer matrix: the adapters' end-to-end tests on the oldest player versions package.json claims.
  if (!process.env.WTR_FILES) {
    for (const engine of engines) {
      console.log(
        `[test] the oldest player versions peerDependencies claim (test/browser/support/players.ts: OLDEST) in ${ENGINES[engine].name}`,
      );
      runBrowser(`${engine}-oldest-players`, wtr, {
        WTR_ENGINE: engine,
        WTR_ENGINE_PATH: paths[engine],
        WTR_PLAYERS: 'oldest',
      });
    }
  }
}

rmSync(tmp, { recursive: true, force: true });
// Failures are named again just above the total, where a truncated log still shows them.
for (const name of flaky) console.log(`[test] FLAKY (failed, then passed when its file ran again) ${name}`);
for (const name of failures) console.log(`[test] FAILED ${name}`);
const flakyNote = flaky.length ? `, ${flaky.length} flaky (named above)` : '';
console.log(
  `${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped${flakyNote} (passed/failed/skipped: ${parts.join('; ')})`,
);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
