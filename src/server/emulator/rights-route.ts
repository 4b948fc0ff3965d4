// POST /hms/{wv,pr,fp}/rights/?ExpressPlayToken=… — redeems a token.
// wv/pr: ClearKey JWK licenses (a real CDM challenge gets -9044).
// fp: the stand-in CKC (fairplay-ckc.ts).

import type { IncomingMessage } from 'node:http';
import { ClientCode, ExpressPlayError, decodeForm, hexToBytes, type TokenDrm } from '../../core/index.js';
import { mediaType, readBody } from '../http-util.js';
import { aesKeyUnwrap } from './aes-kw.js';
import { clearKeyLicense, parseClearKeyRequest } from './clearkey.js';
import { makeStandInCkc } from './fairplay-ckc.js';
import type { EmulatorState } from './state.js';
import { decodeToken, type TokenPayload } from './token-format.js';

const MAX_TRACKED_TOKENS = 100_000;

export interface RightsAnswer {
  status: number;
  contentType: string;
  body: string | Buffer;
  headers: Record<string, string>;
  payload: TokenPayload;
}

function invalidToken(details: string, drm: TokenDrm): ExpressPlayError {
  return new ExpressPlayError(-4010, { details, drm: drm === 'widevine' ? 'widevine' : drm, httpStatus: 401 });
}

/** The token's content key: contentKey, kek+ek unwrapped, or the emulator's key store by kid. */
function contentKeyOf(state: EmulatorState, p: TokenPayload): Buffer {
  if (p.contentKey) return Buffer.from(p.contentKey, 'hex');
  if (p.kek && p.ek) {
    const key = aesKeyUnwrap(hexToBytes(p.kek), hexToBytes(p.ek));
    if (!key) throw new ExpressPlayError(-4024, { details: 'ek does not unwrap with kek' });
    return key;
  }
  const stored = p.kid === undefined ? undefined : state.keyStore.get(p.kid);
  if (stored === undefined)
    throw new ExpressPlayError(-4019, { details: `no key for kid ${p.kid ?? '(none)'} in the emulator's key store` });
  return Buffer.from(stored, 'hex');
}

/** licenseDuration: playback may last N s after it starts; we take the first redemption as the start. */
function checkLicenseDuration(state: EmulatorState, p: TokenPayload, now: number): void {
  // 0 means unlimited, as in Widevine's own policy fields.
  if (!p.licenseDuration) return;
  let first = state.firstRedeemed.get(p.id);
  if (first === undefined) {
    if (state.firstRedeemed.size >= MAX_TRACKED_TOKENS)
      state.firstRedeemed.delete(state.firstRedeemed.keys().next().value as string);
    first = now;
    state.firstRedeemed.set(p.id, now);
  }
  if (now - first > p.licenseDuration * 1000)
    throw invalidToken(`licenseDuration (${p.licenseDuration} s) has run out since the first license`, p.drm);
}

/** Checks the token in the query: signature, DRM, expiry (incl. forced expiry), licenseDuration. */
export function redeemToken(state: EmulatorState, drm: TokenDrm, query: string): TokenPayload {
  const values = decodeForm(query).filter(([name]) => name === 'ExpressPlayToken');
  if (values.length === 0) throw invalidToken('no ExpressPlayToken in the rights URL', drm);
  if (values.length > 1)
    throw new ExpressPlayError(ClientCode.DUPLICATE_PARAMETER, { details: 'ExpressPlayToken is given more than once' });
  const p = decodeToken(values[0]![1], state.secret);
  if (!p) throw invalidToken('token is malformed or its signature does not match', drm);
  if (p.drm !== drm) throw invalidToken(`token is for ${p.drm}, not ${drm}`, drm);
  const now = state.now();
  if (now >= p.exp || state.faults.get().forceExpiry === 'all') throw invalidToken('token has expired', drm);
  checkLicenseDuration(state, p, now);
  return p;
}

function spcFrom(req: IncomingMessage, body: Buffer): Buffer {
  // Some players POST `spc=<base64>` as a form instead of the raw SPC: accept both.
  if (mediaType(req) === 'application/x-www-form-urlencoded') {
    const spc = decodeForm(body.toString('utf8')).find(([name]) => name === 'spc');
    if (spc && /^[A-Za-z0-9+/_-]+=*$/.test(spc[1])) return Buffer.from(spc[1], 'base64');
  }
  return body;
}

export async function handleRights(
  state: EmulatorState,
  req: IncomingMessage,
  drm: TokenDrm,
  query: string,
): Promise<RightsAnswer> {
  const p = redeemToken(state, drm, query);
  const body = await readBody(req, state.bodyLimit);
  if (drm === 'fairplay') {
    const spc = spcFrom(req, body);
    if (spc.length === 0)
      throw new ExpressPlayError(ClientCode.MALFORMED_REQUEST, { details: 'empty SPC', drm: 'fairplay' });
    const key = contentKeyOf(state, p);
    if (!p.iv) throw new ExpressPlayError(-6003, { details: 'token has no iv' });
    const ckc = makeStandInCkc(spc, key, Buffer.from(p.iv, 'hex'), p.rentalDuration ?? 0);
    state.stats.licensesServed.fairplay += 1;
    return { status: 200, contentType: 'application/octet-stream', body: ckc, headers: {}, payload: p };
  }
  const request = parseClearKeyRequest(body);
  const tokenKid = p.kid;
  let kid: string;
  if (tokenKid !== undefined && !tokenKid.startsWith('^')) {
    const other = request.kids.find((k) => k !== tokenKid);
    if (other !== undefined) throw new ExpressPlayError(-4022, { details: `the token does not cover kid ${other}` });
    kid = tokenKid;
  } else {
    // A '^name' kid names a key, not a key id: it covers exactly one requested key id.
    if (request.kids.length !== 1)
      throw new ExpressPlayError(-4022, { details: 'a token with a ^name kid covers exactly one key id' });
    kid = request.kids[0]!;
  }
  const license = clearKeyLicense(kid, contentKeyOf(state, p), request.type, p.licenseDuration || undefined);
  state.stats.licensesServed.clearkey += 1;
  state.stats.licensesByKid[kid] = (state.stats.licensesByKid[kid] ?? 0) + 1;
  const headers: Record<string, string> = p.licenseDuration
    ? { 'x-expressplay-license-duration': String(p.licenseDuration) }
    : {};
  return {
    status: 200,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify(license),
    headers,
    payload: p,
  };
}
