// `expressplay:*` events, as the adapters and the token client emit them.

import type { Drm, ExpressPlayError } from '../../core/errors.js';
import type { DrmProfile } from './detection.js';
import type { RightsSource } from './token-client.js';

/** The events both adapters (and `attachFairPlay`, the token client) emit. */
export type ExpressPlayEventType =
  'expressplay:detected' | 'expressplay:token' | 'expressplay:license' | 'expressplay:keystatus' | 'expressplay:error';

/**
 * The payload of every `expressplay:*` event. Fields are set where they apply:
 * `profile` on `detected`; `rightsUrl` and `source` on `token` and `license`;
 * `keyStatus` on `keystatus`; `error` on `error`.
 */
export interface ExpressPlayEvent {
  /** Which event. */
  type: ExpressPlayEventType;
  /** performance.now() when it happened. */
  time: number;
  /** How long the step took (ms), where it is a step. */
  durationMs?: number;
  /** The DRM concerned. */
  drm?: Drm;
  /** The app's content id concerned. */
  contentId?: string;
  /** `token`, `license`, `error`: the key ids the token or license session is for (hex), when known. */
  kids?: readonly string[];
  /** Rights URL with the token redacted. */
  rightsUrl?: string;
  /** Where the rights URL came from. */
  source?: RightsSource;
  /** `expressplay:detected`: the device's DRM profile. */
  profile?: DrmProfile;
  /** `expressplay:keystatus`: the key id (hex; FairPlay legacy: the content id) and its EME status. */
  keyStatus?: {
    /** Key id as hex. */
    keyId: string;
    /** `usable`, `expired`, `output-restricted`, … */
    status: string;
  };
  /** `expressplay:error`: the typed error. */
  error?: ExpressPlayError;
}
