// Who may talk to a development server on this machine. Two attacks from an
// ordinary web page: a cross-origin request (the browser sends it, with an Origin
// header) and DNS rebinding (a name the attacker controls re-pointed at 127.0.0.1,
// so the browser thinks the page is same-origin; only the Host header tells).

import type { IncomingMessage } from 'node:http';

const IPV4_RE = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** The host name of a `Host` header value: lower case, port removed, IPv6 kept in brackets. */
export function hostNameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(0, end + 1);
  }
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/**
 * Whether a `Host` header names this server: `localhost` and `*.localhost`, any IP
 * literal (a rebinding attack needs a DNS name), or one of `allowed` (names, or
 * `name:port`). A request without a Host header is not from a browser and passes.
 */
export function hostAllowed(host: string | undefined, allowed: readonly string[] = []): boolean {
  if (host === undefined) return true;
  const name = hostNameOf(host);
  if (name === 'localhost' || name.endsWith('.localhost') || IPV4_RE.test(name) || name.startsWith('[')) return true;
  const full = host.trim().toLowerCase();
  return allowed.some((a) => a.toLowerCase() === name || a.toLowerCase() === full);
}

/** An `http(s)://` origin on a loopback host (a page served from this machine). */
export function isLoopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const name = url.hostname.toLowerCase();
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    (name === 'localhost' || name.endsWith('.localhost') || name === '127.0.0.1' || name === '[::1]')
  );
}

/**
 * The cross-origin caller of this request when it is not allowed, else undefined:
 * an `Origin` that `allowed` refuses, or (no Origin) a browser's
 * `Sec-Fetch-Site: cross-site|same-site`. Requests from programs carry neither.
 */
export function refusedOrigin(req: IncomingMessage, allowed: (origin: string) => boolean): string | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined) return allowed(origin) ? undefined : origin;
  const site = req.headers['sec-fetch-site'];
  return site === 'cross-site' || site === 'same-site' ? `(Sec-Fetch-Site: ${site})` : undefined;
}
