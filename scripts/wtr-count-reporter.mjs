// @web/test-runner reporter that counts passed/failed/skipped tests across all
// browsers and files, and writes them as JSON to $EXPRESSPLAY_COUNT_FILE at the end:
// the totals, the same per test file (so scripts/test.mjs can run a failed file
// again), the title (which carries the reason) of every skipped test and the title
// and first error line of every failed one.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';

function firstLine(message) {
  return String(message ?? 'no error message')
    .split('\n')[0]
    .slice(0, 300);
}

function walk(suite, counts, file, path = []) {
  if (!suite) return;
  const here = suite.name ? [...path, suite.name] : path;
  for (const t of suite.tests ?? []) {
    const title = `${file}: ${[...here, t.name].join(' > ')}`;
    if (t.skipped) {
      counts.skipped++;
      // The title carries the reason (test/browser/support/engine.ts): never skipped silently.
      counts.skippedTests.push(title);
    } else if (t.passed) counts.passed++;
    else {
      counts.failed++;
      counts.failedTests.push(`${title} [${firstLine(t.error?.message)}]`);
    }
  }
  for (const s of suite.suites ?? []) walk(s, counts, file, here);
}

function emptyCounts() {
  return { passed: 0, failed: 0, skipped: 0, skippedTests: [], failedTests: [] };
}

/** One test file's counts; a file that did not load, or failed outside its tests, counts one failure. */
function countSession(session, file) {
  const counts = emptyCounts();
  walk(session.testResults, counts, file);
  const loadError = firstLine(session.errors?.[0]?.message);
  if (!session.testResults && !session.passed) {
    counts.failed++;
    counts.failedTests.push(`${file}: did not load or run [${loadError}]`);
  } else if (!session.passed && counts.failed === 0) {
    counts.failed++;
    counts.failedTests.push(`${file}: error outside a test [${loadError}]`);
  }
  return counts;
}

export function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { ...emptyCounts(), files: {} };
      for (const session of sessions) {
        const file = relative(process.cwd(), session.testFile);
        const one = countSession(session, file);
        counts.files[file] = one;
        for (const key of ['passed', 'failed', 'skipped']) counts[key] += one[key];
        counts.skippedTests.push(...one.skippedTests);
        counts.failedTests.push(...one.failedTests);
      }
      if (process.env.EXPRESSPLAY_COUNT_FILE) writeFileSync(process.env.EXPRESSPLAY_COUNT_FILE, JSON.stringify(counts));
    },
  };
}
