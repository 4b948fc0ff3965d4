// The token client: gets a rights URL for (drm, content, key-id set) from the
// customer's token endpoint, keeps it until shortly before it expires, shares one
// fetch between concurrent callers, refreshes once when a license server refuses
// the token, and only ever hands out rights URLs that pass the allowlist.
// Keys: token-keys.ts; entries: token-cache.ts; the one refresh: token-refresh.ts;
// the endpoint request: token-fetch.ts.

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError, isExpressPlayError } from '../core/errors.js';
import { tokenFromRightsUrl } from '../core/token-answer.js';
import { assertRightsUrl, DEFAULT_RIGHTS_HOSTS } from './allowlist.js';
import { createEmitter } from './events.js';
import { isKeyIdRequired } from './key-ids.js';
import { createLogger, type RedactingLogger } from './log.js';
import { preconnect } from './preconnect.js';
import { SharedFetch } from './shared-fetch.js';
import { TokenCache } from './token-cache.js';
import { RightsFetcher } from './token-fetch.js';
import { checkContext, contentKeyOf, keyOf, normalized } from './token-keys.js';
import { RefreshLedger } from './token-refresh.js';
import type { ExpressPlayEvent } from './types/events.js';
import type { RightsInfo, TokenClient, TokenClientOptions, TokenContext } from './types/token-client.js';

const DEFAULT_MARGIN_MS = 30_000;

type Flight = SharedFetch<RightsInfo>;

/** The token client behind {@link createTokenClient}; its state lives here, one method per operation. */
class EndpointTokenClient {
  /** `<link rel=preconnect>` to each rights host once known. */
  readonly #preconnect: boolean;
  readonly #log: RedactingLogger;
  readonly #emit: (event: Omit<ExpressPlayEvent, 'time'>) => void;
  readonly #allowed: ReadonlyArray<string | RegExp>;
  readonly #fetcher: RightsFetcher;
  readonly #cache: TokenCache;
  /** The fetch under way per key; callers already waiting keep theirs when it is dropped. */
  readonly #flights = new Map<string, Flight>();
  /** Every fetch still running (dropped ones included): what `dispose()` aborts. */
  readonly #running = new Set<Flight>();
  readonly #refreshes = new RefreshLedger();
  #disposed = false;

