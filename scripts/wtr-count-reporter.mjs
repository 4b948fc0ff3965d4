// @web/test-runner reporter that counts passed/failed/skipped tests across all
// browsers and files, and writes them as JSON to $EXPRESSPLAY_COUNT_FILE at the end,
// with the title (which carries the reason) of every skipped test and of every failed one.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';

function walk(suite, counts, file, path = []) {
  if (!suite) return;
  const here = suite.name ? [...path, suite.name] : path;
  for (const t of suite.tests ?? []) {
    if (t.skipped) {
      counts.skipped++;
      // The title carries the reason (test/browser/support/engine.ts): never skipped silently.
      counts.skippedTests.push(`${file}: ${[...here, t.name].join(' > ')}`);
    } else if (t.passed) counts.passed++;
    else {
      counts.failed++;
      // Named with the first line of its error, so the run's last lines say what failed.
      const why = String(t.error?.message ?? 'no error message')
        .split('\n')[0]
        .slice(0, 300);
      counts.failedTests.push(`${file}: ${[...here, t.name].join(' > ')} [${why}]`);
    }
  }
  for (const s of suite.suites ?? []) walk(s, counts, file, here);
}

export function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0, skippedTests: [], failedTests: [] };
      for (const session of sessions) {
        walk(session.testResults, counts, relative(process.cwd(), session.testFile));
        // A file that failed to load has no test results but must count as a failure.
        const file = relative(process.cwd(), session.testFile);
        const loadError = String(session.errors?.[0]?.message ?? 'no error message')
          .split('\n')[0]
          .slice(0, 300);
        if (!session.testResults && !session.passed) {
          counts.failed++;
          counts.failedTests.push(`${file}: did not load or run [${loadError}]`);
        } else if (session.errors?.length && counts.failed === 0 && !session.passed) {
          counts.failed++;
          counts.failedTests.push(`${file}: error outside a test [${loadError}]`);
        }
      }
      if (process.env.EXPRESSPLAY_COUNT_FILE) writeFileSync(process.env.EXPRESSPLAY_COUNT_FILE, JSON.stringify(counts));
    },
  };
}
