// FairPlay's license step: the SPC goes out as octet-stream, the CKC comes back
// in whatever wrapping the server uses (raw, base64, <ckc>, JSON): the core unwraps it.

import { unwrapCkc } from '../core/fairplay.js';
import { requestLicense } from './license.js';
import type { LicenseRequestOptions } from './types.js';

export type CkcRequestOptions = Omit<LicenseRequestOptions, 'drm' | 'contentType'> & { contentType?: string };

/** POSTs the SPC to the rights URL and returns the CKC bytes for `session.update()`. */
export async function requestCkc(rightsUrl: string, spc: Uint8Array, options: CkcRequestOptions = {}): Promise<Uint8Array> {
  const answer = await requestLicense(rightsUrl, spc, { ...options, drm: 'fairplay', contentType: options.contentType ?? 'application/octet-stream' });
  return unwrapCkc(answer);
}
