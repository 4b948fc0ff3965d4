// Helpers shared by browser tests: where the test servers are, and loading a
// player's UMD build with a script tag, as drop-in users do.
import type { EmulatorStats } from '../../../src/server/index.js';

export interface TestConfig {
  /** The ExpressPlay emulator, e.g. http://127.0.0.1:PORT */
  emulatorUrl: string;
  /** The reference token endpoint (the customer's back end). */
  tokenEndpointUrl: string;
  /** The emulator's control routes (faults, reset, stats). */
  controlUrl: string;
  /** The token endpoint running in workerd (the README's Worker recipe). */
  workerdTokenEndpointUrl?: string;
}

let config: Promise<TestConfig> | undefined;

export function testConfig(): Promise<TestConfig> {
  config ??= fetch('/__expressplay/config.json').then((r) => r.json() as Promise<TestConfig>);
  return config;
}

const loaded = new Map<string, Promise<void>>();

/** Loads a classic script once per page (players' UMD builds set globals). */
export function loadScript(src: string): Promise<void> {
  let p = loaded.get(src);
  if (!p) {
    p = new Promise<void>((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.onload = () => resolve();
      s.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.appendChild(s);
    });
    loaded.set(src, p);
  }
  return p;
}

/** Sets emulator faults for the next requests (see docs/architecture.md, control routes). */
export async function setFaults(faults: Record<string, unknown>): Promise<void> {
  const { controlUrl } = await testConfig();
  const r = await fetch(`${controlUrl}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!r.ok) throw new Error(`faults: HTTP ${r.status}`);
}

export async function resetEmulator(): Promise<void> {
  const { controlUrl } = await testConfig();
  await fetch(`${controlUrl}/reset`, { method: 'POST' });
}

/** The emulator's counters (GET {controlUrl}/stats), typed as the emulator defines them. */
export async function emulatorStats(): Promise<EmulatorStats> {
  const { controlUrl } = await testConfig();
  return (await fetch(`${controlUrl}/stats`)).json() as Promise<EmulatorStats>;
}

/** The sum of a per-DRM or per-kind counter record. */
export function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Resolves when the media element has played past `seconds`, rejects on error or after `timeoutMs`. */
export function playedPast(video: HTMLMediaElement, seconds: number, timeoutMs = 15000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`currentTime stayed at ${video.currentTime} for ${timeoutMs} ms`));
    }, timeoutMs);
    const onTime = () => {
      if (video.currentTime > seconds) {
        cleanup();
        resolve();
      }
    };
    const onError = () => {
      cleanup();
      reject(new Error(`media error ${video.error?.code}: ${video.error?.message}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      video.removeEventListener('timeupdate', onTime);
      video.removeEventListener('error', onError);
    };
    video.addEventListener('timeupdate', onTime);
    video.addEventListener('error', onError);
    onTime();
  });
}
