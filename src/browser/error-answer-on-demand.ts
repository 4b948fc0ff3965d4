// The parser of error answers (core/error-answer.ts: the seed code and message of a
// JSON, HTML or plain-text body, Retry-After), loaded with import() the first time a
// request fails: the ESM entries stay without it, and a page whose requests succeed
// never fetches it. The UMD drop-ins build with error-answer-eager.ts in its place.

import type * as ErrorAnswerModule from '../core/error-answer.js';
import type { TokenResponseInput } from '../core/response.js';
import type { ExpressPlayError } from '../core/errors.js';
import { onDemand } from './on-demand.js';

const parser = onDemand<typeof ErrorAnswerModule>('error answer parser', () => import('../core/error-answer.js'));

/**
 * {@link ErrorAnswerModule.errorFromAnswer}, loading the parser first (once per page).
 * @throws {@link ExpressPlayError} -9010 (retryable) when its chunk cannot be fetched; a later call tries again.
 */
export async function errorFromAnswer(input: TokenResponseInput): Promise<ExpressPlayError> {
  return (await parser.load()).errorFromAnswer(input);
}
