// Browser tests: real headless Chromium and Firefox (Debian's), both through
// puppeteer-core — Chromium over CDP, Firefox over WebDriver BiDi — with
// @web/test-runner-chrome's launcher given puppeteer-core as its puppeteer (the
// launcher accepts any puppeteer instance; @web/test-runner-puppeteer would pull
// in full `puppeteer`, which downloads browsers). TypeScript through esbuild.
//
// $WTR_ENGINE picks the engine (chromium | firefox; default chromium):
// scripts/test.mjs runs this config once per engine so each gets its own count
// and timing. $WTR_ENGINE_PATH is the binary (scripts/browsers.mjs finds it).
//
// $WTR_PLAYERS=oldest is the peer matrix: each adapter's end-to-end tests (play,
// refresh once, typed errors, dispose) with the oldest player versions
// package.json's peerDependencies claim, loaded from their npm aliases
// (test/browser/support/players.ts).
import * as puppeteer from 'puppeteer-core';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import { ensureBrowsers, launchOptions } from './scripts/browsers.mjs';
import { countReporter } from './scripts/wtr-count-reporter.mjs';
import { testServersPlugin } from './test/browser/support/servers-plugin.mjs';

const engine = process.env.WTR_ENGINE || 'chromium';

/**
 * The adapters' end-to-end tests the matrix runs: play, refresh once, typed errors,
 * dispose. Shaka's files join when its oldest claimed version differs from the
 * newest (test/browser/support/players.ts: OLDEST).
 */
const MATRIX_FILES = [
  'test/browser/players.test.ts',
  'test/browser/videojs/play.test.ts',
  'test/browser/videojs/recovery.test.ts',
];
const oldest = process.env.WTR_PLAYERS === 'oldest';
if (process.env.WTR_PLAYERS && !oldest)
  throw new Error(`WTR_PLAYERS=${process.env.WTR_PLAYERS}: only "oldest" is known`);

/** The test page: the default one, with the player packages set first in the matrix run. */
function testRunnerHtml(testFramework) {
  const players = oldest ? `<script>window.__EXPRESSPLAY_PLAYERS__ = 'oldest';</script>` : '';
  return `<!DOCTYPE html><html><head>${players}</head><body><script type="module" src="${testFramework}"></script></body></html>`;
}
const executablePath = process.env.WTR_ENGINE_PATH || ensureBrowsers([engine])[engine];

export default {
  files: process.env.WTR_FILES
    ? process.env.WTR_FILES.split(',')
    : oldest
      ? MATRIX_FILES
      : ['test/browser/**/*.test.ts'],
  testRunnerHtml,
  nodeResolve: true,
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  testsFinishTimeout: 180000,
  testFramework: { config: { timeout: 20000 } },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' }), testServersPlugin()],
  browsers: [chromeLauncher({ launchOptions: launchOptions(engine, executablePath), puppeteer })],
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: false }), countReporter()],
};
