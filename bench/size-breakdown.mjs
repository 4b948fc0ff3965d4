// What the adapter entries' first download is made of (issue #13 item 11), with the same
// transpile and terser settings as scripts/size.mjs (ESM, peers external, gzip -9).
//
//   node bench/size-breakdown.mjs [entry.ts ...]   per module: each entry bundled with
//     preserveModules; per module its minified code gzipped alone, and its marginal cost
//     (the first download's gzip size minus that of the same download without the
//     module). preserveModules adds import/export lines, so the total is above
//     `npm run size`'s; the marginals rank what weighs.
//   ... --umd                                      the same for the drop-ins' sources
//     (src/umd.ts, src/umd-shaka.ts by default) as the UMD build resolves them.
//   ... --layers                                   the first download of what every
//     adapter needs (the catalog and typed errors, detection, the token client, …),
//     bundled alone and cumulatively: the floor under any adapter entry.
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
const layers = process.argv.includes('--layers');
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));

// As rollup.config.mjs builds the UMD drop-ins (`--umd`): every `x-on-demand.js` replaced by its `x-eager.ts` twin.
const eagerInsteadOfOnDemand = {
  name: 'eager-instead-of-on-demand',
  resolveId(source, importer) {
    if (!umd || !importer || !source.endsWith('-on-demand.js')) return null;
    return resolve(dirname(importer), source.replace(/-on-demand\.js$/, '-eager.ts'));
  },
};

/** The chunks of `input` (a file, or `\0entry` with `code` as its source) and the names of the first download's. */
async function bundle(input, { code, preserveModules = false } = {}) {
  const virtual = {
    name: 'virtual-entry',
    resolveId: (id) => (id === '\0entry' ? id : null),
    load: (id) => (id === '\0entry' ? code : null),
  };
  const build = await rollup({
    input,
    external: isExternal,
    onwarn: () => {},
    plugins: [
      virtual,
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
  const { output } = await build.generate({ format: 'es', preserveModules, plugins: [terser(TERSER)] });
  await build.close();
  const chunks = new Map(output.filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]));
  const first = new Set();
  const visit = (n) => {
    if (first.has(n) || !chunks.has(n)) return;
    first.add(n);
    for (const i of chunks.get(n).imports) visit(i);
  };
  visit(output.find((o) => o.type === 'chunk' && o.isEntry).fileName);
  return { chunks, first };
}

if (layers) {
  const from = (names, mod) => `export { ${names} } from '${ROOT}/src/${mod}.ts';`;
  const steps = [
    [
      'the error catalog and ExpressPlayError',
      from('ExpressPlayError, isExpressPlayError', 'core/errors') + from('ClientCode', 'core/catalog'),
    ],
    ['+ detection (detectDrmWithItsCode)', from('detectDrmWithItsCode', 'browser/detect-with-code')],
    ['+ the token client (createTokenClient)', from('createTokenClient', 'browser/token-client')],
    [
      '+ ContentLoad and session key ids',
      from('ContentLoad', 'browser/content-load') + from('sessionKeyIds, assertOneKeyPerSession', 'browser/key-ids'),
    ],
    ['+ requestLicense', from('requestLicense', 'browser/license')],
  ];
  console.log('What every adapter needs, cumulatively (first download, gzip -9 B; alone in brackets):');
  let code = '';
  for (const [name, part] of steps) {
    code += part;
    const sum = await bundle('\0entry', { code });
    const alone = await bundle('\0entry', { code: part });
    const size = (b) => gzip([...b.first].map((n) => b.chunks.get(n).code).join('\n'));
    console.log(`  ${String(size(sum)).padStart(6)}  (${String(size(alone)).padStart(5)})  ${name}`);
  }
  process.exit(0);
}

const entries = args.length
  ? args
  : umd
    ? ['src/umd.ts', 'src/umd-shaka.ts']
    : ['src/shaka/index.ts', 'src/videojs/index.ts', 'src/hlsjs/index.ts', 'src/dashjs/index.ts'];
for (const entry of entries) {
  const { chunks, first } = await bundle(entry, { preserveModules: true });
  const firstCodes = [...first].map((n) => chunks.get(n));
  const without = (c) =>
    firstCodes
      .filter((o) => o !== c)
      .map((o) => o.code)
      .join('\n');
  const whole = gzip(firstCodes.map((c) => c.code).join('\n'));
  const rows = firstCodes.map((c) => ({
    id: relative(ROOT, c.facadeModuleId ?? c.fileName),
    min: c.code.length,
    alone: gzip(c.code),
    marginal: whole - gzip(without(c)),
  }));
  rows.sort((a, b) => b.marginal - a.marginal);
  console.log(`\n${entry}: first download ${whole} B gzip (preserveModules: import/export lines included)`);
  console.log('  marginal  alone   min  module');
  for (const r of rows)
    console.log(
      `  ${String(r.marginal).padStart(8)} ${String(r.alone).padStart(6)} ${String(r.min).padStart(5)}  ${r.id}`,
    );
  const lazy = [...chunks.keys()].filter((n) => !first.has(n));
  if (lazy.length)
    console.log(`  lazy: ${lazy.map((n) => relative(ROOT, chunks.get(n).facadeModuleId ?? n)).join(', ')}`);
}
