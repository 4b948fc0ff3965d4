// Shared set-up for the Video.js end-to-end tests: Video.js and contrib-eme load
// from their UMD builds with script tags, as drop-in users load them; the plugin
// is registered on that `window.videojs`.

import type videojsType from 'video.js';
import {
  registerExpressPlay,
  type ExpressPlayPluginOptions,
  type ExpressPlayHandle,
  type VideoJsLike,
  type VjsPlayer,
  type VjsSource,
} from '../../../src/videojs/index.js';
import type { ExpressPlayEvent } from '../../../src/browser/types.js';
import { emulatorStats, loadScript, resetEmulator, testConfig, total } from '../support/page.js';
import { CONTRIB_EME_URL, VIDEOJS_URL } from '../support/players.js';

/** The player surface the tests use (the plugin and contrib-eme add the last two). */
export interface TestPlayer extends VjsPlayer {
  src(source: VjsSource): void;
  play(): Promise<void> | undefined;
  dispose(): void;
  tech(safety: true): { el(): HTMLVideoElement };
  error(): { code: number; message: string; metadata?: Record<string, unknown>; expressplay?: unknown } | null;
  error(err: unknown): unknown;
  expressplay(options: ExpressPlayPluginOptions): ExpressPlayHandle;
  currentSource(): VjsSource;
}

type VideoJs = typeof videojsType;
declare global {
  interface Window {
    videojs?: VideoJs;
  }
}

// Compile-time check: the real `videojs` type satisfies the adapter's structural type.
export const acceptsRealVideojs: (v: VideoJs) => VideoJsLike = (v) => v;

export async function loadVideojs(): Promise<VideoJs> {
  await loadScript(VIDEOJS_URL);
  await loadScript(CONTRIB_EME_URL);
  const videojs = window.videojs!;
  registerExpressPlay(acceptsRealVideojs(videojs));
  // Quiet: the error tests make Video.js log on purpose.
  videojs.log.level('off');
  return videojs;
}

/** Players made by createPlayer that a fixture disposes after each test. */
const live = new Set<TestPlayer>();

export async function createPlayer(): Promise<TestPlayer> {
  const videojs = await loadVideojs();
  const el = document.createElement('video');
  el.className = 'video-js';
  el.muted = true;
  document.body.appendChild(el);
  const player = videojs(el, { muted: true, preload: 'auto' }) as unknown as TestPlayer;
  live.add(player);
  return player;
}

/**
 * The hooks every Video.js test file needs: a clean emulator before and after
 * each test, unhandled rejections recorded (`fixture.unhandled`), and every
 * player from createPlayer disposed afterwards (unless the test already did).
 */
export function useVideoJsFixture(): { unhandled: unknown[] } {
  const fixture = { unhandled: [] as unknown[] };
  const onUnhandled = (e: PromiseRejectionEvent) => {
    fixture.unhandled.push(e.reason);
  };
  beforeEach(async () => {
    await resetEmulator();
    fixture.unhandled.length = 0;
    window.addEventListener('unhandledrejection', onUnhandled);
  });
  afterEach(async () => {
    for (const p of live) if (!(p as { isDisposed?: () => boolean }).isDisposed?.()) p.dispose();
    live.clear();
    window.removeEventListener('unhandledrejection', onUnhandled);
    await resetEmulator();
  });
  return fixture;
}

export async function tokenOptions(): Promise<ExpressPlayPluginOptions> {
  const cfg = await testConfig();
  return {
    token: {
      endpoint: cfg.tokenEndpointUrl,
      allowedRightsHosts: ['127.0.0.1'],
      retry: { maxAttempts: 3, baseDelayMs: 20 },
    },
    detect: { includeClearKey: true },
  };
}

export const EVENT_TYPES = [
  'expressplay:detected',
  'expressplay:token',
  'expressplay:license',
  'expressplay:keystatus',
  'expressplay:error',
] as const;

/** Records every expressplay:* event the player triggers (the payload is the listener's 2nd argument). */
export function recordEvents(player: TestPlayer): ExpressPlayEvent[] {
  const seen: ExpressPlayEvent[] = [];
  for (const type of EVENT_TYPES) {
    (player.on as (t: string, fn: (e: unknown, data: ExpressPlayEvent) => void) => void)(type, (_e, data) =>
      seen.push(data),
    );
  }
  return seen;
}

export interface RequestCounts {
  tokensIssued: number;
  tokenRejects: number;
  licensesServed: number;
  rightsRejects: number;
}

export async function counts(): Promise<RequestCounts> {
  const s = await emulatorStats();
  return {
    tokensIssued: total(s.tokensIssued),
    tokenRejects: s.rejects.token,
    licensesServed: total(s.licensesServed),
    rightsRejects: s.rejects.rights,
  };
}

export interface SpiedFetch {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
  /** The answer's bytes (POSTs only), or how it ended. */
  response?: Promise<Uint8Array>;
  outcome: 'pending' | 'answered' | 'failed';
  error?: unknown;
}

/** Records every fetch the page makes (the library's token, license and certificate requests). */
export function spyFetch(): { calls: SpiedFetch[]; restore(): void } {
  const original = globalThis.fetch;
  const calls: SpiedFetch[] = [];
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const call: SpiedFetch = {
      url: String(input instanceof Request ? input.url : input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: init?.body,
      outcome: 'pending',
    };
    calls.push(call);
    const p = original(input, init);
    p.then(
      () => (call.outcome = 'answered'),
      (e: unknown) => {
        call.outcome = 'failed';
        call.error = e;
      },
    );
    if (call.method === 'POST') call.response = p.then((r) => r.clone().arrayBuffer()).then((b) => new Uint8Array(b));
    return p;
  };
  return { calls, restore: () => void (globalThis.fetch = original) };
}

export function waitFor<T>(check: () => T | undefined | false, timeoutMs = 10000, what = 'condition'): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const tick = () => {
      const v = check();
      if (v) return resolve(v);
      if (performance.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
