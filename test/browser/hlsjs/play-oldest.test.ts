// hls.js 1.5 (the oldest version peerDependencies claim) end to end: the same suite.
import { adapterSuite } from '../adapters/e2e-suite.js';
import { hlsDriver } from './driver.js';

adapterSuite(hlsDriver('hls.js 1.5', '/node_modules/hls.js-1.5/dist/hls.min.js'));
