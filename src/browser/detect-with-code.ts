// Detection for the player adapters, with the code that only the chosen DRM needs.
// Such code sits behind import() so that the ESM entries leave it out. FairPlay's is
// loaded before the profile is answered: the adapters call it synchronously from player
// callbacks. What an adapter adds (Video.js's PlayReady message unwrapping, used only
// asynchronously) is started then and not waited for: it loads while the manifest does.

import type { Drm } from '../core/errors.js';
import { detectDrm } from './detect.js';
import { loadFairPlayCode } from './fairplay-on-demand.js';
import type { DetectDrmOptions, DrmProfile } from './types/detection.js';

/** Loads the on-demand code of one DRM (memoized by its loader). */
export type DrmCodeLoader = () => Promise<unknown>;

/** Safari's prefixed EME, present on Apple browsers only: FairPlay is then the likely choice. */
function fairPlayLikely(): boolean {
  return 'WebKitMediaKeys' in globalThis;
}

/**
 * {@link detectDrm}; when the DRM the adapter will use (`drm`, else the preferred one) is
 * FairPlay, its code is loaded before the profile is answered (on an Apple browser it is
 * fetched while detection runs, so it rarely adds a wait). When that DRM has a loader in
 * `prefetch`, the loader is started and not waited for: whoever uses that code awaits it
 * (and loads again if this attempt failed). Other devices fetch nothing for DRMs they do not use.
 *
 * @throws -9010 when FairPlay's chunk cannot be fetched, besides detection's errors.
 */
export async function detectDrmWithItsCode(
  options?: DetectDrmOptions,
  drm?: Drm,
  prefetch: Partial<Record<Drm, DrmCodeLoader>> = {},
): Promise<DrmProfile> {
  const early = fairPlayLikely() ? loadFairPlayCode() : undefined;
  // Awaited below when FairPlay is chosen; otherwise a failed early load is nobody's error.
  early?.catch(() => undefined);
  const profile = await detectDrm(options);
  const chosen = drm ? profile[drm] : profile.preferred;
  if (chosen?.supported && chosen.drm === 'fairplay') await (early ?? loadFairPlayCode());
  else if (chosen?.supported) prefetch[chosen.drm]?.().catch(() => undefined);
  return profile;
}
