// Token answers: success is a text/uri-list (RFC 2483) from ExpressPlay, or the
// JSON our back-end contract allows (token-answer.ts); errors are JSON or HTML with a
// seed code (error-answer.ts). The public parsers check their input's shape first.

import { ClientCode } from './catalog.js';
import { errorFromAnswer } from './error-answer.js';
import { ExpressPlayError, type Drm } from './errors.js';
import { tokenFromAnswer } from './token-answer.js';

export { parseUriList, tokenFromRightsUrl } from './token-answer.js';

/** An HTTP answer from the token service or a token endpoint, as plain values (any HTTP client can supply them). */
export interface TokenResponseInput {
  /** The HTTP status. */
  status: number;
  /** The `Content-Type` header, if any. */
  contentType?: string | null;
  /** The body as text. */
  body: string;
  /** The DRM the token was for, carried into errors. */
  drm?: Drm;
  /** The `Retry-After` header, if any (seconds or an HTTP date). */
  retryAfter?: string | null;
  /** For `Retry-After` dates; defaults to now. */
  now?: number;
}

/** A token answer that succeeded. */
export interface TokenResult {
  /** The license acquisition URL, token included. */
  rightsUrl: string;
  /** The `ExpressPlayToken` value, when the URL carries one (or PlayReady's JSON `token`). */
  token?: string;
  /** When the back end told us (JSON `expiresAt`); tokens themselves are opaque. */
  expiresAt?: Date;
}

function isOptionalText(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

/**
 * The shape check both parsers share. The status must be an integer: NaN compared false with
 * both bounds of 200…299 and a NaN-status answer was taken for a success.
 */
function checkInput(input: TokenResponseInput, fn: string): void {
  if (
    typeof input !== 'object' ||
    input === null ||
    typeof input.status !== 'number' ||
    !Number.isInteger(input.status) ||
    typeof input.body !== 'string' ||
    !isOptionalText(input.contentType) ||
    !isOptionalText(input.retryAfter)
  ) {
    throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
      details: `${fn} needs { status: integer, body: string, contentType?: string, retryAfter?: string }`,
    });
  }
}

/** Turns an error answer (any status) into the typed error, keeping the HTTP status. */
export function parseErrorResponse(input: TokenResponseInput): ExpressPlayError {
  checkInput(input, 'parseErrorResponse');
  return errorFromAnswer(input);
}

/**
 * Parses a token service or token endpoint answer. Returns the rights URL, or
 * throws an `ExpressPlayError` with the seed code, HTTP status, category and
 * retryability.
 */
export function parseTokenResponse(input: TokenResponseInput): TokenResult {
  checkInput(input, 'parseTokenResponse');
  const result = tokenFromAnswer(input);
  if (result === undefined) throw errorFromAnswer(input);
  return result;
}
