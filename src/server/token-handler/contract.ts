// The browser ↔ back-end contract, read from a node:http request: the Web
// module (src/fetch/contract.ts) holds the contract and its parser.

import type { IncomingMessage } from 'node:http';
import { parseTokenRequestContext, type TokenRequestContext } from '../../fetch/contract.js';
import { mediaType, readBody, splitUrl } from '../http-util.js';

const MAX_BODY = 16 * 1024;

/** Reads and checks the browser's request from a node:http request. Throws -9001/-9002/-9003/-9005 (400) on anything malformed. */
export async function readTokenRequestContext(req: IncomingMessage): Promise<TokenRequestContext> {
  const query = splitUrl(req.url).query;
  if (req.method !== 'POST') return parseTokenRequestContext(query);
  const text = (await readBody(req, MAX_BODY)).toString('utf8');
  return parseTokenRequestContext(query, { type: mediaType(req), text });
}

export type {
  TokenRequestContext,
  TokenEndpointSuccess,
  TokenEndpointFailure,
  ResolvedTokenParams,
} from '../../fetch/contract.js';
