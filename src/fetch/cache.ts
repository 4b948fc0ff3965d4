// The optional back-end token cache: one token per viewer and content, reused
// until its expiry minus a margin. The app names the viewer (its session); the
// entry key also covers the DRM and the exact token parameters resolve()
// returned, hashed (SHA-256), so a store never sees key material.

import type { TokenRequestContext } from './contract.js';

/**
 * Where cached tokens live: in memory by default ({@link MemoryTokenStore}), or a
 * store the app's instances share (Redis, Workers KV, …) behind these two calls.
 */
export interface TokenStore {
  /** The value stored under `key`, or `undefined` when absent or expired. */
  get(key: string): Promise<string | undefined> | string | undefined;
  /** Stores `value` under `key` for `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void> | void;
}

/** The `cache` option of the token endpoint. */
export interface TokenCacheOptions<R> {
  /**
   * The viewer-and-content key for this request (e.g. `${session.userId}:${contentId}`),
   * or `undefined` not to cache it. Called after `resolve()` accepted the request.
   */
  key: (request: R, context: TokenRequestContext) => string | undefined | Promise<string | undefined>;
  /** Where entries live (default: a {@link MemoryTokenStore} of this handler). */
  store?: TokenStore;
  /** A cached token is handed out only while it has at least this long to live, ms (default 60 000). */
  marginMs?: number;
}

/** A token held in the cache. */
export interface CachedToken {
  rightsUrl: string;
  /** Expiry, ms since the epoch. */
  expiresAt: number;
}

/**
 * An in-memory {@link TokenStore} for one process (the default): entries expire by
 * their TTL; past `maxEntries` the oldest entry is dropped.
 */
export class MemoryTokenStore implements TokenStore {
  readonly #entries = new Map<string, { value: string; until: number }>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  /** @param maxEntries entries kept at most (default 10 000). @param now clock, for tests. */
  constructor(maxEntries = 10_000, now: () => number = Date.now) {
    this.#maxEntries = Math.max(1, maxEntries);
    this.#now = now;
  }

  /** The live value under `key`. */
  get(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.until <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores `value` for `ttlMs` ms. */
  set(key: string, value: string, ttlMs: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, until: this.#now() + ttlMs });
    if (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
  }
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The store key: the app's key, the DRM and the exact parameters, hashed. */
export function entryKey(appKey: string, drm: string, params: unknown): Promise<string> {
  return sha256Hex(JSON.stringify([appKey, drm, params])).then((h) => `expressplay-token:${h}`);
}

/** A cached token that still has more than `marginMs` to live, else undefined (a broken store is a miss). */
export async function readCachedToken(
  store: TokenStore,
  key: string,
  now: number,
  marginMs: number,
): Promise<CachedToken | undefined> {
  let raw: string | undefined;
  try {
    raw = await store.get(key);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'string') return undefined;
  try {
    const v = JSON.parse(raw) as Partial<CachedToken>;
    if (typeof v.rightsUrl === 'string' && typeof v.expiresAt === 'number' && v.expiresAt - marginMs > now)
      return { rightsUrl: v.rightsUrl, expiresAt: v.expiresAt };
  } catch {
    // Not ours: a miss.
  }
  return undefined;
}

/** Stores the token until its expiry minus the margin (a broken store is ignored). */
export async function writeCachedToken(
  store: TokenStore,
  key: string,
  token: CachedToken,
  now: number,
  marginMs: number,
): Promise<void> {
  const ttl = token.expiresAt - marginMs - now;
  if (ttl <= 0) return;
  try {
    await store.set(key, JSON.stringify(token), ttl);
  } catch {
    // The token is still answered; only its reuse is lost.
  }
}
