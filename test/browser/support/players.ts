// Which player builds a test page loads with script tags. By default the newest
// (the devDependencies shaka-player, video.js, videojs-contrib-eme); in the
// matrix run (`npm test`'s "oldest players" parts: web-test-runner.config.mjs
// with WTR_PLAYERS=oldest) the page sets `window.__EXPRESSPLAY_PLAYERS__ =
// 'oldest'` before any test module runs and loads the oldest versions
// package.json's peerDependencies claim, from their npm aliases.

/** npm package names (or aliases) of the player builds. */
export interface PlayerPackages {
  shaka: string;
  videojs: string;
  contribEme: string;
}

declare global {
  interface Window {
    __EXPRESSPLAY_PLAYERS__?: 'oldest';
  }
}

/** The newest versions: the devDependencies. */
export const NEWEST: PlayerPackages = { shaka: 'shaka-player', videojs: 'video.js', contribEme: 'videojs-contrib-eme' };

/**
 * The oldest versions peerDependencies claim (keep the two in step). Shaka's is its
 * newest, 5.2: Shaka 4.3.16 (alias `shaka-player-4.3`) fails the adapter's
 * end-to-end tests — its asset URI is unset at `loading`, it takes robustness as a
 * string, its license responses carry no `originalRequest`, it has no
 * `keystatuschanged` event — so the range starts where CI passes.
 */
export const OLDEST: PlayerPackages = {
  shaka: 'shaka-player',
  videojs: 'video.js-8.0',
  contribEme: 'videojs-contrib-eme-5.0',
};

/** The packages this page loads. */
export const players: PlayerPackages = window.__EXPRESSPLAY_PLAYERS__ === 'oldest' ? OLDEST : NEWEST;

/** Shaka Player's compiled UMD build. */
export const SHAKA_URL = `/node_modules/${players.shaka}/dist/shaka-player.compiled.js`;
/** Video.js's UMD build. */
export const VIDEOJS_URL = `/node_modules/${players.videojs}/dist/video.min.js`;
/** videojs-contrib-eme's UMD build. */
export const CONTRIB_EME_URL = `/node_modules/${players.contribEme}/dist/videojs-contrib-eme.min.js`;
