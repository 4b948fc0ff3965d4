// The part of Shaka's `drm` configuration the adapter sets for the detected key
// system, and the app's own values of it, restored on detach.

import { PLACEHOLDER_SERVER } from '../browser/allowlist.js';
import type shaka from 'shaka-player';
import type { KeySystemSupport } from '../browser/types/detection.js';

type DrmConfiguration = shaka.extern.DrmConfiguration;
type SavedDrmConfig = Pick<
  DrmConfiguration,
  'servers' | 'advanced' | 'preferredKeySystems' | 'retryParameters' | 'initDataTransform' | 'failureCallback'
>;

/** The adapter's hooks in the DRM configuration. */
export interface DrmConfigHooks {
  /** FairPlay only: `skd` initData → what the CDM wants. */
  initDataTransform?: NonNullable<DrmConfiguration['initDataTransform']>;
  failureCallback: DrmConfiguration['failureCallback'];
}

/** The player's DRM configuration for one key system: set by `apply()`, the app's restored by `restore()`. */
export class ShakaDrmConfig {
  readonly #player: shaka.Player;
  readonly #keySystem: string;
  readonly #base: DrmConfiguration;
  /** The app's values of every field the adapter sets (its hooks call the app's own). */
  readonly saved: SavedDrmConfig;

  constructor(player: shaka.Player, keySystem: string) {
    this.#player = player;
    this.#keySystem = keySystem;
    const base = player.getConfiguration().drm;
    this.#base = base;
    this.saved = {
      servers: base.servers,
      advanced: base.advanced,
      preferredKeySystems: base.preferredKeySystems,
      retryParameters: base.retryParameters,
      initDataTransform: base.initDataTransform,
      failureCallback: base.failureCallback,
    };
  }

  /**
   * The placeholder server (the request filter puts the rights URL in), robustness from
   * detection, the FairPlay certificate, this key system first, at least 2 license
   * attempts, and the adapter's hooks.
   */
  apply(support: KeySystemSupport, certificate: Uint8Array | undefined, hooks: DrmConfigHooks): void {
    const base = this.#base;
    const keySystem = this.#keySystem;
    const advanced: Partial<shaka.extern.AdvancedDrmConfiguration> = {
      ...(base.advanced?.[keySystem] ?? {}),
      videoRobustness: support.videoRobustness ? [support.videoRobustness] : [],
      audioRobustness: support.audioRobustness ? [support.audioRobustness] : [],
      ...(certificate ? { serverCertificate: certificate } : {}),
    };
    this.#player.configure({
      drm: {
        servers: { [keySystem]: PLACEHOLDER_SERVER },
        advanced: { [keySystem]: advanced },
        preferredKeySystems: [keySystem],
        // The refresh needs one retry from Shaka; more is the app's choice.
        retryParameters: { maxAttempts: Math.max(2, base.retryParameters.maxAttempts) },
        ...(hooks.initDataTransform ? { initDataTransform: hooks.initDataTransform } : {}),
        // Only where this Shaka has drm.failureCallback (older versions do not).
        ...('failureCallback' in base ? { failureCallback: hooks.failureCallback } : {}),
      },
    });
  }

  /** Puts the app's values back (nothing to do on a destroyed player). */
  restore(): void {
    const { saved } = this;
    const keySystem = this.#keySystem;
    try {
      // Shaka merges config objects: a key system's entry is removed with `undefined`.
      this.#player.configure({
        drm: {
          ...saved,
          servers: { [keySystem]: saved.servers[keySystem] },
          advanced: { [keySystem]: saved.advanced?.[keySystem] },
        },
      });
    } catch {
      // A destroyed player has no configuration left to restore.
    }
  }
}
