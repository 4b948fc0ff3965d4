// hls.js 1.5 (the oldest version peerDependencies claim) end to end: the same suite.
import { adapterSuite } from '../adapters/e2e-suite.js';
import { hlsDriver } from './driver.js';

adapterSuite(
  hlsDriver(
    'hls.js 1.5',
    '/node_modules/hls.js-1.5/dist/hls.min.js',
    // Seen in Firefox: destroyed while requestMediaKeySystemAccess is pending, hls.js 1.5's
    // attemptKeySystemAccess continuation reads its nulled config ("can't access property
    // 'loader'") inside hls.js's own code.
    "hls.js 1.5's EME controller rejects after destroy() when key system access was pending",
  ),
);
