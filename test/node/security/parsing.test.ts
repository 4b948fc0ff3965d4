// Issue #11 item 2: every scan over text from the network is linear-time. Bodies of
// the shapes that froze the event loop (a repeated `<head` prefix, a repeated `<a `,
// a long JSON rightsUrl with a space in it, unclosed script/style) are run at 512 KiB,
// eight times the default cap, in a worker under a watchdog. A linear scan needs a few
// milliseconds; the backtracking regexes needed minutes at this size.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { finishesWithin, type ParserName } from './watchdog.js';

const SIZE = 512 * 1024;
const BUDGET_MS = 10_000;

function fill(unit: string, size = SIZE): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

const longUrl = `https://${fill('a', SIZE - 40)} x`;
const cases: Array<[string, ParserName, unknown]> = [
  [
    'HTML error: repeated <head prefix',
    'parseErrorResponse',
    { status: 500, contentType: 'text/html', body: fill('<head') },
  ],
  ['HTML error: repeated <a ', 'parseErrorResponse', { status: 500, contentType: 'text/html', body: fill('<a ') }],
  [
    'HTML error: repeated <script and <style, never closed',
    'parseErrorResponse',
    { status: 500, contentType: 'text/html', body: fill('<script <style x') },
  ],
  [
    'HTML error: repeated <head> with no </head>',
    'parseErrorResponse',
    { status: 500, contentType: 'text/html', body: fill('<head>x') },
  ],
  ['HTML without a content type', 'parseErrorResponse', { status: 400, body: fill('<a <head ') }],
  [
    'JSON rightsUrl with a space near the end',
    'parseTokenResponse',
    { status: 200, contentType: 'application/json', body: JSON.stringify({ rightsUrl: longUrl }) },
  ],
  [
    'uri-list with a long first line',
    'parseTokenResponse',
    { status: 200, contentType: 'text/uri-list', body: longUrl },
  ],
  [
    'plain-text error of digits and dashes',
    'parseErrorResponse',
    { status: 400, contentType: 'text/plain', body: fill('-12-') },
  ],
  ['redaction of many token parameters', 'redactTokens', fill('&ExpressPlayToken=abc&ExpressPlay%54oken=')],
  ['redaction of percent signs', 'redactTokens', fill('%')],
];

describe('security: linear-time parsing of hostile bodies (512 KiB)', () => {
  for (const [name, parser, input] of cases) {
    it(name, async () => {
      const { finished } = await finishesWithin(parser, input, BUDGET_MS);
      assert.ok(finished, `${parser} was still busy after ${BUDGET_MS} ms`);
    });
  }
});
