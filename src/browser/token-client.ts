// The token client: gets a rights URL for (drm, content, key-id set) from the
// customer's token endpoint, keeps it until shortly before it expires, shares one
// fetch between concurrent callers, refreshes once when a license server refuses
// the token, and only ever hands out rights URLs that pass the allowlist.

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError, isExpressPlayError } from '../core/errors.js';
import { parseTokenResponse, tokenFromRightsUrl } from '../core/response.js';
import { assertRightsUrl, DEFAULT_RIGHTS_HOSTS, isExpressPlayTestHost, isLoopbackHost } from './allowlist.js';
import { fetchWithRetry } from './http.js';
import { createEmitter } from './events.js';
import { createLogger } from './log.js';
import { preconnect } from './preconnect.js';
import { isKeyIdRequired, normalizeKeyIds } from './key-ids.js';
import { buildEndpointRequest } from './token-request.js';
import type { RightsInfo, RightsSource, TokenClient, TokenClientOptions, TokenContext } from './types.js';

const DEFAULT_MARGIN_MS = 30_000;
const DEFAULT_LIFETIME_MS = 10 * 60_000;

interface Flight {
  promise: Promise<RightsInfo>;
  controller: AbortController;
  waiters: number;
  settled: boolean;
}

/** The context with its key ids in one spelling (lower-case, sorted, unique), or none. */
function normalized(context: TokenContext): TokenContext {
  if (!context.kids || context.kids.length === 0) {
    if (!('kids' in context)) return context;
    const { kids: _none, ...rest } = context;
    return rest;
  }
  return { ...context, kids: normalizeKeyIds(context.kids) };
}

/** The cache key: drm, content and key-id set (empty: the content's only key). */
function keyOf(context: TokenContext): string {
  return `${context.drm}\u0000${context.contentId}\u0000${(context.kids ?? []).join(',')}`;
}

/** The cache key of the content's token asked for without key ids. */
function contentKeyOf(context: TokenContext): string {
  return `${context.drm}\u0000${context.contentId}\u0000`;
}

function checkContext(context: TokenContext): void {
  if (
    typeof context !== 'object' ||
    context === null ||
    typeof context.drm !== 'string' ||
    typeof context.contentId !== 'string' ||
    context.contentId === ''
  ) {
    throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
      details: 'a token context needs drm and a non-empty contentId',
    });
  }
}

function authenticatorRefused(details: string): ExpressPlayError {
  return new ExpressPlayError(ClientCode.AUTHENTICATOR_IN_BROWSER, {
    details: `${details}. The customerAuthenticator is ExpressPlay's secret API key: anyone who reads it from the page can mint tokens on your account. Keep it on your back end and give the browser a token endpoint instead`,
  });
}

