// dash.js 5.0 (the oldest version peerDependencies claim) end to end: the same suite.
import { adapterSuite } from '../adapters/e2e-suite.js';
import { engine } from '../support/engine.js';
import { DASH_OWN_VIDEO_LISTENER, dashDriver } from './driver.js';

const driver = dashDriver(
  'dash.js 5.0',
  '/node_modules/dashjs-5.0/dist/modern/umd/dash.all.min.js',
  DASH_OWN_VIDEO_LISTENER,
);
// Known defect (issue #14 stays open): in Firefox, dash.js 5.0 after rapid A→B→A asked for no
// license at all and never played (A's token fetched, no license request); dash.js 5.2 and
// Chromium pass. Skipped there with the reason printed, never counted as passing.
if (engine === 'firefox') {
  Object.defineProperty(driver, 'knownSwitchStall', {
    value: 'known defect: dash.js 5.0 in Firefox asks for no license after A→B→A and never plays (issue #14)',
  });
}
adapterSuite(driver);
