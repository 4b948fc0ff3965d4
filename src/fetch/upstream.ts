// The one call to ExpressPlay's token service: timeout and abort, no redirects
// followed, a bounded retry only where no token can have been issued, the
// answer read up to a cap, and an answer that carries the authenticator in any
// form refused whole.

import { ClientCode, ExpressPlayError, type Drm } from '../core/index.js';
import { declaredLength, readCapped } from './body.js';
import { containsSecret } from './secret.js';

/** What the token service answered, read and checked. */
export interface UpstreamAnswer {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  body: string;
}

/** How the token service is called. */
export interface UpstreamCall {
  fetch: typeof fetch;
  authenticator: string;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Extra attempts after a connection that failed before any answer (refused, reset). */
  retries: number;
  /** The DRM the browser asked for (carried by the errors). */
  drm: Drm;
  /** Aborts when the browser goes away. */
  clientGone: AbortSignal;
}

/** Error codes meaning the connection failed before the service answered anything: no token was issued. */
const NOT_ANSWERED = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** The code of the error or of one of its causes (Node's fetch wraps the socket error). */
function connectionFailed(err: unknown): boolean {
  for (
    let e: unknown = err, depth = 0;
    typeof e === 'object' && e !== null && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_ANSWERED.has(code)) return true;
  }
  return false;
}

/**
 * The error for a request this side stopped (the timeout fired, or the browser went
 * away), else undefined: the fetch or read error itself says only "aborted".
 */
function stoppedBy(call: UpstreamCall, timeout: AbortSignal): ExpressPlayError | undefined {
  if (timeout.aborted)
    return new ExpressPlayError(ClientCode.TIMEOUT, {
      details: `token service did not answer within ${call.timeoutMs} ms`,
      httpStatus: 504,
      drm: call.drm,
    });
  if (call.clientGone.aborted)
    return new ExpressPlayError(ClientCode.ABORTED, {
      details: 'the browser went away',
      httpStatus: 499,
      drm: call.drm,
    });
  return undefined;
}

/**
 * A signal that aborts with whichever of `a` and `b` aborts first. `AbortSignal.any`
 * where the runtime has it; composed here on Node 20.0–20.2 (engines admit them), which lack it.
 */
function eitherSignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([a, b]);
  const either = new AbortController();
  for (const s of [a, b]) {
    if (s.aborted) {
      either.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => either.abort(s.reason), { once: true, signal: either.signal });
  }
  return either.signal;
}

async function send(url: string, init: RequestInit, call: UpstreamCall, timeout: AbortSignal): Promise<Response> {
  const signal = eitherSignal(timeout, call.clientGone);
  for (let attempt = 0; ; attempt++) {
    try {
      // 'manual', not 'error': workerd's fetch does not implement 'error'. A 3xx is refused below.
      return await call.fetch(url, { ...init, signal, redirect: 'manual' });
    } catch (err) {
      const stopped = stoppedBy(call, timeout);
      if (stopped) throw stopped;
      if (attempt < call.retries && connectionFailed(err)) continue;
      throw new ExpressPlayError(ClientCode.NETWORK, {
        details: 'token service unreachable',
        httpStatus: 502,
        drm: call.drm,
        cause: err,
      });
    }
  }
}

async function readAnswer(response: Response, call: UpstreamCall, timeout: AbortSignal): Promise<string> {
  const tooLarge = () =>
    new ExpressPlayError(ClientCode.RESPONSE_TOO_LARGE, {
      details: `the token service answered more than ${call.maxResponseBytes} bytes`,
      httpStatus: 502,
      drm: call.drm,
    });
  if ((declaredLength(response.headers) ?? 0) > call.maxResponseBytes) {
    response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  try {
    return new TextDecoder().decode(await readCapped(response.body, { limit: call.maxResponseBytes, tooLarge }));
  } catch (err) {
    if (err instanceof ExpressPlayError) throw err;
    throw (
      stoppedBy(call, timeout) ??
      new ExpressPlayError(ClientCode.NETWORK, {
        details: 'token service connection lost while answering',
        httpStatus: 502,
        drm: call.drm,
        cause: err,
      })
    );
  }
}

/** The refusal when the authenticator is anywhere in the answer: the status only, no text of the answer. */
function echoed(status: number, where: string, drm: Drm): ExpressPlayError {
  return new ExpressPlayError(ClientCode.AUTHENTICATOR_ECHOED, {
    details: `the answer (HTTP ${status}) carried it in its ${where}`,
    httpStatus: 502,
    drm,
  });
}

/**
 * Sends the token request and reads the answer. Retries (at most `retries` times) only
 * when the connection failed before the service answered (refused, reset): never after
 * a timeout, since a request that was sent may have spent a token.
 */
export async function callTokenService(
  request: { url: string; method: string; headers: Record<string, string>; body?: string },
  call: UpstreamCall,
): Promise<UpstreamAnswer> {
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const response = await send(
    request.url,
    { method: request.method, headers: request.headers, body: request.body },
    call,
    timeout,
  );
  for (const [name, value] of response.headers) {
    if (containsSecret(value, call.authenticator)) {
      response.body?.cancel().catch(() => undefined);
      throw echoed(response.status, `${name} header`, call.drm);
    }
  }
  if (response.status >= 300 && response.status <= 399) {
    response.body?.cancel().catch(() => undefined);
    throw new ExpressPlayError(ClientCode.HTTP, {
      details: `the token service answered a redirect (HTTP ${response.status}), which is not followed`,
      httpStatus: 502,
      drm: call.drm,
    });
  }
  const body = await readAnswer(response, call, timeout);
  if (containsSecret(body, call.authenticator)) throw echoed(response.status, 'body', call.drm);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    retryAfter: response.headers.get('retry-after'),
    body,
  };
}
