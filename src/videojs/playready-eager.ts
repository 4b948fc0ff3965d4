// What playready-on-demand.ts offers, with PlayReady's code imported statically: the
// UMD drop-ins build with this module in its place (rollup.config.mjs), having nothing
// to load later. Each export is typed as its on-demand twin's.

import type * as OnDemand from './playready-on-demand.js';
import { playReadyRequest as request } from './playready.js';

export const loadPlayReadyCode: typeof OnDemand.loadPlayReadyCode = () => Promise.resolve();
export const playReadyRequest: typeof OnDemand.playReadyRequest = async (...args) => request(...args);
