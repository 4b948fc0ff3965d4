// Bundle-size check (issue #7). Run after `npm run build`:  npm run size
//
// Each public entry is bundled in memory from src/ with rollup (node-resolve +
// typescript + terser, ESM output, peer dependencies external), i.e. exactly what
// an app importing that entry ships, with the core/browser code the entry does
// not use tree-shaken away. Sizes are minified bytes and gzip -9 bytes
// (node:zlib). The UMD drop-in is measured as built (dist/umd/…min.js), and
// videojs-contrib-eme's own minified dist is shown for comparison.
//
// Two different limits, both printed:
// - the issue's TARGETS: core + one adapter (`expressplay-eme/shaka`,
//   `expressplay-eme/videojs`) <= 5120 B gzip each, the UMD drop-in <= 8192 B gzip.
//   Reported as met / NOT MET with the gap; not meeting them does not fail CI
//   (they are not met today, and the report says so plainly).
// - regression CEILINGS in bench/size-budget.json (every entry: its size when the
//   ceiling was set + ~3%). Exceeding one exits 1: that is what CI enforces.
//   After a deliberate size change: `npm run size -- --update-ceilings`.
// Writes bench/out/size.json.
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
const CEILINGS_FILE = 'bench/size-budget.json';
const HEADROOM = 1.03;
const updateCeilings = process.argv.includes('--update-ceilings');
/** The same terser settings as rollup.config.mjs's UMD build, plus ESM-only ones (`module`: strict mode, top-level scope is the module's). */
const TERSER = { module: true, compress: { passes: 2 }, format: { comments: false } };

/** What an app gets when it imports `entry`, and the issue's target where it sets one. */
const ENTRIES = [
  { name: 'core only', import: 'src/core', entry: 'src/core/index.ts' },
  { name: "'.' (core+browser)", import: 'expressplay-eme', entry: 'src/index.ts' },
  { name: "'./shaka'", import: 'expressplay-eme/shaka', entry: 'src/shaka/index.ts', target: KB5 },
  { name: "'./videojs'", import: 'expressplay-eme/videojs', entry: 'src/videojs/index.ts', target: KB5 },
  { name: "'./hlsjs'", import: 'expressplay-eme/hlsjs', entry: 'src/hlsjs/index.ts', target: KB5 },
  { name: "'./dashjs'", import: 'expressplay-eme/dashjs', entry: 'src/dashjs/index.ts', target: KB5 },
];
const UMD = { name: 'UMD drop-in', file: 'dist/umd/expressplay-eme.min.js', target: KB8 };
const PLAYER_UMDS = [
  { name: 'UMD drop-in (hls.js)', file: 'dist/umd/expressplay-eme-hlsjs.min.js' },
  { name: 'UMD drop-in (dash.js)', file: 'dist/umd/expressplay-eme-dashjs.min.js' },
];
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
    plugins: [terser(TERSER)],
  });
  await build.close();
  const code = output.filter((o) => o.type === 'chunk').map((c) => c.code).join('\n');
  const modules = output[0].moduleIds?.filter((m) => !m.startsWith('\0')).length ?? 0;
  return { code: Buffer.from(code), modules, warnings };
}

const rows = [];
for (const e of ENTRIES) {
  const { code, modules, warnings } = await bundle(e.entry);
  rows.push({ name: e.name, import: e.import, source: e.entry, modules, min: code.length, gzip: gzip(code), target: e.target ?? null });
  for (const w of warnings) if (!/TS\d+/.test(w)) console.warn(`  [${e.name}] rollup: ${w}`);
}
for (const f of [UMD, ...PLAYER_UMDS, COMPARE]) {
  let buf;
  try {
    await stat(f.file);
    buf = await readFile(f.file);
  } catch {
    const hint = f !== COMPARE ? ' (run `npm run build` first)' : '';
    console.error(`size: ${f.file} not found${hint}`);
    if (f !== COMPARE) process.exit(1);
    continue;
  }
  rows.push({ name: f.name, source: f.file, min: buf.length, gzip: gzip(buf), target: f.target ?? null, compare: f === COMPARE });
}

