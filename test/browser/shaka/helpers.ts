// Shared set-up for the Shaka adapter's browser tests: Shaka from its UMD build
// (as drop-in users load it), a recorder of every fetch the page makes (token
// endpoint, manifest, rights), and event collection on the player.
import type shaka from 'shaka-player';
import { newVideo } from '../support/helpers.js';
import { loadScript, resetEmulator, testConfig } from '../support/page.js';
import { SHAKA_URL } from '../support/players.js';
import type { ExpressPlayEvent } from '../../../src/browser/index.js';
import { attachExpressPlay, type ShakaExpressPlay, type ShakaExpressPlayOptions } from '../../../src/shaka/index.js';

export interface RecordedFetch {
  url: string;
  method: string;
  contentType: string | undefined;
  body: Uint8Array | undefined;
  startedAt: number;
  endedAt?: number;
  status?: number;
  /** Rejected (aborted or network error). */
  failed?: boolean;
}

export const fetches: RecordedFetch[] = [];

/** Wraps window.fetch; must run before Shaka loads (Shaka keeps its own reference to fetch). */
export function installFetchRecorder(): void {
  const real = window.fetch.bind(window);
  if ((window.fetch as { recorded?: boolean }).recorded) return;
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init?.headers);
    const body =
      init?.body instanceof ArrayBuffer
        ? new Uint8Array(init.body)
        : ArrayBuffer.isView(init?.body)
          ? new Uint8Array(init.body.buffer, init.body.byteOffset, init.body.byteLength).slice()
          : undefined;
    const rec: RecordedFetch = {
      url: new URL(url, location.href).href,
      method: init?.method ?? 'GET',
      contentType: headers.get('content-type') ?? undefined,
      body,
      startedAt: performance.now(),
    };
    fetches.push(rec);
    try {
      const res = await real(input, init);
      rec.status = res.status;
      rec.endedAt = performance.now();
      return res;
    } catch (err) {
      rec.failed = true;
      rec.endedAt = performance.now();
      throw err;
    }
  };
  Object.assign(wrapped, { recorded: true });
  window.fetch = wrapped as typeof fetch;
}

export async function loadShaka(): Promise<typeof shaka> {
  installFetchRecorder();
  await loadScript(SHAKA_URL);
  const ns = (window as unknown as { shaka: typeof shaka }).shaka;
  ns.polyfill.installAll();
  return ns;
}

export async function counts(
  since = 0,
): Promise<{ token: number; license: number; manifest: number; pending: number }> {
  const { tokenEndpointUrl } = await testConfig();
  const list = fetches.slice(since);
  return {
    token: list.filter((f) => f.url.startsWith(tokenEndpointUrl)).length,
    license: list.filter((f) => /\/hms\/(wv|fp|pr)\/rights\//.test(f.url)).length,
    manifest: list.filter((f) => /\.(mpd|m3u8)(\?|$)/.test(f.url)).length,
    pending: list.filter((f) => f.endedAt === undefined).length,
  };
}

export function collectEvents(player: shaka.Player): ExpressPlayEvent[] {
  const out: ExpressPlayEvent[] = [];
  for (const type of [
    'expressplay:detected',
    'expressplay:token',
    'expressplay:license',
    'expressplay:keystatus',
    'expressplay:error',
  ]) {
    player.addEventListener(type, (e: Event) => out.push((e as Event & { detail: ExpressPlayEvent }).detail));
  }
  return out;
}

/** Resolves with the first Shaka error: an 'error' event or a rejected load(). */
export function firstError(player: shaka.Player, load: Promise<unknown>): Promise<unknown> {
  return new Promise((resolve) => {
    player.addEventListener('error', (e: Event) => resolve((e as Event & { detail: unknown }).detail));
    load.catch(resolve);
  });
}

export const streamIdOf = (uri: string): string | undefined => /\/test\/media\/([^/]+)\//.exec(uri)?.[1];

export interface PlayerFixtureOptions {
  /** Runs once before Shaka loads (e.g. EME doubles that must be in place first). */
  beforeAll?: () => void | Promise<void>;
  /** Runs on each new `<video>` before the player attaches to it (e.g. `doubles.install`). */
  prepareVideo?: (video: HTMLVideoElement) => void;
}

/**
 * The per-test player every Shaka adapter test uses, with mocha hooks registered
 * in the calling `describe`: Shaka loaded once; before each test the emulator is
 * reset and a fresh `<video>` + attached `shaka.Player` made; after each test the
 * adapter is detached, the player destroyed, the video removed, the emulator reset.
 * Unhandled rejections are collected per test in `unhandled`.
 */
export interface PlayerFixture {
  readonly ns: typeof shaka;
  /** This test's player (throws once the test has destroyed it: see `destroyPlayer`). */
  readonly player: shaka.Player;
  readonly video: HTMLVideoElement;
  /** The handle of the last `attach()`, detached after the test. */
  readonly ep: ShakaExpressPlay | undefined;
  /** Unhandled rejections seen during this test. */
  readonly unhandled: unknown[];
  /** `attachExpressPlay` with the test defaults (reference token endpoint, emulator allowlisted, content id from the stream path, ClearKey), `overrides` on top. */
  attach(overrides?: Partial<ShakaExpressPlayOptions>): Promise<ShakaExpressPlay>;
  /** Destroys the player inside a test; the after-test clean-up then skips it. */
  destroyPlayer(): Promise<void>;
}

export function usePlayerFixture(options: PlayerFixtureOptions = {}): PlayerFixture {
  let ns: typeof shaka | undefined;
  let player: shaka.Player | undefined;
  let video: HTMLVideoElement | undefined;
  let ep: ShakaExpressPlay | undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: PromiseRejectionEvent) => unhandled.push(e.reason);

  before(async () => {
    await options.beforeAll?.();
    ns = await loadShaka();
    window.addEventListener('unhandledrejection', onUnhandled);
  });
  after(() => window.removeEventListener('unhandledrejection', onUnhandled));
  beforeEach(async () => {
    unhandled.length = 0;
    ep = undefined;
    await resetEmulator();
    video = newVideo();
    options.prepareVideo?.(video);
    player = new ns!.Player();
    await player.attach(video);
  });
  afterEach(async () => {
    ep?.detach();
    await player?.destroy();
    player = undefined;
    video?.remove();
    await resetEmulator();
  });

  return {
    get ns() {
      if (!ns) throw new Error('Shaka is not loaded yet');
      return ns;
    },
    get player() {
      if (!player) throw new Error('no player: destroyed, or used outside a test');
      return player;
    },
    get video() {
      if (!video) throw new Error('no video outside a test');
      return video;
    },
    get ep() {
      return ep;
    },
    unhandled,
    async attach(overrides = {}) {
      const { tokenEndpointUrl } = await testConfig();
      ep = await attachExpressPlay(this.player, {
        token: { endpoint: tokenEndpointUrl, allowedRightsHosts: ['127.0.0.1'] },
        contentId: streamIdOf,
        detect: { includeClearKey: true },
        ...overrides,
      });
      return ep;
    },
    async destroyPlayer() {
      const p = player;
      player = undefined;
      await p?.destroy();
    },
  };
}
