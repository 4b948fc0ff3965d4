// The full drop-in script (`dist/umd/expressplay-eme-full.min.js`): everything a page
// can run, on `window.ExpressPlayEME` like the Video.js drop-in it replaces: both the
// Shaka and the Video.js adapter, `attachFairPlay` for a bare <video>, the parsers, the
// catalog. Pages with one player load that player's smaller drop-in instead.
// The core's back-end-only token request builder and validator (buildTokenRequest,
// validateTokenParams, serializeTokenParams, the form encoders, …) are left out: a
// page never builds a token request (its back end does, with `expressplay-eme/server`
// or the ESM entry '.').
export * from './core/client-side.js';
export * from './browser/index.js';
// Shaka Player: `await ExpressPlayEME.attachExpressPlay(player, options)` (reads window.shaka at run time).
export { attachExpressPlay, expressPlayErrorOf } from './shaka/index.js';
// Video.js: `ExpressPlayEME.registerExpressPlay(videojs)`, and done here already when video.js was loaded first.
export { registerExpressPlay } from './videojs/index.js';
import { autoRegisterExpressPlay } from './videojs/index.js';
autoRegisterExpressPlay();
