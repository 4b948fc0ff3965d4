// application/x-www-form-urlencoded, both ways, without URLSearchParams (not in
// the core's ES-only lib) and with a typed error for malformed percent-encoding
// instead of URIError.

import { ClientCode } from './catalog.js';
import { ExpressPlayError } from './errors.js';
import type { WireParams } from './params.js';

/** Encodes like URLSearchParams: spaces as '+', everything outside [A-Za-z0-9*-._] percent-encoded. */
export function encodeFormComponent(value: string): string {
  // Lone surrogates become U+FFFD first, as URLSearchParams does (USVString); encodeURIComponent
  // alone throws a URIError on them.
  return encodeURIComponent(value.replace(/[\uD800-\uDFFF]/gu, '\uFFFD'))
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Encodes wire pairs as `application/x-www-form-urlencoded` (`a=1&b=2`), order kept. */
export function encodeForm(pairs: WireParams): string {
  return pairs.map(([k, v]) => `${encodeFormComponent(k)}=${encodeFormComponent(v)}`).join('&');
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new ExpressPlayError(ClientCode.MALFORMED_REQUEST, { details: 'malformed percent-encoding' });
  }
}

/**
 * Decodes a query string (with or without a leading '?') or a form body into
 * ordered pairs; repeated names stay repeated, `+` is a space.
 *
 * @throws {@link ExpressPlayError} -9003 for malformed percent-encoding.
 */
export function decodeForm(text: string): [string, string][] {
  const body = text.startsWith('?') ? text.slice(1) : text;
  if (body === '') return [];
  return body
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0
        ? [decodeComponent(part), '']
        : [decodeComponent(part.slice(0, eq)), decodeComponent(part.slice(eq + 1))];
    });
}
