// What fairplay-on-demand.ts offers, with FairPlay's code imported statically: the UMD
// drop-ins are one file each, with nothing to load later, and build with this module in
// place of that one (rollup.config.mjs), so they carry only the FairPlay functions they
// call. Each export is typed as its on-demand twin's.

import type * as OnDemand from './fairplay-on-demand.js';
import { getFairPlayCertificate as certificate } from './certificate.js';
import { requestCkc as ckc } from './fairplay.js';
import * as core from '../core/fairplay.js';

export const loadFairPlayCode: typeof OnDemand.loadFairPlayCode = () => Promise.resolve();
export const getFairPlayCertificate: typeof OnDemand.getFairPlayCertificate = certificate;
export const requestCkc: typeof OnDemand.requestCkc = ckc;
export const contentIdFromSkd: typeof OnDemand.contentIdFromSkd = core.contentIdFromSkd;
export const rightsUrlFromSkd: typeof OnDemand.rightsUrlFromSkd = core.rightsUrlFromSkd;
export const skdFromInitData: typeof OnDemand.skdFromInitData = core.skdFromInitData;
export const legacyFairPlayInitData: typeof OnDemand.legacyFairPlayInitData = core.legacyFairPlayInitData;
export const unwrapCkc: typeof OnDemand.unwrapCkc = core.unwrapCkc;
