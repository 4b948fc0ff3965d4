// Reading a body from the network with a size cap. Whoever answers a request decides
// how much it sends: an answer larger than the cap is refused as a typed error and the
// stream is cancelled, so the rest is never downloaded, buffered or parsed.
// Structural types only (the core has no DOM lib): a WHATWG ReadableStream of bytes,
// as fetch's `Response.body` in browsers, Node, Deno, Bun and workers, fits them.

import { ClientCode } from './catalog.js';
import { ExpressPlayError, type Drm } from './errors.js';

/** The default cap on a body read from the network: 64 KiB. Token answers, error pages, certificates and CKCs are a few KiB. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The part of a `ReadableStreamDefaultReader<Uint8Array>` that {@link readCappedBody} uses. */
export interface ByteStreamReader {
  /** The next chunk, or `done`. */
  read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>;
  /** Stops the stream (the connection is not read further). */
  cancel(reason?: unknown): Promise<void>;
}

/** The part of a `ReadableStream<Uint8Array>` that {@link readCappedBody} uses. */
export interface ByteStream {
  /** A reader locked to the stream. */
  getReader(): ByteStreamReader;
}

/** Options of {@link readCappedBody}. */
export interface CappedReadOptions {
  /** The most bytes accepted (default {@link DEFAULT_MAX_BODY_BYTES}). */
  maxBytes?: number;
  /** The declared `Content-Length`, if any: over the cap is refused before reading a byte. */
  contentLength?: string | null;
  /** The error for a body over the cap; default -9061 (`RESPONSE_TOO_LARGE`). A server reading a request passes -9025 (413). */
  tooLarge?: (maxBytes: number) => ExpressPlayError;
  /** Copied onto the default error. */
  drm?: Drm;
}

function defaultTooLarge(maxBytes: number, drm: Drm | undefined): ExpressPlayError {
  return new ExpressPlayError(ClientCode.RESPONSE_TOO_LARGE, { drm, details: `more than ${maxBytes} bytes` });
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Reads `body` to its end, at most `maxBytes` bytes. A declared `Content-Length`
 * over the cap, or more bytes than the cap arriving, throws (default -9061) after
 * cancelling the stream: nothing past the cap is read. A `null` body is empty.
 *
 * @throws {@link ExpressPlayError} from `tooLarge` (default -9061); whatever the
 * stream's `read()` rejects with (an abort, a network error) is passed on as it is.
 */
export async function readCappedBody(
  body: ByteStream | null | undefined,
  options: CappedReadOptions = {},
): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  const tooLarge = () => (options.tooLarge ? options.tooLarge(maxBytes) : defaultTooLarge(maxBytes, options.drm));
  const declared = options.contentLength == null ? Number.NaN : Number(options.contentLength);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await body
      ?.getReader()
      .cancel()
      .catch(() => undefined);
    throw tooLarge();
  }
  if (body == null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value === undefined || value.length === 0) continue;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return concat(chunks, size);
}
