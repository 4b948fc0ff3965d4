// ESM for every entry (unminified: the app's bundler minifies; the code only some
// devices run, FairPlay's and PlayReady's, in chunks loaded with import()), plus
// minified UMD drop-in scripts, one per player: `window.ExpressPlayEME` (Video.js),
// `ExpressPlayEMEShaka`, `ExpressPlayEMEHlsjs`, `ExpressPlayEMEDashjs`; and the full
// one (`ExpressPlayEME` with everything a page can run).
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { dirname, resolve } from 'node:path';

// Type errors are caught by `npm run typecheck`; the plugin only transpiles here.
const ts = () =>
  typescript({
    tsconfig: './tsconfig.json',
    noEmitOnError: false,
    compilerOptions: { noEmit: false, declaration: false, outDir: undefined },
  });
const isNodeBuiltin = (id) => id.startsWith('node:');
// A UMD drop-in is one file with nothing to load later: each `x-on-demand.js` (code the
// ESM build loads with import() on the devices that need it) is replaced by its
// `x-eager.ts` twin, which imports that code statically, so tree-shaking keeps only
// what the drop-in calls.
const eagerInsteadOfOnDemand = {
  name: 'eager-instead-of-on-demand',
  resolveId(source, importer) {
    if (!importer || !source.endsWith('-on-demand.js')) return null;
    return resolve(dirname(importer), source.replace(/-on-demand\.js$/, '-eager.ts'));
  },
};

export default [
  {
    input: {
      index: 'src/index.ts',
      shaka: 'src/shaka/index.ts',
      videojs: 'src/videojs/index.ts',
      hlsjs: 'src/hlsjs/index.ts',
      dashjs: 'src/dashjs/index.ts',
      server: 'src/server/index.ts',
      fetch: 'src/fetch/index.ts',
      cli: 'src/server/cli.ts',
    },
    external: isNodeBuiltin,
    plugins: [nodeResolve(), ts()],
    output: { dir: 'dist/esm', format: 'es', sourcemap: true, chunkFileNames: 'chunks/[name]-[hash].js' },
  },
  ...[
    // Per-player drop-ins: a script-tag page loads the one for its player only.
    ['src/umd.ts', 'dist/umd/expressplay-eme.min.js', 'ExpressPlayEME'], // Video.js
    ['src/umd-shaka.ts', 'dist/umd/expressplay-eme-shaka.min.js', 'ExpressPlayEMEShaka'],
    ['src/umd-hlsjs.ts', 'dist/umd/expressplay-eme-hlsjs.min.js', 'ExpressPlayEMEHlsjs'],
    ['src/umd-dashjs.ts', 'dist/umd/expressplay-eme-dashjs.min.js', 'ExpressPlayEMEDashjs'],
    // Everything a page can run (both adapters, attachFairPlay, the parsers), on the same global as the Video.js one.
    ['src/umd-full.ts', 'dist/umd/expressplay-eme-full.min.js', 'ExpressPlayEME'],
  ].map(([input, file, name]) => ({
    input,
    plugins: [eagerInsteadOfOnDemand, nodeResolve(), ts()],
    output: {
      file,
      format: 'umd',
      name,
      sourcemap: true,
      plugins: [terser({ compress: { passes: 3 }, format: { comments: false } })],
    },
  })),
];
