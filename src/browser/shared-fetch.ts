// One fetch shared by every caller that wants its result (the token client's
// concurrent callers of one key, the players of a page asking for one FairPlay
// certificate). Each caller may give up on its own signal; the fetch itself is
// aborted only when the last caller has left, so a detached player leaves no
// request running and does not fail the others.

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError } from '../core/errors.js';
import type { Drm } from '../core/errors.js';

/** Options of a {@link SharedFetch}. */
export interface SharedFetchOptions {
  /** The DRM named by the abort errors. */
  drm?: Drm;
  /** Called once when the last caller has left before the fetch settled (the fetch is aborted then). */
  onAbandoned?: () => void;
}

/** A fetch and the callers waiting for it; the last one to leave aborts it. */
export class SharedFetch<T> {
  /** The fetch's own outcome; its rejection is handled here, so a fetch nobody waits for is no unhandled rejection. */
  readonly promise: Promise<T>;
  readonly #controller = new AbortController();
  readonly #options: SharedFetchOptions;
  #waiters = 0;
  #settled = false;

  /** Starts `run` at once with the signal aborted when every caller has left (or on {@link abort}). */
  constructor(run: (signal: AbortSignal) => Promise<T>, options: SharedFetchOptions = {}) {
    this.#options = options;
    let promise: Promise<T>;
    try {
      promise = run(this.#controller.signal);
    } catch (err) {
      promise = Promise.reject(err);
    }
    this.promise = promise;
    const settle = () => {
      this.#settled = true;
    };
    promise.then(settle, settle);
  }

  /** The fetch has resolved or rejected. */
  get settled(): boolean {
    return this.#settled;
  }

  /** The fetch was aborted: every caller left, or its owner aborted it. */
  get aborted(): boolean {
    return this.#controller.signal.aborted;
  }

  /**
   * Waits for the fetch. Aborting `signal` rejects only this caller (-9012, the
   * signal's reason as cause); when it was the last caller and the fetch is still
   * running, the fetch is aborted too. A caller whose signal is already aborted
   * is rejected at once and never counted.
   */
  join(signal?: AbortSignal): Promise<T> {
    const aborted = () => new ExpressPlayError(ClientCode.ABORTED, { drm: this.#options.drm, cause: signal?.reason });
    if (signal?.aborted) return Promise.reject(aborted());
    this.#waiters++;
    if (!signal) return this.promise.finally(() => this.#waiters--);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.#waiters--;
        if (this.#waiters === 0 && !this.#settled) {
          this.abort(new ExpressPlayError(ClientCode.ABORTED, { drm: this.#options.drm }));
          this.#options.onAbandoned?.();
        }
        reject(aborted());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          this.#waiters--;
          resolve(value);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          this.#waiters--;
          reject(err);
        },
      );
    });
  }

  /** Aborts the fetch whoever still waits (its owner is going away); they get its rejection. */
  abort(reason: unknown): void {
    this.#controller.abort(reason);
  }
}
