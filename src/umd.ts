// The drop-in script: everything a page needs, on `window.ExpressPlayEME`.
export * from './index.js';
// Video.js: `ExpressPlayEME.registerExpressPlay(videojs)`, and done here already when video.js was loaded first.
export { registerExpressPlay } from './videojs/index.js';
import { autoRegisterExpressPlay } from './videojs/index.js';
autoRegisterExpressPlay();
