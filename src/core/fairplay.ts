// FairPlay as pure functions, in the style of Shaka's FairPlay presets: what the
// skd URI means, the legacy initData layout, and the CKC in every wrapping a
// license server is known to use.

import {
  base64ToBytes,
  concatBytes,
  isBase64,
  toBytes,
  utf16leDecode,
  utf16leEncode,
  utf8Decode,
  utf8Encode,
} from './encoding.js';
import { ClientCode } from './catalog.js';
import { ExpressPlayError } from './errors.js';

/**
 * How the FairPlay content id is taken from the `skd://` URI:
 * - `host`: the URI's host name, as Apple's sample code, Shaka (`defaultGetContentId`) and
 *   videojs-contrib-eme take it through URL parsing: no user info, no port
 *   (`skd://asset-42:80/x` → `asset-42`); see {@link contentIdFromSkd}
 * - `whole`: everything after `skd://` (ExpressPlay's playlists, where the skd URI carries the rights URL)
 * - a function for anything else.
 */
export type ContentIdStrategy = 'host' | 'whole' | ((skdUri: string) => string);

function skdFail(details: string): never {
  throw new ExpressPlayError(ClientCode.SKD_INVALID, { details, drm: 'fairplay' });
}

/** True for `skd://` followed by at least one non-space character (case-insensitive scheme). */
export function isSkdUri(value: string): boolean {
  return /^skd:\/\/\S+$/i.test(value);
}

