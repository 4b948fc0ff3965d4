// Request dispatch: CORS, method checks, faults, and turning every failure into
// a clean error answer (never an unhandled rejection or a crash).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClientCode, ExpressPlayError, redactTokens, type TokenDrm } from '../../core/index.js';
import { hostAllowed, refusedOrigin } from '../request-guard.js';
import {
  corsHeaders,
  readBody,
  sendBody,
  sendError,
  splitUrl,
  statusOf,
  toExpressPlayError,
  type ErrorFormat,
} from '../http-util.js';
import type { FaultRoute } from './faults.js';
import { handleRights } from './rights-route.js';
import type { EmulatorState } from './state.js';
import { emptyStats } from './state.js';
import { handleToken, logTokenReject, requestedFormat } from './token-route.js';

const SEGMENTS: Readonly<Record<string, TokenDrm>> = { wv: 'widevine', fp: 'fairplay', pr: 'playready' };
const EXPOSE = ['retry-after', 'x-expressplay-error-code', 'x-expressplay-license-duration'];

type Route =
  | { kind: 'token'; drm: TokenDrm; methods: readonly string[] }
  | { kind: 'rights'; drm: TokenDrm; methods: readonly string[] }
  | { kind: 'control'; name: 'faults' | 'reset' | 'stats'; methods: readonly string[] };

function match(path: string, control: boolean): Route | undefined {
  const m = /^\/hms\/(wv|fp|pr)\/(token|rights)\/?$/.exec(path);
  if (m) {
    const drm = SEGMENTS[m[1]!]!;
    // A token path ends without a slash in the seeds; tolerate one. Rights URLs carry one.
    return m[2] === 'token'
      ? { kind: 'token', drm, methods: ['GET', 'POST'] }
      : { kind: 'rights', drm, methods: ['POST'] };
  }
  if (!control) return undefined;
  if (path === '/__emulator/faults') return { kind: 'control', name: 'faults', methods: ['GET', 'POST'] };
  if (path === '/__emulator/reset') return { kind: 'control', name: 'reset', methods: ['POST'] };
  if (path === '/__emulator/stats') return { kind: 'control', name: 'stats', methods: ['GET'] };
  return undefined;
}

async function handleControl(
  state: EmulatorState,
  req: IncomingMessage,
  name: 'faults' | 'reset' | 'stats',
): Promise<string> {
  if (name === 'stats') return JSON.stringify({ ...state.stats, faultsInjected: state.faults.injected });
  if (name === 'reset') {
    state.faults.reset();
    Object.assign(state.stats, emptyStats());
    state.firstRedeemed.clear();
    return JSON.stringify({ ok: true });
  }
  if (req.method === 'GET') return JSON.stringify(state.faults.get());
  const text = (await readBody(req, 64 * 1024)).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text === '' ? '{}' : text);
  } catch {
    throw new ExpressPlayError(ClientCode.MALFORMED_REQUEST, { details: 'fault config is not JSON' });
  }
  return JSON.stringify(state.faults.set(json as Record<string, unknown>));
}

/** CORS for a control route: the request's own origin when it may use them, else none. */
function controlCorsOrigins(state: EmulatorState, req: IncomingMessage): readonly string[] {
  const origin = req.headers.origin;
  return origin !== undefined && state.controlOrigin(origin) ? [origin] : [];
}

/** DNS rebinding (every route) and cross-origin pages (control routes): refused before any work. */
function guard(state: EmulatorState, req: IncomingMessage, r: Route | undefined): void {
  if (!hostAllowed(req.headers.host, state.allowedHosts)) {
    throw new ExpressPlayError(ClientCode.HOST_NOT_ALLOWED, {
      details: 'this Host is not one the emulator answers to (see allowedHosts)',
      httpStatus: 403,
    });
  }
  if (r?.kind === 'control' && req.method !== 'OPTIONS') {
    const refused = refusedOrigin(req, state.controlOrigin);
    if (refused !== undefined)
      throw new ExpressPlayError(ClientCode.ORIGIN_NOT_ALLOWED, {
        details: 'the control routes answer pages of controlOrigins only',
        httpStatus: 403,
      });
  }
}

type RejectGroup = 'token' | 'rights' | 'other';

function countReject(state: EmulatorState, group: RejectGroup, code: number): void {
  state.stats.rejects[group] += 1;
  state.stats.rejectsByCode[String(code)] = (state.stats.rejectsByCode[String(code)] ?? 0) + 1;
}

/** One request as the router answers it: what every answer, error answers included, depends on. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly path: string;
  readonly query: string;
  readonly route: Route | undefined;
  /** The route's methods and OPTIONS (every method the emulator knows for an unknown path). */
  readonly methods: readonly string[];
  readonly cors: Record<string, string>;
  readonly group: RejectGroup;
  /** Rights and control errors are JSON (their callers are programs); token errors follow errorFormat. */
  format: ErrorFormat;
}

