// @web/test-runner reporter that counts passed/failed/skipped tests across all
// browsers and files, and writes them as JSON to $EXPRESSPLAY_COUNT_FILE at the end,
// with the title (which carries the reason) of every skipped test.
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
    else counts.failed++;
  }
  for (const s of suite.suites ?? []) walk(s, counts, file, here);
}

export function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0, skippedTests: [] };
      for (const session of sessions) {
        walk(session.testResults, counts, relative(process.cwd(), session.testFile));
        // A file that failed to load has no test results but must count as a failure.
        if (!session.testResults && !session.passed) counts.failed++;
        else if (session.errors?.length && counts.failed === 0 && !session.passed) counts.failed++;
      }
      if (process.env.EXPRESSPLAY_COUNT_FILE) writeFileSync(process.env.EXPRESSPLAY_COUNT_FILE, JSON.stringify(counts));
    },
  };
}
