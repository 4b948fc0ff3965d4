// The contract between the browser token client and the customer's back end
// (docs/architecture.md): what the browser sends, what the back end answers.
// Parsing only: reading the bytes is the caller's (capped, timed) job.

import {
  ClientCode,
  ExpressPlayError,
  decodeForm,
  type Drm,
  type FairPlayTokenParams,
  type HdcpOutputControl,
  type PlayReadyTokenParams,
  type SecurityLevel,
  type WidevineTokenParams,
} from '../core/index.js';

/** What the browser reports: `GET ?drm=…&contentId=…&securityLevel=…&hdcp=…&kids=a,b` or the same as a POST form/JSON body. */
export interface TokenRequestContext {
  /** The DRM the browser will use (`clearkey`: the development stand-in). */
  drm: Drm;
  /** The app's content id. */
  contentId: string;
  /** Detected Widevine security level, when reported. */
  securityLevel?: SecurityLevel;
  /** Detected HDCP capability, when reported. */
  hdcp?: HdcpOutputControl | 'unknown';
  /** Key ids (lower-case hex) from the manifest or initData, when known. */
  kids?: string[];
}

/** Success: `200 application/json`. (Or `200 text/uri-list` with the rights URL alone, by `Accept`.) */
export interface TokenEndpointSuccess {
  /** The rights URL, token included (PlayReady's separate token is appended as `ExpressPlayToken`). */
  rightsUrl: string;
  /** RFC 3339; the token's expiry (its `expirationTime`, else the service's 30-day default). */
  expiresAt: string;
}

/** Failure: the HTTP status, and this body. `errorCode` is ExpressPlay's own when the error came from ExpressPlay. */
export interface TokenEndpointFailure {
  /** The seed code, or one of ours (-9xxx). */
  errorCode: number;
  /** The catalog message with details; never the authenticator. */
  errorMessage: string;
}

type Resolved<T> = Omit<T, 'customerAuthenticator'> & { customerAuthenticator?: never };
/** What `resolve` returns: the token parameters for this viewer and content, without the authenticator (the handler adds it). */
export type ResolvedTokenParams =
  Resolved<WidevineTokenParams> | Resolved<FairPlayTokenParams> | Resolved<PlayReadyTokenParams>;

/** The browser's request body, already read (and capped). */
export interface TokenRequestBody {
  /** The media type, lower case, without parameters (`''` when absent). */
  type: string;
  /** The body as text. */
  text: string;
}

const DRMS: readonly Drm[] = ['widevine', 'fairplay', 'playready', 'clearkey'];
/** Nesting a context body ever needs: the object and the `kids` array. */
const MAX_JSON_DEPTH = 4;

function bad(details: string): never {
  throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, { details, httpStatus: 400 });
}

function malformed(details: string): never {
  throw new ExpressPlayError(ClientCode.MALFORMED_REQUEST, { details, httpStatus: 400 });
}

/** The deepest nesting of `[`/`{` outside strings: one linear scan, before JSON.parse builds anything. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** A field's value as text: strings and finite numbers; `kids` may be an array of strings. Anything else: 400 -9003. */
function scalar(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (name === 'kids' && Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  return malformed(
    `${name.slice(0, 64)} must be ${name === 'kids' ? 'an array of strings or a string' : 'a string or a number'}`,
  );
}

function jsonFields(text: string): [string, unknown][] {
  if (jsonDepth(text) > MAX_JSON_DEPTH) malformed('JSON body is nested too deeply');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    malformed('body is not valid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) malformed('JSON body must be an object');
  return Object.entries(json as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null);
}

function bodyFields(body: TokenRequestBody): [string, unknown][] {
  const text = body.text.trim();
  if (text === '') return [];
  // JSON only when declared: a text/plain body (no CORS preflight) is never read as JSON.
  if (body.type === 'application/json') return jsonFields(text);
  if (body.type === 'application/x-www-form-urlencoded' || body.type === '') return decodeForm(text);
  throw new ExpressPlayError(ClientCode.MALFORMED_REQUEST, {
    details: 'the body must be application/json or application/x-www-form-urlencoded',
    httpStatus: 415,
  });
}

function parseKids(kids: string): string[] {
  const list = kids.split(',').map((k) => k.trim().replace(/-/g, '').toLowerCase());
  if (list.length > 32 || list.some((k) => !/^[0-9a-f]{32}$/.test(k)))
    bad('kids is a comma-separated list of up to 32 key ids, 32 hex characters each');
  return list;
}

/** The context from the raw query and the (optional) body. Throws -9001/-9002/-9003/-9005 (400, 415) on anything malformed. */
export function parseTokenRequestContext(query: string, body?: TokenRequestBody): TokenRequestContext {
  const fields = new Map<string, string>();
  const put = (name: string, value: unknown) => {
    if (fields.has(name))
      throw new ExpressPlayError(ClientCode.DUPLICATE_PARAMETER, {
        details: `${name.slice(0, 64)} is given twice`,
        httpStatus: 400,
      });
    fields.set(name, scalar(name, value));
  };
  for (const [k, v] of decodeForm(query)) put(k, v);
  if (body !== undefined) for (const [k, v] of bodyFields(body)) put(k, v);
  const drm = fields.get('drm');
  if (drm === undefined || !DRMS.includes(drm as Drm))
    throw new ExpressPlayError(ClientCode.UNSUPPORTED_DRM, {
      details: `drm must be one of ${DRMS.join(', ')}`,
      httpStatus: 400,
    });
  const contentId = fields.get('contentId');
  if (contentId === undefined || contentId === '' || contentId.length > 512)
    bad('contentId is required (1..512 characters)');
  const ctx: TokenRequestContext = { drm: drm as Drm, contentId };
  const sl = fields.get('securityLevel');
  if (sl !== undefined && sl !== '') {
    if (!/^[1-5]$/.test(sl)) bad('securityLevel is 1..5');
    ctx.securityLevel = Number(sl) as SecurityLevel;
  }
  const hdcp = fields.get('hdcp');
  if (hdcp !== undefined && hdcp !== '') {
    if (hdcp === 'unknown') ctx.hdcp = 'unknown';
    else if (/^[0-2]$/.test(hdcp)) ctx.hdcp = Number(hdcp) as HdcpOutputControl;
    else bad('hdcp is 0, 1, 2 or unknown');
  }
  const kids = fields.get('kids');
  if (kids !== undefined && kids !== '') ctx.kids = parseKids(kids);
  return ctx;
}
