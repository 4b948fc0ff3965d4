// One request to the customer's token endpoint: built from the context, retried on
// transient failures, its answer parsed, and the rights URL checked against the
// allowlist before anyone sees it. Also where a customerAuthenticator may go
// (a development opt-in only).

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError } from '../core/errors.js';
import { tokenFromAnswer } from '../core/token-answer.js';
import { assertRightsUrl, isExpressPlayTestHost, isLoopbackHost } from './allowlist.js';
import { errorFromAnswer } from './error-answer-on-demand.js';
import { fetchWithRetry } from './http.js';
import type { RedactingLogger } from './log.js';
import { buildEndpointRequest } from './token-request.js';
import type { RightsInfo, RightsSource, TokenClientOptions, TokenContext } from './types/token-client.js';

const DEFAULT_LIFETIME_MS = 10 * 60_000;

function authenticatorRefused(details: string): ExpressPlayError {
  return new ExpressPlayError(ClientCode.AUTHENTICATOR_IN_BROWSER, {
    details: `${details}. The customerAuthenticator is ExpressPlay's secret API key: anyone who reads it from the page can mint tokens on your account. Keep it on your back end and give the browser a token endpoint instead`,
  });
}

/** Development opt-in only: the authenticator may go to ExpressPlay's test service or to loopback, nowhere else. */
function assertAuthenticatorTarget(url: string): void {
  let host: string;
  try {
    host = new URL(url, globalThis.location?.href).hostname;
  } catch {
    throw authenticatorRefused('the token endpoint is not a URL');
  }
  if (!isExpressPlayTestHost(host) && !isLoopbackHost(host)) {
    throw authenticatorRefused(`${host} is neither ExpressPlay's test service nor localhost`);
  }
}

/** Fetches rights URLs from one client's endpoint, with that client's options. */
export class RightsFetcher {
  readonly #options: TokenClientOptions;
  readonly #log: RedactingLogger;
  readonly #allowed: ReadonlyArray<string | RegExp>;
  readonly #lifetimeMs: number;
  /** Sent besides the context: the customerAuthenticator, where the development opt-in lets it in. */
  readonly #extraFields: Record<string, string> = {};

  /** @throws {@link ExpressPlayError} -9020 for a `customerAuthenticator` the options do not let into the browser. */
  constructor(options: TokenClientOptions, log: RedactingLogger, allowed: ReadonlyArray<string | RegExp>) {
    this.#options = options;
    this.#log = log;
    this.#allowed = allowed;
    this.#lifetimeMs = options.defaultTokenLifetimeMs ?? DEFAULT_LIFETIME_MS;
    if (options.customerAuthenticator !== undefined) {
      if (options.dangerouslyAllowAuthenticatorInBrowser !== true)
        throw authenticatorRefused('customerAuthenticator found in the browser configuration');
      if (typeof options.endpoint === 'string') assertAuthenticatorTarget(options.endpoint);
      this.#extraFields['customerAuthenticator'] = options.customerAuthenticator;
      log.warn(
        'DEVELOPMENT ONLY: customerAuthenticator is in the browser (dangerouslyAllowAuthenticatorInBrowser). Never ship this.',
      );
    }
  }

  /** A rights URL as the client hands it out; without `expiresAt` it lives the default lifetime from now. */
  info(
    context: TokenContext,
    rightsUrl: string,
    source: RightsSource,
    expiresAt: Date | undefined,
    token: string | undefined,
  ): RightsInfo {
    const info: RightsInfo = {
      rightsUrl,
      drm: context.drm,
      contentId: context.contentId,
      ...(context.kids ? { kids: context.kids } : {}),
      source,
      obtainedAt: performance.now(),
      expiresAtMs: expiresAt ? expiresAt.getTime() : Date.now() + this.#lifetimeMs,
    };
    if (token !== undefined) info.token = token;
    if (expiresAt) info.expiresAt = expiresAt;
    return info;
  }

  /** Asks the endpoint for this context's rights URL; rejects with a typed error (the allowlist's among them). */
  async fetch(context: TokenContext, signal: AbortSignal): Promise<RightsInfo> {
    const options = this.#options;
    const req = await buildEndpointRequest(options, context, this.#extraFields);
    if (options.customerAuthenticator !== undefined) assertAuthenticatorTarget(req.url);
    const init: RequestInit = {
      method: req.method,
      headers: req.headers,
      credentials: options.credentials ?? 'same-origin',
      cache: 'no-store',
    };
    if (req.body !== undefined) init.body = req.body;
    const res = await fetchWithRetry(req.url, init, {
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      maxBodyBytes: options.maxBodyBytes,
      signal,
      drm: context.drm,
      retry: options.retry,
      onRetry: ({ attempt, delayMs, error }) =>
        this.#log.info(`token request attempt ${attempt} failed (${error.message}); retrying in ${delayMs} ms`),
    });
    const answer = {
      status: res.status,
      contentType: res.headers.get('content-type'),
      body: res.text(),
      drm: context.drm,
    };
    const result = tokenFromAnswer(answer);
    if (result === undefined) throw await errorFromAnswer(answer);
    // Policy before anything else sees it: a rights URL off the allowlist is never handed out.
    assertRightsUrl(result.rightsUrl, this.#allowed, context.drm);
    return this.info(context, result.rightsUrl, 'endpoint', result.expiresAt, result.token);
  }
}
