// The license request: the CDM's challenge (Widevine/PlayReady) or SPC
// (FairPlay) POSTed to the rights URL. One attempt unless the caller asks for a
// retry policy: Shaka runs its own; contrib-eme has none, so its adapter asks.

import { redactTokens } from '../core/redact.js';
import { assertRightsUrl } from './allowlist.js';
import { fetchWithRetry } from './http.js';
import type { LicenseRequestOptions } from './types/license.js';

/**
 * Sends `body` to `rightsUrl` and returns the license bytes. Failures are typed:
 * the seed code from the answer where there is one; 401/403/-4010 have
 * `isTokenRejected` true (ask the token client for a fresh token, once).
 *
 * One attempt unless `options.retry` is given (then 5xx, 429, network errors and
 * timeouts are tried again; the same challenge is re-sent, as Shaka does). The
 * body is copied, so a view on a larger buffer sends only its own bytes.
 *
 * @param rightsUrl - the rights URL, token included.
 * @param body - the CDM's license challenge (Widevine, PlayReady, ClearKey) or SPC.
 * @throws {@link ExpressPlayError} -9022 for a URL that is not https (http on
 * loopback only) or not absolute; -9021 for a host off `allowedRightsHosts`
 * (when given); -9010 network, -9011 timeout, -9012 abort; -9061 for an answer
 * over `maxBodyBytes` (64 KiB by default); for a non-2xx answer
 * its seed code, else the HTTP-status error (see `errorForHttpStatus`).
 *
 * @example
 * ```ts
 * const license = await requestLicense(info.rightsUrl, new Uint8Array(event.message), {
 *   drm: 'widevine',
 *   allowedRightsHosts: ['*.expressplay.com'],
 * });
 * await session.update(license);
 * ```
 */
export async function requestLicense(
  rightsUrl: string,
  body: Uint8Array,
  options: LicenseRequestOptions,
): Promise<Uint8Array> {
  assertRightsUrl(rightsUrl, options.allowedRightsHosts, options.drm);
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/octet-stream' };
  // Header names are case-insensitive: a 'Content-Type' replaces the default instead of going out as a second value.
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  const res = await fetchWithRetry(
    rightsUrl,
    // A copy, so a body that is a view on a larger buffer sends only its bytes.
    { method: 'POST', headers, body: body.slice(), credentials: options.credentials ?? 'omit', cache: 'no-store' },
    {
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      maxBodyBytes: options.maxBodyBytes,
      signal: options.signal,
      drm: options.drm,
      retry: options.retry ?? ONE_ATTEMPT,
    },
  );
  // fetchWithRetry answers only 2xx; every other answer is its typed error.
  return res.body;
}

/** No retry, and no total budget beyond the per-attempt timeout. */
const ONE_ATTEMPT = { maxAttempts: 1, maxTotalMs: Number.POSITIVE_INFINITY };

/** For log lines: the rights URL with its token redacted. */
export function redactedUrl(url: string): string {
  return redactTokens(url);
}
