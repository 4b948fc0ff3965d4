// ESM for every entry (unminified: the app's bundler minifies), plus one minified
// UMD drop-in script that exposes `window.ExpressPlayEME`.
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import { nodeResolve } from '@rollup/plugin-node-resolve';

// Type errors are caught by `npm run typecheck`; the plugin only transpiles here.
const ts = () => typescript({ tsconfig: './tsconfig.json', noEmitOnError: false, compilerOptions: { noEmit: false, declaration: false, outDir: undefined } });
const isNodeBuiltin = (id) => id.startsWith('node:');

export default [
  {
    input: {
      index: 'src/index.ts',
      shaka: 'src/shaka/index.ts',
      videojs: 'src/videojs/index.ts',
      server: 'src/server/index.ts',
      fetch: 'src/fetch/index.ts',
      cli: 'src/server/cli.ts',
    },
    external: isNodeBuiltin,
    plugins: [nodeResolve(), ts()],
    output: { dir: 'dist/esm', format: 'es', sourcemap: true, chunkFileNames: 'chunks/[name]-[hash].js' },
  },
  {
    input: 'src/umd.ts',
    plugins: [nodeResolve(), ts()],
    output: {
      file: 'dist/umd/expressplay-eme.min.js',
      format: 'umd',
      name: 'ExpressPlayEME',
      sourcemap: true,
      plugins: [terser({ compress: { passes: 2 }, format: { comments: false } })],
    },
  },
];
