// The parser of error answers (core/error-answer.ts: the seed code and message of a
// JSON, HTML or plain-text body, Retry-After), loaded with import() the first time a
// request fails: the ESM entries stay without it, and a page whose requests succeed
// never fetches it. The UMD drop-ins build with error-answer-eager.ts in its place.

import { ClientCode } from '../core/catalog.js';
import type * as ErrorAnswerModule from '../core/error-answer.js';
import { ExpressPlayError } from '../core/errors.js';
import type { TokenResponseInput } from '../core/response.js';

let loading: Promise<typeof ErrorAnswerModule> | undefined;

/**
 * {@link ErrorAnswerModule.errorFromAnswer}, loading the parser first (once per page).
 * @throws {@link ExpressPlayError} -9010 (retryable) when its chunk cannot be fetched; a later call tries again.
 */
export async function errorFromAnswer(input: TokenResponseInput): Promise<ExpressPlayError> {
  let parser: typeof ErrorAnswerModule;
  try {
    parser = await (loading ??= import('../core/error-answer.js'));
  } catch (cause) {
    loading = undefined;
    throw new ExpressPlayError(ClientCode.NETWORK, {
      details: 'the error answer parser could not be loaded',
      drm: input.drm,
      cause,
    });
  }
  return parser.errorFromAnswer(input);
}
