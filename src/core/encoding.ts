// Byte/text helpers. The core is compiled against ES2022 only (no DOM, no Node
// types), so the platform codecs it uses are declared here, in this module only:
// TextEncoder, TextDecoder, atob and btoa exist in every browser, in workers and
// in Node >= 16, so no codec is hand-written here (smaller bundles).
declare const TextEncoder: new () => { encode(text: string): Uint8Array };
declare const TextDecoder: new (
  label?: string,
  options?: { ignoreBOM?: boolean },
) => { decode(bytes: Uint8Array): string };
declare function atob(base64: string): string;
declare function btoa(binary: string): string;

const HEX_RE = /^[0-9a-fA-F]*$/;
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** True for a string of hex digits of exactly `length` characters (any even length when omitted). */
export function isHex(value: string, length?: number): boolean {
  return HEX_RE.test(value) && value.length % 2 === 0 && (length === undefined || value.length === length);
}

/** True for canonical, padded base64 (RFC 4648 §4). The empty string is not base64 here. */
export function isBase64(value: string): boolean {
  return value.length > 0 && B64_RE.test(value);
}

/** Hex text (either case, even length) → bytes; throws a `TypeError` for anything else. */
export function hexToBytes(hex: string): Uint8Array {
  if (!isHex(hex)) throw new TypeError('not a hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Bytes → lower-case hex. */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Bytes → standard, padded base64. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: spreading a large array into one call overflows the argument limit.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Decodes standard or URL-safe base64, padded or not; throws TypeError on anything else. */
export function base64ToBytes(text: string): Uint8Array {
  let s = text.replace(/-/g, '+').replace(/_/g, '/');
  if (s.length % 4 === 1) throw new TypeError('not base64');
  while (s.length % 4 !== 0) s += '=';
  if (!B64_RE.test(s)) throw new TypeError('not base64');
  // Validated above, so atob (forgiving-base64) cannot throw and reads exactly what the regex admits.
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

/** Bytes → URL-safe base64 without padding (RFC 4648 §5), as in JWK `k` and `kid`. */
export function bytesToBase64Url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** UTF-8; a lone surrogate is written as U+FFFD (TextEncoder, Buffer). */
export function utf8Encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/**
 * Lenient UTF-8 decoder: invalid sequences become U+FFFD (one per maximal invalid
 * subpart, WHATWG Encoding Standard), never an exception. A leading BOM is kept
 * as U+FEFF, as Buffer keeps it.
 */
export function utf8Decode(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

/** UTF-16LE, the text encoding of legacy WebKit FairPlay initData and content ids. */
export function utf16leEncode(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    out[i * 2] = u & 255;
    out[i * 2 + 1] = u >> 8;
  }
  return out;
}

/** UTF-16LE bytes → text (an odd trailing byte is ignored). */
export function utf16leDecode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
  return out;
}

/** The bytes of every part, one after the other, in a new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Accepts the shapes binary data arrives in (fetch, EME, Shaka) and returns a Uint8Array view. */
export function toBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}