// Code points the URL standard forbids in a host: an authority holding one does not parse.
const FORBIDDEN_HOST_CHAR = /[\0\t\n\r #/:<>?@[\\\]^|]/;

/** Percent-encodes what URL parsing encodes in an opaque host: C0 controls and everything above U+007E (as UTF-8). */
function percentEncodeHost(host: string): string {
  let out = '';
  for (const ch of host) {
    const c = ch.charCodeAt(0);
    out +=
      c >= 0x20 && c <= 0x7e
        ? ch
        : [...utf8Encode(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

/**
 * The host name of an skd URI's authority, computed the way WHATWG URL parsing does for a
 * non-special scheme (what `new URL(skd).hostname` and an `<a href>` give in browsers): user
 * info and port dropped, non-ASCII percent-encoded. An authority URL parsing refuses (a port
 * that is not a number up to 65535, a forbidden character) is returned whole, as Shaka's
 * `shaka.util.URL.getDomain` falls back to. Written out rather than calling `URL` so that
 * every runtime (a Node back end, an old Safari) derives the same content id.
 */
function skdHost(authority: string): string {
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!m || m[1] === '') return authority;
  const host = m[1]!;
  const port = m[2];
  if (port !== undefined && port !== '' && Number(port) > 65535) return authority;
  if (host.startsWith('[')) return host;
  return FORBIDDEN_HOST_CHAR.test(host) ? authority : percentEncodeHost(host);
}

/**
 * The FairPlay content id of an `skd://` URI (surrounding whitespace ignored).
 *
 * @param strategy - `'whole'` by default: ExpressPlay's playlists carry the rights URL in the skd URI.
 * @throws {@link ExpressPlayError} -9042 when `skdUri` is not an skd URI, the strategy is unknown, or the id is empty.
 */
export function contentIdFromSkd(skdUri: string, strategy: ContentIdStrategy = 'whole'): string {
  if (typeof skdUri !== 'string' || !isSkdUri(skdUri.trim())) skdFail('expected an skd:// URI');
  const uri = skdUri.trim();
  const rest = uri.slice('skd://'.length);
  let id: string;
  if (typeof strategy === 'function') id = strategy(uri);
  else if (strategy === 'host') id = skdHost(rest.split(/[/?#]/)[0]!);
  else if (strategy === 'whole') id = rest;
  else skdFail(`unknown content id strategy ${String(strategy)}`);
  if (typeof id !== 'string' || id === '') skdFail('empty content id');
  return id;
}

/**
 * The rights URL carried by an skd URI, for playlists made with the rights URL
 * in the key URI (`skd://fp.service.expressplay.com:80/hms/fp/rights/?ExpressPlayToken=…`).
 * Undefined when the skd URI holds only an id (no `/hms/fp/rights/` path and no
 * `ExpressPlayToken` parameter). The URL is not checked against any allowlist
 * here: callers must (a playlist must not send SPCs anywhere).
 *
 * @param scheme - the scheme that replaces `skd`; `'https'` by default.
 */
export function rightsUrlFromSkd(skdUri: string, scheme: 'https' | 'http' = 'https'): string | undefined {
  if (!isSkdUri(skdUri.trim())) return undefined;
  const rest = skdUri.trim().slice('skd://'.length);
  if (!/^[^/?#]+\/hms\/fp\/rights\//.test(rest) && !/[?&]ExpressPlayToken=/.test(rest)) return undefined;
  return `${scheme}://${rest}`;
}

/**
 * The skd URI inside `skd` initData: UTF-8 (modern EME) or UTF-16LE (legacy
 * WebKit), with or without the legacy 4-byte length prefix.
 *
 * @throws {@link ExpressPlayError} -9042 when the initData holds no skd URI.
 */
export function skdFromInitData(initData: ArrayBuffer | ArrayBufferView): string {
  let bytes = toBytes(initData);
  if (bytes.length >= 4) {
    const declared = bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24);
    if (declared === bytes.length - 4) bytes = bytes.subarray(4);
  }
  const looksUtf16 = bytes.length >= 4 && bytes.length % 2 === 0 && bytes[1] === 0 && bytes[3] === 0;
  const text = (looksUtf16 ? utf16leDecode(bytes) : utf8Decode(bytes)).replace(/\0+$/, '').trim();
  if (!isSkdUri(text)) skdFail('initData does not hold an skd:// URI');
  return text;
}

function u32le(n: number): Uint8Array {
  return Uint8Array.of(n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255);
}

/**
 * The initData legacy WebKit FairPlay (`WebKitMediaKeys('com.apple.fps.1_0').createSession('video/mp4', …)`)
 * expects, as Shaka (`shaka.drm.FairPlay.initDataTransform`), videojs-contrib-eme and Apple's
 * sample build it:
 * `[u32le len][skd URI, UTF-16LE][u32le len][contentId, UTF-16LE][u32le len][certificate]`.
 *
 * @param skd - the skd URI, or `skd` initData in any form a browser delivers it (UTF-8 from
 *   `encrypted`, UTF-16LE from `webkitneedkey`, with or without its 4-byte length): the URI
 *   is read from it and written again as UTF-16LE.
 * @throws {@link ExpressPlayError} -9042 when `skd` holds no skd URI; -9040 when the certificate is empty
 *   (the legacy CDM cannot make an SPC without it).
 */
export function legacyFairPlayInitData(
  skd: string | ArrayBuffer | ArrayBufferView,
  contentId: string,
  certificate: ArrayBuffer | ArrayBufferView,
): Uint8Array {
  let uri: string;
  if (typeof skd === 'string') {
    uri = skd.trim();
    if (!isSkdUri(uri)) skdFail('expected an skd:// URI');
  } else uri = skdFromInitData(skd);
  const cert = toBytes(certificate);
  if (cert.length === 0)
    throw new ExpressPlayError(ClientCode.CERTIFICATE_INVALID, {
      details: 'legacy FairPlay initData needs the certificate',
      drm: 'fairplay',
    });
  const text = utf16leEncode(uri);
  const id = utf16leEncode(contentId);
  return concatBytes(u32le(text.length), text, u32le(id.length), id, u32le(cert.length), cert);
}

// In the order of precedence Shaka's `commonFairPlayResponse` gives its three names (the
// last it finds wins there), then the lower-case spellings other servers use.
const CKC_JSON_FIELDS = ['License', 'CkcMessage', 'ckc', 'license', 'ckcMessage'] as const;

function ckcFail(details: string): never {
  throw new ExpressPlayError(ClientCode.CKC_INVALID, { details, drm: 'fairplay' });
}

/**
 * Base64 inside a wrapper (`<ckc>`, JSON): standard or URL-safe alphabet, padded or not, line
 * breaks ignored. Bare text must be canonical padded base64: a short plain-text answer
 * ("Unauthorized" aside) must not be taken for a CKC.
 */
function decodeCkcText(text: string, wrapped: boolean): Uint8Array {
  const t = text.trim().replace(/\s+/g, '');
  if (!wrapped && !isBase64(t)) ckcFail('CKC text is not base64');
  try {
    if (t === '') throw new TypeError('empty');
    return base64ToBytes(t);
  } catch {
    ckcFail('CKC text is not base64');
  }
}

/** The CKC field of a JSON answer: the first non-empty string in {@link CKC_JSON_FIELDS} order. */
function ckcJsonField(text: string): string | undefined {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof obj !== 'object' || obj === null) return undefined;
  for (const name of CKC_JSON_FIELDS) {
    const v = (obj as Record<string, unknown>)[name];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/**
 * The CKC from a license server answer: raw bytes, base64 text, `<ckc>…</ckc>`,
 * or JSON `{ License | CkcMessage | ckc }` (standard or URL-safe base64, padded or
 * not, inside a wrapper). Throws a typed error for anything else.
 *
 * Bytes are read as text when every byte is printable ASCII (a real CKC is binary);
 * binary bytes are the CKC unless they hold a `<ckc>` or JSON wrapper (a JSON answer
 * with a non-ASCII character in another field).
 *
 * @throws {@link ExpressPlayError} -9041 for an empty answer, text that is not
 * base64, JSON that does not parse or has no CKC field.
 */
export function unwrapCkc(response: ArrayBuffer | ArrayBufferView | string): Uint8Array {
  const bytes = typeof response === 'string' ? undefined : toBytes(response);
  if (bytes !== undefined && bytes.length === 0) ckcFail('empty CKC');
  const isText = bytes === undefined || bytes.every((b) => (b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13);
  const text = (typeof response === 'string' ? response : utf8Decode(bytes!)).trim();
  const tag = /^<ckc>([\s\S]*)<\/ckc>$/i.exec(text);
  if (tag) return decodeCkcText(tag[1]!, true);
  if (text.startsWith('{')) {
    const field = ckcJsonField(text);
    if (field !== undefined) return decodeCkcText(field, true);
    if (isText) ckcFail('CKC JSON does not parse or has no License, CkcMessage or ckc field');
  }
  if (!isText) return bytes!;
  if (text === '') ckcFail('empty CKC');
  return decodeCkcText(text, false);
}
