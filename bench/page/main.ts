// The page side of the start-up benchmark. Each call of `window.__bench.run()`
// sets up one player in the scenario's way, then times load()/src() → first
// frame (currentTime > 0). Setup (player creation, adapter attach, a prefetch)
// happens before the clock starts, as it would on an app's page before the user
// presses play; its duration is reported separately (`setupMs`).

import type shaka from 'shaka-player';
import { createTokenClient, detectDrm } from '../../src/browser/index.js';
import type { EmeEnvironment, TokenClient } from '../../src/browser/index.js';
import { attachExpressPlay } from '../../src/shaka/index.js';
import { registerExpressPlay } from '../../src/videojs/index.js';
import type { VideoJsLike } from '../../src/videojs/types.js';
import { kindOf, type BenchCounts } from './kinds.js';
import { naiveDashFilter, naiveHlsConfig, naiveShaka, naiveVideoJs } from './naive.js';
import type Hls from 'hls.js';
import type { MediaPlayerClass } from 'dashjs';
import { attachExpressPlay as attachHls } from '../../src/hlsjs/index.js';
import { attachExpressPlay as attachDash } from '../../src/dashjs/index.js';

/** `limit-replay`: the limit played a second time in the same page — the fair yardstick for `replay` (warm page, CDM process running). */
export type Scenario = 'limit' | 'naive' | 'cold' | 'prefetched' | 'replay' | 'limit-replay';
export type PlayerName = 'shaka' | 'videojs' | 'hlsjs' | 'dashjs';

export interface RunSpec {
  player: PlayerName;
  scenario: Scenario;
  manifest: string;
  type: string;
  contentId: string;
  /** Same-origin token endpoint path. */
  tokenEndpoint: string;
  /** The emulator's host, for the allowlist. */
  rightsHost: string;
  /** limit only: fetched by the harness before the clock starts. */
  rightsUrl?: string;
  /** prefetched, multi-key content: the key ids the app knows it will need, one prefetch per key. */
  kids?: string[];
  timeoutMs: number;
}

export interface RunResult {
  /** load()/src() → currentTime > 0, ms. */
  firstFrameMs: number;
  /** Player creation (and adapter attach, prefetch) → load()/src(), ms. */
  setupMs: number;
  /** Requests during the whole page's life (replay: both playbacks). */
  counts: BenchCounts;
  /** Replay only: counts of the timed (second) playback. */
  timedCounts?: BenchCounts;
  /** The timed playback's token/license/media requests, ms relative to load()/src() (diagnostics). */
  timeline: TimelineEntry[];
}

export interface TimelineEntry {
  kind: string;
  start: number;
  end: number;
}

export interface DetectResult {
  oursMs: number[];
  shakaMs: number[];
  /** The first call of each in this page (nothing memoized yet), ms. */
  oursFirstMs: number;
  shakaFirstMs: number;
  oursPreferred?: string;
}

/** detectDrm in the demo's set-up: the first call in a fresh page and re-probes. */
export interface DemoDetectResult {
  firstMs: number;
  ms: number[];
  preferred?: string;
  /** DRMs still unanswered when detection returned (Firefox: Widevine). */
  pending: string[];
}

/** The slice of the `videojs` function this page uses. */
interface VjsPlayerLike {
  src(source: Record<string, unknown>): void;
  play(): Promise<void> | undefined;
  on(type: string, fn: () => void): void;
  dispose(): void;
  tech(options?: { IWillNotUseThisInPlugins: true }): { el(): HTMLVideoElement } | undefined;
  expressplay(options: Record<string, unknown>): { tokenClient: TokenClient; dispose(): void };
}
type VideoJsFunction = VideoJsLike & ((el: Element, options: Record<string, unknown>) => VjsPlayerLike);

declare global {
  interface Window {
    __bench: {
      run(spec: RunSpec): Promise<RunResult>;
      detect(rounds: number): Promise<DetectResult>;
      demoDetect(rounds: number, hdcp: boolean): Promise<DemoDetectResult>;
    };
  }
}

function shakaNs(): typeof shaka {
  const ns = (globalThis as { shaka?: typeof shaka }).shaka;
  if (!ns) throw new Error('shaka-player is not loaded');
  return ns;
}

function videojsFn(): VideoJsFunction {
  const vjs = (globalThis as { videojs?: VideoJsFunction }).videojs;
  if (!vjs) throw new Error('video.js is not loaded');
  return vjs;
}

/**
 * The EME entry point our detection uses in this page: navigator's (as wrapped by
 * the instrumentation), counted as ours. One object per page, so detectDrm's
 * per-environment memo works as it does with the default environment.
 */
