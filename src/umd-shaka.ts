// The Shaka Player drop-in script (`dist/umd/expressplay-eme-shaka.min.js`): the token
// client, detection, typed errors and the Shaka adapter on `window.ExpressPlayEMEShaka`,
// for pages that load Shaka's compiled build with a script tag:
// `await ExpressPlayEMEShaka.attachExpressPlay(player, options)` (reads window.shaka at run time).
export { createTokenClient, detectDrm, getFairPlayCertificate } from './browser/index.js';
export { catalogEntry, ClientCode, ExpressPlayError, isExpressPlayError, redactTokens } from './core/index.js';
export { attachExpressPlay, expressPlayErrorOf } from './shaka/index.js';
