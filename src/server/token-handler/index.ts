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

export interface TokenHandlerLogEntry {
  time: string;
  drm?: string;
  contentId?: string;
  status: number;
  code?: number;
  /** Tokens redacted; the authenticator never appears. */
  message?: string;
  durationMs: number;
}

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
  log?: (entry: TokenHandlerLogEntry) => void;
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
    const ctx = await readTokenRequestContext(req);
    const resolved = await resolve(req, ctx);
    if (typeof resolved !== 'object' || resolved === null) throw new ExpressPlayError(ClientCode.SERVER, { details: 'resolve returned no token parameters', httpStatus: 500 });
    const drm: TokenDrm = ctx.drm === 'clearkey' ? 'widevine' : ctx.drm;
    const params = { ...resolved, errorFormat: resolved.errorFormat ?? 'json', customerAuthenticator: authenticator } as TokenParamsByDrm[TokenDrm];
    const gone = new AbortController();
    res.once('close', () => gone.abort());
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
