// The drop-in script (`dist/umd/expressplay-eme.min.js`, `window.ExpressPlayEME`): the
// Video.js plugin, registered by itself when video.js was loaded first, with the token
// client, detection and the typed errors. The other players have drop-ins of their own
// (`-shaka`, `-hlsjs`, `-dashjs`), so a page pays only for its own player's adapter;
// `expressplay-eme-full.min.js` is everything a page can run, on the same global.
export { createTokenClient, detectDrm, getFairPlayCertificate } from './browser/index.js';
export { catalogEntry, ClientCode, ExpressPlayError, isExpressPlayError, redactTokens } from './core/index.js';
// Video.js: `ExpressPlayEME.registerExpressPlay(videojs)`, and done here already when video.js was loaded first.
export { registerExpressPlay } from './videojs/index.js';
import { autoRegisterExpressPlay } from './videojs/index.js';
autoRegisterExpressPlay();
