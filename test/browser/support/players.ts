// Which player builds a test page loads with script tags. By default the newest
// (the devDependencies shaka-player, video.js, videojs-contrib-eme); the matrix
// run (`npm test`, "oldest peers": web-test-runner.config.mjs with
// WTR_PLAYERS=oldest) sets `window.__EXPRESSPLAY_PLAYERS__` before any test
// module runs, naming the npm aliases of the oldest versions package.json's
// peerDependencies claim (shaka-player-4.3, video.js-8.0, videojs-contrib-eme-5.0).

/** npm package names (or aliases) of the player builds. */
export interface PlayerPackages {
  shaka: string;
  videojs: string;
  contribEme: string;
}

declare global {
  interface Window {
    __EXPRESSPLAY_PLAYERS__?: PlayerPackages;
  }
}

/** The packages this page loads. */
export const players: PlayerPackages = window.__EXPRESSPLAY_PLAYERS__ ?? { shaka: 'shaka-player', videojs: 'video.js', contribEme: 'videojs-contrib-eme' };

/** Shaka Player's compiled UMD build. */
export const SHAKA_URL = `/node_modules/${players.shaka}/dist/shaka-player.compiled.js`;
/** Video.js's UMD build. */
export const VIDEOJS_URL = `/node_modules/${players.videojs}/dist/video.min.js`;
/** videojs-contrib-eme's UMD build. */
export const CONTRIB_EME_URL = `/node_modules/${players.contribEme}/dist/videojs-contrib-eme.min.js`;
