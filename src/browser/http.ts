// fetch with the three things a player needs and fetch lacks: a timeout, a
// caller's abort that maps to a typed error, and a bounded retry (exponential
// backoff with full jitter, honouring Retry-After). Every timer is cleared on
// success, failure and abort, so a disposed client leaves nothing running. Every
// body is read through the core's capped reader: the server does not decide how
// much the page buffers and parses.

import { ClientCode } from '../core/catalog.js';
import { readCappedBody } from '../core/capped-read.js';
import { ExpressPlayError, isExpressPlayError, type Drm } from '../core/errors.js';
import { errorFromAnswer } from './error-answer-on-demand.js';
import { redactTokens } from '../core/redact.js';
import type { RetryOptions } from './types/retry.js';

/** A response with its body already read (so the timeout covers the body too), at most `maxBodyBytes` of it. */
export interface HttpResponse {
  /** The HTTP status. */
  status: number;
  /** The response headers. */
  headers: Headers;
  /** The whole body. */
  body: Uint8Array;
  /** The body decoded as UTF-8. */
  text(): string;
}

/** Options of one request (`fetchOnce`). */
export interface HttpOptions {
  /** Injected fetch; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Per attempt, body included (default 10 s). */
  timeoutMs?: number;
  /** The caller's abort (-9012, or the signal's reason when it is already an `ExpressPlayError`). */
  signal?: AbortSignal;
  /** Copied onto typed errors. */
  drm?: Drm;
  /** Largest body read (default 64 KiB); a larger answer is -9061 and the rest of it is not read. */
  maxBodyBytes?: number;
}

/** Options of {@link fetchWithRetry}. */
export interface RetryHttpOptions extends HttpOptions {
  /** The retry policy; defaults: {@link DEFAULT_RETRY}. */
  retry?: RetryOptions;
  /** Called before each wait (logs, events, tests). */
  onRetry?: (info: { attempt: number; delayMs: number; error: ExpressPlayError }) => void;
  /** For tests: the jitter source, default Math.random. */
  random?: () => number;
}

/** Default per-attempt timeout (10 s). */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Default retry policy: 3 attempts, 250 ms base delay, 4 s cap per delay, 20 s in all. */
export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxTotalMs: 20_000,
};

function abortReason(signal: AbortSignal, drm: Drm | undefined): ExpressPlayError {
  const reason: unknown = signal.reason;
  // A reason that is already ours (e.g. -9050 from dispose) is passed on as it is.
  if (isExpressPlayError(reason)) return reason as ExpressPlayError;
  return new ExpressPlayError(ClientCode.ABORTED, { drm, cause: reason });
}

/** One request, body read included, bounded by `timeoutMs` and the caller's signal. */
export async function fetchOnce(url: string, init: RequestInit, options: HttpOptions = {}): Promise<HttpResponse> {
  const { drm } = options;
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (options.signal?.aborted) throw abortReason(options.signal, drm);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await fetchFn(url, { ...init, signal: controller.signal });
    const body = await readCappedBody(res.body, {
      maxBytes: options.maxBodyBytes,
      contentLength: res.headers.get('content-length'),
      drm,
    });
    return { status: res.status, headers: res.headers, body, text: () => new TextDecoder().decode(body) };
  } catch (err) {
    if (timedOut)
      throw new ExpressPlayError(ClientCode.TIMEOUT, {
        drm,
        details: `no answer within ${timeoutMs} ms from ${redactTokens(originOf(url))}`,
      });
    if (options.signal?.aborted) throw abortReason(options.signal, drm);
    if (isExpressPlayError(err)) throw err;
    // fetch only rejects for network failures (DNS, TLS, CORS, reset): its
    // message says nothing useful and may echo the URL, so it stays in `cause`.
    throw new ExpressPlayError(ClientCode.NETWORK, { drm, details: `request to ${originOf(url)} failed`, cause: err });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function originOf(url: string): string {
  try {
    return new URL(url, globalThis.location?.href).origin;
  } catch {
    return redactTokens(url);
  }
}

/** The typed error for a non-2xx answer (seed code when the body has one); its parser loads on the first failure. */
export function errorFromResponse(res: HttpResponse, drm?: Drm): Promise<ExpressPlayError> {
  return errorFromAnswer({
    status: res.status,
    contentType: res.headers.get('content-type'),
    body: res.text(),
    drm,
    retryAfter: res.headers.get('retry-after'),
  });
}

/** Full jitter (AWS architecture blog): uniform in [0, min(cap, base·2^(attempt-1))]. */
export function backoffDelay(
  attempt: number,
  retry: Required<RetryOptions>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Waits `ms`, or rejects with the typed abort error (timer cleared either way). */
export function sleep(ms: number, signal?: AbortSignal, drm?: Drm): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal, drm));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!, drm));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Sends the request until it succeeds (2xx) or fails for good. Retries network
 * errors, timeouts, 5xx and 429 (the typed error's `retryable`); any other 4xx
 * fails at once. Bounded by `maxAttempts` and `maxTotalMs` (the per-attempt
 * timeout shrinks to what is left). A Retry-After longer than the time left
 * ends the retries with the server's error rather than a pointless wait.
 */
export async function fetchWithRetry(
  url: string,
  init: RequestInit,
  options: RetryHttpOptions = {},
): Promise<HttpResponse> {
  const retry: Required<RetryOptions> = { ...DEFAULT_RETRY, ...definedOnly(options.retry) };
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (let attempt = 1; ; attempt++) {
    const left = retry.maxTotalMs - (Date.now() - started);
    let error: ExpressPlayError;
    try {
      const res = await fetchOnce(url, init, { ...options, timeoutMs: Math.max(1, Math.min(timeoutMs, left)) });
      if (res.status >= 200 && res.status < 300) return res;
      error = await errorFromResponse(res, options.drm);
    } catch (err) {
      if (!isExpressPlayError(err)) throw err;
      error = err as ExpressPlayError;
    }
    if (!error.retryable || attempt >= retry.maxAttempts) throw error;
    const delayMs = error.retryAfterMs ?? backoffDelay(attempt, retry, options.random);
    if (Date.now() - started + delayMs >= retry.maxTotalMs) throw error;
    options.onRetry?.({ attempt, delayMs, error });
    await sleep(delayMs, options.signal, options.drm);
  }
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
