// What Shaka's own errors say about a license request: the typed error an
// adapter hook threw (nested in Shaka's `data`), the rights server's answer to a
// failed attempt (Shaka's `retry` event holds only the HTTP facts), and the key
// ids of a session whose license request failed.

import type shaka from 'shaka-player';
import { sessionKeyIds } from '../browser/key-ids.js';
import { errorFromAnswer } from '../browser/error-answer-on-demand.js';
import { DEFAULT_MAX_BODY_BYTES } from '../core/capped-read.js';
import { ClientCode, ExpressPlayError, isExpressPlayError } from '../core/index.js';
import type { Drm } from '../core/index.js';

// Shaka's error codes, as numbers: the enum exists only at run time in Shaka's bundle.
const BAD_HTTP_STATUS = 1001;
const TIMEOUT = 1003;

/**
 * The ExpressPlayError a Shaka error carries (searched through nested `data`,
 * at most 5 levels), if any.
 *
 * @example
 * ```ts
 * player.addEventListener('error', (e) => {
 *   const err = expressPlayErrorOf((e as unknown as { detail: unknown }).detail);
 *   if (err?.category === 'auth') showSignIn();
 * });
 * ```
 */
export function expressPlayErrorOf(error: unknown, depth = 0): ExpressPlayError | undefined {
  if (isExpressPlayError(error)) return error;
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const data = (error as { data?: unknown }).data;
  if (!Array.isArray(data)) return undefined;
  for (const item of data) {
    const found = expressPlayErrorOf(item, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The URI a failed attempt (the error of Shaka's `retry` event) went to, if the error names one. */
export function failedAttemptUri(error: shaka.util.Error | null | undefined): string | undefined {
  const uri: unknown = Array.isArray(error?.data) ? error.data[0] : undefined;
  return typeof uri === 'string' ? uri : undefined;
}

/** More than `max` bytes as UTF-8: a string longer than `max` always is (no character encodes to fewer than one byte). */
function utf8Exceeds(text: string, max: number): boolean {
  return text.length > max || new TextEncoder().encode(text).length > max;
}

/**
 * The typed error of a failed license attempt: the rights server's answer (its parser
 * loads on the first one; -9010 if it cannot), or the network failure.
 */
export function rejectionOf(error: shaka.util.Error, drm: Drm): Promise<ExpressPlayError> {
  const data: unknown[] = Array.isArray(error.data) ? error.data : [];
  if (error.code === BAD_HTTP_STATUS) {
    const headers = (data[3] ?? {}) as Record<string, string>;
    const body = typeof data[2] === 'string' ? data[2] : '';
    // Shaka read this answer itself, uncapped: it gets the cap every body the browser layer reads gets.
    if (utf8Exceeds(body, DEFAULT_MAX_BODY_BYTES))
      return Promise.resolve(
        new ExpressPlayError(ClientCode.RESPONSE_TOO_LARGE, {
          details: `license error answer of more than ${DEFAULT_MAX_BODY_BYTES} bytes`,
          drm,
        }),
      );
    return errorFromAnswer({
      status: Number(data[1]),
      body,
      contentType: headers['content-type'],
      retryAfter: headers['retry-after'],
      drm,
    }).catch((err: ExpressPlayError) => err);
  }
  return Promise.resolve(
    new ExpressPlayError(error.code === TIMEOUT ? ClientCode.TIMEOUT : ClientCode.NETWORK, {
      details: `license request failed (Shaka ${error.code})`,
      drm,
    }),
  );
}

/** The URI of the last attempt of a failed license request (Shaka's LICENSE_REQUEST_FAILED wraps that attempt's error). */
export function failedLicenseUri(error: shaka.util.Error): string | undefined {
  const inner = (error.data as unknown[] | undefined)?.[0] as { data?: unknown[] } | undefined;
  const uri = inner?.data?.[0];
  return typeof uri === 'string' ? uri : undefined;
}

/** The key ids of the session a LICENSE_REQUEST_FAILED error is about (its data holds the session's initData). */
export function failedSessionKeyIds(error: shaka.util.Error): string[] {
  const session = (error.data as unknown[] | undefined)?.[1] as
    { initData?: Uint8Array | null; initDataType?: string | null } | undefined;
  return session ? sessionKeyIds(session) : [];
}
