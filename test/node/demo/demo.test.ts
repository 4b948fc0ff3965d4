// Acceptance of the demo (issue #6): `npm start` as a user runs it, the printed URL
// opened in headless Chromium and in headless Firefox (both through puppeteer-core:
// Chromium over CDP, Firefox over WebDriver BiDi — playwright-core cannot drive a
// stock Firefox), protected video played with each adapter through the
// whole real path (detection → token endpoint → emulator token service → rights URL →
// emulator rights endpoint → ClearKey license → decryption), the profile table and the
// step log shown, and no token readable anywhere on the page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type LaunchOptions, type Page } from 'puppeteer-core';
// @ts-expect-error -- scripts/*.mjs are plain JavaScript without type declarations.
import * as browsersUntyped from '../../../scripts/browsers.mjs';

type Engine = 'chromium' | 'firefox';
const browsers = browsersUntyped as {
  selectedEngines(): Engine[];
  ensureBrowsers(engines: Engine[]): Record<Engine, string>;
  launchOptions(engine: Engine, executablePath: string): LaunchOptions;
};
const root = fileURLToPath(new URL('../../../', import.meta.url));
const resultsDir = join(root, 'test-results');

interface DemoConfig {
  tokenEndpoint: string;
  allowedRightsHosts: string[];
  emulator: { url: string; stats: string };
  streams: Array<{ contentId: string; manifest: string }>;
}

interface EmulatorStats {
  tokensIssued: Record<string, number>;
  licensesServed: { clearkey: number; fairplay: number };
}

let server: ChildProcess | undefined;
let serverLog = '';
let baseUrl = '';
let config: DemoConfig;