const environment: EmeEnvironment = {
  requestMediaKeySystemAccess: (keySystem, configs) => {
    window.__benchCounts.emeProbesOurs += 1;
    return navigator.requestMediaKeySystemAccess(keySystem, configs);
  },
};
const detectOptions = { includeClearKey: true, environment };

const stage = (): HTMLElement => document.getElementById('stage') ?? document.body;

/**
 * Resolves with performance.now() when `video.currentTime > 0` is first seen.
 * Three observers so no single one's granularity dominates: requestVideoFrameCallback
 * (each presented frame), `timeupdate`, and a 5 ms poll.
 */
function firstFrame(video: HTMLVideoElement, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (ok: boolean, value?: number) => {
      if (done) return;
      done = true;
      clearInterval(poll);
      clearTimeout(timer);
      video.removeEventListener('timeupdate', check);
      if (ok) resolve(value!);
      else
        reject(
          new Error(
            `no frame within ${timeoutMs} ms (currentTime ${video.currentTime}, error ${video.error?.code ?? 'none'})`,
          ),
        );
    };
    function check() {
      if (video.currentTime > 0) finish(true, performance.now());
    }
    const onFrame = () => {
      check();
      if (!done) video.requestVideoFrameCallback(onFrame);
    };
    if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(onFrame);
    video.addEventListener('timeupdate', check);
    const poll = setInterval(check, 5);
    const timer = setTimeout(() => finish(false), timeoutMs);
  });
}

/** Resource timing of requests that overlap [from, to], relative to t0 (cross-origin entries keep start/end). */
function timeline(t0: number, from: number, to: number): TimelineEntry[] {
  return performance
    .getEntriesByType('resource')
    .filter((e) => e.startTime >= from && e.startTime <= to)
    .map((e) => ({
      kind: kindOf(e.name),
      start: Math.round(e.startTime - t0),
      end: Math.round((e as PerformanceResourceTiming).responseEnd - t0),
    }))
    .filter((e) => e.kind !== 'other')
    .slice(0, 12);
}

function snapshot(): BenchCounts {
  return { ...window.__benchCounts };
}

function diff(a: BenchCounts, b: BenchCounts): BenchCounts {
  const out = { ...b };
  for (const k of Object.keys(out) as Array<keyof BenchCounts>) out[k] = b[k] - a[k];
  return out;
}

/* -------------------------------------------------------------------- Shaka */

let shakaPolyfilled = false;

interface Playback {
  setupMs: number;
  firstFrameMs: number;
  timeline: TimelineEntry[];
  teardown(): Promise<void>;
}

async function shakaPlayback(spec: RunSpec, shared: { client?: TokenClient }): Promise<Playback> {
  const ns = shakaNs();
  if (!shakaPolyfilled) {
    ns.polyfill.installAll();
    shakaPolyfilled = true;
  }
  const setupStart = performance.now();
  const video = document.createElement('video');
  video.muted = true;
  video.autoplay = true;
  stage().appendChild(video);
  const player = new ns.Player();
  await player.attach(video);
  let detach: (() => void) | undefined;
  if (spec.scenario === 'limit') {
    player.configure({ drm: { servers: { 'org.w3.clearkey': spec.rightsUrl! } } });
  } else if (spec.scenario === 'naive') {
    naiveShaka(player, spec.tokenEndpoint, spec.contentId);
  } else {
    shared.client ??= createTokenClient({ endpoint: spec.tokenEndpoint, allowedRightsHosts: [spec.rightsHost] });
    const ep = await attachExpressPlay(player, {
      token: shared.client,
      contentId: spec.contentId,
      detect: detectOptions,
    });
    detach = () => ep.detach();
    if (spec.scenario === 'prefetched')
      await Promise.all(
        spec.kids ? spec.kids.map((kid) => ep.prefetch(spec.contentId, [kid])) : [ep.prefetch(spec.contentId)],
      );
  }
  const t0 = performance.now();
  const frame = firstFrame(video, spec.timeoutMs);
  await player.load(spec.manifest);
  const t1 = await frame;
  return {
    setupMs: t0 - setupStart,
    firstFrameMs: t1 - t0,
    timeline: timeline(t0, setupStart, t1),
    async teardown() {
      detach?.();
      await player.destroy();
      video.remove();
    },
  };
}

/* ----------------------------------------------------------------- Video.js */

