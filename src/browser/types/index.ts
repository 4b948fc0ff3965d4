// The browser layer's public types, one file per topic.
export type * from './detection.js';
export type * from './environment.js';
export type * from './token-client.js';
export type * from './retry.js';
export type * from './events.js';
export type * from './logger.js';
export type * from './fairplay.js';
export type * from './license.js';
