// The FairPlay application certificate: fetched once per URL per page and shared
// by every player on it (a page with a dozen previews must not fetch it a dozen
// times). A failed fetch is not cached, so the next caller tries again.

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError, isExpressPlayError } from '../core/errors.js';
import { base64ToBytes } from '../core/encoding.js';
import { errorFromResponse, fetchOnce } from './http.js';
import { preconnect } from './preconnect.js';
import type { FairPlayCertificateOptions } from './types.js';

const cache = new Map<string, Promise<Uint8Array>>();

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

function resolveUrl(url: string): string {
  try {
    return new URL(url, globalThis.document?.baseURI ?? globalThis.location?.href).href;
  } catch {
    return url;
  }
}

/** Waits for a shared promise, but lets this caller give up on its own signal. */
function withSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new ExpressPlayError(ClientCode.ABORTED, { drm: 'fairplay', cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ExpressPlayError(ClientCode.ABORTED, { drm: 'fairplay', cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

async function fetchCertificate(url: string, options: FairPlayCertificateOptions): Promise<Uint8Array> {
  // No caller signal here: the fetch is shared, only the timeout bounds it.
  const res = await fetchOnce(url, { method: 'GET', credentials: options.credentials ?? 'same-origin' }, { fetch: options.fetch, timeoutMs: options.timeoutMs, drm: 'fairplay' });
  if (res.status < 200 || res.status > 299) throw errorFromResponse(res, 'fairplay');
  return decodeCertificate(res.body);
}

/**
 * The certificate as DER bytes. `source`: a URL (fetched once per page, shared by
 * concurrent callers), inline base64/PEM text, or the bytes themselves.
 */
export async function getFairPlayCertificate(source: string | ArrayBuffer | Uint8Array, options: FairPlayCertificateOptions = {}): Promise<Uint8Array> {
  if (source instanceof ArrayBuffer) return decodeCertificate(new Uint8Array(source)).slice();
  if (source instanceof Uint8Array) return decodeCertificate(source).slice();
  if (typeof source !== 'string' || source.trim() === '') throw invalid('expected a URL, base64 text or bytes');
  if (isInlineCertificate(source)) return decodeCertificate(new TextEncoder().encode(source));
  const url = resolveUrl(source.trim());
  let shared = cache.get(url);
  if (!shared) {
    shared = fetchCertificate(url, options);
    cache.set(url, shared);
    shared.catch(() => {
      // Not cached when it failed: the next caller fetches again.
      if (cache.get(url) === shared) cache.delete(url);
    });
  }
  try {
    // Each caller gets its own copy: a CDM may detach or keep the buffer it is given.
    return (await withSignal(shared, options.signal)).slice();
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
