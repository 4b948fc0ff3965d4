// A size- and time-capped body reader over Web streams: the request body from
// the browser and the token service's answer are never read past their cap,
// nor waited for past their deadline.

import type { ExpressPlayError } from '../core/index.js';

/** How {@link readCapped} bounds a body. */
export interface CappedRead {
  /** Bytes allowed; one more and `tooLarge()` is thrown and the stream cancelled. */
  limit: number;
  /** The error for a body over `limit`. */
  tooLarge: () => ExpressPlayError;
  /** Time allowed for the whole body, ms (none: the caller's signal bounds it). */
  timeoutMs?: number;
  /** The error when `timeoutMs` passes first. */
  timedOut?: () => ExpressPlayError;
}

/** The declared `Content-Length`, when it is a plain number. */
export function declaredLength(headers: Headers): number | undefined {
  const v = headers.get('content-length');
  return v !== null && /^\d{1,15}$/.test(v.trim()) ? Number(v) : undefined;
}

/** Reads the whole stream up to `limit` bytes, or throws (and cancels the stream: nothing more is read). */
export async function readCapped(stream: ReadableStream<Uint8Array> | null, cap: CappedRead): Promise<Uint8Array> {
  if (stream === null) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline =
    cap.timeoutMs === undefined
      ? undefined
      : new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(cap.timedOut?.() ?? new Error('body read timed out')), cap.timeoutMs);
        });
  try {
    for (;;) {
      const { done, value } = await (deadline === undefined ? reader.read() : Promise.race([reader.read(), deadline]));
      if (done) break;
      size += value.byteLength;
      if (size > cap.limit) throw cap.tooLarge();
      chunks.push(value);
    }
  } catch (err) {
    reader.cancel().catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
