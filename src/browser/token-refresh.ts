// The one token refresh a key gets between two licenses: a license server that
// refuses a token gets one fresh token, and refusing that one too is an error,
// never a loop. Two sessions refused at once share the one refresh.

import type { SharedFetch } from './shared-fetch.js';
import type { RightsInfo } from './types/token-client.js';

export class RefreshLedger {
  readonly #refreshes = new Map<string, SharedFetch<RightsInfo>>();

  /**
   * The refresh that counts for this key: under way, or settled with no license
   * since. One that every caller gave up on (aborted) does not count.
   */
  current(key: string): SharedFetch<RightsInfo> | undefined {
    const refresh = this.#refreshes.get(key);
    return refresh && !refresh.aborted ? refresh : undefined;
  }

  /** The key's refresh is this fetch from now on. */
  record(key: string, refresh: SharedFetch<RightsInfo>): void {
    this.#refreshes.set(key, refresh);
    refresh.promise.catch(() => {
      // Abandoned by every caller: not counted, so the next refusal may refresh.
      if (refresh.aborted && this.#refreshes.get(key) === refresh) this.#refreshes.delete(key);
    });
  }

  /** A token fetched afresh (not by a refresh) gets its own one refresh: a settled refresh of an earlier token no longer counts. */
  tokenFetched(key: string): void {
    if (this.#refreshes.get(key)?.settled) this.#refreshes.delete(key);
  }

  /** A license was obtained with the key's token: the next refusal may refresh again. */
  licenseAcquired(key: string): void {
    this.#refreshes.delete(key);
  }

  clear(): void {
    this.#refreshes.clear();
  }
}
