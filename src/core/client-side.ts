// The part of the seed protocol a browser page runs: the error catalog, token and
// error response parsing, FairPlay and init-data helpers, redaction, encodings.
// The back-end-only token request builder and validator (params, serialize, rules,
// form, request) are not here: `core/index.ts` adds them for back ends, and the
// UMD drop-in exports this module only, so no page downloads them.
export * from './catalog.js';
export * from './errors.js';
export type * from './params.js';
export * from './response.js';
export * from './fairplay.js';
export * from './initdata.js';
export * from './redact.js';
export {
  isHex,
  isBase64,
  hexToBytes,
  bytesToHex,
  base64ToBytes,
  bytesToBase64,
  bytesToBase64Url,
  utf8Encode,
  utf8Decode,
  toBytes,
} from './encoding.js';
