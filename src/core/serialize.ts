import { bytesToBase64 } from './encoding.js';
import { ClientCode } from './catalog.js';
import { ExpressPlayError } from './errors.js';
import type { TokenDrm, TokenExtension, TokenParamsByDrm, WireParams } from './params.js';

// A lone UTF-16 surrogate has no UTF-8 form: encodeURIComponent throws a URIError on it
// (URLSearchParams silently turns it into U+FFFD). Refuse it with a typed error instead,
// so what is validated is exactly what is sent.
const LONE_SURROGATE_RE = /[\uD800-\uDFFF]/u;

function wellFormed(name: string, text: string, drm: TokenDrm): string {
  if (LONE_SURROGATE_RE.test(name) || LONE_SURROGATE_RE.test(text)) {
    throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
      details: 'parameter names and values must be well-formed Unicode (lone surrogate)',
      drm,
    });
  }
  return text;
}

const EXTENSION_PARAM: Readonly<Record<TokenDrm, string | undefined>> = {
  widevine: 'wvExtension',
  fairplay: 'fpExtension',
  playready: undefined,
};

function extensionToWire(ext: TokenExtension, drm: TokenDrm): string {
  if (typeof ext === 'string') return ext;
  if (typeof ext === 'object' && ext !== null && typeof ext.type === 'string') {
    const payload =
      typeof ext.payload === 'string'
        ? ext.payload
        : ext.payload instanceof Uint8Array
          ? bytesToBase64(ext.payload)
          : undefined;
    if (payload !== undefined) return `${ext.type},${payload}`;
  }
  throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
    details: 'an extension is "type,payload" or { type, payload }',
    drm,
  });
}

function scalarToWire(name: string, value: unknown, drm: TokenDrm): string {
  if (typeof value === 'string') return wellFormed(name, value, drm);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      throw new ExpressPlayError(-2002, { details: `${name} is an invalid Date`, drm });
    // RFC 3339 with the 'Z' designator and whole seconds, as in the seed's example.
    return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
    details: `${name} must be a string or a number, not ${value === null ? 'null' : typeof value}`,
    drm,
  });
}

// Every error carries the DRM, as the validator's do.

/**
 * Typed parameters → wire pairs, in the order of `params`' own properties, then
 * `extra`'s. Does not validate values (that is `validateTokenParams`'s one job);
 * rejects only shapes that have no wire form at all (objects, functions), so
 * nothing is silently stringified.
 *
 * Numbers are written with `String()`, a `Date` as RFC 3339 UTC with whole
 * seconds, extensions as `type,base64payload`; `undefined` and `null` are skipped.
 *
 * @throws {@link ExpressPlayError} -9001 for a value with no wire form, an
 * extension of the other DRM, or a lone UTF-16 surrogate; -9002 for a name given
 * both directly and in `extra`; -2002 for an invalid `Date`.
 */
export function serializeTokenParams<D extends TokenDrm>(drm: D, params: TokenParamsByDrm[D]): WireParams {
  if (typeof params !== 'object' || params === null) {
    throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, { details: 'token parameters must be an object', drm });
  }
  const out: [string, string][] = [];
  const extParam = EXTENSION_PARAM[drm];
  const record = params as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined || value === null || name === 'extra') continue;
    if (name === 'wvExtension' || name === 'fpExtension') {
      if (name !== extParam)
        throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, { details: `${name} does not apply to ${drm}`, drm });
      const list = Array.isArray(value) ? (value as TokenExtension[]) : [value as TokenExtension];
      for (const ext of list) out.push([name, wellFormed(name, extensionToWire(ext, drm), drm)]);
      continue;
    }
    out.push([name, scalarToWire(name, value, drm)]);
  }
  const extra = record['extra'];
  if (extra !== undefined && extra !== null) {
    if (typeof extra !== 'object')
      throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, { details: 'extra must be an object', drm });
    for (const [name, value] of Object.entries(extra as Record<string, unknown>)) {
      if (value === undefined || value === null) continue;
      // Compare with the names actually serialized: `name in record` also matched Object.prototype
      // ('constructor', 'toString' …) and reported a bogus duplicate.
      if (out.some(([n]) => n === name))
        throw new ExpressPlayError(ClientCode.DUPLICATE_PARAMETER, {
          details: `${name} is given twice (in extra too)`,
          drm,
        });
      out.push([name, scalarToWire(name, value, drm)]);
    }
  }
  return out;
}