let ceilings = {};
try {
  ceilings = JSON.parse(await readFile(CEILINGS_FILE, 'utf8')).gzipCeilings ?? {};
} catch {
  if (!updateCeilings) console.warn(`size: ${CEILINGS_FILE} not found: no regression ceilings (create it with --update-ceilings)`);
}
for (const r of rows) {
  r.meetsTarget = r.target == null ? null : r.gzip <= r.target;
  r.ceiling = r.compare ? null : (ceilings[r.name] ?? null);
  r.underCeiling = r.ceiling == null || r.gzip <= r.ceiling;
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const fmt = (b) => `${b} B (${(b / 1024).toFixed(2)} kB)`;
console.log(`${pad('entry', 38)}${lpad('min', 8)}${lpad('gzip -9', 22)}  ${pad('CI ceiling', 18)}${pad('issue #7 target', 15)}`);
for (const r of rows) {
  const ceiling = r.ceiling == null ? '-' : `${r.ceiling} ${r.underCeiling ? 'ok' : `OVER +${r.gzip - r.ceiling}`}`;
  const target = r.target == null ? '-' : r.meetsTarget ? `${r.target} met` : `${r.target} NOT MET (+${r.gzip - r.target} B, ${((r.gzip / r.target - 1) * 100).toFixed(0)}% over)`;
  console.log(`${pad(r.name, 38)}${lpad(r.min, 8)}${lpad(fmt(r.gzip), 22)}  ${pad(ceiling, 18)}${target}`);
}

await mkdir('bench/out', { recursive: true });
const report = { date: new Date().toISOString(), compression: 'gzip level 9 (node:zlib)', minifier: `terser ${JSON.stringify(TERSER)} (rollup, ESM, peers external)`, targets: 'issue #7: core + one adapter <= 5120 B gzip, UMD <= 8192 B gzip', ceilingsFile: CEILINGS_FILE, entries: rows };
await writeFile(join('bench/out', 'size.json'), JSON.stringify(report, null, 2) + '\n');
console.log('wrote bench/out/size.json');

const missed = rows.filter((r) => r.meetsTarget === false);
if (missed.length) console.log(`issue #7 targets NOT MET (reported, not enforced): ${missed.map((r) => `${r.name} ${r.gzip} B > ${r.target} B`).join('; ')}`);
else console.log('issue #7 targets: all met');

if (updateCeilings) {
  const gzipCeilings = Object.fromEntries(rows.filter((r) => !r.compare).map((r) => [r.name, Math.ceil(r.gzip * HEADROOM)]));
  const doc = {
    '//': 'Regression ceilings for `npm run size` (CI fails above them): gzip -9 bytes per entry, each its measured size + 3% when set. Not the issue #7 targets (5120 / 8192 B), which size.mjs reports separately. Lower them when the bundles shrink; raise them only on purpose: npm run size -- --update-ceilings',
    measuredAt: new Date().toISOString().slice(0, 10),
    measured: Object.fromEntries(rows.filter((r) => !r.compare).map((r) => [r.name, r.gzip])),
    gzipCeilings,
  };
  await writeFile(CEILINGS_FILE, JSON.stringify(doc, null, 2) + '\n');
  console.log(`wrote ${CEILINGS_FILE}`);
  process.exit(0);
}

const over = rows.filter((r) => !r.underCeiling);
if (over.length) {
  console.error(`size regression: over the ceiling in ${CEILINGS_FILE}: ${over.map((r) => `${r.name} ${r.gzip} B > ${r.ceiling} B`).join('; ')}`);
  process.exit(1);
}
console.log(`CI ceilings (${CEILINGS_FILE}): all entries within`);
