// FairPlay's license step: the SPC goes out as octet-stream, the CKC comes back
// in whatever wrapping the server uses (raw, base64, <ckc>, JSON): the core unwraps it.

import { unwrapCkc } from '../core/fairplay.js';
import { requestLicense } from './license.js';
import type { LicenseRequestOptions } from './types/license.js';

/** Options of {@link requestCkc}: those of `requestLicense`, without `drm` (always `fairplay`). */
export type CkcRequestOptions = Omit<LicenseRequestOptions, 'drm' | 'contentType'> & {
  /** Default `application/octet-stream`. */
  contentType?: string;
};

/**
 * POSTs the SPC to the rights URL and returns the CKC bytes for `session.update()`,
 * unwrapped from whatever form the server used (raw, base64, `<ckc>`, JSON).
 *
 * @throws {@link ExpressPlayError} every error of {@link requestLicense}, and -9041
 * for an answer that holds no CKC (see {@link unwrapCkc}).
 *
 * @example
 * ```ts
 * session.addEventListener('message', async (e) => {
 *   const ckc = await requestCkc(rightsUrl, new Uint8Array(e.message));
 *   await session.update(ckc);
 * });
 * ```
 */
export async function requestCkc(
  rightsUrl: string,
  spc: Uint8Array,
  options: CkcRequestOptions = {},
): Promise<Uint8Array> {
  const answer = await requestLicense(rightsUrl, spc, {
    ...options,
    drm: 'fairplay',
    contentType: options.contentType ?? 'application/octet-stream',
  });
  return unwrapCkc(answer);
}
