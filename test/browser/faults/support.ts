// Shared checks of the fault matrix: every case ends in playback or in a typed
// ExpressPlayError within a bound, and leaves nothing behind.
import { expect } from 'chai';
import type shaka from 'shaka-player';
import { isExpressPlayError, type ExpressPlayError } from '../../../src/index.js';
import { loadScript } from '../support/page.js';
import { describeLeaks, settle, type Scope } from './instrument.js';

/** Awaits `work`, which must reject with a typed error of `code` within `boundMs`. */
export async function expectTypedError(
  work: Promise<unknown>,
  code: number,
  boundMs: number,
): Promise<ExpressPlayError> {
  const started = performance.now();
  let caught: unknown;
  try {
    await work;
  } catch (err) {
    caught = err;
  }
  const elapsed = performance.now() - started;
  expect(caught, 'expected a rejection').to.not.equal(undefined);
  expect(isExpressPlayError(caught), `not an ExpressPlayError: ${String(caught)}`).to.equal(true);
  const error = caught as ExpressPlayError;
  expect(error.code, error.message).to.equal(code);
  expect(elapsed, `took ${Math.round(elapsed)} ms`).to.be.below(boundMs);
  return error;
}

/** Awaits `work`, which must resolve within `boundMs`; returns its value. */
export async function expectWithin<T>(work: Promise<T>, boundMs: number): Promise<{ value: T; elapsedMs: number }> {
  const started = performance.now();
  const value = await work;
  const elapsedMs = performance.now() - started;
  expect(elapsedMs, `took ${Math.round(elapsedMs)} ms`).to.be.below(boundMs);
  return { value, elapsedMs };
}

/**
 * After the case's dispose/detach: no pending timer created by this library, no
 * pending request (anyone's), no listener left on the tracked objects, and no
 * unhandled rejection.
 */
export async function expectClean(scope: Scope, options: { allTimers?: boolean } = {}): Promise<void> {
  await settle(50);
  const r = scope.report();
  const timers = options.allTimers ? r.timers : r.timers.filter((t) => t.ours);
  expect(timers, `pending timers:\n${describeLeaks(timers)}`).to.have.length(0);
  expect(r.requests, `pending requests:\n${describeLeaks(r.requests)}`).to.have.length(0);
  expect(r.listeners, `listeners left:\n${describeLeaks(r.listeners)}`).to.have.length(0);
  expect(r.unhandledRejections.map(String), 'unhandled rejections').to.deep.equal([]);
}

export async function loadShaka(): Promise<typeof shaka> {
  await loadScript('/node_modules/shaka-player/dist/shaka-player.compiled.js');
  const ns = (window as unknown as { shaka: typeof shaka }).shaka;
  ns.polyfill.installAll();
  return ns;
}

export const CENC = { id: 'cenc-h264', manifest: '/test/media/cenc-h264/manifest.mpd' } as const;
export const VP9 = { id: 'cbcs-vp9', manifest: '/test/media/cbcs-vp9/manifest.mpd' } as const;
