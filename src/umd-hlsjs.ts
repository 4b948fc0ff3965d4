// The hls.js drop-in script (`dist/umd/expressplay-eme-hlsjs.min.js`): the token
// client, detection, typed errors and the hls.js adapter on `window.ExpressPlayEMEHlsjs`, for pages that load
// hls.js with a script tag. Kept out of the main drop-in so that a page pays only for
// its own player's adapter: `await ExpressPlayEMEHlsjs.attachExpressPlay(hls, options)`.
// Only what a script-tag page of this player uses (the main drop-in keeps everything).
export { createTokenClient, detectDrm, getFairPlayCertificate } from './browser/index.js';
export { catalogEntry, ClientCode, ExpressPlayError, isExpressPlayError, redactTokens } from './core/index.js';
export { attachExpressPlay, expressPlayErrorOf } from './hlsjs/index.js';
