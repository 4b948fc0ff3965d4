// The development back end's token policy: what a customer's `resolve` does after
// checking who the viewer is — look the content's key up and choose the license
// terms. Used by `npm start`, the browser test servers and the benchmark.

import type { IncomingMessage } from 'node:http';
import { ClientCode, ExpressPlayError } from '../src/core/index.js';
import type { ResolvedTokenParams, TokenRequestContext } from '../src/server/index.js';
import type { DevStream } from './streams.js';

/** When a stream has no iv, FairPlay tokens use this fixed one (documented in docs/emulator.md). */
export const DEFAULT_FAIRPLAY_IV = '00000000000000000000000000000000';

/** Terms added to every token, and the keys a request may not have. */
export interface TokenPolicyOptions {
  /** ExpressPlay's `expirationTime` (e.g. `+600`: 10 minutes); the token service's default when absent. */
  expirationTime?: string;
  /** A correlation cookie for the content (ExpressPlay allows at most 32 characters). */
  cookie?: (contentId: string) => string;
  /** Key ids refused (HTTP 403), as a back end refuses an HD key to a weak device. */
  refused?: readonly string[];
}

/**
 * The one key a token request is for (an ExpressPlay token holds one key): the key
 * id the request names in `kids`; without `kids`, the content's only key. Multi-key
 * content without `kids` is -4018 (name the key), a key id the content does not
 * have or several at once -4022: never a token for some other key.
 */
export function keyForRequest(
  contentId: string,
  stream: Pick<DevStream, 'keys'>,
  kids: readonly string[] | undefined,
): { kid: string; key: string } {
  const ids = Object.keys(stream.keys);
  if (!kids || kids.length === 0) {
    if (ids.length === 1) return { kid: ids[0]!, key: stream.keys[ids[0]!]! };
    throw new ExpressPlayError(-4018, {
      details: `${contentId.slice(0, 64)} has ${ids.length} keys: ask with the key id (kids) the license session needs`,
    });
  }
  const unknown = kids.find((kid) => !Object.hasOwn(stream.keys, kid));
  if (unknown !== undefined)
    throw new ExpressPlayError(-4022, { details: `${contentId.slice(0, 64)} has no key ${unknown}` });
  if (kids.length > 1)
    throw new ExpressPlayError(-4022, { details: `one token holds one key; asked for ${kids.join(', ')} at once` });
  return { kid: kids[0]!, key: stream.keys[kids[0]!]! };
}

/** Test policy from the query: `refuseKids=<hex>,…` refuses those keys. */
export function refusedKids(req: IncomingMessage): string[] {
  const value = new URL(req.url ?? '/', 'http://x').searchParams.get('refuseKids');
  return value ? value.split(',') : [];
}

/**
 * The token parameters for a request: the requested key of the stream (unless
 * refused); FairPlay with the stream's iv; Widevine and the ClearKey stand-in (which
 * uses the Widevine token path) with the security level / HDCP the browser detected,
 * else 1 / 0 (a development back end grants what the device reported; a real one may
 * demand more). Unknown content is 404 -9023.
 */
export function resolveDevToken(
  streams: Readonly<Record<string, Pick<DevStream, 'keys' | 'iv'>>>,
  ctx: TokenRequestContext,
  options: TokenPolicyOptions = {},
): ResolvedTokenParams {
  const stream = Object.hasOwn(streams, ctx.contentId) ? streams[ctx.contentId] : undefined;
  if (!stream)
    throw new ExpressPlayError(ClientCode.NOT_FOUND, {
      details: `unknown content ${ctx.contentId.slice(0, 64)}`,
      httpStatus: 404,
    });
  const { kid, key } = keyForRequest(ctx.contentId, stream, ctx.kids);
  if (options.refused?.includes(kid))
    throw new ExpressPlayError(ClientCode.HTTP, {
      details: `key ${kid} is not for this device (test policy)`,
      httpStatus: 403,
    });
  const terms = {
    ...(options.expirationTime !== undefined ? { expirationTime: options.expirationTime } : {}),
    ...(options.cookie ? { cookie: options.cookie(ctx.contentId) } : {}),
  };
  if (ctx.drm === 'fairplay') return { contentKey: key, iv: stream.iv ?? DEFAULT_FAIRPLAY_IV, ...terms };
  if (ctx.drm === 'playready') return { kid, contentKey: key, ...terms };
  return {
    kid,
    contentKey: key,
    contentId: ctx.contentId,
    securityLevel: ctx.securityLevel ?? 1,
    hdcpOutputControl: typeof ctx.hdcp === 'number' ? ctx.hdcp : 0,
    ...terms,
  };
}
