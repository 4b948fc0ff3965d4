// node:test reporter that counts tests (not suites) and writes the counts as JSON
// to $EXPRESSPLAY_COUNT_FILE, so scripts/test.mjs can sum both runners (and print
// every skipped test with its reason).
import { writeFileSync } from 'node:fs';

export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, skippedTests: [], failedTests: [] };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const data = event.data;
    if (data.details?.type === 'suite') continue;
    if (data.skip !== undefined || data.todo !== undefined) {
      counts.skipped++;
      const reason =
        typeof data.skip === 'string'
          ? data.skip
          : typeof data.todo === 'string'
            ? `todo: ${data.todo}`
            : 'no reason given';
      counts.skippedTests.push(`${data.file ?? ''}: ${data.name} [${reason}]`);
    } else if (event.type === 'test:pass') counts.passed++;
    else {
      counts.failed++;
      const err = data.details?.error;
      const why = String(err?.cause?.message ?? err?.message ?? 'no error message')
        .split('\n')[0]
        .slice(0, 300);
      counts.failedTests.push(`${data.file ?? ''}: ${data.name} [${why}]`);
    }
  }
  if (process.env.EXPRESSPLAY_COUNT_FILE) writeFileSync(process.env.EXPRESSPLAY_COUNT_FILE, JSON.stringify(counts));
  yield '';
}
