// A size- and time-capped body reader over Web streams: the request body from
// the browser and the token service's answer are never read past their cap,
// nor waited for past their deadline.

import type { ExpressPlayError } from '../core/index.js';
import { readCappedBody, type ByteStream } from '../core/capped-read.js';

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

/**
 * Reads the whole stream up to `limit` bytes (the core's {@link readCappedBody}), within
 * `timeoutMs` when given, or throws and cancels the stream: nothing more is read.
 */
export async function readCapped(stream: ReadableStream<Uint8Array> | null, cap: CappedRead): Promise<Uint8Array> {
  if (stream === null) return new Uint8Array(0);
  const reader = stream.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline =
    cap.timeoutMs === undefined
      ? undefined
      : new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(cap.timedOut?.() ?? new Error('body read timed out')), cap.timeoutMs);
        });
  const timed: ByteStream = {
    getReader: () => ({
      read: () => (deadline === undefined ? reader.read() : Promise.race([reader.read(), deadline])),
      cancel: (reason) => reader.cancel(reason),
    }),
  };
  try {
    return await readCappedBody(timed, { maxBytes: cap.limit, tooLarge: () => cap.tooLarge() });
  } catch (err) {
    reader.cancel().catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
