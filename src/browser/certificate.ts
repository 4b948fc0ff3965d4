// The FairPlay application certificate: fetched once per URL per page and shared
// by every player on it (a page with a dozen previews must not fetch it a dozen
// times). A failed fetch is not cached, so the next caller tries again.

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError, isExpressPlayError } from '../core/errors.js';
import { base64ToBytes } from '../core/encoding.js';
import { assertAllowedUrl } from './allowlist.js';
import { errorFromResponse, fetchOnce } from './http.js';
import { preconnect } from './preconnect.js';
import { SharedFetch } from './shared-fetch.js';
import type { FairPlayCertificateOptions } from './types/fairplay.js';

/** One shared fetch per URL: the last caller to leave aborts it. */
const cache = new Map<string, SharedFetch<Uint8Array>>();

function invalid(details: string, cause?: unknown): ExpressPlayError {
  return new ExpressPlayError(ClientCode.CERTIFICATE_INVALID, { drm: 'fairplay', details, cause });
}

function isPrintable(bytes: Uint8Array): boolean {
  return bytes.every((b) => (b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13);
}

/**
 * Raw DER or base64 text (bare or PEM-armoured), told apart by content: a DER
 * certificate starts with an ASN.1 SEQUENCE (0x30) and is binary; base64 is printable.
 */
export function decodeCertificate(data: Uint8Array): Uint8Array {
  if (data.length === 0) throw invalid('empty certificate');
  if (!isPrintable(data)) {
    if (data[0] !== 0x30) throw invalid('binary data that is not DER (no ASN.1 SEQUENCE)');
    return data;
  }
  const text = new TextDecoder().decode(data);
  const b64 = text.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
  let der: Uint8Array;
  try {
    der = base64ToBytes(b64);
  } catch (err) {
    throw invalid('text that is not base64', err);
  }
  if (der.length === 0 || der[0] !== 0x30) throw invalid('base64 that does not hold a DER certificate');
  return der;
}

/** A string is a URL unless it is plainly the certificate itself (PEM, or long base64 with no URL syntax). */
function isInlineCertificate(source: string): boolean {
  const s = source.trim();
  if (s.startsWith('-----BEGIN')) return true;
  return s.length >= 64 && !/[:?#.]/.test(s) && /^[A-Za-z0-9+/=_\s-]+$/.test(s);
}

/** A `blob:` URL this page made (its origin is the page's): bytes the page already holds, no network. */
function isOwnBlobUrl(url: string): boolean {
  if (!url.startsWith('blob:')) return false;
  try {
    return new URL(url).origin === globalThis.location?.origin;
  } catch {
    return false;
  }
}

function resolveUrl(url: string): string {
  try {
    return new URL(url, globalThis.document?.baseURI ?? globalThis.location?.href).href;
  } catch {
    return url;
  }
}

async function fetchCertificate(
  url: string,
  options: FairPlayCertificateOptions,
  signal: AbortSignal,
): Promise<Uint8Array> {
  // The signal is the shared fetch's own: aborted only when no caller is left.
  const res = await fetchOnce(
    url,
    { method: 'GET', credentials: options.credentials ?? 'same-origin' },
    { fetch: options.fetch, timeoutMs: options.timeoutMs, maxBodyBytes: options.maxBodyBytes, drm: 'fairplay', signal },
  );
  if (res.status < 200 || res.status > 299) throw await errorFromResponse(res, 'fairplay');
  return decodeCertificate(res.body);
}

/**
 * The certificate as DER bytes. `source`: a URL (fetched once per page, shared by
 * concurrent callers), inline base64/PEM text, or the bytes themselves.
 *
 * A string is taken as inline text when it is PEM or long base64 with no URL
 * syntax, else as a URL relative to the page. A failed fetch is not cached.
 * Every caller gets its own copy (a CDM may detach the buffer it is given).
 *
 * A URL must be https (http only on loopback), and on `allowedCertificateHosts`
 * when that is given; `file:`, `data:`, `javascript:` and other pages' `blob:` URLs
 * are refused (a `blob:` URL of this page is bytes it already holds).
 *
 * @throws {@link ExpressPlayError} -9022 for a URL that is not https (http on
 * loopback only); -9021 for a host off `allowedCertificateHosts`; -9061 for an
 * answer over `maxBodyBytes`; -9040 for an empty/invalid source or data
 * that is neither DER nor base64 DER; the HTTP error of a failed fetch
 * (-9013/-9015/…, -9010 network, -9011 timeout); -9012 when `signal` aborts.
 *
 * @example
 * ```ts
 * const cert = await getFairPlayCertificate('/fairplay.cer');
 * await mediaKeys.setServerCertificate(cert);
 * ```
 */
export async function getFairPlayCertificate(
  source: string | ArrayBuffer | Uint8Array,
  options: FairPlayCertificateOptions = {},
): Promise<Uint8Array> {
  if (source instanceof ArrayBuffer) return decodeCertificate(new Uint8Array(source)).slice();
  if (source instanceof Uint8Array) return decodeCertificate(source).slice();
  if (typeof source !== 'string' || source.trim() === '') throw invalid('expected a URL, base64 text or bytes');
  if (isInlineCertificate(source)) return decodeCertificate(new TextEncoder().encode(source));
  const url = resolveUrl(source.trim());
  // Before anything is fetched: https (http on loopback only), the app's allowlist if any.
  if (!isOwnBlobUrl(url)) assertAllowedUrl(url, options.allowedCertificateHosts, 'fairplay', 'allowedCertificateHosts');
  let shared = cache.get(url);
  if (!shared) {
    // Not cached when it failed, or when every caller gave up on it: the next caller fetches again.
    const forget = () => {
      if (cache.get(url) === entry) cache.delete(url);
    };
    const entry = new SharedFetch((signal) => fetchCertificate(url, options, signal), {
      drm: 'fairplay',
      onAbandoned: forget,
    });
    cache.set(url, entry);
    entry.promise.catch(forget);
    shared = entry;
  }
  try {
    // Each caller gets its own copy: a CDM may detach or keep the buffer it is given.
    return (await shared.join(options.signal)).slice();
  } catch (err) {
    if (isExpressPlayError(err)) throw err;
    throw invalid('certificate fetch failed', err);
  }
}

/** Hints the browser to connect to the certificate's host early (before the first key request). */
export function preconnectFairPlayCertificate(url: string): boolean {
  return preconnect(resolveUrl(url));
}

/** Forgets every fetched certificate (tests; a page that rotated its certificate). */
export function clearFairPlayCertificateCache(): void {
  cache.clear();
}
