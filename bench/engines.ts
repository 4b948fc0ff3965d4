// Detection in the demo's set-up (ClearKey preferred, the page's own EME) in each
// browser engine: Chromium and Firefox, both through puppeteer-core (Firefox over
// WebDriver BiDi; playwright-core cannot drive a stock Firefox). Firefox's
// `com.widevine.alpha` request never settles, so this is where a detection that
// waits on a key system that cannot change the result would show (5 s).
import puppeteer, { type Browser } from 'puppeteer-core';
// @ts-expect-error -- scripts/*.mjs are plain JavaScript without type declarations.
import * as browsersUntyped from '../scripts/browsers.mjs';
import type { BenchServers } from './servers.js';
import type { DemoDetectResult } from './page/main.js';
import { median, quantile } from './stats.js';

type Engine = 'chromium' | 'firefox';
const browsers = browsersUntyped as {
  ensureBrowsers(engines: Engine[]): Record<Engine, string>;
  launchOptions(engine: Engine, executablePath: string): Parameters<typeof puppeteer.launch>[0];
};

/** One engine's row. */
export interface EngineDetectionRow {
  engine: Engine;
  /** `false`: the same without the HDCP check (`hdcp: false`), to show what starting the CDM costs. */
  hdcp: boolean;
  executable: string;
  pages: number;
  /** First detectDrm call in a fresh page (what the demo pays): median and max over pages. */
  firstMedianMs: number;
  firstMaxMs: number;
  /** Re-probes (`refresh: true`) in the same pages. */
  repeatMedianMs: number;
  repeatP90Ms: number;
  preferred?: string;
  pending: string[];
  target: number;
  meetsTarget: boolean;
}

/** The demo's detection target (issue #12): ≤ 50 ms in both engines. */
export const DEMO_DETECTION_TARGET_MS = 50;

/** `pages` fresh pages per engine, `rounds` re-probes in each. */
export async function engineDetection(
  servers: BenchServers,
  instrumentJs: string,
  pages: number,
  rounds: number,
  engines: Engine[] = ['chromium', 'firefox'],
): Promise<EngineDetectionRow[]> {
  const paths = browsers.ensureBrowsers(engines);
  const rows: EngineDetectionRow[] = [];
  for (const engine of engines) {
    const browser = await puppeteer.launch(browsers.launchOptions(engine, paths[engine]));
    try {
      for (const hdcp of [true, false])
        rows.push(await measure(engine, paths[engine], hdcp, browser, servers, instrumentJs, pages, rounds));
    } finally {
      await browser.close();
    }
  }
  return rows;
}

async function measure(
  engine: Engine,
  executable: string,
  hdcp: boolean,
  browser: Browser,
  servers: BenchServers,
  instrumentJs: string,
  pages: number,
  rounds: number,
): Promise<EngineDetectionRow> {
  const results: DemoDetectResult[] = [];
  for (let i = 0; i < pages; i++) {
    const page = await browser.newPage();
    try {
      await page.evaluateOnNewDocument(instrumentJs);
      await page.goto(`${servers.appUrl}/shaka.html`);
      await page.waitForFunction(() => typeof window.__bench?.demoDetect === 'function');
      // JSON across the wire: WebDriver BiDi drops repeated references in results.
      const json = await page.evaluate(
        async (n, h) => JSON.stringify(await window.__bench.demoDetect(n, h)),
        rounds,
        hdcp,
      );
      results.push(JSON.parse(json) as DemoDetectResult);
    } finally {
      await page.close();
    }
  }
  const first = results.map((r) => r.firstMs);
  const repeat = results.flatMap((r) => r.ms);
  const firstMedianMs = median(first);
  const row: EngineDetectionRow = {
    engine,
    hdcp,
    executable,
    pages,
    firstMedianMs,
    firstMaxMs: Math.max(...first),
    repeatMedianMs: median(repeat),
    repeatP90Ms: quantile(repeat, 0.9),
    pending: results[0]?.pending ?? [],
    target: DEMO_DETECTION_TARGET_MS,
    meetsTarget: firstMedianMs <= DEMO_DETECTION_TARGET_MS,
  };
  if (results[0]?.preferred) row.preferred = results[0].preferred;
  return row;
}

/** The rows as a table for the console. */
export function renderEngineDetection(rows: readonly EngineDetectionRow[]): string {
  const out = [
    "Detection in the demo's set-up (ClearKey preferred), per engine",
    '| engine | HDCP check | pages | first call median (max) | re-probe median (p90) | preferred | not waited for | ≤ 50 ms |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const f = (n: number) => `${n.toFixed(1)} ms`;
  for (const r of rows)
    out.push(
      `| ${r.engine} | ${r.hdcp ? 'yes (default)' : 'no (hdcp: false)'} | ${r.pages} | ${f(r.firstMedianMs)} (${f(r.firstMaxMs)}) | ${f(r.repeatMedianMs)} (${f(r.repeatP90Ms)}) | ${r.preferred ?? '—'} | ${r.pending.join(', ') || '—'} | ${r.meetsTarget ? 'yes' : 'NO'} |`,
    );
  return out.join('\n');
}
