// `expressplay-eme`: the seed protocol core and the browser services.
export * from './core/index.js';
export * from './browser/index.js';
