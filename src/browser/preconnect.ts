// Connection hints: once a rights URL (or a FairPlay certificate URL) is known,
// the browser can open the TLS connection while the player is still fetching
// the manifest, taking a round trip or two off the license request's critical path.

const hinted = new Set<string>();

/**
 * Adds `<link rel="preconnect" crossorigin>` for the URL's origin, once per origin
 * per page. `crossorigin` because license, certificate and token requests are CORS
 * fetches: anonymous ones by default, credentialed ones (`withCredentials`, for a
 * token endpoint called with `credentials: 'include'`) use their own pool.
 * Returns true when a hint was added.
 */
export function preconnect(url: string, withCredentials = false): boolean {
  if (typeof document === 'undefined' || !document.head) return false;
  let origin: string;
  try {
    const parsed = new URL(url, document.baseURI);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
    origin = parsed.origin;
  } catch {
    return false;
  }
  // Credentialed and anonymous CORS requests use separate connection pools: hint the one the request will use.
  const mode = withCredentials ? 'use-credentials' : 'anonymous';
  // The page's own origin is already connected.
  if (origin === globalThis.location?.origin || hinted.has(`${mode} ${origin}`)) return false;
  hinted.add(`${mode} ${origin}`);
  const link = document.createElement('link');
  link.rel = 'preconnect';
  link.href = origin;
  link.crossOrigin = mode;
  document.head.appendChild(link);
  return true;
}

/** Origins hinted so far on this page (diagnostics, tests). */
export function preconnectedOrigins(): string[] {
  return [...hinted].map((h) => h.slice(h.indexOf(' ') + 1));
}