/** Starts `npm start` in its own process group (npm → node), resolves with the one URL it prints. */
function startDemo(): Promise<string> {
  return new Promise((resolve, reject) => {
    // PORT=0 / EMULATOR_PORT=0: free ports, so a demo the developer already runs is no obstacle.
    const child = spawn('npm', ['start'], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PORT: '0', EMULATOR_PORT: '0' },
    });
    server = child;
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      serverLog += chunk;
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      serverLog += chunk;
    });
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before printing a URL:\n${serverLog}`)));
    child.once('error', reject);
  });
}

before(
  async () => {
    mkdirSync(resultsDir, { recursive: true });
    // Generous: npm start first rebuilds dist/ when src/ is newer (tens of seconds on 2 busy cores).
    baseUrl = await startDemo();
    const res = await fetch(new URL('demo/config.json', baseUrl));
    config = (await res.json()) as DemoConfig;
  },
  { timeout: 300_000 },
);

after(async () => {
  const child = server;
  if (child?.pid !== undefined && child.exitCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // The whole group: npm and the node process it started. SIGTERM is what npm start handles.
    process.kill(-child.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  }
});

async function emulatorStats(): Promise<EmulatorStats> {
  const res = await fetch(config.emulator.stats);
  return (await res.json()) as EmulatorStats;
}

/**
 * Every token the token endpoint handed to this page, read from the page's own fetch
 * (wrapped before any page script runs, reading a clone of each /api/token answer).
 * Not from puppeteer's network log: it sometimes has no body for a response it
 * reported ("No data found for resource").
 */
async function collectTokens(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluateOnNewDocument(() => {
    const bodies: string[] = [];
    (window as unknown as { __tokenBodies: string[] }).__tokenBodies = bodies;
    const original = window.fetch.bind(window);
    window.fetch = async (...args: Parameters<typeof fetch>) => {
      const response = await original(...args);
      const url = args[0] instanceof Request ? args[0].url : String(args[0]);
      if (url.includes('/api/token')) {
        response
          .clone()
          .text()
          .then((body) => bodies.push(body))
          .catch(() => undefined);
      }
      return response;
    };
  });
  return async () => {
    const bodies = await page.evaluate(() => (window as unknown as { __tokenBodies?: string[] }).__tokenBodies ?? []);
    const tokens = new Set<string>();
    for (const body of bodies) {
      for (const m of body.matchAll(/ExpressPlayToken=([^&"\s]+)/g)) if (m[1]) tokens.add(decodeURIComponent(m[1]));
    }
    return [...tokens];
  };
}

/** Everything a person or a script could read on the page: markup, rendered text, form values. */
async function pageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const values = [...document.querySelectorAll('input, select, textarea')].map(
      (el) => (el as HTMLInputElement).value,
    );
    return [document.documentElement.outerHTML, document.body.innerText, document.title, ...values].join('\n');
  });
}

const text = (page: Page, selector: string) => page.$eval(selector, (el) => el.textContent ?? '');

// Every adapter, each with the ESM build and with the drop-in script tag.
const CASES = [
  { adapter: 'shaka', page: '', mode: 'ESM build', stream: 'cenc-h264', shot: 'demo-shaka' },
  { adapter: 'shaka', page: 'umd.html', mode: 'script tag', stream: 'cbcs-vp9', shot: 'demo-shaka-umd' },
  { adapter: 'videojs', page: 'umd.html', mode: 'script tag', stream: 'cbcs-vp9', shot: 'demo-videojs' },
  { adapter: 'videojs', page: '', mode: 'ESM build', stream: 'cenc-h264', shot: 'demo-videojs-esm' },
  { adapter: 'hlsjs', page: '', mode: 'ESM build', stream: 'clearkey-hls-a', shot: 'demo-hlsjs-esm' },
  { adapter: 'hlsjs', page: 'umd.html', mode: 'script tag', stream: 'clearkey-hls-b', shot: 'demo-hlsjs-umd' },
  { adapter: 'dashjs', page: '', mode: 'ESM build', stream: 'clearkey-dash-cenc', shot: 'demo-dashjs-esm' },
  { adapter: 'dashjs', page: 'umd.html', mode: 'script tag', stream: 'clearkey-dash-cbcs', shot: 'demo-dashjs-umd' },
] as const;

async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  return page;
}

/** The demo as a user plays it, in one engine. */
function playTest(engine: Engine, browser: () => Browser, c: (typeof CASES)[number]): void {
  test(
    `demo in ${engine}: ${c.adapter} (${c.mode}) plays ${c.stream} past 1 s; profile, step log, redaction`,
    { timeout: 60_000 },
    async () => {
      const before = await emulatorStats();
      const page = await newPage(browser());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e instanceof Error ? e.message : String(e)));
      const readTokens = await collectTokens(page);
      try {
        await page.goto(new URL(`demo/${c.page}`, baseUrl).href);
        // As a user: pick the player and the stream, press Play.
        await page.click(`input[name=adapter][value=${c.adapter}]`);
        await page.select('select[name=stream]', c.stream);
        await page.click('#play');
        await page.waitForFunction(
          () => {
            const video = document.querySelector<HTMLVideoElement>('#player video');
            return video !== null && video.currentTime > 1;
          },
          { timeout: 30_000 },
        );

        // The DRM profile table: one row per key system, ClearKey supported here.
        assert.equal(await page.$$eval('#profile tbody tr', (rows) => rows.length), 4);
        assert.equal(await text(page, '#profile tr[data-drm=clearkey] td:nth-child(3)'), 'yes');
        assert.equal(await text(page, '#profile tr[data-drm=widevine] td:nth-child(3)'), 'no');
        assert.match(await text(page, '#drm-note'), /ClearKey/);

        // The step log: the whole flow, in order.
        await page.waitForSelector('#steps li[data-kind=played]');
        const kinds = await page.$$eval('#steps li', (els) => els.map((el) => (el as HTMLElement).dataset.kind ?? ''));
        const order = ['token-request', 'rights-url', 'license-request', 'license', 'playing', 'played'];
        for (const kind of order) assert.ok(kinds.includes(kind), `step ${kind} missing from ${kinds.join(', ')}`);
        const at = (kind: string) => kinds.indexOf(kind);
        // A player may ask for its license before the token has arrived (dash.js does; the request
        // waits for the rights URL), so the license request is ordered only after the token request.
        assert.ok(
          at('token-request') < at('rights-url') &&
            at('token-request') < at('license-request') &&
            at('rights-url') < at('license') &&
            at('license-request') < at('license') &&
            at('license') < at('played'),
          kinds.join(', '),
        );
        assert.match(
          await text(page, '#steps li[data-kind=rights-url] .detail'),
          /ExpressPlayToken=.{0,4}…\[redacted\]/,
        );
        assert.equal(
          await page.$eval('#error', (el) => (el as HTMLElement).hidden || getComputedStyle(el).display === 'none'),
          true,
          'no error shown',
        );

        // No token in the clear, anywhere on the page.
        const tokens = await readTokens();
        assert.ok(tokens.length >= 1, 'the page got a token from the token endpoint');
        const all = await pageText(page);
        for (const token of tokens) {
          assert.ok(!all.includes(token), 'a full token is on the page');
          // The redaction keeps 4 characters; any longer piece of the token must not appear.
          assert.ok(!all.includes(token.slice(4, 24)), 'part of a token is on the page');
        }

        // The real path was taken: the emulator issued a token and served a ClearKey license.
        const stats = await emulatorStats();
        assert.ok(
          (stats.tokensIssued['widevine'] ?? 0) > (before.tokensIssued['widevine'] ?? 0),
          'emulator issued a token',
        );
        assert.ok(stats.licensesServed.clearkey > before.licensesServed.clearkey, 'emulator served a ClearKey license');
        assert.deepEqual(errors, []);
        await page.screenshot({ path: join(resultsDir, `${c.shot}-${engine}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    },
  );
}

