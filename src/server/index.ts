// expressplay-eme/server: Node ≥ 20 only. The ExpressPlay emulator and the
// reference token endpoint (the customer's back end).
export * from './emulator/index.js';
export * from './token-handler/index.js';
