// Bundle-size check (issues #7, #13). Run after `npm run build`:  npm run size
//
// Each public browser entry (every `./x` export of package.json with a src/x/index.ts,
// except the back-end ones, plus '.' and the core) is bundled in memory from src/ with
// rollup (node-resolve + typescript + terser, ESM output, peer dependencies external),
// i.e. exactly what an app importing that entry ships, with the core/browser code the
// entry does not use tree-shaken away; code an entry loads with import() is counted
// as `lazy` (first download = the entry chunk, total = with every lazy chunk). Sizes
// are minified bytes and gzip -9 bytes (node:zlib). Every UMD drop-in
// (dist/umd/*.min.js) is measured as built; videojs-contrib-eme's own minified dist is
// shown for comparison.
//
// Two limits (exit 1 when one is broken; CI runs this):
// - the issue #13 TARGETS: each adapter entry's first download <= 10240 B gzip,
//   each per-player UMD drop-in <= 16384 B gzip (the full drop-in, everything a page
//   can run for pages that want it, has none). Enforced for every entry that met its
//   target when the ceilings were last set; the others, listed in the budget file's
//   `targetsNotMet`, are reported until they meet it (`--enforce-targets`: all of them);
// - regression CEILINGS in bench/size-budget.json (every entry: its size when the
//   ceiling was set + 3%). After a deliberate size change:
//   `npm run size -- --update-ceilings`.
// `--modules` also prints what each bundle carries (rendered bytes per source module,
// before minification), to find what to cut.
// Writes bench/out/size.json.
//
// Why not size-limit (issue #13 item 9): size-limit 14 needs Node 22 and this package
// supports Node 20 (engines, CI); size-limit 11 (Node 20) is not a dependency here. It
// also takes one limit per check, so a target and a ceiling per entry would be two
// checks per entry, and it knows nothing of the UMD-vs-ESM split or lazy chunks.
import { readFile, readdir, writeFile, mkdir, stat } from 'node:fs/promises';
import { gzipSync, constants } from 'node:zlib';
import { join, relative, resolve } from 'node:path';
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

const ADAPTER_TARGET = 10240;
const UMD_TARGET = 16384;
const BACK_END_EXPORTS = new Set(['./server', './fetch']);
const CEILINGS_FILE = 'bench/size-budget.json';
const HEADROOM = 1.03;
const updateCeilings = process.argv.includes('--update-ceilings');
/** The same terser settings as rollup.config.mjs's UMD build, plus ESM-only ones (`module`: strict mode, top-level scope is the module's). */
const TERSER = { module: true, compress: { passes: 3 }, format: { comments: false } };

/** What an app gets when it imports `entry`, and the issue's target where it sets one. */
const ENTRIES = [
  { name: 'core only', import: 'src/core', entry: 'src/core/index.ts' },
  { name: "'.' (core+browser)", import: 'expressplay-eme', entry: 'src/index.ts' },
];
for (const key of Object.keys(pkg.exports ?? {})) {
  const dir = key.slice(2);
  if (!/^\.\/[a-z0-9-]+$/.test(key) || BACK_END_EXPORTS.has(key)) continue;
  const entry = `src/${dir}/index.ts`;
  if (
    await stat(entry).then(
      () => true,
      () => false,
    )
  )
    ENTRIES.push({ name: `'${key}'`, import: `expressplay-eme/${dir}`, entry, target: ADAPTER_TARGET });
}
const UMD_DIR = 'dist/umd';
const umdFiles = (await readdir(UMD_DIR).catch(() => [])).filter((f) => f.endsWith('.min.js')).sort();
if (!umdFiles.length) {
  console.error(`size: no ${UMD_DIR}/*.min.js (run \`npm run build\` first)`);
  process.exit(1);
}
const FULL_UMD = 'expressplay-eme-full.min.js';
const UMDS = umdFiles.map((f) => ({
  name: f === 'expressplay-eme.min.js' ? 'UMD drop-in' : `UMD ${f}`,
  file: `${UMD_DIR}/${f}`,
  target: f === FULL_UMD ? undefined : UMD_TARGET,
}));
const COMPARE = {
  name: 'videojs-contrib-eme (for comparison)',
  file: 'node_modules/videojs-contrib-eme/dist/videojs-contrib-eme.min.js',
};
const showModules = process.argv.includes('--modules');

