import { catalogEntry, ClientCode, type ErrorCategory } from './catalog.js';
import { redactTokens } from './redact.js';

/** The DRMs this library handles; `'clearkey'` is the development stand-in served by the emulator. */
export type Drm = 'widevine' | 'fairplay' | 'playready' | 'clearkey';

/** Optional context for {@link ExpressPlayError}'s constructor; every field is copied onto the error. */
export interface ExpressPlayErrorInit {
  /** Extra detail appended to the catalog message (never a full token: it is redacted). */
  details?: string;
  /** The HTTP status of the response that failed, or the status a server should answer with. */
  httpStatus?: number;
  /** The DRM the failing operation was for. */
  drm?: Drm;
  /** The underlying error, passed on as the standard `Error.cause`. */
  cause?: unknown;
  /** Overrides the catalog's category (e.g. an HTTP status with no seed code). */
  category?: ErrorCategory;
  /** Overrides the catalog's retryability (e.g. a 5xx carrying a seed code). */
  retryable?: boolean;
  /** Milliseconds the server asked us to wait (Retry-After). */
  retryAfterMs?: number;
}

/**
 * Errors relayed through a back end arrive with the code and catalog message
 * already in their text ("[-2018] Invalid authenticator: …", "Error -2018 …").
 * Strip those echoes so a message says each thing once, however many hops it took.
 */
function withoutEcho(details: string, code: number, base: string): string {
  const echo = new RegExp(`^(?:\\[${code}\\]|(?:ExpressPlay )?error ${code})\\s*:?\\s*`, 'i');
  let d = details.trim();
  for (let prev = ''; d !== prev;) {
    prev = d;
    d = d.replace(echo, '');
    if (d.startsWith(base)) d = d.slice(base.length).replace(/^\s*:?\s*/, '');
  }
  return d;
}

/**
 * The category of an error of `code` that came with `httpStatus`: the catalog's, except for
 * -9013 (an HTTP error with no more specific code), whose category is what its status
 * below 500 says: 401/403 → `auth`, any other → `input`. So a back end's
 * `new ExpressPlayError(-9013, { httpStatus: 403 })` (the README's refusal of a viewer), the
 * same error relayed to the browser, and a bare 403 all reach the app as `auth`.
 */
function categoryFor(code: number, httpStatus: number | undefined): ErrorCategory {
  if (code === ClientCode.HTTP && httpStatus !== undefined && httpStatus < 500) {
    return httpStatus === 401 || httpStatus === 403 ? 'auth' : 'input';
  }
  return catalogEntry(code)?.category ?? 'server';
}

/**
 * The one error type of this library. `code` is the ExpressPlay seed code when
 * the mistake or failure has one, else one of ours (-9xxx, see `ClientCode`).
 *
 * The message is `[code] <catalog message>: <details>`; `category` and
 * `retryable` come from the catalog unless the init overrides them (-9013 takes
 * its category from a status below 500: 401/403 `auth`, else `input`), and an
 * unknown code gets category `'server'`, not retryable. `details` are passed
 * through `redactTokens`, so a rights URL in them never leaks its token.
 *
 * @example
 * ```ts
 * try {
 *   await client.getRightsUrl({ drm: 'widevine', contentId: 'movie-42' });
 * } catch (e) {
 *   if (isExpressPlayError(e) && e.category === 'auth') showSignIn();
 * }
 * ```
 */
export class ExpressPlayError extends Error {
  /** Always `'ExpressPlayError'` (what {@link isExpressPlayError} checks across realms and bundles). */
  override readonly name = 'ExpressPlayError';
  // The fields below are set in the constructor, in this order; `declare` keeps the
  // compiler from emitting a second, empty definition of each.
  /** The seed code (-2002 … -7011) or one of ours (-9xxx). */
  declare readonly code: number;
  /** The HTTP status involved, when there was one. */
  declare readonly httpStatus: number | undefined;
  /** What kind of failure: branch on this rather than on codes. */
  declare readonly category: ErrorCategory;
  /** Whether sending the same request again later may succeed. */
  declare readonly retryable: boolean;
  /** The DRM the failing operation was for, when known. */
  declare readonly drm: Drm | undefined;
  /** The detail appended to the message, token-redacted. */
  declare readonly details: string | undefined;
  /** Milliseconds the server asked to wait before a retry (`Retry-After`). */
  declare readonly retryAfterMs: number | undefined;

  /**
   * @param code - a catalog code (unknown codes are allowed: message `ExpressPlay error <code>`).
   * @param init - details, HTTP status, DRM, cause and overrides of the catalog's category/retryability.
   */
  constructor(code: number, init: ExpressPlayErrorInit = {}) {
    const entry = catalogEntry(code);
    const base = entry?.message ?? `ExpressPlay error ${code}`;
    const details = init.details === undefined ? undefined : withoutEcho(redactTokens(init.details), code, base);
    super(
      `[${code}] ${base}${details ? `: ${details}` : ''}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.code = code;
    this.httpStatus = init.httpStatus;
    this.category = init.category ?? categoryFor(code, init.httpStatus);
    this.retryable = init.retryable ?? entry?.retryable ?? false;
    this.drm = init.drm;
    this.details = details;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** True when the rights URL's token was refused: a fresh token may help, once. */
  get isTokenRejected(): boolean {
    return this.code === -4010 || this.httpStatus === 401 || this.httpStatus === 403;
  }

  /** A plain object for logs and `JSON.stringify` (name, code, message, httpStatus, category, retryable, drm). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      httpStatus: this.httpStatus,
      category: this.category,
      retryable: this.retryable,
      drm: this.drm,
    };
  }
}

/**
 * True for an {@link ExpressPlayError}, also one from another copy of this
 * library (a second bundle, the UMD script): it checks `name` and a numeric
 * `code`, not only `instanceof`.
 */
export function isExpressPlayError(value: unknown): value is ExpressPlayError {
  return (
    value instanceof ExpressPlayError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'ExpressPlayError' &&
      typeof (value as { code?: unknown }).code === 'number')
  );
}

/**
 * The typed error for an HTTP status that carried no ExpressPlay code:
 * 401/403 → -9013 (`auth`), 404 → -9023, 408 → -9011, 429 → -9014,
 * 5xx → -9015 (retryable), any other status → -9013 (`input`).
 */
export function errorForHttpStatus(status: number, details?: string, drm?: Drm): ExpressPlayError {
  const init = { httpStatus: status, details: details ?? `HTTP ${status}`, drm };
  if (status === 404) return new ExpressPlayError(ClientCode.NOT_FOUND, init);
  if (status === 408) return new ExpressPlayError(ClientCode.TIMEOUT, init);
  if (status === 429) return new ExpressPlayError(ClientCode.TOO_MANY_REQUESTS, init);
  if (status >= 500) return new ExpressPlayError(ClientCode.SERVER, init);
  return new ExpressPlayError(ClientCode.HTTP, init);
}
