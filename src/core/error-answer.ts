// An error answer from the token service, a token endpoint or a rights server, as the
// typed error: the seed code from a JSON body, or found in the text of an HTML or plain
// one. HTML is only ever scanned as text — no DOM is built from server text. Only a
// failed request runs this (the ESM build of the browser layer loads it on demand).

import { jsonErrorCode, mediaType, tryJson } from './answer-json.js';
import { catalogEntry } from './catalog.js';
import { ExpressPlayError, errorForHttpStatus } from './errors.js';
import type { TokenResponseInput } from './response.js';

const MAX_DETAILS = 300;

function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
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

/** The typed error for an error answer (any status), keeping the HTTP status; `input` as `parseErrorResponse` checks it. */
export function errorFromAnswer(input: TokenResponseInput): ExpressPlayError {
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
