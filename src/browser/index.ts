// The browser layer: EME detection, the token client, license requests and
// FairPlay. Framework-free: the Shaka and Video.js adapters are built on this.
export { detectDrm, preferredIn, KEY_SYSTEMS, LEGACY_FAIRPLAY_KEY_SYSTEMS, WIDEVINE_LADDER } from './detect.js';
export { createTokenClient } from './token-client.js';
export { requestLicense } from './license.js';
export {
  getFairPlayCertificate,
  clearFairPlayCertificateCache,
  preconnectFairPlayCertificate,
  decodeCertificate,
} from './certificate.js';
export { requestCkc, type CkcRequestOptions } from './fairplay.js';
export { preconnect } from './preconnect.js';
export { createLogger, type RedactingLogger } from './log.js';
export { assertRightsUrl, DEFAULT_RIGHTS_HOSTS } from './allowlist.js';
export type * from './types/index.js';
export { attachFairPlay } from './fairplay-eme.js';
