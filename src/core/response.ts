// Token answers: success is a text/uri-list (RFC 2483) from ExpressPlay, or the
// JSON our back-end contract allows; errors are JSON or HTML with a seed code.
// HTML is only ever scanned as text — no DOM is built from server text.

import { catalogEntry, ClientCode } from './catalog.js';
import { ExpressPlayError, errorForHttpStatus, type Drm } from './errors.js';
import { TOKEN_NAME } from './param-names.js';

/** An HTTP answer from the token service or a token endpoint, as plain values (any HTTP client can supply them). */
export interface TokenResponseInput {
  /** The HTTP status. */
  status: number;
  /** The `Content-Type` header, if any. */
  contentType?: string | null;
  /** The body as text. */
  body: string;
  /** The DRM the token was for, carried into errors. */
  drm?: Drm;
  /** The `Retry-After` header, if any (seconds or an HTTP date). */
  retryAfter?: string | null;
  /** For `Retry-After` dates; defaults to now. */
  now?: number;
}

/** A token answer that succeeded. */
export interface TokenResult {
  /** The license acquisition URL, token included. */
  rightsUrl: string;
  /** The `ExpressPlayToken` value, when the URL carries one (or PlayReady's JSON `token`). */
  token?: string;
  /** When the back end told us (JSON `expiresAt`); tokens themselves are opaque. */
  expiresAt?: Date;
}

const MAX_DETAILS = 300;
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

