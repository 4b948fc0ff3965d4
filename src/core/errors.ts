import { catalogEntry, ClientCode, type ErrorCategory } from './catalog.js';
import { redactTokens } from './redact.js';

export type Drm = 'widevine' | 'fairplay' | 'playready' | 'clearkey';

export interface ExpressPlayErrorInit {
  /** Extra detail appended to the catalog message (never a full token: it is redacted). */
  details?: string;
  httpStatus?: number;
  drm?: Drm;
  cause?: unknown;
  /** Overrides the catalog's category (e.g. an HTTP status with no seed code). */
  category?: ErrorCategory;
  /** Overrides the catalog's retryability (e.g. a 5xx carrying a seed code). */
  retryable?: boolean;
  /** Milliseconds the server asked us to wait (Retry-After). */
  retryAfterMs?: number;
}

/**
 * The one error type of this library. `code` is the ExpressPlay seed code when
 * the mistake or failure has one, else one of ours (-9xxx, see `ClientCode`).
 */
export class ExpressPlayError extends Error {
  override readonly name = 'ExpressPlayError';
  readonly code: number;
  readonly httpStatus: number | undefined;
  readonly category: ErrorCategory;
  readonly retryable: boolean;
  readonly drm: Drm | undefined;
  readonly details: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: number, init: ExpressPlayErrorInit = {}) {
    const entry = catalogEntry(code);
    const base = entry?.message ?? `ExpressPlay error ${code}`;
    const details = init.details === undefined ? undefined : redactTokens(init.details);
    super(`[${code}] ${base}${details ? `: ${details}` : ''}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.httpStatus = init.httpStatus;
    this.category = init.category ?? entry?.category ?? 'server';
    this.retryable = init.retryable ?? entry?.retryable ?? false;
    this.drm = init.drm;
    this.details = details;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** True when the rights URL's token was refused: a fresh token may help, once. */
  get isTokenRejected(): boolean {
    return this.code === -4010 || this.httpStatus === 401 || this.httpStatus === 403;
  }

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

export function isExpressPlayError(value: unknown): value is ExpressPlayError {
  return value instanceof ExpressPlayError || (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'ExpressPlayError' && typeof (value as { code?: unknown }).code === 'number');
}

/** The typed error for an HTTP status that carried no ExpressPlay code. */
export function errorForHttpStatus(status: number, details?: string, drm?: Drm): ExpressPlayError {
  const init = { httpStatus: status, details: details ?? `HTTP ${status}`, drm };
  if (status === 401 || status === 403) return new ExpressPlayError(ClientCode.HTTP, { ...init, category: 'auth', retryable: false });
  if (status === 404) return new ExpressPlayError(ClientCode.NOT_FOUND, init);
  if (status === 408) return new ExpressPlayError(ClientCode.TIMEOUT, init);
  if (status === 429) return new ExpressPlayError(ClientCode.TOO_MANY_REQUESTS, init);
  if (status >= 500) return new ExpressPlayError(ClientCode.SERVER, init);
  return new ExpressPlayError(ClientCode.HTTP, { ...init, category: 'input', retryable: false });
}
