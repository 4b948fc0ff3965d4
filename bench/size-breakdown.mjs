// What each adapter entry's first download is made of (issue #13 item 11): the entry
// bundled with preserveModules (same transpile + terser settings as scripts/size.mjs),
// each module's minified code gzipped alone, and its marginal cost (the first download's
// gzip size minus the gzip size of the same download without that module's code).
// Run: node bench/size-breakdown.mjs [src/videojs/index.ts ...]; with --umd: the drop-ins' sources
// (src/umd.ts, src/umd-shaka.ts by default) as the UMD build resolves them.
import { gzipSync, constants } from 'node:zlib';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
process.chdir(ROOT);
const pkg = JSON.parse(await readFile('package.json', 'utf8'));
const peers = Object.keys(pkg.peerDependencies ?? {});
const isExternal = (id) => id.startsWith('node:') || peers.some((p) => id === p || id.startsWith(p + '/'));
const gzip = (s) => gzipSync(Buffer.from(s), { level: constants.Z_BEST_COMPRESSION }).length;
const TERSER = { module: true, compress: { passes: 3 }, format: { comments: false } };
const umd = process.argv.includes('--umd');
const args = process.argv.slice(2).filter((a) => a !== '--umd');
const entries = args.length
  ? args
  : umd
    ? ['src/umd.ts', 'src/umd-shaka.ts']
    : ['src/shaka/index.ts', 'src/videojs/index.ts', 'src/hlsjs/index.ts', 'src/dashjs/index.ts'];

// As rollup.config.mjs builds the UMD drop-ins (`--umd`): every `x-on-demand.js` replaced by its `x-eager.ts` twin.
const eagerInsteadOfOnDemand = {
  name: 'eager-instead-of-on-demand',
  resolveId(source, importer) {
    if (!umd || !importer || !source.endsWith('-on-demand.js')) return null;
    return resolve(dirname(importer), source.replace(/-on-demand\.js$/, '-eager.ts'));
  },
};

for (const entry of entries) {
  const build = await rollup({
    input: entry,
    external: isExternal,
    onwarn: () => {},
    plugins: [
      eagerInsteadOfOnDemand,
      nodeResolve(),
      typescript({
        tsconfig: './tsconfig.json',
        include: ['src/**/*.ts'],
        noEmitOnError: false,
        compilerOptions: { noEmit: false, declaration: false, outDir: undefined, sourceMap: false },
      }),
    ],
  });
  const { output } = await build.generate({ format: 'es', preserveModules: true, plugins: [terser(TERSER)] });
  await build.close();
  const chunks = new Map(output.filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]));
  const first = new Set();
  const visit = (n) => {
    if (first.has(n) || !chunks.has(n)) return;
    first.add(n);
    for (const i of chunks.get(n).imports) visit(i);
  };
  visit(output.find((o) => o.type === 'chunk' && o.isEntry).fileName);
  const firstCodes = [...first].map((n) => chunks.get(n));
  const whole = gzip(firstCodes.map((c) => c.code).join('\n'));
  const rows = firstCodes.map((c) => ({
    id: relative(ROOT, c.facadeModuleId ?? c.fileName),
    min: c.code.length,
    alone: gzip(c.code),
    marginal:
      whole -
      gzip(
        firstCodes
          .filter((o) => o !== c)
          .map((o) => o.code)
          .join('\n'),
      ),
  }));
  rows.sort((a, b) => b.marginal - a.marginal);
  console.log(`\n${entry}: first download ${whole} B gzip (preserveModules; import lines included)`);
  console.log('  marginal  alone   min  module');
  for (const r of rows)
    console.log(
      `  ${String(r.marginal).padStart(8)} ${String(r.alone).padStart(6)} ${String(r.min).padStart(5)}  ${r.id}`,
    );
  const lazy = [...chunks.keys()].filter((n) => !first.has(n));
  if (lazy.length)
    console.log(`  lazy: ${lazy.map((n) => relative(ROOT, chunks.get(n).facadeModuleId ?? n)).join(', ')}`);
}
