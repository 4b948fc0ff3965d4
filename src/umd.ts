// The drop-in script: everything a page needs, on `window.ExpressPlayEME`.
export * from './index.js';
