// hls.js (latest) adapter end to end: see ../adapters/e2e-suite.ts.
import { adapterSuite } from '../adapters/e2e-suite.js';
import { hlsDriver } from './driver.js';

adapterSuite(hlsDriver('hls.js 1.7', '/node_modules/hls.js/dist/hls.min.js'));
