// ESM mode: the library's package entry points, as an app imports them (the page's
// import map stands in for the bundler that resolves 'expressplay-eme' in an app).
import * as ExpressPlayEME from 'expressplay-eme';
import { attachExpressPlay } from 'expressplay-eme/shaka';
import { registerExpressPlay } from 'expressplay-eme/videojs';
import { attachExpressPlay as attachHls } from 'expressplay-eme/hlsjs';
import { attachExpressPlay as attachDash } from 'expressplay-eme/dashjs';
import { startDemo } from './app.js';

// With ESM the app registers the Video.js plugin itself (the drop-in script does it on load).
if (window.videojs) registerExpressPlay(window.videojs);

startDemo({
  mode: 'esm',
  lib: ExpressPlayEME,
  attachShaka: attachExpressPlay,
  attachHls,
  attachDash,
  howLoaded:
    "import { detectDrm } from 'expressplay-eme'; import { attachExpressPlay } from 'expressplay-eme/shaka'; import { registerExpressPlay } from 'expressplay-eme/videojs'; import { attachExpressPlay } from 'expressplay-eme/hlsjs' (or '/dashjs')",
});