  constructor(options: TokenClientOptions) {
    if (
      typeof options !== 'object' ||
      options === null ||
      (typeof options.endpoint !== 'string' && typeof options.endpoint !== 'function') ||
      options.endpoint === ''
    ) {
      throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
        details: 'createTokenClient needs an endpoint (URL or function)',
      });
    }
    this.#preconnect = options.preconnect !== false;
    this.#log = createLogger(options.logger);
    this.#allowed = options.allowedRightsHosts ?? DEFAULT_RIGHTS_HOSTS;
    this.#fetcher = new RightsFetcher(options, this.#log, this.#allowed);
    // The token request is the first request of a cold start and the slowest (back end →
    // ExpressPlay): open its connection now, before any content is chosen.
    if (this.#preconnect && typeof options.endpoint === 'string')
      preconnect(options.endpoint, options.credentials === 'include');
    this.#cache = new TokenCache(options.expiryMarginMs ?? DEFAULT_MARGIN_MS);
    this.#emit = createEmitter(options.onEvent, this.#log);
  }

  async getRightsUrl(given: TokenContext, opts: { signal?: AbortSignal } = {}): Promise<RightsInfo> {
    this.#assertNotDisposed();
    checkContext(given);
    const context = normalized(given);
    const key = keyOf(context);
    const hit = this.#cachedHit(key);
    if (hit) return hit;
    if (context.kids) {
      const whole = await this.#contentToken(context, opts.signal);
      if (whole) return whole;
      const later = this.#cachedHit(key); // filled while waiting
      if (later) return later;
    }
    let flight = this.#flights.get(key);
    if (!flight) {
      flight = this.#startFlight(key, context);
      flight.promise.then(
        () => this.#refreshes.tokenFetched(key),
        () => undefined,
      );
    }
    return flight.join(opts.signal);
  }

  prefetch(context: TokenContext): Promise<RightsInfo | undefined> {
    let promise: Promise<RightsInfo>;
    try {
      promise = this.getRightsUrl(context);
    } catch (err) {
      promise = Promise.reject(err);
    }
    return promise.then(
      (info) => info,
      (err: unknown) => {
        this.#log.debug(`prefetch failed: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      },
    );
  }

  setRightsUrl(given: TokenContext, rightsUrl: string, expiresAt?: Date): RightsInfo {
    this.#assertNotDisposed();
    checkContext(given);
    const context = normalized(given);
    assertRightsUrl(rightsUrl, this.#allowed, context.drm);
    const info = this.#fetcher.info(context, rightsUrl, 'app', expiresAt, tokenFromRightsUrl(rightsUrl));
    this.#cache.set(keyOf(context), info);
    this.#announce(info, 0);
    return { ...info };
  }

  async refresh(
    given: TokenContext,
    error: ExpressPlayError,
    opts: { signal?: AbortSignal } = {},
  ): Promise<RightsInfo> {
    this.#assertNotDisposed();
    checkContext(given);
    const context = normalized(given);
    const key = keyOf(context);
    const pending = this.#refreshes.current(key);
    if (pending) {
      // Two sessions of one content refused at once share the one refresh, each
      // joining with its own signal: one caller's abort (a player detached) must
      // not fail the others, and the fetch is aborted only when all have left.
      if (!pending.settled) return pending.join(opts.signal);
      // A refusal after the refresh means the fresh token did not help either.
      throw this.#refusedAgain(context, key, error);
    }
    this.#log.info(
      `license server refused the token for ${context.drm}/${context.contentId} (${error.message}); fetching a fresh one`,
    );
    this.#drop(key);
    // The refused token may have been the content's (single-key content): not handed out again either.
    if (context.kids) this.#drop(contentKeyOf(context));
    const flight = this.#startFlight(key, context);
    this.#refreshes.record(key, flight);
    return flight.join(opts.signal);
  }

  licenseAcquired(context: TokenContext): void {
    this.#refreshes.licenseAcquired(keyOf(normalized(context)));
  }

  invalidate(given?: TokenContext): void {
    if (!given) {
      this.#cache.clear();
      this.#flights.clear();
      return;
    }
    const context = normalized(given);
    if (context.kids) return this.#drop(keyOf(context));
    // The content as a whole: its token and every per-key token.
    const prefix = contentKeyOf(context);
    for (const key of new Set([...this.#cache.keys(), ...this.#flights.keys()]))
      if (key.startsWith(prefix)) this.#drop(key);
    this.#drop(prefix);
  }

  /** Aborts every fetch still running (their callers get -9050) and forgets everything; no timer is left. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const flight of this.#running)
      flight.abort(new ExpressPlayError(ClientCode.DISPOSED, { details: 'token client disposed' }));
    this.#running.clear();
    this.#cache.clear();
    this.#flights.clear();
    this.#refreshes.clear();
  }

  assertAllowedRightsUrl(url: string): void {
    assertRightsUrl(url, this.#allowed);
  }

  #assertNotDisposed(): void {
    if (this.#disposed) throw new ExpressPlayError(ClientCode.DISPOSED, { details: 'token client disposed' });
  }

  /** Forgets the key's token; callers already waiting keep their fetch, new callers start a new one. */
  #drop(key: string): void {
    this.#cache.drop(key);
    this.#flights.delete(key);
  }

  /** The fresh token was refused too: reported, and not handed out again. */
  #refusedAgain(context: TokenContext, key: string, error: ExpressPlayError): ExpressPlayError {
    this.#log.warn(`token for ${context.drm}/${context.contentId} refused again after a refresh: ${error.message}`);
    // The app's next attempt (a new load, a user's retry) fetches a fresh token instead of failing at once.
    if (this.#cache.has(key)) this.#drop(key);
    this.#emit({ type: 'expressplay:error', drm: context.drm, contentId: context.contentId, error });
    return error;
  }

  /** A fetch for the key, shared by its callers, that fills the cache unless the key was dropped meanwhile. */
  #startFlight(key: string, context: TokenContext): Flight {
    const started = performance.now();
    const generation = this.#cache.generation(key);
    const flight: Flight = new SharedFetch(
      (signal) =>
        this.#fetcher
          .fetch(context, signal)
          .then((info) => {
            if (!this.#disposed) this.#cache.fill(key, info, generation);
            this.#announce(info, performance.now() - started);
            return info;
          })
          .catch((err: unknown) => {
            throw this.#failed(context, err, started);
          }),
      // Every caller left: aborted, though not settled yet; the next caller starts afresh.
      { drm: context.drm, onAbandoned: () => forget() },
    );
    const forget = () => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    this.#running.add(flight);
    const done = () => {
      this.#running.delete(flight);
      forget();
    };
    flight.promise.then(done, done);
    this.#flights.set(key, flight);
    return flight;
  }

  /** A failed fetch as a typed error, logged and emitted unless it is an abort or the content's -4018. */
  #failed(context: TokenContext, err: unknown, started: number): ExpressPlayError {
    const error = isExpressPlayError(err)
      ? (err as ExpressPlayError)
      : new ExpressPlayError(ClientCode.MALFORMED_RESPONSE, {
          drm: context.drm,
          details: 'token endpoint answer could not be used',
          cause: err,
        });
    if (error.category === 'aborted') this.#log.debug(`token request for ${context.drm}/${context.contentId} aborted`);
    // Not a failure yet: multi-key content is asked per key id, when its sessions say which.
    else if (!context.kids && isKeyIdRequired(error))
      this.#log.debug(`${context.drm}/${context.contentId} has several keys: tokens are asked per key id`);
    else {
      this.#log.warn(`token request for ${context.drm}/${context.contentId} failed: ${error.message}`, {
        code: error.code,
        httpStatus: error.httpStatus,
      });
      this.#emit({
        type: 'expressplay:error',
        drm: context.drm,
        contentId: context.contentId,
        ...(context.kids ? { kids: context.kids } : {}),
        error,
        durationMs: performance.now() - started,
      });
    }
    return error;
  }

  #announce(info: RightsInfo, durationMs: number): void {
    if (this.#preconnect) preconnect(info.rightsUrl);
    this.#log.debug(
      `rights URL for ${info.drm}/${info.contentId}${info.kids ? ` [${info.kids.join(',')}]` : ''} (${info.source}, ${Math.round(durationMs)} ms): ${info.rightsUrl}`,
    );
    this.#emitToken(info, durationMs);
  }

  #emitToken(info: RightsInfo, durationMs: number): void {
    this.#emit({
      type: 'expressplay:token',
      durationMs,
      drm: info.drm,
      contentId: info.contentId,
      ...(info.kids ? { kids: info.kids } : {}),
      rightsUrl: info.rightsUrl,
      source: info.source,
    });
  }

  /** The key's fresh entry as handed out from the cache (an app-supplied one keeps source `app`). */
  #cachedHit(key: string): RightsInfo | undefined {
    const cached = this.#cache.fresh(key);
    if (!cached) return undefined;
    const hit: RightsInfo = { ...cached, source: cached.source === 'app' ? 'app' : 'cache' };
    this.#emitToken(hit, 0);
    return hit;
  }

  /**
   * A session's key ids with the content's token asked for without kids (single-key
   * content: it holds the one key): cached, or its fetch under way. Undefined when there
   * is none, or the back end answered -4018 (several keys: ask per key id).
   */
  async #contentToken(context: TokenContext, signal: AbortSignal | undefined): Promise<RightsInfo | undefined> {
    const key = contentKeyOf(context);
    const hit = this.#cachedHit(key);
    if (hit) return hit;
    const pending = this.#flights.get(key);
    if (!pending) return undefined;
    try {
      return await pending.join(signal);
    } catch (err) {
      if (isKeyIdRequired(err)) return undefined;
      throw err;
    }
  }
}

