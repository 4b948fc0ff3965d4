// The seed protocol: pure, no DOM, no Node. Runs in a browser and in a back end.
export * from './catalog.js';
export * from './errors.js';
export * from './params.js';
export * from './serialize.js';
export * from './rules.js';
export * from './form.js';
export * from './request.js';
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
