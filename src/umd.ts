// The drop-in script: what a page without a bundler needs, on `window.ExpressPlayEME`.
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
