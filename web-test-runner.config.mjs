// Browser tests: real headless Chromium and Firefox (Debian's), both through
// puppeteer-core — Chromium over CDP, Firefox over WebDriver BiDi — with
// @web/test-runner-chrome's launcher given puppeteer-core as its puppeteer (the
// launcher accepts any puppeteer instance; @web/test-runner-puppeteer would pull
// in full `puppeteer`, which downloads browsers). TypeScript through esbuild.
//
// $WTR_ENGINE picks the engine (chromium | firefox; default chromium):
// scripts/test.mjs runs this config once per engine so each gets its own count
// and timing. $WTR_ENGINE_PATH is the binary (scripts/browsers.mjs finds it).
import * as puppeteer from 'puppeteer-core';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import { ensureBrowsers, launchOptions } from './scripts/browsers.mjs';
import { countReporter } from './scripts/wtr-count-reporter.mjs';
import { testServersPlugin } from './test/browser/support/servers-plugin.mjs';

const engine = process.env.WTR_ENGINE || 'chromium';
const executablePath = process.env.WTR_ENGINE_PATH || ensureBrowsers([engine])[engine];

export default {
  files: process.env.WTR_FILES ? process.env.WTR_FILES.split(',') : ['test/browser/**/*.test.ts'],
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
