// `expressplay-eme/videojs`: the Video.js adapter. A plugin (`player.expressplay(options)`)
// plus a source middleware that gives every `{ expressplay: { contentId } }` source the
// videojs-contrib-eme `keySystems` it needs. contrib-eme does all EME session work; this
// adapter only decides the key system, where licenses go, and what to do when a token is refused.
// Video.js is never imported at run time: it arrives through registerExpressPlay(videojs).
// The plugin (plugin.ts), the middleware (middleware.ts), the contrib-eme keySystems entry
// (eme-options.ts), a source's tokens (source-load.ts) and errors (errors.ts) each have their file.

import { beforeErrorHook } from './errors.js';
import { middlewareFor } from './middleware.js';
import { expressplayPlugin, pluginOf } from './plugin.js';
import type { VideoJsLike } from './types.js';

export type * from './types.js';
export { typedError } from './errors.js';

const registered = new WeakSet<object>();

/**
 * Registers the `expressplay` plugin, its source middleware and its error hook on this Video.js.
 * Idempotent per `videojs` object. videojs-contrib-eme must be loaded before
 * `player.expressplay()` is called.
 *
 * Then `player.expressplay(options)` starts detection and returns an
 * {@link ExpressPlayHandle}; a source with an `expressplay` field
 * (`{ src, type, expressplay: { contentId } }`) gets contrib-eme `keySystems` for
 * the detected DRM (`getLicense`, and `getCertificate` / `getContentId` for
 * FairPlay) and its token fetch starts in parallel with the manifest. A license
 * request failing with a retryable error (5xx, network, timeout) is tried up to
 * 3 times with backoff (contrib-eme has no retry of its own); one refused for its
 * token (-4010 / 401 / 403) gets one fresh token and one retry.
 *
 * How keys are chosen: a ClearKey session's key ids are read from its license
 * request (`{"kids":[…]}`), and the request goes to the token for those key ids
 * (one token per key: the token client's entry per drm, content and key-id set).
 * Single-key content uses the token fetched at `src()` (the back end answers a
 * request without `kids` with the content's one key); for multi-key content the
 * back end answers that -4018 and each key's token is fetched when its session
 * starts. contrib-eme does not hand a session's initData to `getLicense`, so for
 * Widevine / PlayReady the key ids are the source's `kids`, when the app gives them.
 * A session asking for several key ids at once fails with -9045.
 * Failures reach `player.error()` as MediaError code 5 with the typed error on
 * `player.error().expressplay`; `expressplay:*` events are triggered on the player.
 *
 * Errors thrown by `player.expressplay()`: -9030 when contrib-eme is not loaded,
 * -9001 without `token` or `tokenClient`. Errors of a source (reported through
 * `player.error()`): -9030 when the chosen DRM is not supported, -9001 without
 * `contentId` (except FairPlay) or FairPlay without a certificate, -9042 for an
 * unusable skd URI, and the token, allowlist and license errors.
 *
 * @param videojs - the `videojs` function object (only its `registerPlugin`, `use` and `hook` are used).
 *
 * @example
 * ```ts
 * import videojs from 'video.js';
 * import 'videojs-contrib-eme';
 * import type Player from 'video.js/dist/types/player';
 * import { registerExpressPlay, type ExpressPlayPlayer } from 'expressplay-eme/videojs';
 *
 * registerExpressPlay(videojs);
 * const player = videojs('my-video') as ExpressPlayPlayer<Player>;
 * player.expressplay({ token: { endpoint: '/api/expressplay-token' } });
 * player.src({ src: '/movie-42/manifest.mpd', type: 'application/dash+xml', expressplay: { contentId: 'movie-42' } });
 * player.on('expressplay:error', (_e, payload) => console.error(payload.error));
 * ```
 */
export function registerExpressPlay(videojs: VideoJsLike): void {
  if (registered.has(videojs)) return;
  registered.add(videojs);
  videojs.registerPlugin('expressplay', expressplayPlugin);
  videojs.use('*', middlewareFor);
  videojs.hook(
    'beforeerror',
    beforeErrorHook((player) => pluginOf(player)?.handedToEme),
  );
}

/**
 * For the drop-in script: registers on `window.videojs` when the page loaded it first.
 *
 * @returns whether a `window.videojs` was found (and registered on).
 */
export function autoRegisterExpressPlay(): boolean {
  const videojs = (globalThis as { videojs?: VideoJsLike }).videojs;
  if (typeof videojs !== 'function' && typeof videojs !== 'object') return false;
  registerExpressPlay(videojs);
  return true;
}
