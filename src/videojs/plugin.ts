// The `expressplay` plugin on one player: the token client (the app's or its own),
// detection started at once, the one redacting emitter with the player as its sink,
// key statuses from the techs, and the source in use. Undone on dispose.

import { ClientCode } from '../core/catalog.js';
import { bytesToHex, toBytes } from '../core/encoding.js';
import { ExpressPlayError } from '../core/errors.js';
import { createTokenClient } from '../browser/token-client.js';
import { detectDrmWithItsCode } from '../browser/detect-with-code.js';
import { loadPlayReadyCode } from './playready-on-demand.js';
import { createEmitter } from '../browser/events.js';
import { createLogger } from '../browser/log.js';
import type { DrmProfile } from '../browser/types/detection.js';
import type { TokenClient } from '../browser/types/token-client.js';
import type { EmeHost } from './eme-options.js';
import { typedError } from './errors.js';
import type { Emit, SourceLoad } from './source-load.js';
import type { ExpressPlayHandle, ExpressPlayPluginOptions, VjsKeyStatusEvent, VjsPlayer, VjsTech } from './types.js';

const states = new WeakMap<VjsPlayer, PluginState>();

/** The plugin attached to `player`, if it is. */
export function pluginOf(player: VjsPlayer): PluginState | undefined {
  return states.get(player);
}

/** `player.expressplay(options)`: attaches (again: replaces the previous attachment). */
export function expressplayPlugin(this: VjsPlayer, options: ExpressPlayPluginOptions = {}): ExpressPlayHandle {
  states.get(this)?.dispose();
  const state = new PluginState(this, options);
  states.set(this, state);
  return { tokenClient: state.client, dispose: () => state.dispose() };
}

/** One attachment of the plugin to a player. */
export class PluginState implements EmeHost {
  // `declare`: set by the constructor only, so no field definitions in the bundle.
  declare readonly player: VjsPlayer;
  declare readonly options: ExpressPlayPluginOptions;
  declare readonly client: TokenClient;
  /** Started at attach so the source middleware rarely waits for it (it is memoized per page). */
  declare readonly profile: Promise<DrmProfile>;
  /** Every `expressplay:*` event goes through here: stamped, its rights URL redacted, then triggered on the player. */
  declare readonly emit: Emit;
  disposed = false;
  /** The source in use (none: no source yet, or one without `expressplay`). */
  load: SourceLoad | undefined;
  /** Bumped by every setSource: a source whose detection answers after a newer src() is dropped. */
  sourceGen = 0;
  handedToEme: ExpressPlayError | undefined;
  readonly #ownsClient: boolean;
  readonly #techs = new Set<VjsTech>();
  readonly #onDispose = () => this.dispose();

  /** @throws -9030 when contrib-eme is not loaded; -9001 without `token` or `tokenClient`; the client's errors. */
  constructor(player: VjsPlayer, options: ExpressPlayPluginOptions) {
    this.player = player;
    this.options = options;
    if (typeof player.eme === 'function') player.eme();
    else if (typeof player.eme !== 'object' || player.eme === null) {
      throw new ExpressPlayError(ClientCode.NO_KEY_SYSTEM, {
        details: 'videojs-contrib-eme is not loaded: load it before calling player.expressplay()',
      });
    }
    this.#ownsClient = options.tokenClient === undefined;
    if (this.#ownsClient && options.token === undefined) {
      throw new ExpressPlayError(ClientCode.INVALID_PARAMETER, {
        details: 'player.expressplay() needs `token` (token client options) or `tokenClient`',
      });
    }
    this.client = options.tokenClient ?? createTokenClient(options.token!);
    this.emit = createEmitter((event) => {
      // Fields on the event object and the payload as the listener's second argument.
      if (!this.disposed && !player.isDisposed()) player.trigger({ ...event }, event);
    }, createLogger(undefined));
    this.profile = detectDrmWithItsCode(options.detect, options.drm, { playready: loadPlayReadyCode });
    this.profile.then(
      (profile) => this.emit({ type: 'expressplay:detected', profile, durationMs: profile.durationMs }),
      () => undefined,
    );
    player.on('dispose', this.#onDispose);
  }

  /** The token client's allowlist check. */
  assertAllowedRightsUrl(url: string): void {
    this.client.assertAllowedRightsUrl(url);
  }

  /** Listens to a tech's key statuses (once per tech). */
  watchTech(tech: VjsTech): void {
    if (this.#techs.has(tech)) return;
    this.#techs.add(tech);
    tech.on('keystatuschange', this.#onKeyStatus);
  }

  /** A failure of the source itself (before contrib-eme has it): `expressplay:error` and `player.error()`. */
  fail(err: ExpressPlayError): void {
    this.emit({ type: 'expressplay:error', drm: err.drm, error: err });
    if (!this.player.isDisposed()) this.player.error(typedError(err));
  }

  /** Stops everything the plugin started on the player; an owned token client is disposed. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.load?.abort();
    for (const tech of this.#techs) tech.off('keystatuschange', this.#onKeyStatus);
    this.#techs.clear();
    if (this.#ownsClient) this.client.dispose();
    this.player.off('dispose', this.#onDispose);
    if (states.get(this.player) === this) states.delete(this.player);
  }

  readonly #onKeyStatus = (e: VjsKeyStatusEvent): void => {
    const keyId = e.keyId === undefined ? '' : bytesToHex(toBytes(e.keyId));
    this.emit({
      type: 'expressplay:keystatus',
      drm: this.load?.drm,
      contentId: this.load?.contentId,
      keyStatus: { keyId, status: e.status ?? '' },
    });
  };
}