function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function tryJson(body: string): unknown {
  const t = body.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

function field(obj: Record<string, unknown>, names: readonly string[]): unknown {
  for (const n of names) if (obj[n] !== undefined && obj[n] !== null) return obj[n];
  return undefined;
}

function asCode(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

const ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  '#39': "'",
  apos: "'",
  nbsp: ' ',
};
/** Elements whose content is not text: the head (its title repeats the body), scripts, styles. */
const SKIPPED_ELEMENTS = ['head', 'script', 'style'] as const;

/**
 * Finds the next occurrence of a fixed string at or after a position, remembering the
 * last answer: positions only move forward, so each string is searched for once per
 * occurrence and a hostile body of a thousand unclosed tags costs one pass, not a
 * thousand.
 */
function forwardFinder(text: string): (needle: string, from: number) => number {
  const last = new Map<string, number>();
  return (needle, from) => {
    const known = last.get(needle);
    if (known !== undefined && (known === -1 || known >= from)) return known;
    const found = text.indexOf(needle, from);
    last.set(needle, found);
    return found;
  };
}

/** The skipped element starting at `lt` (`<head`, `<script`, `<style` as a whole name), if any. */
function skippedElementAt(lower: string, lt: number): string | undefined {
  for (const name of SKIPPED_ELEMENTS) {
    if (!lower.startsWith(name, lt + 1)) continue;
    const after = lower.charAt(lt + 1 + name.length);
    if (!/[a-z0-9-]/.test(after)) return name;
  }
  return undefined;
}

/**
 * The text of HTML in one forward pass: skipped elements and tags become a space; a
 * `<` with no `>` after it is text. No DOM is built from server text. Entities and
 * whitespace are left to {@link readablePrefix}, which only looks at what is shown.
 */
function htmlToText(html: string): string {
  // ASCII-only lower case keeps every index of `html` valid in `lower` (toLowerCase
  // may lengthen non-ASCII text, e.g. 'İ').
  const lower = html.replace(/[A-Z]+/g, (run) => run.toLowerCase());
  const find = forwardFinder(lower);
  const parts: string[] = [];
  let pos = 0;
  while (pos < html.length) {
    const lt = find('<', pos);
    if (lt === -1) break;
    parts.push(html.slice(pos, lt), ' ');
    const element = skippedElementAt(lower, lt);
    const close = element === undefined ? -1 : find(`</${element}>`, lt);
    const gt = close === -1 ? find('>', lt) : -1;
    if (close === -1 && gt === -1) {
      parts.push(html.slice(lt));
      pos = html.length;
    } else {
      pos = close !== -1 ? close + element!.length + 3 : gt + 1;
    }
  }
  if (pos < html.length) parts.push(html.slice(pos));
  return parts.join('');
}

const WHITESPACE_RUN_RE = /\s+/g;

/**
 * The start of `text` as a message: whitespace collapsed, common entities decoded,
 * trimmed, and no longer than needed for {@link clip}. Only a bounded prefix is
 * rewritten: replacing every whitespace run of a 64 KiB body cost more than parsing it.
 */
function readablePrefix(text: string): string {
  const words: string[] = [];
  let length = 0;
  let pos = 0;
  WHITESPACE_RUN_RE.lastIndex = 0;
  while (length <= MAX_DETAILS * 2) {
    const m = WHITESPACE_RUN_RE.exec(text);
    const end = m ? m.index : text.length;
    if (end > pos) {
      words.push(text.slice(pos, Math.min(end, pos + MAX_DETAILS * 2)));
      length += end - pos + 1;
    }
    if (!m) break;
    pos = m.index + m[0].length;
  }
  return words
    .join(' ')
    .replace(/&(lt|gt|amp|quot|#39|apos|nbsp);/g, (_m, e: string) => ENTITIES[e] ?? ' ')
    .replace(WHITESPACE_RUN_RE, ' ')
    .trim();
}

function clip(text: string): string {
  return text.length > MAX_DETAILS ? `${text.slice(0, MAX_DETAILS)}…` : text;
}

function jsonErrorCode(root: Record<string, unknown>): { code?: number; message?: string } {
  // A loop with a bound, not recursion: a hostile body of 20,000 nested "error" objects
  // parses fine but overflowed the stack (RangeError) when recursed into.
  let obj = root;
  for (let depth = 0; depth < 8; depth++) {
    const nested = obj['error'];
    if (typeof nested !== 'object' || nested === null || Array.isArray(nested)) break;
    obj = nested as Record<string, unknown>;
  }
  const code = asCode(field(obj, ['errorCode', 'code', 'error_code', 'ErrorCode', 'Code']));
  const msg = field(obj, [
    'errorMessage',
    'message',
    'error',
    'description',
    'error_description',
    'ErrorMessage',
    'Message',
  ]);
  return { code, message: typeof msg === 'string' ? msg : undefined };
}

function isOptionalText(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

/**
 * The shape check both parsers share. The status must be an integer: NaN compared false with
 * both bounds of 200…299 and a NaN-status answer was taken for a success.
 */
function checkInput(input: TokenResponseInput, fn: string): void {
  if (
    typeof input !== 'object' ||
    input === null ||
    typeof input.status !== 'number' ||
    !Number.isInteger(input.status) ||
    typeof input.body !== 'string' ||
    !isOptionalText(input.contentType) ||
    !isOptionalText(input.retryAfter)
  ) {
    throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
      details: `${fn} needs { status: integer, body: string, contentType?: string, retryAfter?: string }`,
    });
  }
}

/** Turns an error answer (any status) into the typed error, keeping the HTTP status. */
export function parseErrorResponse(input: TokenResponseInput): ExpressPlayError {
  checkInput(input, 'parseErrorResponse');
  const now = input.now ?? Date.now();
  const retryAfterMs = parseRetryAfter(input.retryAfter, now);
  const type = mediaType(input.contentType);
  let code: number | undefined;
  let message: string | undefined;
  const json = tryJson(input.body);
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    ({ code, message } = jsonErrorCode(json as Record<string, unknown>));
  } else {
    const isHtml = type === 'text/html' || /<[a-z!/]/i.test(input.body);
    const text = isHtml ? htmlToText(input.body) : input.body;
    // Entities decode to no digit or dash: the code is found in the text as it is.
    const m = /(?:^|[^\d-])(-\d{4})(?!\d)/.exec(text);
    if (m) code = Number(m[1]);
    message = (isHtml ? readablePrefix(text) : text.trim()) || undefined;
  }
  const status = input.status;
  const details = clip(message ?? `HTTP ${status}`);
  if (code !== undefined && catalogEntry(code)) {
    // A 5xx is worth retrying even where the code's catalog entry says otherwise; a 4xx never is.
    const retryable = status >= 500 ? true : status === 429 ? true : status >= 400 ? false : undefined;
    return new ExpressPlayError(code, {
      httpStatus: status,
      details,
      drm: input.drm,
      retryAfterMs,
      ...(retryable === undefined ? {} : { retryable }),
    });
  }
  const err = errorForHttpStatus(
    status >= 400 ? status : 502,
    code === undefined ? details : `code ${code}: ${details}`,
    input.drm,
  );
  return retryAfterMs === undefined
    ? err
    : new ExpressPlayError(err.code, {
        httpStatus: err.httpStatus,
        details: err.details,
        drm: err.drm,
        category: err.category,
        retryable: err.retryable,
        retryAfterMs,
      });
}

function malformed(input: TokenResponseInput, details: string): ExpressPlayError {
  return new ExpressPlayError(ClientCode.MALFORMED_RESPONSE, { httpStatus: input.status, details, drm: input.drm });
}

function checkedUrl(input: TokenResponseInput, url: unknown): string {
  if (typeof url !== 'string' || !isHttpUrl(url.trim())) throw malformed(input, 'no http(s) rights URL in the answer');
  return url.trim();
}

/**
 * Parses a token service or token endpoint answer. Returns the rights URL, or
 * throws an `ExpressPlayError` with the seed code, HTTP status, category and
 * retryability.
 */
export function parseTokenResponse(input: TokenResponseInput): TokenResult {
  checkInput(input, 'parseTokenResponse');
  if (input.status < 200 || input.status > 299) throw parseErrorResponse(input);
  const type = mediaType(input.contentType);
  const json = type === 'application/json' || type === '' || type.endsWith('+json') ? tryJson(input.body) : undefined;
  if (json !== undefined) {
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw malformed(input, 'JSON answer is not an object');
    const obj = json as Record<string, unknown>;
    if (
      field(obj, ['rightsUrl', 'licenseAcquisitionUrl', 'url', 'licenseUrl']) === undefined &&
      jsonErrorCode(obj).code !== undefined
    ) {
      // The real status (2xx), not a made-up 502: a 5xx marked every such error retryable,
      // even -2018 (bad authenticator), so clients retried what can never succeed.
      throw parseErrorResponse(input);
    }
    const rightsUrl = checkedUrl(input, field(obj, ['rightsUrl', 'licenseAcquisitionUrl', 'url', 'licenseUrl']));
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
