// Which contrib-eme `keySystems` entry a source gets: contrib-eme asks
// requestMediaKeySystemAccess with the entry's name as it is, so it must be the key
// system detection found working; legacy WebKit FairPlay is the exception, contrib-eme
// reading its options under `com.apple.fps.1_0` only.

import { defaultKeySystem, KeySystem } from '../core/key-systems.js';
import type { KeySystemSupport } from '../browser/types/detection.js';

/** The contrib-eme key system for what detection found (its default for the DRM when it named none). */
export function keySystemFor(support: KeySystemSupport): string {
  if (support.drm === 'fairplay' && support.api === 'webkit-legacy') return KeySystem.FAIRPLAY_LEGACY;
  return support.keySystem ?? defaultKeySystem(support.drm);
}
