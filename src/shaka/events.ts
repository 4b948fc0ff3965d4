// The adapter's `expressplay:*` events on a Shaka player: the one redacting
// emitter (browser/events.ts) with a sink that dispatches Shaka `FakeEvent`s,
// and every error reported once.

import type shaka from 'shaka-player';
import { createEmitter } from '../browser/events.js';
import { createLogger } from '../browser/log.js';
import type { ExpressPlayEvent } from '../browser/types/events.js';
import { ClientCode } from '../core/index.js';
import type { Drm, ExpressPlayError } from '../core/index.js';

type ShakaNamespace = typeof shaka;

/** An event to emit: stamped now, unless passed on from another emitter with its own time. */
export type PlayerEvent = Omit<ExpressPlayEvent, 'time'> & { time?: number };

/** The `expressplay:*` events of one attached player; silent once closed (detached). */
export class ShakaEvents {
  readonly #player: shaka.Player;
  readonly #shakaOf: () => ShakaNamespace | undefined;
  /** Errors already reported, so Shaka's own error paths do not report them twice. */
  readonly #reported = new WeakSet<ExpressPlayError>();
  readonly #emitter: (event: PlayerEvent) => void;
  #closed = false;
  /** The DRM detection chose (undefined until then): the `drm` of reported errors. */
  drm: Drm | undefined;

  /**
   * @param shakaOf - the Shaka namespace, looked up at each event (`FakeEvent` is
   * taken from it at run time, so the adapter never bundles a second Shaka).
   */
  constructor(player: shaka.Player, shakaOf: () => ShakaNamespace | undefined) {
    this.#player = player;
    this.#shakaOf = shakaOf;
    this.#emitter = createEmitter((event) => this.#dispatch(event), createLogger(undefined));
  }

  /** Dispatches `event` on the player, its rights URL redacted (nothing once closed). */
  emit(event: PlayerEvent): void {
    if (event.error) this.#reported.add(event.error);
    this.#emitter(event);
  }

  /** Emits `expressplay:error` once per error; aborts and disposal are not errors of the content. */
  report(error: ExpressPlayError, contentId?: string, kids?: readonly string[]): ExpressPlayError {
    if (
      !this.#reported.has(error) &&
      error.category !== 'aborted' &&
      error.code !== ClientCode.DISPOSED &&
      !this.#closed
    )
      this.emit({ type: 'expressplay:error', drm: this.drm, contentId, ...(kids?.length ? { kids } : {}), error });
    return error;
  }

  /** No more events. */
  close(): void {
    this.#closed = true;
  }

  #dispatch(event: ExpressPlayEvent): void {
    const FakeEvent = this.#shakaOf()?.util.FakeEvent;
    if (!FakeEvent || this.#closed) return;
    // Shaka's convention: the dict's entries become the event's own properties.
    const dict = new Map<string, unknown>(Object.entries(event)).set('detail', event);
    this.#player.dispatchEvent(new FakeEvent(event.type, dict as Map<string, object | null>));
  }
}
