// Script-tag mode: everything comes from the drop-ins' globals. window.ExpressPlayEME,
// set by <script src="/dist/umd/expressplay-eme.min.js">, registered the Video.js
// plugin because video.js was loaded before it; each other player has its own.
import { startDemo } from './app.js';

const lib = window.ExpressPlayEME;
startDemo({
  mode: 'umd',
  lib,
  // Shaka, hls.js and dash.js have drop-ins of their own.
  attachShaka: window.ExpressPlayEMEShaka?.attachExpressPlay,
  attachHls: window.ExpressPlayEMEHlsjs?.attachExpressPlay,
  attachDash: window.ExpressPlayEMEDashjs?.attachExpressPlay,
  howLoaded:
    '<script src="expressplay-eme.min.js"> → window.ExpressPlayEME (Video.js plugin registered automatically); expressplay-eme-shaka / -hlsjs / -dashjs.min.js for Shaka / hls.js / dash.js',
});
