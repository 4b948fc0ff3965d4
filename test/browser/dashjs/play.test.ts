// dash.js (latest) adapter end to end: see ../adapters/e2e-suite.ts.
import { adapterSuite } from '../adapters/e2e-suite.js';
import { DASH_OWN_VIDEO_LISTENER, dashDriver } from './driver.js';

adapterSuite(
  dashDriver('dash.js 5.2', '/node_modules/dashjs/dist/modern/umd/dash.all.min.js', DASH_OWN_VIDEO_LISTENER),
);
