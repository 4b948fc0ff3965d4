// SharedFetch (src/browser/shared-fetch.ts), the one fetch shared by the token
// client's callers and by the FairPlay certificate's: its own semantics, with a
// hand-made fetch whose signal and settling the test controls.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ExpressPlayError } from '../../../src/core/index.js';
import { SharedFetch } from '../../../src/browser/shared-fetch.js';

/** A fetch the test settles by hand; records its signal and how often it was started. */
function manualFetch<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const state = { starts: 0, signal: undefined as AbortSignal | undefined };
  const run = (signal: AbortSignal) => {
    state.starts++;
    state.signal = signal;
    return new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
      // Like fetch(): an abort rejects with the signal's reason.
      signal.addEventListener('abort', () => rej(signal.reason), { once: true });
    });
  };
  return { run, state, resolve: (v: T) => resolve(v), reject: (e: unknown) => reject(e) };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected a rejection');
}

describe('SharedFetch', () => {
  it('runs the fetch once, however many callers join, and gives each the same value', async () => {
    const f = manualFetch<string>();
    const shared = new SharedFetch(f.run);
    const a = shared.join();
    const b = shared.join(new AbortController().signal);
    const c = shared.join();
    f.resolve('rights');
    assert.deepEqual(await Promise.all([a, b, c]), ['rights', 'rights', 'rights']);
    assert.equal(f.state.starts, 1);
    assert.equal(shared.settled, true);
    assert.equal(f.state.signal?.aborted, false);
  });

  it('gives every caller the same error when the fetch fails', async () => {
    const f = manualFetch<string>();
    const shared = new SharedFetch(f.run);
    const a = shared.join();
    const b = shared.join(new AbortController().signal);
    const failure = new ExpressPlayError(-9015, { drm: 'widevine' });
    f.reject(failure);
    assert.equal(await rejectionOf(a), failure);
    assert.equal(await rejectionOf(b), failure);
    assert.equal(shared.settled, true);
    assert.equal(shared.aborted, false);
  });

  it('aborts the fetch when the last caller leaves, and tells its owner once', async () => {
    const f = manualFetch<string>();
    let abandoned = 0;
    const shared = new SharedFetch(f.run, { drm: 'fairplay', onAbandoned: () => abandoned++ });
    const ac1 = new AbortController();
    const ac2 = new AbortController();
    const a = shared.join(ac1.signal);
    const b = shared.join(ac2.signal);
    ac1.abort('player detached');
    ac2.abort('other player detached');
    const errA = await rejectionOf(a);
    const errB = await rejectionOf(b);
    for (const [err, reason] of [
      [errA, 'player detached'],
      [errB, 'other player detached'],
    ] as const) {
      assert.ok(err instanceof ExpressPlayError);
      assert.equal(err.code, -9012);
      assert.equal(err.drm, 'fairplay');
      assert.equal(err.cause, reason);
    }
    assert.equal(f.state.signal?.aborted, true);
    assert.ok(f.state.signal?.reason instanceof ExpressPlayError);
    assert.equal((f.state.signal?.reason as ExpressPlayError).code, -9012);
    assert.equal(shared.aborted, true);
    assert.equal(abandoned, 1);
    // The fetch's own rejection is handled: nothing unhandled is left behind.
    await rejectionOf(shared.promise);
    assert.equal(shared.settled, true);
  });

  it('does not abort the fetch when the first caller leaves: the others still get it', async () => {
    const f = manualFetch<string>();
    let abandoned = 0;
    const shared = new SharedFetch(f.run, { onAbandoned: () => abandoned++ });
    const leaving = new AbortController();
    const a = shared.join(leaving.signal);
    const b = shared.join(new AbortController().signal);
    const c = shared.join();
    leaving.abort();
    assert.equal((await rejectionOf(a)) instanceof ExpressPlayError, true);
    assert.equal(f.state.signal?.aborted, false);
    f.resolve('rights');
    assert.deepEqual(await Promise.all([b, c]), ['rights', 'rights']);
    assert.equal(abandoned, 0);
  });

  it('a caller without a signal keeps the fetch alive when every caller with one has left', async () => {
    const f = manualFetch<string>();
    const shared = new SharedFetch(f.run);
    const staying = shared.join();
    const leaving = new AbortController();
    const left = shared.join(leaving.signal);
    leaving.abort();
    await rejectionOf(left);
    assert.equal(f.state.signal?.aborted, false);
    f.resolve('rights');
    assert.equal(await staying, 'rights');
  });

  it('rejects a caller whose signal is already aborted at once, without counting it or aborting the fetch', async () => {
    const f = manualFetch<string>();
    const shared = new SharedFetch(f.run);
    const gone = new AbortController();
    gone.abort('before');
    const err = await rejectionOf(shared.join(gone.signal));
    assert.ok(err instanceof ExpressPlayError);
    assert.equal(err.code, -9012);
    assert.equal(err.cause, 'before');
    assert.equal(f.state.signal?.aborted, false);
    // Not counted: the one caller after it is the last to leave, and its leaving aborts the fetch.
    const later = new AbortController();
    const joined = shared.join(later.signal);
    later.abort();
    await rejectionOf(joined);
    assert.equal(f.state.signal?.aborted, true);
  });

  it('a caller leaving after the fetch settled changes nothing', async () => {
    const f = manualFetch<string>();
    let abandoned = 0;
    const shared = new SharedFetch(f.run, { onAbandoned: () => abandoned++ });
    const ac = new AbortController();
    const a = shared.join(ac.signal);
    f.resolve('rights');
    assert.equal(await a, 'rights');
    ac.abort();
    assert.equal(shared.aborted, false);
    assert.equal(abandoned, 0);
  });

  it("abort() stops the fetch whoever waits, and the callers get the fetch's rejection", async () => {
    const f = manualFetch<string>();
    const shared = new SharedFetch(f.run);
    const a = shared.join(new AbortController().signal);
    const b = shared.join();
    const disposed = new ExpressPlayError(-9050, { details: 'disposed' });
    shared.abort(disposed);
    assert.equal(await rejectionOf(a), disposed);
    assert.equal(await rejectionOf(b), disposed);
    assert.equal(shared.aborted, true);
  });

  it('a fetch that throws before returning a promise is a shared rejection, not a throw', async () => {
    const boom = new Error('boom');
    const shared = new SharedFetch<string>(() => {
      throw boom;
    });
    assert.equal(await rejectionOf(shared.join()), boom);
    assert.equal(shared.settled, true);
  });
});
