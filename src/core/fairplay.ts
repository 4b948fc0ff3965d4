// FairPlay as pure functions, in the style of Shaka's FairPlay presets: what the
// skd URI means, the legacy initData layout, and the CKC in every wrapping a
// license server is known to use.

import { base64ToBytes, concatBytes, isBase64, toBytes, utf16leDecode, utf16leEncode, utf8Decode } from './encoding.js';
import { ClientCode } from './catalog.js';
import { ExpressPlayError } from './errors.js';

/**
 * How the FairPlay content id is taken from the `skd://` URI:
 * - `host`: the authority (Apple's sample code; `skd://asset-42` → `asset-42`)
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
  else if (strategy === 'host') id = rest.split(/[/?#]/)[0]!;
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

/**
 * The initData layout legacy `WebKitMediaKeys.createSession` expects:
 * [u32le len][initData][u32le len][contentId UTF-16LE][u32le len][certificate].
 */
export function legacyFairPlayInitData(initData: Uint8Array, contentId: string, certificate: Uint8Array): Uint8Array {
  const id = utf16leEncode(contentId);
  const u32 = (n: number) => Uint8Array.of(n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255);
  return concatBytes(u32(initData.length), initData, u32(id.length), id, u32(certificate.length), certificate);
}

const CKC_JSON_FIELDS = ['ckc', 'CkcMessage', 'ckcMessage', 'License', 'license'] as const;

function ckcFail(details: string): never {
  throw new ExpressPlayError(ClientCode.CKC_INVALID, { details, drm: 'fairplay' });
}

function decodeCkcText(text: string): Uint8Array {
  const t = text.trim().replace(/\s+/g, '');
  if (!isBase64(t)) ckcFail('CKC text is not base64');
  return base64ToBytes(t);
}

/**
 * The CKC from a license server answer: raw bytes, base64 text, `<ckc>…</ckc>`,
 * or JSON `{ ckc | CkcMessage | License }`. Throws a typed error for anything else.
 *
 * Bytes that are all printable ASCII are read as text (a real CKC is binary).
 *
 * @throws {@link ExpressPlayError} -9041 for an empty answer, text that is not
 * base64, JSON that does not parse or has no CKC field.
 */
export function unwrapCkc(response: ArrayBuffer | ArrayBufferView | string): Uint8Array {
  const bytes = typeof response === 'string' ? undefined : toBytes(response);
  if (bytes !== undefined && bytes.length === 0) ckcFail('empty CKC');
  // Text if every byte is printable ASCII or whitespace; a real CKC is binary.
  const isText = bytes === undefined || bytes.every((b) => (b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13);
  if (!isText) return bytes!;
  const text = (typeof response === 'string' ? response : utf8Decode(bytes!)).trim();
  if (text === '') ckcFail('empty CKC');
  const tag = /^<ckc>([\s\S]*)<\/ckc>$/i.exec(text);
  if (tag) return decodeCkcText(tag[1]!);
  if (text.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      ckcFail('CKC JSON does not parse');
    }
    if (typeof obj === 'object' && obj !== null) {
      for (const name of CKC_JSON_FIELDS) {
        const v = (obj as Record<string, unknown>)[name];
        if (typeof v === 'string') return decodeCkcText(v);
      }
    }
    ckcFail('CKC JSON has no ckc, CkcMessage or License field');
  }
  return decodeCkcText(text);
}
