// Script-tag mode: everything comes from window.ExpressPlayEME, set by
// <script src="/dist/umd/expressplay-eme.min.js">, which also registered the
// Video.js plugin because video.js was loaded before it.
import { startDemo } from './app.js';

const lib = window.ExpressPlayEME;
startDemo({
  mode: 'umd',
  lib,
  // The drop-in carries the Shaka adapter only if the build puts it there.
  attachShaka: lib && typeof lib.attachExpressPlay === 'function' ? lib.attachExpressPlay : undefined,
  // hls.js and dash.js have drop-ins of their own.
  attachHls: window.ExpressPlayEMEHlsjs?.attachExpressPlay,
  attachDash: window.ExpressPlayEMEDashjs?.attachExpressPlay,
  howLoaded:
    '<script src="expressplay-eme.min.js"> → window.ExpressPlayEME (Video.js plugin registered automatically); expressplay-eme-hlsjs.min.js / -dashjs.min.js for hls.js / dash.js',
});
