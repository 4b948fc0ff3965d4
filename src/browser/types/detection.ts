// What `detectDrm` answers and takes: per-DRM support, the device profile, detection options.

import type { Drm } from '../../core/errors.js';
import type { HdcpOutputControl, SecurityLevel } from '../../core/params.js';
import type { EmeEnvironment } from './environment.js';

/** Common encryption schemes EME can be asked about (`cbcs-1-9`: cbcs with the 1:9 pattern). */
export type EncryptionScheme = 'cenc' | 'cbcs' | 'cbcs-1-9';
/** HDCP the outputs can do, in the seed's `hdcpOutputControl` terms; `'unknown'` when the browser cannot say. */
export type HdcpSupport = HdcpOutputControl | 'unknown';

/** What one DRM can do on this device. */
export interface KeySystemSupport {
  /** The DRM this entry is about. */
  drm: Drm;
  /** Whether EME granted access to a key system of this DRM. */
  supported: boolean;
  /** The EME key system string that worked (e.g. `com.widevine.alpha`, `com.apple.fps`). */
  keySystem?: string;
  /** `eme`: navigator.requestMediaKeySystemAccess; `webkit-legacy`: window.WebKitMediaKeys. */
  api?: 'eme' | 'webkit-legacy';
  /** Widevine: the best seed securityLevel (1–5) that works for video / for audio. */
  securityLevel?: SecurityLevel;
  /** Widevine: the best seed securityLevel (1–5) that works for audio. */
  audioSecurityLevel?: SecurityLevel;
  /** The robustness string that worked best for video (Widevine, PlayReady). */
  videoRobustness?: string;
  /** The robustness string that worked best for audio (Widevine, PlayReady). */
  audioRobustness?: string;
  /** PlayReady SL3000 / hardware-backed key system available. */
  hardware?: boolean;
  /** From MediaKeys.getStatusForPolicy; 'unknown' where the API is missing (never guessed). */
  hdcp: HdcpSupport;
  /** The encryption schemes it can decrypt (see `encryptionSchemesSource`). */
  encryptionSchemes: EncryptionScheme[];
  /**
   * `probed`: the browser honoured the `encryptionScheme` capability field, so
   * `encryptionSchemes` is what it said. `assumed`: it ignored the field (older
   * browsers) and `encryptionSchemes` is the DRM's baseline (`cenc`; FairPlay `cbcs`).
   */
  encryptionSchemesSource?: 'probed' | 'assumed';
  /** The highest HDCP version string getStatusForPolicy reported usable (e.g. `2.2`). */
  hdcpVersion?: string;
  /** Session types it supports (`temporary`, and `persistent-license` where available). */
  sessionTypes: MediaKeySessionType[];
  /**
   * `true` when this key system had not answered when detection returned: it could
   * not change `preferred` (a DRM earlier in the preference order is supported),
   * so {@link detectDrm} did not wait for it. `supported` is then `false`.
   */
  pending?: true;
}

/** What {@link detectDrm} found: one entry per DRM, and the preferred one. */
export interface DrmProfile {
  /** Widevine (`com.widevine.alpha`). */
  widevine: KeySystemSupport;
  /** FairPlay (`com.apple.fps` or the legacy WebKit key systems). */
  fairplay: KeySystemSupport;
  /** PlayReady (recommendation key systems, SL3000 first). */
  playready: KeySystemSupport;
  /** Present only when `includeClearKey` was asked. */
  clearkey?: KeySystemSupport;
  /** The first supported DRM in the preference order, if any. */
  preferred?: KeySystemSupport;
  /** How long the probe took (ms). */
  durationMs: number;
}

/** Options of {@link detectDrm}; every one except `refresh` and `environment` is part of the memo key. */
export interface DetectDrmOptions {
  /** Order of preference; default `['widevine', 'playready', 'fairplay']` (+ `clearkey` last when included). */
  preference?: readonly Drm[];
  /** Probe ClearKey too (development: the emulator's stand-in). */
  includeClearKey?: boolean;
  /** Content types to probe; default H.264 video and AAC audio in MP4. */
  videoContentTypes?: readonly string[];
  /** Audio content types to probe; default AAC in MP4. An empty list probes video only. */
  audioContentTypes?: readonly string[];
  /**
   * Walk HDCP versions with getStatusForPolicy (default true) for Widevine and PlayReady.
   * ClearKey is never walked: it has no output protection (its CDMs answer from a fixed
   * table), and starting its CDM only to ask would cost the first detection 100 ms or more
   * in Firefox. ClearKey's `hdcp` is always `'unknown'`.
   */
  hdcp?: boolean;
  /** Bypass the per-page memo and probe again. */
  refresh?: boolean;
  /** Encryption schemes to ask about (default `['cenc', 'cbcs']`). */
  encryptionSchemes?: readonly EncryptionScheme[];
  /**
   * Cap on each EME call in ms (default 5000): a CDM that never answers must not
   * hang start-up; a call that times out counts as unsupported. Detection waits for
   * it only while the key system is preferred over every supported one.
   */
  probeTimeoutMs?: number;
  /**
   * The EME entry points to use instead of the page's (tests, iframes). Memoized
   * separately per environment object.
   */
  environment?: EmeEnvironment;
}
