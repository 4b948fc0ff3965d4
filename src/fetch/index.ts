// expressplay-eme/fetch: the token endpoint on Web standards only (no Node
// built-ins), for Cloudflare Workers, Deno, Bun, Next.js, Hono and the like.
export {
  createFetchHandler,
  type FetchHandlerOptions,
  type TokenEndpointOptions,
  type TokenHandlerLogEntry,
} from './handler.js';
export { MemoryTokenStore, type TokenStore, type TokenCacheOptions } from './cache.js';
export type { OriginPolicy } from './origin.js';
export type {
  TokenRequestContext,
  TokenEndpointSuccess,
  TokenEndpointFailure,
  ResolvedTokenParams,
} from './contract.js';
export { ExpressPlayError, ClientCode } from '../core/index.js';
