import { ClientCode } from './catalog.js';
import { ExpressPlayError } from './errors.js';
import { encodeForm } from './form.js';
import { DRM_PATH, isTokenDrm, type TokenDrm, type TokenParamsByDrm } from './params.js';
import { validateTokenParams } from './rules.js';
import { serializeTokenParams } from './serialize.js';

/**
 * Which token service to ask: ExpressPlay's `test` or `production` service, or a
 * base URL (`http://127.0.0.1:8787`, the emulator) that `/hms/{wv,fp,pr}/token` is appended to.
 */
export type TokenService = 'test' | 'production' | (string & {});

/** Options of {@link buildTokenRequest}. */
export interface BuildTokenRequestOptions {
  /** Default `test`: a production key is never used by accident. */
  service?: TokenService;
  /** GET puts the parameters in the query string; POST (default) in a form body, keeping them out of access logs. */
  method?: 'GET' | 'POST';
  /** Validation time (ms since the epoch) for `expirationTime`; defaults to now. */
  now?: number;
}

/**
 * A token request ready to send with any HTTP client (`fetch`, `node:http`, …).
 * It holds the `customerAuthenticator`: send it from the back end only.
 */
export interface TokenHttpRequest {
  /** The token service URL; with GET it includes the query string. */
  url: string;
  /** The HTTP method. */
  method: 'GET' | 'POST';
  /** `accept` (uri-list preferred, then JSON, then HTML), and `content-type` for POST. */
  headers: Record<string, string>;
  /** The form-encoded parameters (POST only). */
  body?: string;
}

const BASE_URL_RE = /^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/i;

/**
 * The token service URL for a DRM: `https://wv-gen.test.expressplay.com/hms/wv/token` and so on.
 *
 * @param service - `'test'` (default), `'production'`, or an http(s) base URL; a trailing `/` is dropped.
 * @throws {@link ExpressPlayError} -9005 for a DRM the token API does not serve; -9001 for an invalid `service`.
 */
export function tokenServiceUrl(drm: TokenDrm, service: TokenService = 'test'): string {
  // Own properties only: DRM_PATH['toString'] is inherited from Object.prototype, not a DRM (-9005).
  if (!isTokenDrm(drm)) throw new ExpressPlayError(ClientCode.UNSUPPORTED_DRM, { details: String(drm) });
  const seg = DRM_PATH[drm];
  if (service === 'test') return `https://${seg}-gen.test.expressplay.com/hms/${seg}/token`;
  if (service === 'production') return `https://${seg}-gen.service.expressplay.com/hms/${seg}/token`;
  if (typeof service !== 'string' || !BASE_URL_RE.test(service)) {
    throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
      details: `service must be 'test', 'production' or an http(s) base URL, got ${typeof service === 'string' ? JSON.stringify(service) : typeof service}`,
    });
    // (typeof for non-strings: JSON.stringify throws a TypeError on a bigint.)
  }
  return `${service.replace(/\/+$/, '')}/hms/${seg}/token`;
}

/**
 * Builds the HTTP request that asks ExpressPlay for a token. Validates every
 * parameter first and throws an `ExpressPlayError` carrying the seed's code for
 * the first mistake, so a bad request is never sent.
 *
 * Back end only: the parameters include the `customerAuthenticator`. Send the
 * result with any HTTP client and read the answer with `parseTokenResponse`.
 *
 * @param drm - `'widevine'`, `'fairplay'` or `'playready'`.
 * @param params - the typed parameters of that DRM.
 * @param optionsArg - service (default `'test'`), method (default `'POST'`), validation time.
 * @throws {@link ExpressPlayError} -9005 / -9001 for the DRM or service (see
 * {@link tokenServiceUrl}); the errors of {@link serializeTokenParams}; the seed
 * code of the first broken rule (see {@link validateTokenParams}); -9001 for a
 * method other than GET/POST.
 *
 * @example
 * ```ts
 * const req = buildTokenRequest('widevine', {
 *   customerAuthenticator: process.env.EXPRESSPLAY_AUTHENTICATOR!,
 *   kid: '86bf0cec3721064d624f22d25849c816',
 *   contentKey: 'c5a24cdf823112f0f9a9f7b0fe643619',
 *   securityLevel: 1,
 *   hdcpOutputControl: 0,
 *   expirationTime: '+600',
 * }, { service: 'test' });
 * const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
 * const { rightsUrl } = parseTokenResponse({ status: res.status, contentType: res.headers.get('content-type'), body: await res.text(), drm: 'widevine' });
 * ```
 */
export function buildTokenRequest<D extends TokenDrm>(
  drm: D,
  params: TokenParamsByDrm[D],
  optionsArg: BuildTokenRequestOptions = {},
): TokenHttpRequest {
  // `?? {}`: a default parameter does not replace the `null` an untyped caller may pass.
  const options = optionsArg ?? {};
  const url = tokenServiceUrl(drm, options.service ?? 'test');
  const pairs = serializeTokenParams(drm, params);
  validateTokenParams(drm, pairs, { now: options.now });
  const method = options.method ?? 'POST';
  if (method !== 'GET' && method !== 'POST')
    throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
      details: `method must be GET or POST, got ${String(method)}`,
    });
  const form = encodeForm(pairs);
  const accept = 'text/uri-list, application/json;q=0.9, text/html;q=0.5';
  if (method === 'GET') return { url: `${url}?${form}`, method, headers: { accept } };
  return { url, method, headers: { accept, 'content-type': 'application/x-www-form-urlencoded' }, body: form };
}
