// The reference token endpoint: the customer's back end, which keeps the
// customerAuthenticator and asks ExpressPlay for tokens on the browser's behalf.
// A plain node:http handler, so it mounts in Express/Fastify/Koa as it is.

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ClientCode,
  ExpressPlayError,
  buildTokenRequest,
  parseTokenResponse,
  redactTokens,
  serializeTokenParams,
  validateTokenParams,
  type TokenDrm,
  type TokenParamsByDrm,
  type TokenService,
} from '../../core/index.js';
import { corsHeaders, plainMessage, sendBody, sendError, statusOf, toExpressPlayError } from '../http-util.js';
import { readTokenRequestContext, type ResolvedTokenParams, type TokenEndpointSuccess, type TokenRequestContext } from './contract.js';

/** One entry per request handled by {@link createTokenHandler}, passed to `options.log`. */
export interface TokenHandlerLogEntry {
  /** When the request arrived (ISO 8601). */
  time: string;
  /** The DRM the browser asked for, when the request was read. */
  drm?: string;
  /** The content id the browser asked for, when the request was read. */
  contentId?: string;
  /** The HTTP status answered. */
  status: number;
  /** The error code answered, on failure. */
  code?: number;
  /** Tokens redacted; the authenticator never appears. */
  message?: string;
  /** Time to answer, ms. */
  durationMs: number;
}

/** Options of {@link createTokenHandler}. */
export interface TokenHandlerOptions {
  /** The customerAuthenticator. Stays in this process: never in a response or a log. */
  authenticator: string;
  /** ExpressPlay's `test` or `production` service, or a base URL (the emulator). */
  service: TokenService;
  /**
   * The token parameters for this viewer and this content (keys, policy), or throw
   * an ExpressPlayError (e.g. `new ExpressPlayError(-9023, { httpStatus: 404 })` for unknown content).
   */
  resolve: (req: IncomingMessage, context: TokenRequestContext) => ResolvedTokenParams | Promise<ResolvedTokenParams>;
  /** Timeout of the call to the token service, ms (default 10 000). */
  timeoutMs?: number;
  /** How the token service is called (default POST: parameters stay out of access logs). */
  method?: 'GET' | 'POST';
  /** CORS: origins allowed to call this endpoint from a browser; none by default (same origin). */
  allowedOrigins?: '*' | readonly string[];
  /** fetch to use (default global fetch). */
  fetch?: typeof fetch;
  /** Called once per request (a throwing logger is ignored). */
  log?: (entry: TokenHandlerLogEntry) => void;
  /** Clock (ms since the epoch), for tests; also the validation time of `expirationTime`. */
  now?: () => number;
}

function pickAnswerType(req: IncomingMessage): 'json' | 'uri-list' {
  const accept = (req.headers.accept ?? '').toLowerCase();
  const u = accept.indexOf('text/uri-list');
  const j = accept.indexOf('application/json');
  // Whichever the client names first; JSON when it names neither.
  return u >= 0 && (j < 0 || u < j) ? 'uri-list' : 'json';
}

/** PlayReady answers the URL and the token apart; the browser contract wants one rights URL. */
function withToken(rightsUrl: string, token: string | undefined): string {
  if (token === undefined || /[?&]ExpressPlayToken=/.test(rightsUrl)) return rightsUrl;
  return `${rightsUrl}${rightsUrl.includes('?') ? '&' : '?'}ExpressPlayToken=${encodeURIComponent(token)}`;
}

/**
 * `resolve` is the app's code (a database, an entitlement service): bounded by
 * the same timeout as the token service call, so a stuck lookup answers 504
 * -9011 instead of holding the browser's request open.
 */
