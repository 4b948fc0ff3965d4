// The contract between the browser token client and the customer's back end
// (docs/architecture.md): what the browser sends, what the back end answers.

import type { IncomingMessage } from 'node:http';
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
} from '../../core/index.js';
import { mediaType, readBody, splitUrl } from '../http-util.js';

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
export type ResolvedTokenParams = Resolved<WidevineTokenParams> | Resolved<FairPlayTokenParams> | Resolved<PlayReadyTokenParams>;

const DRMS: readonly Drm[] = ['widevine', 'fairplay', 'playready', 'clearkey'];
const MAX_BODY = 16 * 1024;

function bad(details: string): never {
  throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, { details, httpStatus: 400 });
}

/** Reads and checks the browser's request. Throws -9001/-9002/-9003/-9005 (400) on anything malformed. */
export async function readTokenRequestContext(req: IncomingMessage): Promise<TokenRequestContext> {
  const fields = new Map<string, string>();
  const put = (name: string, value: unknown) => {
    if (fields.has(name)) throw new ExpressPlayError(ClientCode.DUPLICATE_PARAMETER, { details: `${name} is given twice`, httpStatus: 400 });
    if (Array.isArray(value)) value = value.join(',');
    if (typeof value === 'number') value = String(value);
    if (typeof value !== 'string') bad(`${name} must be a string`);
    fields.set(name, value as string);
  };
  for (const [k, v] of decodeForm(splitUrl(req.url).query)) put(k, v);
  if (req.method === 'POST') {
    const text = (await readBody(req, MAX_BODY)).toString('utf8').trim();
    if (text !== '') {
      if (mediaType(req) === 'application/json' || text.startsWith('{')) {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new ExpressPlayError(ClientCode.MALFORMED_REQUEST, { details: 'body is not valid JSON', httpStatus: 400 });
        }
        if (typeof json !== 'object' || json === null || Array.isArray(json)) bad('JSON body must be an object');
        for (const [k, v] of Object.entries(json as Record<string, unknown>)) if (v !== undefined && v !== null) put(k, v);
      } else for (const [k, v] of decodeForm(text)) put(k, v);
    }
  }
  const drm = fields.get('drm');
  if (drm === undefined || !DRMS.includes(drm as Drm)) throw new ExpressPlayError(ClientCode.UNSUPPORTED_DRM, { details: `drm must be one of ${DRMS.join(', ')}`, httpStatus: 400 });
  const contentId = fields.get('contentId');
  if (contentId === undefined || contentId === '' || contentId.length > 512) bad('contentId is required (1..512 characters)');
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
  if (kids !== undefined && kids !== '') {
    const list = kids.split(',').map((k) => k.trim().replace(/-/g, '').toLowerCase());
    if (list.length > 32 || list.some((k) => !/^[0-9a-f]{32}$/.test(k))) bad('kids is a comma-separated list of up to 32 key ids, 32 hex characters each');
    ctx.kids = list;
  }
  return ctx;
}
