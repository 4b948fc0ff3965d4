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
import type { ExpressPlayEvent } from '../../../src/browser/types/events.js';
import { sleep, waitFor } from '../support/helpers.js';
import { emulatorStats, loadScript, resetEmulator, testConfig, total } from '../support/page.js';
import { CONTRIB_EME_URL, VIDEOJS_URL } from '../support/players.js';

/** What player.error() holds: Video.js's MediaError, with the plugin's typed error attached. */
export interface TestPlayerError {
  code: number;
  message: string;
  metadata?: Record<string, unknown>;
  expressplay?: unknown;
}

/** The player surface the tests use (the plugin and contrib-eme add the last two). */
export interface TestPlayer extends VjsPlayer {
  src(source: VjsSource): void;
  play(): Promise<void> | undefined;
  dispose(): void;
  tech(safety: true): { el(): HTMLVideoElement };
  error(): TestPlayerError | null;
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

/** The single-key DASH test stream (`cenc-h264`) as a Video.js source. */
export const CENC_SOURCE = {
  src: '/test/media/cenc-h264/manifest.mpd',
  type: 'application/dash+xml',
  expressplay: { contentId: 'cenc-h264' },
};

/**
 * A new player with the test token options plays {@link CENC_SOURCE} until it reports an
 * error; then `settleMs` more pass (room for retries that should not happen) before the
 * error is read. The events are every expressplay:* event of the whole run.
 */
export async function playUntilError(
  settleMs: number,
): Promise<{ player: TestPlayer; events: ExpressPlayEvent[]; error: TestPlayerError }> {
  const player = await createPlayer();
  const events = recordEvents(player);
  player.expressplay(await tokenOptions());
  player.src(CENC_SOURCE);
  void player.play()?.catch(() => undefined);
  await waitFor(() => player.error(), 15000, 'player.error()');
  await sleep(settleMs);
  return { player, events, error: player.error()! };
}