async function videojsPlayback(spec: RunSpec, shared: { client?: TokenClient }): Promise<Playback> {
  const vjs = videojsFn();
  registerExpressPlay(vjs);
  const setupStart = performance.now();
  const el = document.createElement('video');
  el.muted = true;
  el.setAttribute('playsinline', '');
  stage().appendChild(el);
  const player = vjs(el, { autoplay: true, muted: true, preload: 'auto', controls: false });
  let source: Record<string, unknown> = { src: spec.manifest, type: spec.type };
  if (spec.scenario === 'limit') {
    if (typeof (player as unknown as { eme?: () => void }).eme === 'function')
      (player as unknown as { eme: () => void }).eme();
    source = { ...source, keySystems: { 'org.w3.clearkey': { url: spec.rightsUrl! } } };
  } else if (spec.scenario === 'naive') {
    (player as unknown as { eme: () => void }).eme();
    source = { ...source, keySystems: naiveVideoJs(spec.tokenEndpoint, spec.contentId) };
  } else {
    shared.client ??= createTokenClient({ endpoint: spec.tokenEndpoint, allowedRightsHosts: [spec.rightsHost] });
    player.expressplay({ tokenClient: shared.client, detect: detectOptions });
    if (spec.scenario === 'prefetched') {
      const kidSets = spec.kids ? spec.kids.map((kid) => [kid]) : [undefined];
      await Promise.all(
        kidSets.map((kids) =>
          shared.client!.prefetch({ drm: 'clearkey', contentId: spec.contentId, ...(kids ? { kids } : {}) }),
        ),
      );
    }
    source = { ...source, expressplay: { contentId: spec.contentId } };
  }
  // Video.js's autoplay: play once the source has data (it is muted, so allowed).
  player.on('loadedmetadata', () => void player.play()?.catch(() => undefined));
  await new Promise<void>((r) => setTimeout(r, 0));
  const video =
    player.tech({ IWillNotUseThisInPlugins: true })?.el() ?? (el.tagName === 'VIDEO' ? el : el.querySelector('video')!);
  const t0 = performance.now();
  const frame = firstFrame(video, spec.timeoutMs);
  player.src(source);
  const t1 = await frame;
  return {
    setupMs: t0 - setupStart,
    firstFrameMs: t1 - t0,
    timeline: timeline(t0, setupStart, t1),
    async teardown() {
      player.dispose();
    },
  };
}

/* ------------------------------------------------------------ hls.js, dash.js */

function benchVideo(): HTMLVideoElement {
  const video = document.createElement('video');
  video.muted = true;
  video.autoplay = true;
  stage().appendChild(video);
  return video;
}

/** Times `start()` → first frame on `video`; the teardown removes the video after `stop()`. */
async function timedPlayback(
  spec: RunSpec,
  setupStart: number,
  video: HTMLVideoElement,
  start: () => void,
  stop: () => void,
): Promise<Playback> {
  const t0 = performance.now();
  const frame = firstFrame(video, spec.timeoutMs);
  start();
  const t1 = await frame;
  return {
    setupMs: t0 - setupStart,
    firstFrameMs: t1 - t0,
    timeline: timeline(t0, setupStart, t1),
    async teardown() {
      stop();
      video.remove();
    },
  };
}

async function hlsPlayback(spec: RunSpec, shared: { client?: TokenClient }): Promise<Playback> {
  const HlsClass = (globalThis as { Hls?: typeof Hls }).Hls;
  if (!HlsClass) throw new Error('hls.js is not loaded');
  const setupStart = performance.now();
  const video = benchVideo();
  let config: Record<string, unknown> = {};
  if (spec.scenario === 'limit')
    config = { emeEnabled: true, drmSystems: { 'org.w3.clearkey': { licenseUrl: spec.rightsUrl! } } };
  else if (spec.scenario === 'naive') config = naiveHlsConfig(spec.tokenEndpoint, spec.contentId);
  const hls = new HlsClass(config);
  let detach: (() => void) | undefined;
  if (spec.scenario !== 'limit' && spec.scenario !== 'naive') {
    shared.client ??= createTokenClient({ endpoint: spec.tokenEndpoint, allowedRightsHosts: [spec.rightsHost] });
    const ep = await attachHls(hls, { token: shared.client, contentId: spec.contentId, detect: detectOptions });
    detach = () => ep.detach();
    if (spec.scenario === 'prefetched') await ep.prefetch(spec.contentId);
  }
  hls.attachMedia(video);
  return timedPlayback(
    spec,
    setupStart,
    video,
    () => hls.loadSource(spec.manifest),
    () => {
      detach?.();
      hls.destroy();
    },
  );
}

