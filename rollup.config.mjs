// ESM for every entry (unminified: the app's bundler minifies), plus minified UMD
// drop-in scripts: `window.ExpressPlayEME` (Shaka, Video.js), and one per XHR player
// (`ExpressPlayEMEHlsjs`, `ExpressPlayEMEDashjs`).
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import { nodeResolve } from '@rollup/plugin-node-resolve';

// Type errors are caught by `npm run typecheck`; the plugin only transpiles here.
const ts = () =>
  typescript({
    tsconfig: './tsconfig.json',
    noEmitOnError: false,
    compilerOptions: { noEmit: false, declaration: false, outDir: undefined },
  });
const isNodeBuiltin = (id) => id.startsWith('node:');

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
    ['src/umd.ts', 'dist/umd/expressplay-eme.min.js', 'ExpressPlayEME'],
    // Per-player drop-ins: a script-tag page loads the one for its player only.
    ['src/umd-hlsjs.ts', 'dist/umd/expressplay-eme-hlsjs.min.js', 'ExpressPlayEMEHlsjs'],
    ['src/umd-dashjs.ts', 'dist/umd/expressplay-eme-dashjs.min.js', 'ExpressPlayEMEDashjs'],
  ].map(([input, file, name]) => ({
    input,
    plugins: [nodeResolve(), ts()],
    output: {
      file,
      format: 'umd',
      name,
      sourcemap: true,
      plugins: [terser({ compress: { passes: 2 }, format: { comments: false } })],
    },
  })),
];
