// .ci/run takes the path a new user takes: it installs no browser and points no
// test at one, so `npm test` itself must find or install Chromium and Firefox
// (scripts/browsers.mjs). A browser installed here would hide a `npm test` that
// only works on a prepared machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const script = readFileSync(fileURLToPath(new URL('../../../.ci/run', import.meta.url)), 'utf8');
/** The commands CI runs: its lines without comments and blank lines. */
const commands = script
  .split('\n')
  .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
  .filter(Boolean);

test('.ci/run installs no browser and sets no browser path', () => {
  for (const line of commands) {
    assert.doesNotMatch(line, /\bapt(-get)?\b|\bdpkg\b|\bsnap\b|npx\s+(puppeteer|playwright)/, line);
    assert.doesNotMatch(line, /\b(CHROME_PATH|FIREFOX_PATH|WTR_ENGINE_PATH|TEST_ENGINES)\b/, line);
  }
});

test('.ci/run runs the README command, `npm test`, with both engines (no engine selected)', () => {
  assert.ok(commands.includes('npm test'), commands.join('\n'));
  assert.ok(commands.indexOf('npm test') > commands.indexOf('npm run build'));
});
