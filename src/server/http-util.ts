// Small node:http helpers shared by the emulator and the reference token
// endpoint: bounded body reading, CORS, and the two error body formats.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClientCode, ExpressPlayError } from '../core/index.js';
import { plainMessage, statusOf } from '../fetch/errors.js';
import { errorPage } from './html.js';

export type ErrorFormat = 'html' | 'json';

/** Reads the whole body, up to `limit` bytes; beyond that throws -9025 (413). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    // Past the limit we keep draining (so the client can still read our 413 instead of
    // a reset while it is writing), but only up to a hard cap, then cut the connection.
    const hardCap = Math.max(limit * 16, 16 * 1024 * 1024);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (size > hardCap) {
        req.destroy();
        return;
      }
      if (!tooLarge) chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (tooLarge)
        reject(
          new ExpressPlayError(ClientCode.BODY_TOO_LARGE, { details: `more than ${limit} bytes`, httpStatus: 413 }),
        );
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
    req.on('aborted', () => reject(new ExpressPlayError(ClientCode.MALFORMED_REQUEST, { details: 'request aborted' })));
  });
}

export { plainMessage, statusOf, toExpressPlayError } from '../fetch/errors.js';

export function sendError(
  res: ServerResponse,
  err: ExpressPlayError,
  format: ErrorFormat,
  extraHeaders: Record<string, string> = {},
): void {
  const status = statusOf(err);
  const message = plainMessage(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body =
    format === 'json'
      ? JSON.stringify({ errorCode: err.code, errorMessage: message })
      : errorPage(status, err.code, message);
  res.writeHead(status, {
    ...extraHeaders,
    'content-type': format === 'json' ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    // Error text may echo request input: never let a browser sniff it into something else.
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

export function sendBody(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  extraHeaders: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...extraHeaders,
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

export interface CorsOptions {
  /** `'*'` allows every origin (the origin is echoed); a list allows exactly those. */
  allowedOrigins?: '*' | readonly string[];
  methods: readonly string[];
  exposeHeaders?: readonly string[];
}

/** CORS headers for this request, or none when the origin is absent or not allowed. */
export function corsHeaders(req: IncomingMessage, options: CorsOptions): Record<string, string> {
  const origin = req.headers.origin;
  const allowed = options.allowedOrigins;
  if (origin === undefined || allowed === undefined) return {};
  if (allowed !== '*' && !allowed.includes(origin)) return { vary: 'Origin' };
  const headers: Record<string, string> = { 'access-control-allow-origin': origin, vary: 'Origin' };
  if (options.exposeHeaders?.length) headers['access-control-expose-headers'] = options.exposeHeaders.join(', ');
  if (req.method === 'OPTIONS') {
    headers['access-control-allow-methods'] = options.methods.join(', ');
    // Echo what the browser asks for (bounded): the endpoints read no credential headers.
    const asked = req.headers['access-control-request-headers'];
    headers['access-control-allow-headers'] =
      typeof asked === 'string' && asked.length < 1000 ? asked : 'content-type, accept';
    headers['access-control-max-age'] = '600';
  }
  return headers;
}

/** Splits a request URL into its path and raw query (no decoding: the core's decodeForm does that). */
export function splitUrl(url: string | undefined): { path: string; query: string } {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q < 0 ? { path: u, query: '' } : { path: u.slice(0, q), query: u.slice(q + 1) };
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}
