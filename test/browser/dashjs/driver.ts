// The dash.js driver of the shared adapter suite: dash.js from its UMD build (as
// script-tag users load it), `attachExpressPlay` from src/dashjs.
import type { MediaPlayerClass } from 'dashjs';
import { type ExpressPlayError, type ExpressPlayEvent } from '../../../src/index.js';
import { attachExpressPlay, expressPlayErrorOf } from '../../../src/dashjs/index.js';
import { loadScript } from '../support/page.js';
import type { PlayerDriver } from '../adapters/e2e-suite.js';

export const DASH_STREAMS = [
  { id: 'clearkey-dash-cenc', url: '/test/media/clearkey-dash-cenc/manifest.mpd', kid: 'FMcTG0upIONsQe_T4JAqHQ' },
  { id: 'clearkey-dash-cbcs', url: '/test/media/clearkey-dash-cbcs/manifest.mpd', kid: 'PnR0fR_5qxmCs0TjSL1IAw' },
] as const;

/** Why the suite does not count one listener dash.js itself leaves on the <video> (see `leavesVideoListeners`). */
export const DASH_OWN_VIDEO_LISTENER =
  "dash.js 5's VideoModel.waitForReadyState leaves its 'loadedmetadata' listener on the video when the player is destroyed before metadata arrives (dash.js's own frames only)";

const EVENTS = [
  'expressplay:detected',
  'expressplay:token',
  'expressplay:license',
  'expressplay:keystatus',
  'expressplay:error',
];
type DashNamespace = { MediaPlayer(): { create(): MediaPlayerClass } };

/** A driver for the dash.js build at `script` (e.g. the oldest claimed version's). */
export function dashDriver(
  name: string,
  script: string,
  leavesVideoListeners?: string,
): PlayerDriver & { readonly player: MediaPlayerClass } {
  let player: MediaPlayerClass | undefined;
  const events: ExpressPlayEvent[] = [];
  const playerErrors: ExpressPlayError[] = [];
  return {
    name,
    leavesVideoListeners,
    // dash.js 5's own attachSource → reset → setMediaElement calls setMediaKeys while its
    // previous setMediaKeys is still pending and leaves the InvalidStateError unhandled
    // (its own frames only, seen when a player is switched or destroyed mid-start).
    rejectsAfterDestroy: {
      file: script,
      why: "dash.js 5 leaves its own setMediaKeys InvalidStateError unhandled ('Another request is in progress')",
    },
    streams: DASH_STREAMS,
    events,
    playerErrors,
    get player() {
      if (!player) throw new Error('no dash.js player');
      return player;
    },
    loadPlayer: () => loadScript(script),
    create(video, scope) {
      events.length = 0;
      playerErrors.length = 0;
      scope.track(video, 'video');
      player = (window as unknown as { dashjs: DashNamespace }).dashjs.MediaPlayer().create();
      player.updateSettings({ debug: { logLevel: 0 } });
      player.initialize(video, undefined, true);
      for (const type of EVENTS) player.on(type, (e: ExpressPlayEvent) => events.push(e));
      player.on('error', (e: { error?: unknown }) => {
        const err = expressPlayErrorOf(e);
        if (err) playerErrors.push(err);
      });
    },
    async attach(options) {
      return attachExpressPlay(this.player, options);
    },
    load(url) {
      this.player.attachSource(url);
    },
    async destroy() {
      player?.destroy?.();
      player = undefined;
    },
  };
}
