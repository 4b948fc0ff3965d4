// The token endpoint on Web standards only (Request in, Response out): runs in
// Cloudflare Workers, Deno, Bun, Next.js route handlers, Hono, and in Node
// through the node:http bridge (createTokenHandler). One implementation of the
// browser ↔ back-end contract.

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
} from '../core/index.js';
import { declaredLength, readCapped } from './body.js';
import {
  entryKey,
  MemoryTokenStore,
  readCachedToken,
  writeCachedToken,
  type TokenCacheOptions,
  type TokenStore,
} from './cache.js';
import {
  parseTokenRequestContext,
  type ResolvedTokenParams,
  type TokenEndpointSuccess,
  type TokenRequestContext,
} from './contract.js';
import { plainMessage, statusOf, toExpressPlayError } from './errors.js';
import { checkOrigin, type OriginPolicy } from './origin.js';
import { containsSecret } from './secret.js';
import { callTokenService } from './upstream.js';

/** One entry per request handled, passed to `options.log`. */
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
  /** Whether the token came from the token cache. */
  cached?: boolean;
  /** Time to answer, ms. */
  durationMs: number;
}

/**
 * Options of the token endpoint. `R` is what `resolve` and `cache.key` receive: the
 * Web `Request` for {@link createFetchHandler}, node's `IncomingMessage` for
 * `createTokenHandler`.
 */
export interface TokenEndpointOptions<R> extends OriginPolicy {
  /** The customerAuthenticator. Stays in this process: never in a response or a log. */
  authenticator: string;
  /** ExpressPlay's `test` or `production` service, or a base URL (the emulator). */
  service: TokenService;
  /**
   * Your check and your keys: authenticate the viewer (session cookie, bearer token),
   * check the entitlement, and return the token parameters (keys, policy); or throw an
   * ExpressPlayError (e.g. `new ExpressPlayError(-9023, { httpStatus: 404 })` for unknown content).
   */
  resolve: (request: R, context: TokenRequestContext) => ResolvedTokenParams | Promise<ResolvedTokenParams>;
  /** Timeout of `resolve` and, apart, of the call to the token service, ms (default 10 000). */
  timeoutMs?: number;
  /** Time allowed to receive the browser's request body, ms (default 5 000; then 408). */
  bodyTimeoutMs?: number;
  /** The token service's answer is read up to this many bytes (default 65 536; beyond: 502 -9061). */
  maxResponseBytes?: number;
  /** Extra attempts when the connection to the token service fails before any answer (default 1, at most 3). */
  retries?: number;
  /** How the token service is called (default POST: parameters stay out of access logs). */
  method?: 'GET' | 'POST';
  /** Optional token cache: one token per viewer and content until its expiry (minus a margin). */
  cache?: TokenCacheOptions<R>;
  /** fetch to use (default the runtime's global fetch, which pools connections). */
  fetch?: typeof fetch;
  /** Called once per request (a throwing logger is ignored). */
  log?: (entry: TokenHandlerLogEntry) => void;
  /** Clock (ms since the epoch), for tests; also the validation time of `expirationTime`. */
  now?: () => number;
}

/** Options of {@link createFetchHandler}: `resolve` receives the Web `Request`. */
export type FetchHandlerOptions = TokenEndpointOptions<Request>;

const METHODS = ['GET', 'POST', 'OPTIONS'] as const;
const EXPOSE = ['retry-after'];
const MAX_REQUEST_BODY = 16 * 1024;
const BASE_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

interface Settings<R> {
  options: TokenEndpointOptions<R>;
  timeoutMs: number;
  store: TokenStore | undefined;
}

