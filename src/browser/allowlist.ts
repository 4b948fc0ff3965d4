// Where a license request may go. A rights URL carries a bearer token and the
// license request carries device data: both must only ever reach ExpressPlay
// (or, in development, the emulator), and only over TLS. The FairPlay certificate
// is fetched under the same rule: it decides whom the CDM encrypts the SPC for.

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError, type Drm } from '../core/errors.js';
import { redactTokens } from '../core/redact.js';

/** ExpressPlay's own hosts: `*.expressplay.com` (production `*.service.expressplay.com` and test `*.test.expressplay.com` among them). */
export const DEFAULT_RIGHTS_HOSTS: ReadonlyArray<string | RegExp> = ['*.expressplay.com'];

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase()) || hostname.toLowerCase().endsWith('.localhost');
}

/** ExpressPlay's test service (`*.test.expressplay.com`). */
export function isExpressPlayTestHost(hostname: string): boolean {
  return /(^|\.)test\.expressplay\.com$/i.test(hostname);
}

/** Exact host (`host` or `host:port`), `*.suffix` (any depth, not the bare suffix), or a RegExp tested on the host. */
export function hostMatches(url: URL, pattern: string | RegExp): boolean {
  const host = url.hostname.toLowerCase();
  if (pattern instanceof RegExp) return pattern.test(url.hostname) || pattern.test(url.host);
  const p = pattern.trim().toLowerCase();
  if (p.startsWith('*.')) return host.endsWith(p.slice(1));
  return p === host || p === url.host.toLowerCase();
}

/**
 * Throws -9022 for anything but https (http only on loopback) and -9021 for a
 * host off the allowlist. `allowed` undefined = scheme check only.
 *
 * @param url - an absolute URL (a relative or unparseable one is -9022).
 * @param allowed - exact hosts (`host` or `host:port`), `*.suffix` patterns, or RegExps tested on the host.
 * @param drm - copied onto the error.
 */
export function assertRightsUrl(url: string, allowed: ReadonlyArray<string | RegExp> | undefined, drm?: Drm): void {
  assertAllowedUrl(url, allowed, drm, 'allowedRightsHosts');
}

/**
 * The rule of {@link assertRightsUrl} for any URL the browser layer sends something
 * to or takes something from (rights URLs, the FairPlay certificate); `optionName`
 * names the allowlist in the error.
 */
export function assertAllowedUrl(
  url: string,
  allowed: ReadonlyArray<string | RegExp> | undefined,
  drm: Drm | undefined,
  optionName: string,
): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ExpressPlayError(ClientCode.INSECURE_URL, {
      drm,
      details: `not an absolute URL: ${redactTokens(url).slice(0, 200)}`,
    });
  }
  const secure = parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname));
  if (!secure)
    throw new ExpressPlayError(ClientCode.INSECURE_URL, { drm, details: `${parsed.protocol}//${parsed.host}` });
  if (allowed !== undefined && !allowed.some((p) => hostMatches(parsed, p))) {
    throw new ExpressPlayError(ClientCode.RIGHTS_URL_NOT_ALLOWED, {
      drm,
      details: `${parsed.host} is not in ${optionName}`,
    });
  }
}

/**
 * The license server adapters give a player before the rights URL is known. Never
 * fetched: every license request is re-pointed at the rights URL. `.invalid` makes a
 * bypass fail loudly.
 */
export const PLACEHOLDER_SERVER = 'https://rights.expressplay.invalid/';
