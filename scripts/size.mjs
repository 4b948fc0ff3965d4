// Bundle-size check (issue #7). Run after `npm run build`:  npm run size
//
// Each public entry is bundled in memory from src/ with rollup (node-resolve +
// typescript + terser, ESM output, peer dependencies external), i.e. exactly what
// an app importing that entry ships, with the core/browser code the entry does
// not use tree-shaken away. Sizes are minified bytes and gzip -9 bytes
// (node:zlib). The UMD drop-in is measured as built (dist/umd/…min.js), and
// videojs-contrib-eme's own minified dist is shown for comparison.
//
// Budgets: an app's bundle for core + one adapter (`expressplay-eme/shaka`,
// `expressplay-eme/videojs`) ≤ 5120 B gzip each; UMD drop-in ≤ 8192 B gzip.
// Prints a table, writes bench/out/size.json, exits 1 when a budget is exceeded.
import { readFile, writeFile, mkdir, stat } from 'node:fs/promises';
import { gzipSync, constants } from 'node:zlib';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
process.chdir(ROOT);
const pkg = JSON.parse(await readFile('package.json', 'utf8'));
const peers = Object.keys(pkg.peerDependencies ?? {});
const isExternal = (id) => id.startsWith('node:') || peers.some((p) => id === p || id.startsWith(p + '/'));

const KB5 = 5120;
const KB8 = 8192;

/** What an app gets when it imports `entry`: [label, source entry, budget?]. */
const ENTRIES = [
  { name: 'core only', import: 'src/core', entry: 'src/core/index.ts' },
  { name: "'.' (core+browser)", import: 'expressplay-eme', entry: 'src/index.ts' },
  { name: "'./shaka'", import: 'expressplay-eme/shaka', entry: 'src/shaka/index.ts', budget: KB5 },
  { name: "'./videojs'", import: 'expressplay-eme/videojs', entry: 'src/videojs/index.ts', budget: KB5 },
];
const UMD = { name: 'UMD drop-in', file: 'dist/umd/expressplay-eme.min.js', budget: KB8 };
const COMPARE = { name: 'videojs-contrib-eme (for comparison)', file: 'node_modules/videojs-contrib-eme/dist/videojs-contrib-eme.min.js' };

const gzip = (buf) => gzipSync(buf, { level: constants.Z_BEST_COMPRESSION }).length;

async function bundle(entry) {
  const warnings = [];
  const build = await rollup({
    input: entry,
    external: isExternal,
    onwarn: (w) => { if (w.code !== 'EMPTY_BUNDLE') warnings.push(w.message); }, // stubs bundle to nothing
    plugins: [
      nodeResolve(),
      // Same transpile settings as rollup.config.mjs; type errors are `npm run typecheck`'s job.
      typescript({
        tsconfig: './tsconfig.json',
        include: ['src/**/*.ts'],
        noEmitOnError: false,
        noForceEmit: false,
        compilerOptions: { noEmit: false, declaration: false, outDir: undefined, sourceMap: false },
      }),
    ],
  });
  const { output } = await build.generate({
    format: 'es',
    inlineDynamicImports: true,
    plugins: [terser({ module: true, format: { comments: false } })],
  });
  await build.close();
  const code = output.filter((o) => o.type === 'chunk').map((c) => c.code).join('\n');
  const modules = output[0].moduleIds?.filter((m) => !m.startsWith('\0')).length ?? 0;
  return { code: Buffer.from(code), modules, warnings };
}

const rows = [];
for (const e of ENTRIES) {
  const { code, modules, warnings } = await bundle(e.entry);
  rows.push({ name: e.name, import: e.import, source: e.entry, modules, min: code.length, gzip: gzip(code), budget: e.budget ?? null });
  for (const w of warnings) if (!/TS\d+/.test(w)) console.warn(`  [${e.name}] rollup: ${w}`);
}
for (const f of [UMD, COMPARE]) {
  let buf;
  try {
    await stat(f.file);
    buf = await readFile(f.file);
  } catch {
    const hint = f === UMD ? ' (run `npm run build` first)' : '';
    console.error(`size: ${f.file} not found${hint}`);
    if (f === UMD) process.exit(1);
    continue;
  }
  rows.push({ name: f.name, source: f.file, min: buf.length, gzip: gzip(buf), budget: f.budget ?? null });
}

for (const r of rows) r.ok = r.budget == null || r.gzip <= r.budget;

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const fmt = (b) => `${b} B (${(b / 1024).toFixed(2)} kB)`;
console.log(`${pad('entry', 40)}${lpad('min', 10)}${lpad('gzip -9', 24)}  ${pad('budget', 10)}status`);
for (const r of rows) {
  const status = r.budget == null ? '' : r.ok ? 'ok' : `OVER by ${r.gzip - r.budget} B`;
  console.log(`${pad(r.name, 40)}${lpad(r.min, 10)}${lpad(fmt(r.gzip), 24)}  ${pad(r.budget ?? '-', 10)}${status}`);
}

await mkdir('bench/out', { recursive: true });
const report = { date: new Date().toISOString(), compression: 'gzip level 9 (node:zlib)', minifier: 'terser (rollup, ESM, peers external)', entries: rows };
await writeFile(join('bench/out', 'size.json'), JSON.stringify(report, null, 2) + '\n');
console.log('wrote bench/out/size.json');

const over = rows.filter((r) => !r.ok);
if (over.length) {
  console.error(`size budget exceeded: ${over.map((r) => r.name).join(', ')}`);
  process.exit(1);
}