/**
 * Creates the client that asks your token endpoint for rights URLs (see the
 * README, "The token endpoint contract"). It caches each rights URL until
 * `expiryMarginMs` before it expires, shares one fetch between concurrent
 * callers, retries network errors / timeouts / 429 / 5xx with backoff,
 * refreshes once when a license server refuses a token, and refuses any rights
 * URL off the allowlist (default `*.expressplay.com`) before anyone sees it.
 *
 * @throws {@link ExpressPlayError} -9001 without an `endpoint`; -9020 when
 * `customerAuthenticator` is set without `dangerouslyAllowAuthenticatorInBrowser`,
 * or with an endpoint that is neither ExpressPlay's test service nor loopback.
 *
 * @example
 * ```ts
 * const client = createTokenClient({
 *   endpoint: '/api/expressplay-token',
 *   headers: () => ({ authorization: `Bearer ${session.jwt}` }),
 *   allowedRightsHosts: ['*.expressplay.com', '127.0.0.1:8787'], // + the emulator in development
 * });
 * const { rightsUrl } = await client.getRightsUrl({ drm: 'widevine', contentId: 'movie-42', securityLevel: 1, hdcp: 0 });
 * ```
 */
export function createTokenClient(options: TokenClientOptions): TokenClient {
  const client = new EndpointTokenClient(options);
  // Plain functions, as before: an app may pass `client.getRightsUrl` around unbound.
  return {
    getRightsUrl: (context, opts) => client.getRightsUrl(context, opts),
    prefetch: (context) => client.prefetch(context),
    setRightsUrl: (context, rightsUrl, expiresAt) => client.setRightsUrl(context, rightsUrl, expiresAt),
    refresh: (context, error, opts) => client.refresh(context, error, opts),
    licenseAcquired: (context) => client.licenseAcquired(context),
    invalidate: (context) => client.invalidate(context),
    dispose: () => client.dispose(),
    assertAllowedRightsUrl: (url) => client.assertAllowedRightsUrl(url),
  };
}
