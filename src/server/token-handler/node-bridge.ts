// node:http ↔ Web Request/Response, for the token endpoint: the request body
// is handed over as a stream (the Web handler caps it and bounds its time),
// the browser going away aborts the Request's signal, and the Response is
// written back as it is.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Bytes drained after the handler stopped reading, so the client can read our answer; beyond, the connection is cut. */
const DRAIN_CAP = 1024 * 1024;

/** The request body as a Web stream. Cancelling it drains the rest (up to a cap) instead of resetting the socket. */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let cancelled = false;
  let drained = 0;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (cancelled) {
          drained += chunk.length;
          if (drained > DRAIN_CAP) req.destroy();
          return;
        }
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once('end', () => cancelled || controller.close());
      req.once('error', (err) => cancelled || controller.error(err));
      req.once('close', () => cancelled || req.complete || controller.error(new Error('request aborted')));
      req.pause();
    },
    pull() {
      req.resume();
    },
    cancel() {
      cancelled = true;
      req.resume();
    },
  });
}

/** The absolute URL the request was sent to (Host header; `localhost` when it is missing or unusable). */
function requestUrl(req: IncomingMessage): string {
  const scheme = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
  try {
    return new URL(req.url ?? '/', `${scheme}://${req.headers.host ?? 'localhost'}`).href;
  } catch {
    return new URL(req.url?.startsWith('/') ? req.url : '/', `${scheme}://localhost`).href;
  }
}

/** A Web Request for `req`; its signal aborts when the response's connection closes before the end. */
export function toWebRequest(req: IncomingMessage, res: ServerResponse): Request {
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    try {
      headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    } catch {
      // A header the Web API refuses is not one the endpoint reads.
    }
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  // `duplex` is Node's (undici's) extension for a streamed request body.
  const init: RequestInit & { duplex?: 'half' } = {
    method,
    headers,
    signal: gone.signal,
    ...(hasBody ? { body: bodyStream(req), duplex: 'half' } : {}),
  };
  return new Request(requestUrl(req), init);
}

/** Writes the Web Response to `res`. After 408/413 (body not read) the connection is closed. */
export async function writeWebResponse(res: ServerResponse, response: Response): Promise<void> {
  if (res.headersSent || res.destroyed) return;
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  headers['content-length'] = String(body.length);
  if (response.status === 408 || response.status === 413) headers['connection'] = 'close';
  res.writeHead(response.status, headers);
  res.end(body);
}
