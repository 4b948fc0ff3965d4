// The drop-in script: everything a page without a bundler needs, on `window.ExpressPlayEME`.
export * from './index.js';
// Shaka Player: `await ExpressPlayEME.attachExpressPlay(player, options)` (reads window.shaka at run time).
export { attachExpressPlay, expressPlayErrorOf } from './shaka/index.js';
// Video.js: `ExpressPlayEME.registerExpressPlay(videojs)`, and done here already when video.js was loaded first.
export { registerExpressPlay } from './videojs/index.js';
import { autoRegisterExpressPlay } from './videojs/index.js';
autoRegisterExpressPlay();
