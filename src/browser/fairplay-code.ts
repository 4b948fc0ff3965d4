// The FairPlay code the player adapters run on Apple devices only: the certificate,
// the SPC → CKC request, the skd URI and the legacy initData layout. The adapters reach
// it through `fairplay-on-demand.ts`, so the ESM build emits it as a chunk of its own
// that other devices never download.

export { getFairPlayCertificate } from './certificate.js';
export { requestCkc } from './fairplay.js';
export {
  contentIdFromSkd,
  legacyFairPlayInitData,
  rightsUrlFromSkd,
  skdFromInitData,
  unwrapCkc,
} from '../core/fairplay.js';
