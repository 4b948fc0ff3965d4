// The adapters' way to FairPlay's code (fairplay-code.ts), loaded with import() when
// detection picks FairPlay: the ESM entries stay without it, and Widevine, PlayReady
// and ClearKey pages never fetch it. The asynchronous helpers load it themselves; the
// synchronous ones need it loaded already, which `detectDrmWithItsCode`
// (detect-with-code.ts) guarantees before an adapter sees a FairPlay profile.

import type * as FairPlayCodeModule from './fairplay-code.js';
import { onDemand } from './on-demand.js';

type FairPlayCode = typeof FairPlayCodeModule;

const fairPlayCode = onDemand<FairPlayCode>('fairplay', () => import('./fairplay-code.js'), 'fairplay');

/** Loads FairPlay's code once per page (-9010 when its chunk cannot be fetched). */
export const loadFairPlayCode = (): Promise<void> => fairPlayCode.load().then(() => undefined);

/** {@link FairPlayCodeModule.getFairPlayCertificate}, loading FairPlay's code first. */
export const getFairPlayCertificate: FairPlayCode['getFairPlayCertificate'] = async (...args) =>
  (await fairPlayCode.load()).getFairPlayCertificate(...args);
/** {@link FairPlayCodeModule.requestCkc}, loading FairPlay's code first. */
export const requestCkc: FairPlayCode['requestCkc'] = async (...args) =>
  (await fairPlayCode.load()).requestCkc(...args);
export const contentIdFromSkd: FairPlayCode['contentIdFromSkd'] = (...args) =>
  fairPlayCode.get().contentIdFromSkd(...args);
export const rightsUrlFromSkd: FairPlayCode['rightsUrlFromSkd'] = (...args) =>
  fairPlayCode.get().rightsUrlFromSkd(...args);
export const skdFromInitData: FairPlayCode['skdFromInitData'] = (...args) =>
  fairPlayCode.get().skdFromInitData(...args);
export const legacyFairPlayInitData: FairPlayCode['legacyFairPlayInitData'] = (...args) =>
  fairPlayCode.get().legacyFairPlayInitData(...args);
export const unwrapCkc: FairPlayCode['unwrapCkc'] = (...args) => fairPlayCode.get().unwrapCkc(...args);
