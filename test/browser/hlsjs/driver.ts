// The hls.js driver of the shared adapter suite: hls.js from its UMD build (as
// script-tag users load it), `attachExpressPlay` from src/hlsjs.
import type Hls from 'hls.js';
import { isExpressPlayError, type ExpressPlayError, type ExpressPlayEvent } from '../../../src/index.js';
import { attachExpressPlay } from '../../../src/hlsjs/index.js';
import { loadScript } from '../support/page.js';
import type { PlayerDriver } from '../adapters/e2e-suite.js';

export const HLS_STREAMS = [
  { id: 'clearkey-hls-a', url: '/test/media/clearkey-hls-a/master.m3u8', kid: 'L0f97_MDZ9jotrtW0YKN3w' },
  { id: 'clearkey-hls-b', url: '/test/media/clearkey-hls-b/master.m3u8', kid: 'l8tIriMQSNnB1gkGPtEf7w' },
] as const;

const EVENTS = [
  'expressplay:detected',
  'expressplay:token',
  'expressplay:license',
  'expressplay:keystatus',
  'expressplay:error',
];

/** A driver for the hls.js build at `script` (e.g. the oldest claimed version's). */
export function hlsDriver(
  name: string,
  script: string,
  rejectsAfterDestroy?: string,
): PlayerDriver & { readonly hls: Hls } {
  let hls: Hls | undefined;
  let video: HTMLVideoElement | undefined;
  const events: ExpressPlayEvent[] = [];
  const playerErrors: ExpressPlayError[] = [];
  const HlsClass = () => (window as unknown as { Hls: typeof Hls }).Hls;
  return {
    name,
    streams: HLS_STREAMS,
    events,
    playerErrors,
    get hls() {
      if (!hls) throw new Error('no hls.js instance');
      return hls;
    },
    ...(rejectsAfterDestroy ? { rejectsAfterDestroy: { file: script, why: rejectsAfterDestroy } } : {}),
    loadPlayer: () => loadScript(script),
    create(v, scope) {
      events.length = 0;
      playerErrors.length = 0;
      video = v;
      scope.track(v, 'video');
      hls = new (HlsClass())({ debug: false });
      for (const type of EVENTS)
        (hls as unknown as { on(t: string, f: (n: string, e: ExpressPlayEvent) => void): void }).on(type, (_n, e) =>
          events.push(e),
        );
      hls.on(HlsClass().Events.ERROR, (_n, data) => {
        if (isExpressPlayError(data.error)) playerErrors.push(data.error);
      });
    },
    async attach(options) {
      return attachExpressPlay(this.hls, options);
    },
    load(url) {
      if (!this.hls.media) this.hls.attachMedia(video!);
      this.hls.loadSource(url);
    },
    async destroy() {
      hls?.destroy();
      hls = undefined;
    },
  };
}
