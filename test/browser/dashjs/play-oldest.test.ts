// dash.js 5.0 (the oldest version peerDependencies claim) end to end: the same suite.
import { adapterSuite } from '../adapters/e2e-suite.js';
import { DASH_OWN_VIDEO_LISTENER, dashDriver } from './driver.js';

adapterSuite(
  dashDriver('dash.js 5.0', '/node_modules/dashjs-5.0/dist/modern/umd/dash.all.min.js', DASH_OWN_VIDEO_LISTENER),
);
