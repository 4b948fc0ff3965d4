// Whether dist/ matches src/: `npm start` and `npm test` rebuild before they serve
// or test anything when it does not. A stale dist/ would test yesterday's code, and a
// rebuild started later by a test (npm start inside the demo test) would empty dist/
// under the tests already reading it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What pages and tests load; every entry point is built in the same pass. */
export const BUILD_OUTPUTS = [
  'dist/esm/index.js',
  'dist/esm/shaka.js',
  'dist/esm/videojs.js',
  'dist/umd/expressplay-eme.min.js',
  'dist/umd/expressplay-eme-shaka.min.js',
  'dist/umd/expressplay-eme-full.min.js',
];

/** The newest modification time of any file under `dir` (0 for an empty tree). */
export function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    // Other tools may delete files while we walk: a vanished entry is not an error.
    const st = statSync(p, { throwIfNoEntry: false });
    if (st) newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

/** 'missing' (some output absent), 'stale' (some output older than src/) or 'fresh'. */
export function buildState(root) {
  const outputs = BUILD_OUTPUTS.map((f) => join(root, f));
  if (outputs.some((f) => !existsSync(f))) return 'missing';
  const oldest = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  return oldest < newestMtime(join(root, 'src')) ? 'stale' : 'fresh';
}