function answerType(request: Request): 'json' | 'uri-list' {
  const accept = (request.headers.get('accept') ?? '').toLowerCase();
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

/** `resolve` is the app's code: bounded by the timeout, so a stuck lookup answers 504 -9011. */
async function withinTimeout<T>(work: () => T | Promise<T>, timeoutMs: number, ctx: TokenRequestContext): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ExpressPlayError(ClientCode.TIMEOUT, {
            details: `resolve() did not answer within ${timeoutMs} ms`,
            httpStatus: 504,
            drm: ctx.drm,
          }),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function readContext(request: Request, bodyTimeoutMs: number): Promise<TokenRequestContext> {
  const url = new URL(request.url);
  const query = url.search.startsWith('?') ? url.search.slice(1) : url.search;
  if (request.method !== 'POST') return parseTokenRequestContext(query);
  const tooLarge = () =>
    new ExpressPlayError(ClientCode.BODY_TOO_LARGE, {
      details: `more than ${MAX_REQUEST_BODY} bytes`,
      httpStatus: 413,
    });
  if ((declaredLength(request.headers) ?? 0) > MAX_REQUEST_BODY) throw tooLarge();
  const timedOut = () =>
    new ExpressPlayError(ClientCode.TIMEOUT, {
      details: `the request body did not arrive within ${bodyTimeoutMs} ms`,
      httpStatus: 408,
    });
  const bytes = await readCapped(request.body, {
    limit: MAX_REQUEST_BODY,
    tooLarge,
    timeoutMs: bodyTimeoutMs,
    timedOut,
  });
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return parseTokenRequestContext(query, { type, text: new TextDecoder().decode(bytes) });
}

/** Multi-key content: never a token for a key the browser did not ask for. */
function checkKid(ctx: TokenRequestContext, resolved: ResolvedTokenParams): void {
  const kid = resolved.kid;
  if (ctx.kids === undefined || ctx.kids.length === 0 || typeof kid !== 'string' || kid.startsWith('^')) return;
  if (!ctx.kids.includes(kid.replace(/-/g, '').toLowerCase())) {
    throw new ExpressPlayError(ClientCode.KID_NOT_REQUESTED, {
      details: `resolve() returned kid ${kid.slice(0, 40)}; the browser asked for ${ctx.kids.join(', ')}`,
      httpStatus: 403,
      drm: ctx.drm,
    });
  }
}

async function mintToken<R>(
  s: Settings<R>,
  drm: TokenDrm,
  params: TokenParamsByDrm[TokenDrm],
  ctx: TokenRequestContext,
  clientGone: AbortSignal,
): Promise<{ rightsUrl: string; expiresAt: number }> {
  const at = (s.options.now ?? Date.now)();
  // The core computes the expiry the service will apply (expirationTime, or the 30-day default).
  const { expiresAt } = validateTokenParams(drm, serializeTokenParams(drm, params), { now: at });
  const request = buildTokenRequest(drm, params, {
    service: s.options.service,
    method: s.options.method ?? 'POST',
    now: at,
  });
  const answer = await callTokenService(request, {
    fetch: s.options.fetch ?? ((input, init) => fetch(input, init)),
    authenticator: s.options.authenticator,
    timeoutMs: s.timeoutMs,
    maxResponseBytes: s.options.maxResponseBytes ?? 64 * 1024,
    retries: Math.min(Math.max(s.options.retries ?? 1, 0), 3),
    drm: ctx.drm,
    clientGone,
  });
  const result = parseTokenResponse({
    status: answer.status,
    contentType: answer.contentType,
    body: answer.body,
    drm: ctx.drm,
    retryAfter: answer.retryAfter,
  });
  return { rightsUrl: withToken(result.rightsUrl, result.token), expiresAt };
}

/** The token for this request: from the cache when the app keyed it and one is live, else minted (and cached). */
async function tokenFor<R>(
  s: Settings<R>,
  app: R,
  ctx: TokenRequestContext,
  resolved: ResolvedTokenParams,
  clientGone: AbortSignal,
): Promise<{ rightsUrl: string; expiresAt: number; cached: boolean }> {
  const drm: TokenDrm = ctx.drm === 'clearkey' ? 'widevine' : ctx.drm;
  const withDefaults = { ...resolved, errorFormat: resolved.errorFormat ?? 'json' };
  const params = { ...withDefaults, customerAuthenticator: s.options.authenticator } as TokenParamsByDrm[TokenDrm];
  const cache = s.options.cache;
  const appKey = cache && s.store ? await cache.key(app, ctx) : undefined;
  if (cache === undefined || s.store === undefined || typeof appKey !== 'string')
    return { ...(await mintToken(s, drm, params, ctx, clientGone)), cached: false };
  const margin = cache.marginMs ?? 60_000;
  const now = s.options.now ?? Date.now;
  const key = await entryKey(appKey, drm, withDefaults);
  const hit = await readCachedToken(s.store, key, now(), margin);
  if (hit !== undefined) return { ...hit, cached: true };
  const minted = await mintToken(s, drm, params, ctx, clientGone);
  await writeCachedToken(s.store, key, minted, now(), margin);
  return { ...minted, cached: false };
}

function reply(status: number, type: string, body: string, headers: Record<string, string>): Response {
  return new Response(body, { status, headers: { ...headers, ...BASE_HEADERS, 'content-type': type } });
}

async function handle<R>(
  s: Settings<R>,
  request: Request,
  app: R,
  cors: Record<string, string>,
  seen: { ctx?: TokenRequestContext; cached?: boolean },
): Promise<Response> {
  if (request.method === 'OPTIONS')
    return new Response(null, { status: 204, headers: { ...cors, allow: METHODS.join(', ') } });
  if (request.method !== 'GET' && request.method !== 'POST')
    throw new ExpressPlayError(ClientCode.METHOD_NOT_ALLOWED, {
      details: request.method.slice(0, 20),
      httpStatus: 405,
    });
  const ctx = await readContext(request, s.options.bodyTimeoutMs ?? 5_000);
  seen.ctx = ctx;
  const resolved = await withinTimeout(() => s.options.resolve(app, ctx), s.timeoutMs, ctx);
  // A browser that went away (player disposed, source changed) must not cost a token after all.
  if (request.signal.aborted)
    throw new ExpressPlayError(ClientCode.ABORTED, { details: 'the browser went away', httpStatus: 499, drm: ctx.drm });
  if (typeof resolved !== 'object' || resolved === null)
    throw new ExpressPlayError(ClientCode.SERVER, { details: 'resolve returned no token parameters', httpStatus: 500 });
  checkKid(ctx, resolved);
  const token = await tokenFor(s, app, ctx, resolved, request.signal);
  seen.cached = token.cached;
  if (answerType(request) === 'uri-list') return reply(200, 'text/uri-list; charset=utf-8', token.rightsUrl, cors);
  const answer: TokenEndpointSuccess = {
    rightsUrl: token.rightsUrl,
    expiresAt: new Date(token.expiresAt).toISOString(),
  };
  return reply(200, 'application/json; charset=utf-8', JSON.stringify(answer), cors);
}

/** The error answer: the code and the catalog text, never the authenticator. */
function errorResponse(err: ExpressPlayError, status: number, cors: Record<string, string>): Response {
  const headers: Record<string, string> = { ...cors };
  if (status === 405) headers['allow'] = METHODS.join(', ');
  if (err.retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(err.retryAfterMs / 1000));
  return reply(
    status,
    'application/json; charset=utf-8',
    JSON.stringify({ errorCode: err.code, errorMessage: plainMessage(err) }),
    headers,
  );
}

/**
 * The endpoint with `R` as what `resolve` receives: the Web handler passes the
 * `Request` itself, the node:http bridge its `IncomingMessage`.
 *
 * @internal
 */
export function createTokenEndpoint<R>(
  options: TokenEndpointOptions<R>,
  name: string,
): (request: Request, app: R) => Promise<Response> {
  const { authenticator, resolve } = options;
  if (typeof authenticator !== 'string' || authenticator === '')
    throw new TypeError(`${name}: authenticator is required`);
  if (typeof resolve !== 'function') throw new TypeError(`${name}: resolve is required`);
  if (options.allowedOrigins === '*' && options.allowCredentials)
    throw new TypeError(`${name}: allowCredentials needs a list of allowedOrigins, not '*'`);
  const s: Settings<R> = {
    options,
    timeoutMs: options.timeoutMs ?? 10_000,
    store: options.cache ? (options.cache.store ?? new MemoryTokenStore()) : undefined,
  };
  const now = options.now ?? Date.now;
  // Belt and braces for texts we write ourselves (an app error's details): no form of the authenticator.
  const scrub = (text: string) =>
    containsSecret(text, authenticator) ? '[withheld: it contained the authenticator]' : redactTokens(text);

  return async (request, app) => {
    const started = now();
    const seen: { ctx?: TokenRequestContext; cached?: boolean } = {};
    const log = (entry: Omit<TokenHandlerLogEntry, 'time' | 'durationMs'>) => {
      try {
        options.log?.({ time: new Date(started).toISOString(), durationMs: now() - started, ...entry });
      } catch {
        // Logging must never fail a request.
      }
    };
    const verdict = checkOrigin(request, options, METHODS, EXPOSE);
    try {
      // Before the body, resolve() or the token service: a refused origin costs nothing.
      if (!verdict.allowed)
        throw new ExpressPlayError(ClientCode.ORIGIN_NOT_ALLOWED, { details: verdict.reason, httpStatus: 403 });
      const response = await handle(s, request, app, verdict.cors, seen);
      log({
        drm: seen.ctx?.drm,
        contentId: seen.ctx?.contentId,
        status: response.status,
        ...(seen.cached === undefined ? {} : { cached: seen.cached }),
      });
      return response;
    } catch (thrown) {
      const err = toExpressPlayError(thrown);
      const status = statusOf(err);
      const safe = new ExpressPlayError(err.code, {
        httpStatus: status,
        details: err.details === undefined ? undefined : scrub(err.details),
        retryAfterMs: err.retryAfterMs,
      });
      log({
        drm: seen.ctx?.drm,
        contentId: seen.ctx?.contentId,
        status,
        code: err.code,
        message: scrub(plainMessage(safe)),
      });
      return errorResponse(safe, status, verdict.allowed ? verdict.cors : {});
    }
  };
}

/**
 * The reference token endpoint on Web standards: `(request: Request) => Promise<Response>`,
 * for Cloudflare Workers, Deno, Bun, Next.js route handlers, Hono, or any server that
 * speaks `Request`/`Response` (Node: `createTokenHandler` from `expressplay-eme/server`
 * bridges it to `node:http`). Only Web APIs: fetch, URL, streams, Web Crypto.
 *
 * Per request: the origin check (same-origin by default, `allowedOrigins` for others;
 * a refused one answers 403 -9062 before anything else runs), the browser's
 * {@link TokenRequestContext} (GET query, or POST form / JSON body, capped at 16 KiB and
 * `bodyTimeoutMs`), your `resolve` (your session and entitlement check, bounded by
 * `timeoutMs`), the key-id check (-9063), then the token service (timeout, no redirects,
 * answer capped at `maxResponseBytes`, refused whole with 502 -9060 if it carries the
 * authenticator in any encoding), answering `200` JSON `{ rightsUrl, expiresAt }` — or
 * `text/uri-list` when `Accept` names it first. Failures answer the HTTP status and
 * `{ errorCode, errorMessage }` (see the README's error table).
 *
 * @throws TypeError at creation without `authenticator` or `resolve`, or with
 *   `allowCredentials` and `allowedOrigins: '*'`.
 *
 * @example
 * ```ts
 * const handler = createFetchHandler({
 *   authenticator: env.EXPRESSPLAY_AUTHENTICATOR,
 *   service: 'test',
 *   async resolve(request, { drm, contentId }) {
 *     const key = await lookUpKey(contentId);
 *     if (!key) throw new ExpressPlayError(-9023, { httpStatus: 404 });
 *     if (drm === 'fairplay') return { contentKey: key.key, iv: key.iv, expirationTime: '+600' };
 *     return { kid: key.kid, contentKey: key.key, securityLevel: 1, hdcpOutputControl: 0, expirationTime: '+600' };
 *   },
 * });
 * const response = await handler(request);
 * ```
 */
export function createFetchHandler(options: FetchHandlerOptions): (request: Request) => Promise<Response> {
  const endpoint = createTokenEndpoint<Request>(options, 'createFetchHandler');
  return (request) => endpoint(request, request);
}
