// Kept for the scripts that only need Chromium (check-media, bench): see browsers.mjs.
export { findChrome, findFirefox, CHROME_ARGS } from './browsers.mjs';

if (import.meta.url === `file://${process.argv[1]}`) {
  const { findChrome } = await import('./browsers.mjs');
  try {
    console.log(findChrome());
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