function exchangeOf(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Exchange {
  const { path, query } = splitUrl(req.url);
  const route = match(path, state.control);
  const methods = route ? [...route.methods, 'OPTIONS'] : ['GET', 'POST', 'OPTIONS'];
  const origins = route?.kind === 'control' ? controlCorsOrigins(state, req) : state.allowedOrigins;
  return {
    req,
    res,
    path,
    query,
    route,
    methods,
    cors: corsHeaders(req, { allowedOrigins: origins, methods, exposeHeaders: EXPOSE }),
    group: route?.kind === 'token' ? 'token' : route?.kind === 'rights' ? 'rights' : 'other',
    format: route === undefined || route.kind === 'token' ? requestedFormat(query) : 'json',
  };
}

/** Counts the reject and answers it, with its code in a header. */
function reject(state: EmulatorState, x: Exchange, err: ExpressPlayError, headers: Record<string, string>): void {
  countReject(state, x.group, err.code);
  sendError(x.res, err, x.format, { ...x.cors, ...headers, 'x-expressplay-error-code': String(err.code) });
}

/**
 * The fault configured for this route, answered (true), or none (false). Its latency
 * timer ends with the connection (client gone, or emulator.close()): a parked request
 * must not keep a timer, and the process, alive for up to 120 s. Also true when the
 * client left while parked (nobody left to answer).
 */
async function answeredByFault(state: EmulatorState, x: Exchange, kind: FaultRoute): Promise<boolean> {
  const gone = new AbortController();
  const onClose = () => gone.abort();
  x.res.once('close', onClose);
  const fault = await state.faults.apply(kind, gone.signal).finally(() => x.res.off('close', onClose));
  if (gone.signal.aborted) return true;
  if (!fault) return false;
  // The request may still be sending its body: drain it so the client reads our answer.
  x.req.resume();
  reject(state, x, fault.error, fault.headers);
  return true;
}

/** A token or rights request: its fault if one is configured, else the route's answer. */
async function serveDrmRoute(state: EmulatorState, x: Exchange, r: Extract<Route, { drm: TokenDrm }>): Promise<void> {
  if (await answeredByFault(state, x, r.kind)) return;
  if (r.kind === 'token') {
    const answer = await handleToken(state, x.req, r.drm, x.query, (f) => {
      x.format = f;
    });
    sendBody(x.res, answer.status, answer.contentType, answer.body, x.cors);
    return;
  }
  const answer = await handleRights(state, x.req, r.drm, x.query);
  state.log({
    event: 'license.served',
    drm: r.drm,
    tokenId: answer.payload.id,
    cookie: answer.payload.cookie,
    contentId: answer.payload.contentId,
    status: 200,
  });
  sendBody(x.res, answer.status, answer.contentType, answer.body, { ...x.cors, ...answer.headers });
}

/** Anything thrown while answering: counted, logged for the DRM routes, answered as a clean error. */
function answerFailure(state: EmulatorState, x: Exchange, thrown: unknown): void {
  const err = toExpressPlayError(thrown);
  countReject(state, x.group, err.code);
  const status = statusOf(err);
  const r = x.route;
  if (r?.kind === 'token') logTokenReject(state, r.drm, err, status);
  if (r?.kind === 'rights')
    state.log({
      event: 'license.rejected',
      drm: r.drm,
      status,
      code: err.code,
      message: redactTokens(err.message),
    });
  // Drain whatever body is left so the client reads the answer rather than a reset.
  if (!x.req.complete) x.req.resume();
  if (!x.res.headersSent && !x.res.destroyed)
    sendError(x.res, err, x.format, { ...x.cors, 'x-expressplay-error-code': String(err.code) });
}

async function answer(state: EmulatorState, x: Exchange): Promise<void> {
  const { req, res, route: r, methods, cors } = x;
  guard(state, req, r);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...cors, allow: methods.join(', '), 'content-length': '0' });
    res.end();
    return;
  }
  if (!r)
    throw new ExpressPlayError(ClientCode.NOT_FOUND, {
      details: `no route ${redactTokens(x.path).slice(0, 200)}`,
      httpStatus: 404,
    });
  if (!r.methods.includes(req.method ?? '')) {
    const err = new ExpressPlayError(ClientCode.METHOD_NOT_ALLOWED, {
      details: `${req.method} (allowed: ${methods.join(', ')})`,
      httpStatus: 405,
    });
    reject(state, x, err, { allow: methods.join(', ') });
    return;
  }
  if (r.kind === 'control') {
    sendBody(res, 200, 'application/json; charset=utf-8', await handleControl(state, req, r.name), cors);
    return;
  }
  await serveDrmRoute(state, x, r);
}

/** The emulator's request handler: every failure becomes a clean error answer, never a rejection. */
export function createRouter(state: EmulatorState) {
  return async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const x = exchangeOf(state, req, res);
    try {
      await answer(state, x);
    } catch (thrown) {
      answerFailure(state, x, thrown);
    }
  };
}
