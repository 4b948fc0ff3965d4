// `npm test`: Node-side tests (node:test) and browser tests (@web/test-runner in
// headless Chromium), then ONE plain closing line summing both:
//   N passed, N failed, N skipped
// Exits non-zero when anything failed or no test ran.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, mkdtempSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { findChrome } from './find-chrome.mjs';

const args = new Set(process.argv.slice(2));
const root = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'expressplay-test-'));

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

const total = { passed: 0, failed: 0, skipped: 0 };
function add(counts, label, exitCode) {
  if (!counts) {
    console.error(`[test] ${label}: no counts were reported (exit ${exitCode}); counting it as one failure.`);
    total.failed++;
    return;
  }
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
  // A runner that exits non-zero without a failing test (a crash, a file that did not load) is a failure.
  if (exitCode !== 0 && counts.failed === 0) total.failed++;
  console.log(`[test] ${label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
}

// The browser tests and the end-to-end tests load the built UMD and ESM files.
if (!existsSync(join(root, 'dist/umd/expressplay-eme.min.js')) || args.has('--build')) {
  console.log('[test] building (dist/ is missing)…');
  const b = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', cwd: root });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

if (!args.has('--browser-only')) {
  const files = listTests(join(root, 'test/node'), '.test.ts');
  const countFile = join(tmp, 'node.json');
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      `--test-reporter=${join(root, 'scripts/node-count-reporter.mjs')}`, '--test-reporter-destination=stderr',
      ...files],
    { stdio: 'inherit', cwd: root, env: { ...process.env, EXPRESSPLAY_COUNT_FILE: countFile } },
  );
  add(readCounts(countFile), 'node', r.status);
}

if (!args.has('--node-only')) {
  let chrome;
  try {
    chrome = findChrome();
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
  const countFile = join(tmp, 'browser.json');
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'node_modules/@web/test-runner/dist/bin.js'), '--config', 'web-test-runner.config.mjs'],
    { stdio: 'inherit', cwd: root, env: { ...process.env, CHROME_PATH: chrome, EXPRESSPLAY_COUNT_FILE: countFile } },
  );
  add(readCounts(countFile), 'browser', r.status);
}

rmSync(tmp, { recursive: true, force: true });
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
