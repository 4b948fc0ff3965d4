// Key ids from EME initData, so a content id or a ClearKey request can be made
// without the CDM: 'cenc' (pssh boxes), 'keyids' (JSON), 'webm' (the key id itself) and
// 'sinf' (tenc box).

import { base64ToBytes, bytesToHex, toBytes, utf8Decode } from './encoding.js';

const WIDEVINE_SYSTEM_ID = 'edef8ba979d64acea3c827dcd51d21ed';

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

function type4(b: Uint8Array, o: number): string {
  return String.fromCharCode(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!);
}

/** Walks ISO-BMFF boxes, descending into the given container types; never reads past the end. */
function* boxes(
  b: Uint8Array,
  start: number,
  end: number,
  containers: ReadonlySet<string>,
): Generator<{ type: string; start: number; end: number; body: number }> {
  let o = start;
  while (o + 8 <= end) {
    let size = u32(b, o);
    const type = type4(b, o + 4);
    let body = o + 8;
    if (size === 1) {
      if (o + 16 > end) return;
      size = u32(b, o + 8) * 2 ** 32 + u32(b, o + 12);
      body = o + 16;
    } else if (size === 0) size = end - o;
    if (size < body - o || o + size > end) return;
    yield { type, start: o, end: o + size, body };
    if (containers.has(type)) yield* boxes(b, body, o + size, containers);
    o += size;
  }
}

/**
 * The key_id fields (field 2, 16 bytes) of Widevine PSSH data, a protobuf. Walks the
 * fields instead of scanning for the bytes 0x12 0x10: the scan also matched those bytes
 * inside other fields (a content_id or provider holding them) and reported false key ids.
 * Stops quietly at the first malformed field.
 */
function widevineKeyIds(data: Uint8Array): string[] {
  const kids: string[] = [];
  let i = 0;
  const varint = (): number | undefined => {
    let v = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (i >= data.length) return undefined;
      const byte = data[i++]!;
      v += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return v;
    }
    return undefined;
  };
  while (i < data.length) {
    const tag = varint();
    if (tag === undefined) break;
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (wire === 0) {
      if (varint() === undefined) break;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const len = varint();
      if (len === undefined || i + len > data.length) break;
      if (field === 2 && len === 16) kids.push(bytesToHex(data.subarray(i, i + 16)));
      i += len;
    } else break;
  }
  return kids;
}

/** Key ids (lower-case hex) named by pssh boxes: v1 KID lists, and Widevine pssh data's key_id fields. */
export function keyIdsFromPssh(initData: ArrayBuffer | ArrayBufferView): string[] {
  const b = toBytes(initData);
  const out = new Set<string>();
  for (const box of boxes(b, 0, b.length, new Set())) {
    if (box.type !== 'pssh' || box.body + 4 + 16 > box.end) continue;
    const version = b[box.body]!;
    const systemId = bytesToHex(b.subarray(box.body + 4, box.body + 20));
    let o = box.body + 20;
    if (version === 1 && o + 4 <= box.end) {
      const count = u32(b, o);
      o += 4;
      for (let i = 0; i < count && o + 16 <= box.end; i++, o += 16) out.add(bytesToHex(b.subarray(o, o + 16)));
    }
    if (systemId === WIDEVINE_SYSTEM_ID && o + 4 <= box.end) {
      const size = u32(b, o);
      for (const kid of widevineKeyIds(b.subarray(o + 4, Math.min(box.end, o + 4 + size)))) out.add(kid);
    }
  }
  return [...out];
}

/** Key ids from 'keyids' initData: JSON `{"kids":["base64url", …]}`. */
export function keyIdsFromKeyIdsJson(initData: ArrayBuffer | ArrayBufferView): string[] {
  try {
    const obj: unknown = JSON.parse(utf8Decode(toBytes(initData)));
    const kids = (obj as { kids?: unknown }).kids;
    if (!Array.isArray(kids)) return [];
    return kids.filter((k): k is string => typeof k === 'string').map((k) => bytesToHex(base64ToBytes(k)));
  } catch {
    return [];
  }
}

/** The default KID of 'sinf' initData (JSON `{"sinf":["base64 sinf box"]}`): sinf/schi/tenc. */
export function keyIdsFromSinf(initData: ArrayBuffer | ArrayBufferView): string[] {
  const out: string[] = [];
  try {
    const obj: unknown = JSON.parse(utf8Decode(toBytes(initData)));
    const list = (obj as { sinf?: unknown }).sinf;
    if (!Array.isArray(list)) return [];
    for (const item of list) {
      if (typeof item !== 'string') continue;
      const b = base64ToBytes(item);
      for (const box of boxes(b, 0, b.length, new Set(['sinf', 'schi']))) {
        // tenc (full box): version/flags 4, reserved/pattern 2, isProtected 1, ivSize 1, KID 16.
        if (box.type === 'tenc' && box.body + 24 <= box.end)
          out.push(bytesToHex(b.subarray(box.body + 8, box.body + 24)));
      }
    }
  } catch {
    return [];
  }
  return out;
}

/** Key ids for any initData type EME reports; empty when none can be read. */
export function keyIdsFromInitData(initDataType: string, initData: ArrayBuffer | ArrayBufferView): string[] {
  if (initDataType === 'cenc') return keyIdsFromPssh(initData);
  if (initDataType === 'keyids') return keyIdsFromKeyIdsJson(initData);
  if (initDataType === 'sinf') return keyIdsFromSinf(initData);
  // WebM: the initData is the track's key id (ContentEncKeyID), 16 bytes for common encryption.
  if (initDataType === 'webm') return toBytes(initData).length === 16 ? [bytesToHex(toBytes(initData))] : [];
  return [];
}
