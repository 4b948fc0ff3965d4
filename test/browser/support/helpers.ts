// Small helpers shared by the browser tests: waiting, a fresh muted <video>, a
// fetch that records what it sends, and the structural Video.js player the fault
// tests drive.
import type { VideoJsLike } from '../../../src/videojs/index.js';

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves with the first truthy value of `check` (polled every 20 ms); rejects after `timeoutMs`. */
export function waitFor<T>(check: () => T | undefined | false, timeoutMs = 10000, what = 'condition'): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const tick = () => {
      const value = check();
      if (value) return resolve(value);
      if (performance.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

/** A muted `<video>` appended to the page. */
export function newVideo(): HTMLVideoElement {
  const video = document.createElement('video');
  video.muted = true;
  document.body.appendChild(video);
  return video;
}

/** One request seen by {@link recordingFetch}. */
export interface RecordedFetch {
  url: string;
  method: string;
  headers: Headers;
  /** The body as passed to fetch. */
  body: unknown;
  /** A copy of the body taken at call time, when it is bytes. */
  bytes: Uint8Array | undefined;
  /** The answer's bytes (POSTs only). */
  response?: Promise<Uint8Array>;
  outcome: 'pending' | 'answered' | 'failed';
  error?: unknown;
}

/** A fetch that records every call, then forwards it to `base` (the page's fetch by default). */
export function recordingFetch(base: typeof fetch = globalThis.fetch): { fetch: typeof fetch; calls: RecordedFetch[] } {
  const calls: RecordedFetch[] = [];
  const recording = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body: unknown = init?.body;
    const call: RecordedFetch = {
      url: String(input instanceof Request ? input.url : input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body,
      bytes: body instanceof Uint8Array ? new Uint8Array(body) : undefined,
      outcome: 'pending',
    };
    calls.push(call);
    const answer = base(input, init);
    answer.then(
      () => (call.outcome = 'answered'),
      (e: unknown) => {
        call.outcome = 'failed';
        call.error = e;
      },
    );
    if (call.method === 'POST') {
      call.response = answer.then((r) => r.clone().arrayBuffer()).then((b) => new Uint8Array(b));
      call.response.catch(() => undefined); // read only by the tests that await it
    }
    return answer;
  };
  return { fetch: recording as typeof fetch, calls };
}

/** Installs a {@link recordingFetch} as the page's fetch (the library's token, license and certificate requests). */
export function spyFetch(): { calls: RecordedFetch[]; restore(): void } {
  const original = globalThis.fetch;
  const { fetch: recording, calls } = recordingFetch(original);
  globalThis.fetch = recording;
  return { calls, restore: () => void (globalThis.fetch = original) };
}

/** The part of a Video.js player the fault tests use (no runtime import of video.js). */
export interface VjsTestPlayer {
  src(source: Record<string, unknown>): void;
  play(): Promise<void> | undefined;
  dispose(): void;
  on(type: string, fn: () => void): void;
  tech(safety: true): { el(): HTMLVideoElement };
  error(): { code: number; expressplay?: unknown; metadata?: { expressplay?: unknown } } | null;
  expressplay(options: Record<string, unknown>): { dispose(): void };
}

/** `window.videojs` as the fault tests call it. */
export type VideoJsFn = VideoJsLike &
  ((el: Element, options?: Record<string, unknown>) => VjsTestPlayer) & { log: { level(l: string): void } };
