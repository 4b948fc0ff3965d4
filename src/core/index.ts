// The seed protocol: pure, no DOM, no Node. Runs in a browser and in a back end.
// What a browser page runs is `client-side.ts`; the token request builder and
// validator below are for back ends (and the emulator) only.
export * from './client-side.js';
export * from './params.js';
export * from './serialize.js';
export * from './rules.js';
export * from './form.js';
export * from './request.js';
