// Byte/text helpers written against ES2022 only, so the core runs in a browser,
// in Node and in a worker without DOM or Node types.

const HEX_RE = /^[0-9a-fA-F]*$/;
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const B64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_LOOKUP: Record<string, number> = Object.fromEntries([...B64_ALPHABET].map((c, i) => [c, i]));

/** True for a string of hex digits of exactly `length` characters (any length when omitted). */
export function isHex(value: string, length?: number): boolean {
  return HEX_RE.test(value) && value.length % 2 === 0 && (length === undefined || value.length === length);
}

/** True for canonical, padded base64 (RFC 4648 §4). The empty string is not base64 here. */
export function isBase64(value: string): boolean {
  return value.length > 0 && B64_RE.test(value);
}

export function hexToBytes(hex: string): Uint8Array {
  if (!isHex(hex)) throw new TypeError('not a hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += B64_ALPHABET[a >> 2];
    out += B64_ALPHABET[((a & 3) << 4) | ((b ?? 0) >> 4)];
    out += b === undefined ? '=' : B64_ALPHABET[((b & 15) << 2) | ((c ?? 0) >> 6)];
    out += c === undefined ? '=' : B64_ALPHABET[c & 63];
  }
  return out;
}

/** Decodes standard or URL-safe base64, padded or not; throws TypeError on anything else. */
export function base64ToBytes(text: string): Uint8Array {
  let s = text.replace(/-/g, '+').replace(/_/g, '/');
  if (s.length % 4 === 1) throw new TypeError('not base64');
  while (s.length % 4 !== 0) s += '=';
  if (!B64_RE.test(s)) throw new TypeError('not base64');
  const padding = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const n =
      (B64_LOOKUP[s[i]!]! << 18) |
      (B64_LOOKUP[s[i + 1]!]! << 12) |
      ((B64_LOOKUP[s[i + 2]!] ?? 0) << 6) |
      (B64_LOOKUP[s[i + 3]!] ?? 0);
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

export function bytesToBase64Url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0)!;
    // A lone surrogate has no UTF-8 form: write U+FFFD as TextEncoder and Buffer do (it used to
    // be written as the 3-byte WTF-8 sequence, which utf8Decode then rejected: no round trip).
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}

/**
 * Lenient UTF-8 decoder: invalid sequences become U+FFFD, never an exception.
 * Follows the WHATWG Encoding Standard's decoder exactly (one U+FFFD per maximal
 * invalid subpart), so it gives the same text as TextDecoder and Buffer; the
 * former byte-at-a-time version gave two U+FFFD for a truncated sequence.
 */
export function utf8Decode(bytes: Uint8Array): string {
  const cps: number[] = [];
  let out = '';
  let cp = 0;
  let needed = 0;
  let seen = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (needed === 0) {
      i++;
      if (b < 0x80) cps.push(b);
      else if (b >= 0xc2 && b <= 0xdf) {
        needed = 1;
        cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0;
        if (b === 0xed) upper = 0x9f;
        needed = 2;
        cp = b & 0xf;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90;
        if (b === 0xf4) upper = 0x8f;
        needed = 3;
        cp = b & 0x7;
      } else cps.push(0xfffd);
    } else if (b < lower || b > upper) {
      // The sequence so far is one error; the byte is looked at again as a new start.
      cp = needed = seen = 0;
      lower = 0x80;
      upper = 0xbf;
      cps.push(0xfffd);
    } else {
      i++;
      lower = 0x80;
      upper = 0xbf;
      cp = (cp << 6) | (b & 0x3f);
      if (++seen === needed) {
        cps.push(cp);
        cp = needed = seen = 0;
      }
    }
    if (cps.length >= 4096) {
      out += String.fromCodePoint(...cps);
      cps.length = 0;
    }
  }
  if (needed !== 0) cps.push(0xfffd);
  return out + String.fromCodePoint(...cps);
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

export function utf16leDecode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
  return out;
}

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
