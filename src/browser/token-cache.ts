// The token client's rights URLs by key (token-keys.ts), each used until a margin
// before it expires. A fetch fills its entry only if nothing invalidated or
// replaced that entry while it ran: a token the app just threw away must not
// come back from a fetch that started before.

import type { RightsInfo } from './types/token-client.js';

export class TokenCache {
  readonly #entries = new Map<string, RightsInfo>();
  /** Per key, bumped by each drop or replacement; `#epoch` is bumped by `clear()`. */
  readonly #generations = new Map<string, number>();
  #epoch = 0;
  readonly #marginMs: number;

  /** `marginMs`: an entry is not handed out within this margin of its expiry. */
  constructor(marginMs: number) {
    this.#marginMs = marginMs;
  }

  /** The entry while it is fresh (more than the margin before its expiry). */
  fresh(key: string): RightsInfo | undefined {
    const info = this.#entries.get(key);
    return info !== undefined && Date.now() < info.expiresAtMs - this.#marginMs ? info : undefined;
  }

  /** There is an entry, fresh or not. */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  keys(): IterableIterator<string> {
    return this.#entries.keys();
  }

  /** Taken when a fetch starts, handed back to {@link fill}. */
  generation(key: string): string {
    return `${this.#epoch}:${this.#generations.get(key) ?? 0}`;
  }

  /** Stores a fetched entry, unless the key was dropped, replaced or cleared since `generation` was taken. */
  fill(key: string, info: RightsInfo, generation: string): void {
    if (this.generation(key) === generation) this.#entries.set(key, info);
  }

  /** Stores an entry the app supplied; a fetch already under way for the key no longer fills it. */
  set(key: string, info: RightsInfo): void {
    this.#bump(key);
    this.#entries.set(key, info);
  }

  /** Forgets the entry; a fetch already under way for the key no longer fills it. */
  drop(key: string): void {
    this.#bump(key);
    this.#entries.delete(key);
  }

  /** Forgets every entry; no fetch already under way fills any. */
  clear(): void {
    this.#epoch++;
    this.#entries.clear();
  }

  #bump(key: string): void {
    this.#generations.set(key, (this.#generations.get(key) ?? 0) + 1);
  }
}
