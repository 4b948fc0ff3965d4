// @web/test-runner reporter that counts passed/failed/skipped tests across all
// browsers and files, and writes them as JSON to $EXPRESSPLAY_COUNT_FILE at the end.
import { writeFileSync } from 'node:fs';

function walk(suite, counts) {
  if (!suite) return;
  for (const t of suite.tests ?? []) {
    if (t.skipped) counts.skipped++;
    else if (t.passed) counts.passed++;
    else counts.failed++;
  }
  for (const s of suite.suites ?? []) walk(s, counts);
}

export function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        walk(session.testResults, counts);
        // A file that failed to load has no test results but must count as a failure.
        if (!session.testResults && !session.passed) counts.failed++;
        else if (session.errors?.length && counts.failed === 0 && !session.passed) counts.failed++;
      }
      if (process.env.EXPRESSPLAY_COUNT_FILE) writeFileSync(process.env.EXPRESSPLAY_COUNT_FILE, JSON.stringify(counts));
    },
  };
}
