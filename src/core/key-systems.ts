// Every EME key system string this library names, and which DRM each belongs to.
// Detection, the FairPlay helpers and the adapters read them here, so the key
// system a player is configured with is always one detection can have answered.

import type { Drm } from './errors.js';

/** The EME key system strings of the DRMs this library handles. */
export const KeySystem = {
  /** Widevine. */
  WIDEVINE: 'com.widevine.alpha',
  /** PlayReady's recommendation key system (software and hardware, by robustness). */
  PLAYREADY: 'com.microsoft.playready.recommendation',
  /** PlayReady SL3000 (hardware) only. */
  PLAYREADY_HARDWARE: 'com.microsoft.playready.recommendation.3000',
  /** PlayReady's older name (legacy Edge; IE11's prefixed `MSMediaKeys`). */
  PLAYREADY_LEGACY: 'com.microsoft.playready',
  /** FairPlay through standard EME (Safari 12.1+). */
  FAIRPLAY: 'com.apple.fps',
  /** FairPlay through Safari's legacy `WebKitMediaKeys` (the one players configure for that API). */
  FAIRPLAY_LEGACY: 'com.apple.fps.1_0',
  /** FairPlay's second legacy WebKit version. */
  FAIRPLAY_LEGACY_2: 'com.apple.fps.2_0',
  /** ClearKey (the emulator's development stand-in). */
  CLEARKEY: 'org.w3.clearkey',
} as const;

/** One of the {@link KeySystem} strings. */
export type KeySystem = (typeof KeySystem)[keyof typeof KeySystem];

/** The key system each DRM is configured with when detection named none: the one detection probes first. */
const DEFAULT_KEY_SYSTEMS: Readonly<Record<Drm, KeySystem>> = {
  widevine: KeySystem.WIDEVINE,
  playready: KeySystem.PLAYREADY,
  fairplay: KeySystem.FAIRPLAY,
  clearkey: KeySystem.CLEARKEY,
};

/**
 * Each DRM's key systems through standard EME, in the order detection prefers them
 * when several answer (PlayReady: the recommendation one, then SL3000 only, then the
 * older name); the first is {@link defaultKeySystem}.
 */
export const EME_KEY_SYSTEMS: Readonly<Record<Drm, readonly [KeySystem, ...KeySystem[]]>> = {
  widevine: [KeySystem.WIDEVINE],
  playready: [KeySystem.PLAYREADY, KeySystem.PLAYREADY_HARDWARE, KeySystem.PLAYREADY_LEGACY],
  fairplay: [KeySystem.FAIRPLAY],
  clearkey: [KeySystem.CLEARKEY],
};

/** FairPlay's legacy WebKit key systems, in the order they are tried. */
export const LEGACY_FAIRPLAY_KEY_SYSTEMS = [
  KeySystem.FAIRPLAY_LEGACY,
  KeySystem.FAIRPLAY_LEGACY_2,
  KeySystem.FAIRPLAY,
] as const;

/** The key system a DRM is configured with when detection did not name one: the one it probes first. */
export function defaultKeySystem(drm: Drm): KeySystem {
  return DEFAULT_KEY_SYSTEMS[drm];
}

/**
 * The DRM a key system string belongs to, or `undefined` for one this library does
 * not handle. PlayReady and FairPlay by prefix: both vendors add suffixed variants
 * (`com.microsoft.playready.hardware`, `com.apple.fps.3_0`) that are still theirs.
 */
export function drmOfKeySystem(keySystem: string): Drm | undefined {
  if (keySystem === KeySystem.WIDEVINE) return 'widevine';
  if (keySystem === KeySystem.CLEARKEY) return 'clearkey';
  if (keySystem === KeySystem.PLAYREADY_LEGACY || keySystem.startsWith(`${KeySystem.PLAYREADY_LEGACY}.`))
    return 'playready';
  if (keySystem === KeySystem.FAIRPLAY || keySystem.startsWith(`${KeySystem.FAIRPLAY}.`)) return 'fairplay';
  return undefined;
}
