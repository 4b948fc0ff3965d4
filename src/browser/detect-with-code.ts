// Detection for the player adapters, with the code that only the chosen DRM needs
// loaded before the profile is answered (FairPlay's, and what an adapter adds, such as
// Video.js's PlayReady message unwrapping). Such code sits behind import() so that the
// ESM entries leave it out; the adapters call it synchronously from player callbacks,
// which this makes safe.

import type { Drm } from '../core/errors.js';
import { detectDrm } from './detect.js';
import { loadFairPlayCode } from './fairplay-on-demand.js';
import type { DetectDrmOptions, DrmProfile } from './types.js';

/** Loads the on-demand code of one DRM (memoized by its loader). */
export type DrmCodeLoader = () => Promise<unknown>;

/** Safari's prefixed EME, present on Apple browsers only: FairPlay is then the likely choice. */
function fairPlayLikely(): boolean {
  return 'WebKitMediaKeys' in globalThis;
}

/**
 * {@link detectDrm}; when the DRM the adapter will use (`drm`, else the preferred one)
 * has on-demand code, that code is loaded before the profile is answered. On an Apple
 * browser FairPlay's is fetched while detection runs, so it rarely adds a wait; other
 * devices fetch nothing for DRMs they do not use.
 *
 * @throws the loader's error (-9010 when a chunk cannot be fetched), besides detection's.
 */
export async function detectDrmWithItsCode(
  options?: DetectDrmOptions,
  drm?: Drm,
  loaders: Partial<Record<Drm, DrmCodeLoader>> = {},
): Promise<DrmProfile> {
  const load: Partial<Record<Drm, DrmCodeLoader>> = { fairplay: loadFairPlayCode, ...loaders };
  const early = fairPlayLikely() ? load.fairplay!() : undefined;
  // Awaited below when FairPlay is chosen; otherwise a failed early load is nobody's error.
  early?.catch(() => undefined);
  const profile = await detectDrm(options);
  const chosen = drm ? profile[drm] : profile.preferred;
  if (chosen?.supported) {
    if (chosen.drm === 'fairplay' && early) await early;
    else await load[chosen.drm]?.();
  }
  return profile;
}
