// The dash.js drop-in script (`dist/umd/expressplay-eme-dashjs.min.js`): the token
// client, detection, typed errors and the dash.js adapter on `window.ExpressPlayEMEDashjs`, for pages that load
// dash.js with a script tag. Kept out of the main drop-in so that a page pays only for
// its own player's adapter: `await ExpressPlayEMEDashjs.attachExpressPlay(player, options)`.
// Only what a script-tag page of this player uses (the main drop-in keeps everything).
export { createTokenClient, detectDrm, getFairPlayCertificate } from './browser/index.js';
export { catalogEntry, ClientCode, ExpressPlayError, isExpressPlayError, redactTokens } from './core/index.js';
export { attachExpressPlay, expressPlayErrorOf } from './dashjs/index.js';