async function dashPlayback(spec: RunSpec, shared: { client?: TokenClient }): Promise<Playback> {
  const ns = (globalThis as { dashjs?: { MediaPlayer(): { create(): MediaPlayerClass } } }).dashjs;
  if (!ns) throw new Error('dash.js is not loaded');
  const setupStart = performance.now();
  const video = benchVideo();
  const player = ns.MediaPlayer().create();
  player.updateSettings({ debug: { logLevel: 0 } });
  player.initialize(video, undefined, true);
  let detach: (() => void) | undefined;
  if (spec.scenario === 'limit') {
    player.setProtectionData({ 'org.w3.clearkey': { serverURL: spec.rightsUrl! } });
  } else if (spec.scenario === 'naive') {
    player.setProtectionData({ 'org.w3.clearkey': { serverURL: `${location.origin}/placeholder-license` } });
    player.registerLicenseRequestFilter(naiveDashFilter(spec.tokenEndpoint, spec.contentId));
  } else {
    shared.client ??= createTokenClient({ endpoint: spec.tokenEndpoint, allowedRightsHosts: [spec.rightsHost] });
    const ep = await attachDash(player, { token: shared.client, contentId: spec.contentId, detect: detectOptions });
    detach = () => ep.detach();
    if (spec.scenario === 'prefetched') await ep.prefetch(spec.contentId);
  }
  return timedPlayback(
    spec,
    setupStart,
    video,
    () => player.attachSource(spec.manifest),
    () => {
      detach?.();
      player.destroy();
    },
  );
}

const PLAYBACKS: Record<PlayerName, (spec: RunSpec, shared: { client?: TokenClient }) => Promise<Playback>> = {
  shaka: shakaPlayback,
  videojs: videojsPlayback,
  hlsjs: hlsPlayback,
  dashjs: dashPlayback,
};

async function run(spec: RunSpec): Promise<RunResult> {
  const shared: { client?: TokenClient } = {};
  const playback = PLAYBACKS[spec.player];
  if (spec.scenario !== 'replay' && spec.scenario !== 'limit-replay') {
    const p = await playback(spec, shared);
    await p.teardown();
    return { firstFrameMs: p.firstFrameMs, setupMs: p.setupMs, counts: snapshot(), timeline: p.timeline };
  }
  // Replay: the same content a second time in this page, with the same token
  // client (as an app shares one), a new player and a new <video>.
  const each: Scenario = spec.scenario === 'replay' ? 'cold' : 'limit';
  const first = await playback({ ...spec, scenario: each }, shared);
  await first.teardown();
  const before = snapshot();
  const second = await playback({ ...spec, scenario: each }, shared);
  await second.teardown();
  const after = snapshot();
  return {
    firstFrameMs: second.firstFrameMs,
    setupMs: second.setupMs,
    counts: after,
    timedCounts: diff(before, after),
    timeline: second.timeline,
  };
}

/** detectDrm() (a fresh probe each time) vs shaka.Player.probeSupport(), alternated in one page. */
async function detect(rounds: number): Promise<DetectResult> {
  const ns = shakaNs();
  const time = async (f: () => Promise<unknown>) => {
    const t = performance.now();
    await f();
    return performance.now() - t;
  };
  const ours = () => detectDrm({ includeClearKey: true, refresh: true });
  const theirs = () => ns.Player.probeSupport();
  // Which goes first alternates, so neither always pays for a cold CDM process.
  const firstOurs = Math.random() < 0.5;
  let oursFirstMs: number;
  let shakaFirstMs: number;
  if (firstOurs) {
    oursFirstMs = await time(ours);
    shakaFirstMs = await time(theirs);
  } else {
    shakaFirstMs = await time(theirs);
    oursFirstMs = await time(ours);
  }
  const oursMs: number[] = [];
  const shakaMs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      oursMs.push(await time(ours));
      shakaMs.push(await time(theirs));
    } else {
      shakaMs.push(await time(theirs));
      oursMs.push(await time(ours));
    }
  }
  const profile = await detectDrm({ includeClearKey: true });
  return { oursMs, shakaMs, oursFirstMs, shakaFirstMs, oursPreferred: profile.preferred?.keySystem };
}

/**
 * The demo's detection set-up (`demo/app.js` against the emulator): ClearKey
 * preferred, the page's own EME. The first call is what a fresh page pays; the
 * others re-probe (`refresh`). `hdcp: false` shows what the HDCP check (which
 * starts the CDM: `createMediaKeys`) costs.
 */
async function demoDetect(rounds: number, hdcp: boolean): Promise<DemoDetectResult> {
  const options = { includeClearKey: true, preference: ['clearkey'] as const, refresh: true, hdcp };
  const t0 = performance.now();
  const first = await detectDrm(options);
  const firstMs = performance.now() - t0;
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await detectDrm(options);
    ms.push(performance.now() - t);
  }
  return {
    firstMs,
    ms,
    preferred: first.preferred?.keySystem,
    pending: (['widevine', 'playready', 'fairplay'] as const).filter((d) => first[d].pending),
  };
}

window.__bench = { run, detect, demoDetect };