function errorTest(engine: Engine, browser: () => Browser): void {
  test(
    `demo in ${engine}: a refused token shows its seed code, the catalog message and a plain-language hint`,
    { timeout: 60_000 },
    async () => {
      const faults = new URL('/__emulator/faults', config.emulator.url).href;
      // The token service refuses the back end's authenticator, as ExpressPlay does with a production key on the test service.
      await fetch(faults, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: { failNext: 10, status: 401, code: -2018 } }),
      });
      const page = await newPage(browser());
      try {
        await page.goto(new URL('demo/?adapter=shaka&stream=cenc-h264&autoplay=1', baseUrl).href);
        await page.waitForSelector('#error:not([hidden])', { timeout: 20_000 });
        assert.equal(await text(page, '#error .code'), '-2018');
        assert.match(await text(page, '#error .message'), /Invalid authenticator/);
        assert.match(await text(page, '#error .hint'), /authenticator/i);
        await page.screenshot({ path: join(resultsDir, `demo-error-${engine}.png`), fullPage: true });
      } finally {
        await page.close();
        await fetch(new URL('/__emulator/reset', config.emulator.url).href, { method: 'POST' });
      }
    },
  );
}

// scripts/test.mjs has made sure every engine is installed before any test starts.
for (const engine of browsers.selectedEngines()) {
  describe(`demo in ${engine}`, () => {
    let browser: Browser | undefined;
    const current = () => {
      if (!browser) throw new Error(`${engine} did not start`);
      return browser;
    };
    before(
      async () => {
        const path = browsers.ensureBrowsers([engine])[engine];
        browser = await puppeteer.launch(browsers.launchOptions(engine, path));
      },
      { timeout: 120_000 },
    );
    after(async () => {
      await browser?.close();
    });
    for (const c of CASES) playTest(engine, current, c);
    errorTest(engine, current);
  });
}

test('npm start: no keys reachable from the browser, no way out of the served folders', async () => {
  const streams = JSON.parse(readFileSync(join(root, 'test/media/streams.json'), 'utf8')) as Record<
    string,
    { key: string; iv: string }
  >;
  const get = async (path: string) => {
    const res = await fetch(new URL(path, baseUrl), { redirect: 'manual' });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
  };
  // The page's own configuration names content ids and manifests, never key material.
  const conf = await get('demo/config.json');
  for (const s of Object.values(streams)) {
    assert.ok(!conf.body.includes(s.key) && !conf.body.includes(s.iv), 'a key is in demo/config.json');
  }
  assert.equal((await get('test/media/streams.json')).status, 404, 'streams.json (the keys) is not served');
  for (const path of [
    'package.json',
    'demo/..%2f..%2fpackage.json',
    'demo/%2e%2e/%2e%2e/package.json',
    'src/index.ts',
    'node_modules/shaka-player/package.json',
    'demo/%00',
  ]) {
    assert.equal((await get(path)).status, 404, path);
  }
  // What the players need, with the right types.
  assert.match((await get('test/media/cenc-h264/manifest.mpd')).type, /^application\/dash\+xml/);
  assert.match((await get('test/media/cenc-h264/video/1.m4s')).type, /^video\/iso\.segment/);
  assert.match((await get('test/media/fairplay-hls/master.m3u8')).type, /^application\/vnd\.apple\.mpegurl/);
  assert.match((await get('dist/esm/index.js')).type, /^text\/javascript/);
  assert.match((await get('dist/esm/index.js.map')).type, /^application\/json/);
  assert.match((await get('vendor/shaka-player/shaka-player.compiled.js')).type, /^text\/javascript/);
  assert.equal((await get('')).status, 302);
});