/** Development opt-in only: the authenticator may go to ExpressPlay's test service or to loopback, nowhere else. */
function assertAuthenticatorTarget(url: string): void {
  let host: string;
  try {
    host = new URL(url, globalThis.location?.href).hostname;
  } catch {
    throw authenticatorRefused('the token endpoint is not a URL');
  }
  if (!isExpressPlayTestHost(host) && !isLoopbackHost(host)) {
    throw authenticatorRefused(`${host} is neither ExpressPlay's test service nor localhost`);
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
  const log = createLogger(options.logger);
  const extraFields: Record<string, string> = {};
  if (options.customerAuthenticator !== undefined) {
    if (options.dangerouslyAllowAuthenticatorInBrowser !== true)
      throw authenticatorRefused('customerAuthenticator found in the browser configuration');
    if (typeof options.endpoint === 'string') assertAuthenticatorTarget(options.endpoint);
    extraFields['customerAuthenticator'] = options.customerAuthenticator;
    log.warn(
      'DEVELOPMENT ONLY: customerAuthenticator is in the browser (dangerouslyAllowAuthenticatorInBrowser). Never ship this.',
    );
  }
  // The token request is the first request of a cold start and the slowest (back end →
  // ExpressPlay): open its connection now, before any content is chosen.
  if (options.preconnect !== false && typeof options.endpoint === 'string')
    preconnect(options.endpoint, options.credentials === 'include');
  const allowed = options.allowedRightsHosts ?? DEFAULT_RIGHTS_HOSTS;
  const marginMs = options.expiryMarginMs ?? DEFAULT_MARGIN_MS;
  const lifetimeMs = options.defaultTokenLifetimeMs ?? DEFAULT_LIFETIME_MS;
  const cache = new Map<string, RightsInfo>();
  const flights = new Map<string, Flight>();
  const controllers = new Set<AbortController>();
  // A fetch may only fill the cache if nothing invalidated or replaced the entry meanwhile.
  const generations = new Map<string, number>();
  let epoch = 0;
  const refreshes = new Map<string, { flight: Flight; settled: boolean }>();
  let disposed = false;

  const generation = (key: string) => `${epoch}:${generations.get(key) ?? 0}`;
  const bump = (key: string) => generations.set(key, (generations.get(key) ?? 0) + 1);

  const emit = createEmitter(options.onEvent, log);

  function assertNotDisposed(): void {
    if (disposed) throw new ExpressPlayError(ClientCode.DISPOSED, { details: 'token client disposed' });
  }

  function assertAllowedRightsUrl(url: string): void {
    assertRightsUrl(url, allowed);
  }

  function fresh(info: RightsInfo | undefined): info is RightsInfo {
    return info !== undefined && Date.now() < info.expiresAtMs - marginMs;
  }

  function announce(info: RightsInfo, durationMs: number): void {
    if (options.preconnect !== false) preconnect(info.rightsUrl);
    log.debug(
      `rights URL for ${info.drm}/${info.contentId}${info.kids ? ` [${info.kids.join(',')}]` : ''} (${info.source}, ${Math.round(durationMs)} ms): ${info.rightsUrl}`,
    );
    emit({
      type: 'expressplay:token',
      durationMs,
      drm: info.drm,
      contentId: info.contentId,
      ...(info.kids ? { kids: info.kids } : {}),
      rightsUrl: info.rightsUrl,
      source: info.source,
    });
  }

  function rightsInfo(
    context: TokenContext,
    rightsUrl: string,
    source: RightsSource,
    expiresAt: Date | undefined,
    token: string | undefined,
  ): RightsInfo {
    const info: RightsInfo = {
      rightsUrl,
      drm: context.drm,
      contentId: context.contentId,
      ...(context.kids ? { kids: context.kids } : {}),
      source,
      obtainedAt: performance.now(),
      expiresAtMs: expiresAt ? expiresAt.getTime() : Date.now() + lifetimeMs,
    };
    if (token !== undefined) info.token = token;
    if (expiresAt) info.expiresAt = expiresAt;
    return info;
  }

  async function fetchRights(context: TokenContext, signal: AbortSignal): Promise<RightsInfo> {
    const req = await buildEndpointRequest(options, context, extraFields);
    if (options.customerAuthenticator !== undefined) assertAuthenticatorTarget(req.url);
    const init: RequestInit = {
      method: req.method,
      headers: req.headers,
      credentials: options.credentials ?? 'same-origin',
      cache: 'no-store',
    };
    if (req.body !== undefined) init.body = req.body;
    const res = await fetchWithRetry(req.url, init, {
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      maxBodyBytes: options.maxBodyBytes,
      signal,
      drm: context.drm,
      retry: options.retry,
      onRetry: ({ attempt, delayMs, error }) =>
        log.info(`token request attempt ${attempt} failed (${error.message}); retrying in ${delayMs} ms`),
    });
    const result = parseTokenResponse({
      status: res.status,
      contentType: res.headers.get('content-type'),
      body: res.text(),
      drm: context.drm,
    });
    // Policy before anything else sees it: a rights URL off the allowlist is never handed out.
    assertRightsUrl(result.rightsUrl, allowed, context.drm);
    return rightsInfo(context, result.rightsUrl, 'endpoint', result.expiresAt, result.token);
  }

  function startFlight(key: string, context: TokenContext): Flight {
    const controller = new AbortController();
    controllers.add(controller);
    const started = performance.now();
    const gen = generation(key);
    const flight: Flight = {
      controller,
      waiters: 0,
      settled: false,
      promise: Promise.resolve(undefined as unknown as RightsInfo),
    };
    flight.promise = fetchRights(context, controller.signal)
      .then((info) => {
        if (!disposed && generation(key) === gen) cache.set(key, info);
        announce(info, performance.now() - started);
        return info;
      })
      .catch((err: unknown) => {
        const error = isExpressPlayError(err)
          ? (err as ExpressPlayError)
          : new ExpressPlayError(ClientCode.MALFORMED_RESPONSE, {
              drm: context.drm,
              details: 'token endpoint answer could not be used',
              cause: err,
            });
        if (error.category === 'aborted') log.debug(`token request for ${context.drm}/${context.contentId} aborted`);
        // Not a failure yet: multi-key content is asked per key id, when its sessions say which.
        else if (!context.kids && isKeyIdRequired(error))
          log.debug(`${context.drm}/${context.contentId} has several keys: tokens are asked per key id`);
        else {
          log.warn(`token request for ${context.drm}/${context.contentId} failed: ${error.message}`, {
            code: error.code,
            httpStatus: error.httpStatus,
          });
          emit({
            type: 'expressplay:error',
            drm: context.drm,
            contentId: context.contentId,
            ...(context.kids ? { kids: context.kids } : {}),
            error,
            durationMs: performance.now() - started,
          });
        }
        throw error;
      })
      .finally(() => {
        flight.settled = true;
        controllers.delete(controller);
        if (flights.get(key) === flight) flights.delete(key);
      });
    // Waiters that gave up must not leave an unhandled rejection behind.
    flight.promise.catch(() => undefined);
    flights.set(key, flight);
    return flight;
  }

  /** Waits for a shared flight; a caller's abort detaches only that caller, and aborts the fetch when nobody is left. */
  function join(flight: Flight, context: TokenContext, signal: AbortSignal | undefined): Promise<RightsInfo> {
    flight.waiters++;
    if (!signal) return flight.promise.finally(() => flight.waiters--);
    if (signal.aborted) {
      flight.waiters--;
      return Promise.reject(new ExpressPlayError(ClientCode.ABORTED, { drm: context.drm, cause: signal.reason }));
    }
    return new Promise<RightsInfo>((resolve, reject) => {
      const onAbort = () => {
        flight.waiters--;
        if (flight.waiters <= 0 && !flight.settled)
          flight.controller.abort(new ExpressPlayError(ClientCode.ABORTED, { drm: context.drm }));
        reject(new ExpressPlayError(ClientCode.ABORTED, { drm: context.drm, cause: signal.reason }));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (info) => {
          signal.removeEventListener('abort', onAbort);
          flight.waiters--;
          resolve(info);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          flight.waiters--;
          reject(err);
        },
      );
    });
  }

  function cachedHit(key: string): RightsInfo | undefined {
    const cached = cache.get(key);
    if (!fresh(cached)) return undefined;
    const hit: RightsInfo = { ...cached, source: cached.source === 'app' ? 'app' : 'cache' };
    emit({
      type: 'expressplay:token',
      durationMs: 0,
      drm: hit.drm,
      contentId: hit.contentId,
      ...(hit.kids ? { kids: hit.kids } : {}),
      rightsUrl: hit.rightsUrl,
      source: hit.source,
    });
    return hit;
  }

  /**
   * A session's key ids with the content's token asked for without kids (single-key
   * content: it holds the one key): cached, or its fetch under way. Undefined when there
   * is none, or the back end answered -4018 (several keys: ask per key id).
   */
  async function contentToken(context: TokenContext, signal: AbortSignal | undefined): Promise<RightsInfo | undefined> {
    const key = contentKeyOf(context);
    const hit = cachedHit(key);
    if (hit) return hit;
    const pending = flights.get(key);
    if (!pending) return undefined;
    try {
      return await join(pending, context, signal);
    } catch (err) {
      if (isKeyIdRequired(err)) return undefined;
      throw err;
    }
  }

  async function getRightsUrl(given: TokenContext, opts: { signal?: AbortSignal } = {}): Promise<RightsInfo> {
    assertNotDisposed();
    checkContext(given);
    const context = normalized(given);
    const key = keyOf(context);
    const hit = cachedHit(key);
    if (hit) return hit;
    if (context.kids) {
      const whole = await contentToken(context, opts.signal);
      if (whole) return whole;
      const later = cachedHit(key); // filled while waiting
      if (later) return later;
    }
    let flight = flights.get(key);
    if (!flight) {
      flight = startFlight(key, context);
      // A token fetched afresh (not by a refresh) gets its own one refresh: a
      // settled refresh of an earlier, refused token no longer counts.
      flight.promise.then(
        () => {
          if (refreshes.get(key)?.settled) refreshes.delete(key);
        },
        () => undefined,
      );
    }
    return join(flight, context, opts.signal);
  }

  function drop(key: string): void {
    bump(key);
    cache.delete(key);
    // Callers already waiting keep their flight; new callers start a new one.
    flights.delete(key);
  }

  const client: TokenClient = {
    getRightsUrl,

    prefetch(context) {
      let promise: Promise<RightsInfo>;
      try {
        promise = getRightsUrl(context);
      } catch (err) {
        promise = Promise.reject(err);
      }
      return promise.then(
        (info) => info,
        (err: unknown) => {
          log.debug(`prefetch failed: ${err instanceof Error ? err.message : String(err)}`);
          return undefined;
        },
      );
    },

    setRightsUrl(given, rightsUrl, expiresAt) {
      assertNotDisposed();
      checkContext(given);
      const context = normalized(given);
      assertRightsUrl(rightsUrl, allowed, context.drm);
      const key = keyOf(context);
      bump(key);
      const info = rightsInfo(context, rightsUrl, 'app', expiresAt, tokenFromRightsUrl(rightsUrl));
      cache.set(key, info);
      announce(info, 0);
      return { ...info };
    },

    async refresh(given, error, opts = {}) {
      assertNotDisposed();
      checkContext(given);
      const context = normalized(given);
      const key = keyOf(context);
      const pending = refreshes.get(key);
      // A refresh whose every caller gave up (aborted) was not the one refresh: it is started afresh.
      if (pending && !pending.flight.controller.signal.aborted) {
        // Two sessions of one content refused at once share the one refresh, each
        // joining with its own signal: one caller's abort (a player detached) must
        // not fail the others, and the fetch is aborted only when all have left.
        // A refusal after the refresh means the fresh token did not help either.
        if (!pending.settled) return join(pending.flight, context, opts.signal);
        log.warn(`token for ${context.drm}/${context.contentId} refused again after a refresh: ${error.message}`);
        // The refused token is not handed out again: the app's next attempt (a new
        // load, a user's retry) fetches a fresh one instead of failing at once.
        if (cache.get(key)?.rightsUrl !== undefined) drop(key);
        emit({ type: 'expressplay:error', drm: context.drm, contentId: context.contentId, error });
        throw error;
      }
      log.info(
        `license server refused the token for ${context.drm}/${context.contentId} (${error.message}); fetching a fresh one`,
      );
      drop(key);
      // The refused token may have been the content's (single-key content): not handed out again either.
      if (context.kids) drop(contentKeyOf(context));
      const entry = { flight: startFlight(key, context), settled: false };
      refreshes.set(key, entry);
      entry.flight.promise.then(
        () => (entry.settled = true),
        () => {
          entry.settled = true;
          // Abandoned by every caller: not counted, so the next refusal may refresh.
          if (entry.flight.controller.signal.aborted && refreshes.get(key) === entry) refreshes.delete(key);
        },
      );
      return join(entry.flight, context, opts.signal);
    },

    licenseAcquired(context) {
      refreshes.delete(keyOf(normalized(context)));
    },

    invalidate(given) {
      if (given) {
        const context = normalized(given);
        if (context.kids) drop(keyOf(context));
        else {
          // The content as a whole: its token and every per-key token.
          const prefix = contentKeyOf(context);
          for (const key of new Set([...cache.keys(), ...flights.keys()])) if (key.startsWith(prefix)) drop(key);
          drop(prefix);
        }
        return;
      }
      epoch++;
      cache.clear();
      flights.clear();
    },

    dispose() {
      if (disposed) return;
      disposed = true;
      for (const controller of controllers)
        controller.abort(new ExpressPlayError(ClientCode.DISPOSED, { details: 'token client disposed' }));
      controllers.clear();
      cache.clear();
      flights.clear();
      refreshes.clear();
    },

    assertAllowedRightsUrl,
  };
  return client;
}