const gzip = (buf) => gzipSync(buf, { level: constants.Z_BEST_COMPRESSION }).length;

async function bundle(entry) {
  const warnings = [];
  const build = await rollup({
    input: entry,
    external: isExternal,
    onwarn: (w) => {
      if (w.code !== 'EMPTY_BUNDLE') warnings.push(w.message);
    }, // stubs bundle to nothing
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
  const { output } = await build.generate({ format: 'es', plugins: [terser(TERSER)] });
  await build.close();
  const chunks = new Map(output.filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]));
  const entryChunk = output.find((o) => o.type === 'chunk' && o.isEntry);
  // First download: the entry chunk and what it imports statically; the rest loads on demand.
  const first = new Set();
  const visit = (name) => {
    if (first.has(name) || !chunks.has(name)) return;
    first.add(name);
    for (const i of chunks.get(name).imports) visit(i);
  };
  visit(entryChunk.fileName);
  const join = (names) => Buffer.from(names.map((n) => chunks.get(n).code).join('\n'));
  const modules = [...chunks.values()].flatMap((c) =>
    Object.entries(c.modules)
      .filter(([id]) => !id.startsWith('\0'))
      .map(([id, m]) => ({ id: relative(ROOT, id), chunk: c.fileName, bytes: m.renderedLength })),
  );
  return { first: join([...first]), all: join([...chunks.keys()]), chunks: chunks.size, modules, warnings };
}

const rows = [];
for (const e of ENTRIES) {
  const { first, all, chunks, modules, warnings } = await bundle(e.entry);
  const lazy = chunks > 1 ? { chunks, min: all.length, gzip: gzip(all) } : null;
  rows.push({
    name: e.name,
    import: e.import,
    source: e.entry,
    modules: modules.length,
    min: first.length,
    gzip: gzip(first),
    total: lazy,
    target: e.target ?? null,
  });
  if (showModules) {
    console.log(`${e.name}: rendered bytes per module (before minification)`);
    for (const m of modules.sort((a, b) => b.bytes - a.bytes))
      console.log(
        `  ${String(m.bytes).padStart(7)}  ${m.id}${m.chunk === modules[0]?.chunk ? '' : ` (lazy: ${m.chunk})`}`,
      );
  }
  for (const w of warnings) if (!/TS\d+/.test(w)) console.warn(`  [${e.name}] rollup: ${w}`);
}
for (const f of [...UMDS, COMPARE]) {
  const buf = await readFile(f.file).catch(() => null);
  if (!buf) {
    console.warn(`size: ${f.file} not found`);
    continue;
  }
  rows.push({
    name: f.name,
    source: f.file,
    min: buf.length,
    gzip: gzip(buf),
    target: f.target ?? null,
    compare: f === COMPARE,
  });
}

