// A token service or token endpoint answer that succeeded: the rights URL from a
// text/uri-list (RFC 2483) from ExpressPlay, or from the JSON our back-end contract
// allows. An error answer (any status outside 2xx, or a 2xx JSON body with only an
// error code) is left to error-answer.ts.

import { field, jsonErrorCode, mediaType, tryJson } from './answer-json.js';
import { ClientCode } from './catalog.js';
import { ExpressPlayError } from './errors.js';
import { TOKEN_NAME } from './param-names.js';
import type { TokenResponseInput, TokenResult } from './response.js';

/** The token parameter of a URL, under any spelling a form decoder reads as `ExpressPlayToken`. */
const TOKEN_PARAM_RE = new RegExp(`[?&]${TOKEN_NAME}=([^&#]*)`, 'i');
const SCHEME_RE = /^https?:\/\//i;
const WHITESPACE_RE = /\s/;

/**
 * An absolute http(s) URL with a host and no whitespace: the scheme, a first host
 * character that is not `/`, `?` or `#`, and no whitespace anywhere. Three bounded
 * checks instead of one pattern whose overlapping quantifiers backtracked
 * quadratically on a long URL with a space in it.
 */
function isHttpUrl(text: string): boolean {
  const scheme = SCHEME_RE.exec(text);
  if (!scheme) return false;
  const first = text.charAt(scheme[0].length);
  return first !== '' && !'/?#'.includes(first) && !WHITESPACE_RE.test(text);
}

/** RFC 2483: lines separated by CRLF (LF tolerated), '#' lines are comments. */
export function parseUriList(text: string): string[] {
  return text
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The `ExpressPlayToken` query value of a rights URL (the name in any case or percent-encoding), decoded; undefined if absent. */
export function tokenFromRightsUrl(url: string): string | undefined {
  const m = TOKEN_PARAM_RE.exec(url);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!.replace(/\+/g, ' '));
  } catch {
    return m[1];
  }
}

function malformed(input: TokenResponseInput, details: string): ExpressPlayError {
  return new ExpressPlayError(ClientCode.MALFORMED_RESPONSE, { httpStatus: input.status, details, drm: input.drm });
}

function checkedUrl(input: TokenResponseInput, url: unknown): string {
  if (typeof url !== 'string' || !isHttpUrl(url.trim())) throw malformed(input, 'no http(s) rights URL in the answer');
  return url.trim();
}

/**
 * The rights URL of a successful answer (`input` as `parseTokenResponse` checks it), or
 * `undefined` for an error answer (for `errorFromAnswer`). Throws -9004 for a 2xx answer
 * with no usable rights URL.
 */
export function tokenFromAnswer(input: TokenResponseInput): TokenResult | undefined {
  if (input.status < 200 || input.status > 299) return undefined;
  const type = mediaType(input.contentType);
  const json = type === 'application/json' || type === '' || type.endsWith('+json') ? tryJson(input.body) : undefined;
  if (json !== undefined) {
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw malformed(input, 'JSON answer is not an object');
    const obj = json as Record<string, unknown>;
    const url = field(obj, ['rightsUrl', 'licenseAcquisitionUrl', 'url', 'licenseUrl']);
    if (url === undefined && jsonErrorCode(obj).code !== undefined) {
      // An error answer with its real status (2xx), not a made-up 502: a 5xx would mark
      // every such error retryable, even -2018 (bad authenticator).
      return undefined;
    }
    const rightsUrl = checkedUrl(input, url);
    const result: TokenResult = { rightsUrl };
    const token = obj['token'];
    if (typeof token === 'string' && token !== '') result.token = token;
    else {
      const t = tokenFromRightsUrl(rightsUrl);
      if (t !== undefined) result.token = t;
    }
    const expires = obj['expiresAt'];
    if (typeof expires === 'string' || typeof expires === 'number') {
      const d = new Date(expires);
      if (!Number.isNaN(d.getTime())) result.expiresAt = d;
    }
    return result;
  }
  if (type !== '' && type !== 'text/uri-list' && type !== 'text/plain')
    throw malformed(input, `unexpected content type ${type}`);
  const first = parseUriList(input.body)[0];
  const rightsUrl = checkedUrl(input, first);
  const token = tokenFromRightsUrl(rightsUrl);
  return token === undefined ? { rightsUrl } : { rightsUrl, token };
}
