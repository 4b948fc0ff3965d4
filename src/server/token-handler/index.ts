// The reference token endpoint for node:http (Express, Fastify, Koa mount it as
// it is): a thin bridge over the Web-standard endpoint (src/fetch), so the
// browser ↔ back-end contract has one implementation.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createTokenEndpoint, type TokenEndpointOptions } from '../../fetch/handler.js';
import { toWebRequest, writeWebResponse } from './node-bridge.js';

/** Options of {@link createTokenHandler}: those of the Web endpoint, with `resolve` (and `cache.key`) receiving node's `IncomingMessage`. */
export type TokenHandlerOptions = TokenEndpointOptions<IncomingMessage>;

/**
 * The reference token endpoint, as a plain `node:http` handler (mounts in
 * Express, Fastify, Koa as it is): `createFetchHandler` (`expressplay-eme/fetch`)
 * behind a node:http bridge, so the behaviour is the same — see it for the whole
 * contract. Per request it checks the origin, reads the browser's
 * {@link TokenRequestContext} (GET query, or POST form / JSON), calls your
 * `resolve` for the token parameters (after your own authentication and
 * entitlement checks), adds the authenticator, asks ExpressPlay's token service
 * and answers `200` JSON `{ rightsUrl, expiresAt }` — or `text/uri-list` when the
 * `Accept` header names it before JSON. `drm=clearkey` is served through the
 * Widevine token path (the emulator's development stand-in). `errorFormat`
 * defaults to `json` so ExpressPlay's error codes can be relayed.
 *
 * Failures answer the HTTP status and `{ errorCode, errorMessage }`: the seed
 * code from ExpressPlay, or the error `resolve` threw, or -9001/-9002/-9003/-9005
 * (400) for a malformed request, -9062 (403) for a cross-origin request not
 * allowed, -9024 (405) for another method, -9011 (504) when the service does not
 * answer within `timeoutMs`, -9010 (502) when it is unreachable, -9060 (502) when
 * its answer carries the authenticator. Anything that is not an `ExpressPlayError`
 * becomes a 500 without internals.
 *
 * The host server should bound slow clients itself too: `server.headersTimeout`
 * and `server.requestTimeout` (e.g. 10 s / 30 s); the handler bounds the body it
 * reads by `bodyTimeoutMs`.
 *
 * @throws TypeError at creation without `authenticator` or `resolve`.
 *
 * @example
 * ```ts
 * const handler = createTokenHandler({
 *   authenticator: process.env.EXPRESSPLAY_AUTHENTICATOR ?? '',
 *   service: 'test',
 *   async resolve(req, { drm, contentId, securityLevel }) {
 *     const key = await lookUpKey(contentId);
 *     if (!key) throw new ExpressPlayError(-9023, { httpStatus: 404, details: 'unknown content' });
 *     if (drm === 'fairplay') return { contentKey: key.key, iv: key.iv, expirationTime: '+600' };
 *     return { kid: key.kid, contentKey: key.key, securityLevel: securityLevel ?? 1, hdcpOutputControl: 0, expirationTime: '+600' };
 *   },
 * });
 * createServer((req, res) => (req.url?.startsWith('/api/expressplay-token') ? handler(req, res) : res.writeHead(404).end())).listen(3000);
 * ```
 */
export function createTokenHandler(options: TokenHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const endpoint = createTokenEndpoint<IncomingMessage>(options, 'createTokenHandler');
  return (req, res) => {
    let request: Request;
    try {
      request = toWebRequest(req, res);
    } catch {
      res
        .writeHead(400, { 'content-type': 'application/json; charset=utf-8', connection: 'close' })
        .end(JSON.stringify({ errorCode: -9003, errorMessage: 'Malformed request' }));
      return;
    }
    endpoint(request, req)
      .then((response) => writeWebResponse(res, response))
      .catch(() => res.destroy());
  };
}

export type { TokenHandlerLogEntry, TokenEndpointOptions } from '../../fetch/handler.js';
export { MemoryTokenStore, type TokenStore, type TokenCacheOptions } from '../../fetch/cache.js';
export type { OriginPolicy } from '../../fetch/origin.js';
export type {
  TokenRequestContext,
  TokenEndpointSuccess,
  TokenEndpointFailure,
  ResolvedTokenParams,
} from './contract.js';
export { readTokenRequestContext } from './contract.js';