let ceilings = {};
/** Entries whose target was not met when the ceilings were set: reported, not enforced (unless --enforce-targets). */
let targetsNotMet = new Set();
try {
  const budget = JSON.parse(await readFile(CEILINGS_FILE, 'utf8'));
  ceilings = budget.gzipCeilings ?? {};
  targetsNotMet = new Set(budget.targetsNotMet ?? []);
} catch {
  if (!updateCeilings)
    console.warn(`size: ${CEILINGS_FILE} not found: no regression ceilings (create it with --update-ceilings)`);
}
for (const r of rows) {
  r.meetsTarget = r.target == null ? null : r.gzip <= r.target;
  r.ceiling = r.compare ? null : (ceilings[r.name] ?? null);
  r.underCeiling = r.ceiling == null || r.gzip <= r.ceiling;
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const fmt = (b) => `${b} B (${(b / 1024).toFixed(2)} kB)`;
console.log(
  `${pad('entry (ESM: first download)', 38)}${lpad('min', 8)}${lpad('gzip -9', 22)}  ${pad('CI ceiling', 18)}${pad('issue #13 target', 16)}`,
);
for (const r of rows) {
  const ceiling = r.ceiling == null ? '-' : `${r.ceiling} ${r.underCeiling ? 'ok' : `OVER +${r.gzip - r.ceiling}`}`;
  const target =
    r.target == null
      ? '-'
      : r.meetsTarget
        ? `${r.target} met`
        : `${r.target} NOT MET (+${r.gzip - r.target} B, ${((r.gzip / r.target - 1) * 100).toFixed(0)}% over)`;
  console.log(`${pad(r.name, 38)}${lpad(r.min, 8)}${lpad(fmt(r.gzip), 22)}  ${pad(ceiling, 18)}${target}`);
  if (r.total)
    console.log(
      `${pad(`  with its ${r.total.chunks - 1} lazy chunk(s)`, 38)}${lpad(r.total.min, 8)}${lpad(fmt(r.total.gzip), 22)}`,
    );
}

await mkdir('bench/out', { recursive: true });
const report = {
  date: new Date().toISOString(),
  compression: 'gzip level 9 (node:zlib)',
  minifier: `terser ${JSON.stringify(TERSER)} (rollup, ESM, peers external)`,
  targets: `issue #13: each adapter entry's first download <= ${ADAPTER_TARGET} B gzip, each UMD drop-in <= ${UMD_TARGET} B gzip`,
  ceilingsFile: CEILINGS_FILE,
  entries: rows,
};
await writeFile(join('bench/out', 'size.json'), JSON.stringify(report, null, 2) + '\n');
console.log('wrote bench/out/size.json');

const missed = rows.filter((r) => r.meetsTarget === false);

if (updateCeilings) {
  const gzipCeilings = Object.fromEntries(
    rows.filter((r) => !r.compare).map((r) => [r.name, Math.ceil(r.gzip * HEADROOM)]),
  );
  const doc = {
    '//': 'Regression ceilings for `npm run size` (CI fails above them): gzip -9 bytes per entry (an ESM entry: its first download), each its measured size + 3% when set. The issue #13 targets (adapter entries <= 10240 B, per-player UMD drop-ins <= 16384 B) are fixed in scripts/size.mjs and enforced too, except for the entries in targetsNotMet (not met when the ceilings were set: reported only; --enforce-targets enforces them as well). Lower the ceilings when the bundles shrink; raise them only on purpose: npm run size -- --update-ceilings',
    measuredAt: new Date().toISOString().slice(0, 10),
    measured: Object.fromEntries(rows.filter((r) => !r.compare).map((r) => [r.name, r.gzip])),
    measuredWithLazyChunks: Object.fromEntries(rows.filter((r) => r.total).map((r) => [r.name, r.total.gzip])),
    gzipCeilings,
    targetsNotMet: missed.map((r) => r.name),
  };
  await writeFile(CEILINGS_FILE, JSON.stringify(doc, null, 2) + '\n');
  console.log(`wrote ${CEILINGS_FILE}`);
  process.exit(0);
}

const over = rows.filter((r) => !r.underCeiling);
// A target met once stays enforced; one not met yet (listed in the budget file) is reported.
const enforceAll = process.argv.includes('--enforce-targets');
const enforced = (r) => enforceAll || !targetsNotMet.has(r.name);
const targetLine = (r) => `issue #13 target: ${r.name} ${r.gzip} B > ${r.target} B`;
const failures = [
  ...missed.filter(enforced).map(targetLine),
  ...over.map((r) => `ceiling (${CEILINGS_FILE}): ${r.name} ${r.gzip} B > ${r.ceiling} B`),
];
const reported = missed.filter((r) => !enforced(r)).map(targetLine);
if (reported.length)
  console.warn(
    `issue #13 targets NOT MET (reported, not enforced: targetsNotMet in ${CEILINGS_FILE}):\n  ${reported.join('\n  ')}`,
  );
if (failures.length) {
  console.error(`size check failed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `CI ceilings (${CEILINGS_FILE}): all met; issue #13 targets: ${reported.length ? `met except ${reported.length} (reported above)` : 'all met'}`,
);