async function withinTimeout<T>(work: Promise<T>, timeoutMs: number, drm: TokenRequestContext['drm']): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ExpressPlayError(ClientCode.TIMEOUT, { details: `resolve() did not answer within ${timeoutMs} ms`, httpStatus: 504, drm })), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The reference token endpoint, as a plain `node:http` handler (mounts in
 * Express, Fastify, Koa as it is). Per request it reads the browser's
 * {@link TokenRequestContext} (GET query, or POST form / JSON), calls your
 * `resolve` for the token parameters (after your own authentication and
 * entitlement checks), adds the authenticator, asks ExpressPlay's token service
 * and answers `200` JSON `{ rightsUrl, expiresAt }` — or `text/uri-list` when the
 * `Accept` header names it before JSON. `drm=clearkey` is served through the
 * Widevine token path (the emulator's development stand-in). `errorFormat`
 * defaults to `json` so ExpressPlay's error codes can be relayed.
 *
 * Failures answer the HTTP status and `{ errorCode, errorMessage }`: the seed
 * code from ExpressPlay, or the error `resolve` threw, or -9001/-9002/-9003/-9005
 * (400) for a malformed request, -9024 (405) for another method, -9011 (504)
 * when the service does not answer within `timeoutMs`, -9010 (502) when it is
 * unreachable. Anything that is not an `ExpressPlayError` becomes a 500 without
 * internals. The authenticator is scrubbed from every message and log entry.
 *
 * @throws TypeError at creation without `authenticator` or `resolve`.
 *
 * @example
 * ```ts
 * const handler = createTokenHandler({
 *   authenticator: process.env.EXPRESSPLAY_AUTHENTICATOR ?? '',
 *   service: 'test',
 *   async resolve(req, { drm, contentId, securityLevel }) {
 *     const key = await lookUpKey(contentId);
 *     if (!key) throw new ExpressPlayError(-9023, { httpStatus: 404, details: 'unknown content' });
 *     if (drm === 'fairplay') return { contentKey: key.key, iv: key.iv, expirationTime: '+600' };
 *     return { kid: key.kid, contentKey: key.key, securityLevel: securityLevel ?? 1, hdcpOutputControl: 0, expirationTime: '+600' };
 *   },
 * });
 * createServer((req, res) => (req.url?.startsWith('/api/expressplay-token') ? handler(req, res) : res.writeHead(404).end())).listen(3000);
 * ```
 */
export function createTokenHandler(options: TokenHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { authenticator, service, resolve } = options;
  if (typeof authenticator !== 'string' || authenticator === '') throw new TypeError('createTokenHandler: authenticator is required');
  if (typeof resolve !== 'function') throw new TypeError('createTokenHandler: resolve is required');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const methods = ['GET', 'POST', 'OPTIONS'];
  // Belt and braces: no text we relay may contain the authenticator, even if a service echoed it.
  const scrub = (text: string) => redactTokens(text.split(authenticator).join('[redacted]'));

  async function askService(drm: TokenDrm, params: TokenParamsByDrm[TokenDrm], ctx: TokenRequestContext, clientGone: AbortSignal): Promise<{ rightsUrl: string; expiresAt: number }> {
    const at = now();
    // The core computes the expiry the service will apply (expirationTime, or the 30-day default).
    const { expiresAt } = validateTokenParams(drm, serializeTokenParams(drm, params), { now: at });
    const request = buildTokenRequest(drm, params, { service, method: options.method ?? 'POST', now: at });
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let body: string;
    try {
      response = await doFetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.any([timeout, clientGone]), redirect: 'error' });
      body = await response.text();
    } catch (err) {
      if (timeout.aborted) throw new ExpressPlayError(ClientCode.TIMEOUT, { details: `token service did not answer within ${timeoutMs} ms`, httpStatus: 504, drm: ctx.drm });
      if (clientGone.aborted) throw new ExpressPlayError(ClientCode.ABORTED, { details: 'the browser went away', httpStatus: 499, drm: ctx.drm });
      throw new ExpressPlayError(ClientCode.NETWORK, { details: 'token service unreachable', httpStatus: 502, drm: ctx.drm, cause: err });
    }
    const result = parseTokenResponse({ status: response.status, contentType: response.headers.get('content-type'), body, drm: ctx.drm, retryAfter: response.headers.get('retry-after') });
    return { rightsUrl: withToken(result.rightsUrl, result.token), expiresAt };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): Promise<{ ctx?: TokenRequestContext; status: number }> {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, allow: methods.join(', '), 'content-length': '0' });
      res.end();
      return { status: 204 };
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      throw new ExpressPlayError(ClientCode.METHOD_NOT_ALLOWED, { details: String(req.method), httpStatus: 405 });
    }
    // Listen from the start: a browser that goes away while its body is read or `resolve`
    // runs (player disposed, source changed) must not cost an ExpressPlay token after all.
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    const ctx = await readTokenRequestContext(req);
    const resolved = await withinTimeout(Promise.resolve().then(() => resolve(req, ctx)), timeoutMs, ctx.drm);
    if (gone.signal.aborted) throw new ExpressPlayError(ClientCode.ABORTED, { details: 'the browser went away', httpStatus: 499, drm: ctx.drm });
    if (typeof resolved !== 'object' || resolved === null) throw new ExpressPlayError(ClientCode.SERVER, { details: 'resolve returned no token parameters', httpStatus: 500 });
    const drm: TokenDrm = ctx.drm === 'clearkey' ? 'widevine' : ctx.drm;
    const params = { ...resolved, errorFormat: resolved.errorFormat ?? 'json', customerAuthenticator: authenticator } as TokenParamsByDrm[TokenDrm];
    const { rightsUrl, expiresAt } = await askService(drm, params, ctx, gone.signal);
    if (pickAnswerType(req) === 'uri-list') sendBody(res, 200, 'text/uri-list; charset=utf-8', rightsUrl, cors);
    else {
      const answer: TokenEndpointSuccess = { rightsUrl, expiresAt: new Date(expiresAt).toISOString() };
      sendBody(res, 200, 'application/json; charset=utf-8', JSON.stringify(answer), cors);
    }
    return { ctx, status: 200 };
  }

  return (req, res) => {
    const started = now();
    const cors = corsHeaders(req, { allowedOrigins: options.allowedOrigins, methods, exposeHeaders: ['retry-after'] });
    const log = (entry: Omit<TokenHandlerLogEntry, 'time' | 'durationMs'>) => {
      try {
        options.log?.({ time: new Date(started).toISOString(), durationMs: now() - started, ...entry });
      } catch {
        // Logging must never fail a request.
      }
    };
    handle(req, res, cors)
      .then(({ ctx, status }) => log({ drm: ctx?.drm, contentId: ctx?.contentId, status }))
      .catch((thrown: unknown) => {
        const err = toExpressPlayError(thrown);
        const status = statusOf(err);
        const safe = new ExpressPlayError(err.code, { httpStatus: status, details: err.details === undefined ? undefined : scrub(err.details) });
        log({ status, code: err.code, message: scrub(plainMessage(safe)) });
        const headers: Record<string, string> = { ...cors };
        if (status === 405) headers['allow'] = methods.join(', ');
        if (err.retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(err.retryAfterMs / 1000));
        if (!res.headersSent && !res.destroyed) sendError(res, safe, 'json', headers);
      });
  };
}

export type { TokenRequestContext, TokenEndpointSuccess, TokenEndpointFailure, ResolvedTokenParams } from './contract.js';
export { readTokenRequestContext } from './contract.js';
