// GET|POST /hms/{wv,fp,pr}/token. Every parameter rule is the core's
// validateTokenParams; this file adds only what is the service's own business:
// which authenticators it knows, whether an ek unwraps, and minting the token.

import type { IncomingMessage } from 'node:http';
import {
  ClientCode,
  DRM_PATH,
  ExpressPlayError,
  decodeForm,
  hexToBytes,
  redactTokens,
  validateTokenParams,
  type TokenDrm,
} from '../../core/index.js';
import { mediaType, readBody, type ErrorFormat } from '../http-util.js';
import { aesKeyUnwrap } from './aes-kw.js';
import type { EmulatorState } from './state.js';
import { encodeToken, payloadFromParams } from './token-format.js';

/** The error format asked for, read from the raw text so even a malformed request gets it. */
export function requestedFormat(...raw: string[]): ErrorFormat {
  return raw.some((t) => /(?:^|&)errorFormat=json(?:&|$)/.test(t)) ? 'json' : 'html';
}

function checkAuthenticator(state: EmulatorState, pairs: readonly (readonly [string, string])[]): void {
  const given = pairs.filter(([name]) => name === 'customerAuthenticator').map(([, v]) => v);
  // Absent, blank or repeated: the core's rules answer (-2017 / -9002).
  if (given.length !== 1 || given[0]!.trim() === '') return;
  const key = given[0]!;
  if (state.authenticators[state.service].has(key)) return;
  const other = state.service === 'test' ? 'production' : 'test';
  const details = state.authenticators[other].has(key)
    ? `a ${other} authenticator used on the ${state.service} service`
    : 'unknown authenticator';
  throw new ExpressPlayError(-2018, { details });
}

export interface TokenAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** `onFormat` learns the error format once a POST body has been read (it may say errorFormat=json). */
export async function handleToken(
  state: EmulatorState,
  req: IncomingMessage,
  drm: TokenDrm,
  query: string,
  onFormat: (format: ErrorFormat) => void,
): Promise<TokenAnswer> {
  let body = '';
  if (req.method === 'POST') {
    body = (await readBody(req, state.bodyLimit)).toString('utf8');
    onFormat(requestedFormat(query, body.trim()));
  }
  const pairs = decodeForm(query);
  if (req.method === 'POST') {
    const type = mediaType(req);
    if (body !== '' && type !== 'application/x-www-form-urlencoded' && type !== '' && type !== 'text/plain') {
      throw new ExpressPlayError(ClientCode.MALFORMED_REQUEST, {
        details: `POST bodies are application/x-www-form-urlencoded, got ${type}`,
      });
    }
    pairs.push(...decodeForm(body.trim()));
  }
  checkAuthenticator(state, pairs);
  const now = state.now();
  const params = validateTokenParams(drm, pairs, { now });
  // The service would fail to use a wrapped key that does not unwrap: refuse at issue time.
  if (
    params.kek !== undefined &&
    params.ek !== undefined &&
    aesKeyUnwrap(hexToBytes(params.kek), hexToBytes(params.ek)) === undefined
  ) {
    throw new ExpressPlayError(-4024, { details: 'ek does not unwrap with kek (RFC 3394 integrity check failed)' });
  }
  const expiresAt = state.faults.get().forceExpiry === 'issued' ? now - 1 : params.expiresAt;
  const payload = payloadFromParams(params, now, expiresAt);
  const token = encodeToken(payload, state.secret);
  state.stats.tokensIssued[drm] += 1;
  if (payload.kid !== undefined) state.stats.tokensByKid[payload.kid] = (state.stats.tokensByKid[payload.kid] ?? 0) + 1;
  state.log({
    event: 'token.issued',
    drm,
    tokenId: payload.id,
    cookie: payload.cookie,
    contentId: payload.contentId,
    status: 200,
  });
  const seg = DRM_PATH[drm];
  const rights = `${state.baseUrl()}/hms/${seg}/rights/`;
  if (drm === 'playready') {
    // PlayReady's real answer is JSON with the token apart from the URL.
    return {
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({ licenseAcquisitionUrl: rights, token }),
    };
  }
  return { status: 200, contentType: 'text/uri-list; charset=utf-8', body: `${rights}?ExpressPlayToken=${token}` };
}

export function logTokenReject(state: EmulatorState, drm: TokenDrm, err: ExpressPlayError, status: number): void {
  state.log({ event: 'token.rejected', drm, status, code: err.code, message: redactTokens(err.message) });
}
