// ClearKey licenses (W3C EME §9.1.3/9.1.4): the development stand-in for Widevine
// and PlayReady. The request is `{"kids":["<b64url>"],"type":"temporary"}`, the answer
// a JWK set. Anything that is not such JSON is a real CDM challenge, which an
// emulator cannot answer (-9044).

import { ClientCode, ExpressPlayError } from '../../core/index.js';

export interface ClearKeyRequest {
  /** Requested key ids, lower-case hex. */
  kids: string[];
  type: string;
}

export interface ClearKeyLicense {
  keys: { kty: 'oct'; kid: string; k: string }[];
  type: string;
  /** Not part of EME's format (browsers ignore unknown members): the token's licenseDuration, in seconds. */
  licenseDuration?: number;
}

/** Parses a ClearKey license request; throws -9044 for anything else (a real challenge). */
export function parseClearKeyRequest(body: Buffer): ClearKeyRequest {
  const text = body.toString('utf8').trim();
  const cannot = (details: string) =>
    new ExpressPlayError(ClientCode.EMULATOR_CANNOT_LICENSE, { details, httpStatus: 400 });
  if (!text.startsWith('{'))
    throw cannot(
      'the body is not a ClearKey JSON license request (a real Widevine/PlayReady challenge?); the emulator only answers ClearKey',
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ExpressPlayError(ClientCode.MALFORMED_REQUEST, { details: 'ClearKey license request is not valid JSON' });
  }
  const obj = json as { kids?: unknown; type?: unknown };
  if (
    typeof json !== 'object' ||
    json === null ||
    !Array.isArray(obj.kids) ||
    obj.kids.length === 0 ||
    obj.kids.length > 64
  ) {
    throw new ExpressPlayError(ClientCode.MALFORMED_REQUEST, {
      details: 'ClearKey license request needs "kids": [1..64 base64url key ids]',
    });
  }
  const kids = obj.kids.map((k) => {
    if (typeof k !== 'string' || !/^[A-Za-z0-9_-]{22}={0,2}$/.test(k)) {
      throw new ExpressPlayError(-4022, { details: 'each kid is 16 bytes as base64url' });
    }
    return Buffer.from(k, 'base64url').toString('hex');
  });
  const type = typeof obj.type === 'string' && obj.type !== '' ? obj.type : 'temporary';
  if (type !== 'temporary' && type !== 'persistent-license')
    throw new ExpressPlayError(ClientCode.MALFORMED_REQUEST, { details: `unknown session type "${type}"` });
  return { kids, type };
}

export function clearKeyLicense(kidHex: string, key: Buffer, type: string, licenseDuration?: number): ClearKeyLicense {
  const out: ClearKeyLicense = {
    keys: [{ kty: 'oct', kid: Buffer.from(kidHex, 'hex').toString('base64url'), k: key.toString('base64url') }],
    type,
  };
  if (licenseDuration !== undefined) out.licenseDuration = licenseDuration;
  return out;
}
