// The source middleware: every `{ expressplay: { contentId } }` source gets the
// contrib-eme `keySystems` entry of the detected DRM before Video.js loads it, and
// its token fetch starts then, in parallel with the manifest.

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError, type Drm } from '../core/errors.js';
import type { DrmProfile, KeySystemSupport } from '../browser/types/detection.js';
import { keySystemOptions } from './eme-options.js';
import { asError } from './errors.js';
import { keySystemFor } from './key-system.js';
import { pluginOf } from './plugin.js';
import { SourceLoad } from './source-load.js';
import type { VjsMiddleware, VjsPlayer, VjsSource } from './types.js';

/** `videojs.use('*', middlewareFor)`: the middleware of one player. */
export function middlewareFor(player: VjsPlayer): VjsMiddleware {
  return {
    setSource(src: VjsSource, next: (err: unknown, src: VjsSource) => void): void {
      const state = pluginOf(player);
      const wanted = src.expressplay;
      if (!state) return next(null, src);
      // Any new source, with or without `expressplay`: the old one's token and license
      // requests stop (a switch to a plain source used to leave them running).
      state.load?.abort();
      state.load = undefined;
      const gen = ++state.sourceGen;
      if (!wanted) return next(null, src);
      // Dropped when the player is gone, or when a newer src() came while detection was
      // still running: calling next() late would make Video.js load this stale source over
      // the newer one (and start its token request for nothing).
      const current = () => !state.disposed && gen === state.sourceGen;
      // A refused source is not handed on either: loading it would fire `loadstart`, which
      // clears player.error() (Video.js resets it there), and then stall silently on the
      // `encrypted` event with no keySystems. Video.js does the same for a source no tech
      // can play: an error, and the source is not loaded.
      state.profile.then(
        (profile) => {
          if (!current()) return;
          let keySystems: Record<string, unknown>;
          try {
            const support = pickSupport(profile, state.options.drm);
            const load = new SourceLoad(state.client, support, keySystemFor(support), wanted, state.emit);
            state.load = load;
            keySystems = { ...src.keySystems, [load.keySystem]: keySystemOptions(state, load) };
          } catch (e) {
            state.fail(asError(e));
            return;
          }
          // Not waiting for the token: it runs in parallel with the manifest request.
          next(null, { ...src, keySystems });
        },
        (e: unknown) => {
          if (current()) state.fail(asError(e));
        },
      );
    },
    setTech(tech) {
      pluginOf(player)?.watchTech(tech);
    },
  };
}

/** The DRM this source is played with: the app's choice, else detection's preference; it must be supported. */
function pickSupport(profile: DrmProfile, drm: Drm | undefined): KeySystemSupport {
  const support = drm ? profile[drm] : profile.preferred;
  if (!support?.supported) {
    throw new ExpressPlayError(ClientCode.NO_KEY_SYSTEM, {
      details: drm ? `${drm} is not supported here` : 'no supported DRM detected',
      drm,
    });
  }
  return support;
}
