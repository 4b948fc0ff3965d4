// The README cannot rot: its TypeScript examples (and the inline script of its
// script-tag example) are type-checked against the sources, and its error-code
// table must match the catalog row for row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CATALOG } from '../../../src/core/catalog.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

interface Block {
  lang: string;
  code: string;
  line: number;
}

function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const re = /^```(\w*)[^\n]*\n([\s\S]*?)^```\s*$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    blocks.push({ lang: m[1] ?? '', code: m[2] ?? '', line: markdown.slice(0, m.index).split('\n').length });
  }
  return blocks;
}

// What the examples call "your app": declared, not implemented, like in a real app.
const APP_ENV = `
import type { IncomingMessage } from 'node:http';
declare global {
  /** Your key store. */
  function lookUpKey(contentId: string): Promise<{ kid: string; key: string; iv: string } | undefined>;
  /** Your session / entitlement check. */
  function isEntitled(req: IncomingMessage, contentId: string): Promise<boolean>;
}
`;

// The globals a page gets from the script tags of the script-tag example, declared in
// the example's own module scope (as globals they would also be seen by src/ and clash
// with its own view of window.videojs). The drop-in's type is taken from src/umd.ts,
// its entry, so a name it stops exporting fails here.
const SCRIPT_TAG_PRELUDE = `
import type { ExpressPlayHandle, ExpressPlayPluginOptions, VjsSource } from 'expressplay-eme/videojs';
declare const ExpressPlayEME: typeof import('expressplay-eme/umd');
/** video.js with the plugin the drop-in registered. */
declare function videojs(id: string): { expressplay(options: ExpressPlayPluginOptions): ExpressPlayHandle; src(source: VjsSource): void };
/** Shaka Player's compiled build sets window.shaka. */
declare const shaka: typeof import('shaka-player').default;
/** The per-player drop-ins and the players' own script-tag globals. */
declare const ExpressPlayEMEHlsjs: typeof import('expressplay-eme/umd/hlsjs');
declare const ExpressPlayEMEDashjs: typeof import('expressplay-eme/umd/dashjs');
declare const Hls: typeof import('hls.js').default;
`;

test('README: the TypeScript examples and the script-tag example type-check against src/', { timeout: 180_000 }, () => {
  const blocks = codeBlocks(readme);
  const ts = blocks.filter((b) => b.lang === 'ts' || b.lang === 'typescript');
  const html = blocks.filter((b) => b.lang === 'html');
  assert.ok(ts.length >= 4, `expected at least 4 ts examples (Shaka, Video.js, Express, node:http), found ${ts.length}`);
  assert.ok(html.length >= 1, 'expected the script-tag example');

  // Inside the repository so that node_modules (player and @types packages) resolve as for an app.
  const dir = join(root, '.tmp', `readme-check-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const files: string[] = [];
    ts.forEach((b, i) => {
      const name = `example-${i + 1}-line-${b.line}.ts`;
      // `export {}` makes every block a module of its own (top-level await, no shared names).
      writeFileSync(join(dir, name), `${b.code}\nexport {};\n`);
      files.push(name);
    });
    html.forEach((b, i) => {
      const srcs = [...b.code.matchAll(/<script\s+src="([^"]+)"/g)].map((m) => m[1] ?? '');
      const dropIn = srcs.find((s) => s.includes('expressplay-eme'));
      assert.ok(dropIn, 'the script-tag example loads the drop-in');
      assert.match(dropIn, /\/dist\/umd\/expressplay-eme(-hlsjs|-dashjs)?\.min\.js$/, 'the drop-in path is one the package ships');
      const shipped = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
      assert.ok(Object.values(shipped.exports).includes(`./${dropIn.slice(dropIn.indexOf('dist/'))}`), `${dropIn} is in package.json exports`);
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { unpkg?: string };
      assert.equal(pkg.unpkg, './dist/umd/expressplay-eme.min.js');
      const vjs = srcs.findIndex((s) => /video(\.min)?\.js$/.test(s));
      const usesVideoJs = /videojs\(/.test(b.code);
      if (usesVideoJs) assert.ok(vjs >= 0 && vjs < srcs.indexOf(dropIn), 'video.js is loaded before the drop-in (auto-registration needs it)');
      const inline = [...b.code.matchAll(/<script(?: type="module")?>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '').join('\n');
      assert.ok(inline.trim() !== '', 'the script-tag example has an inline script');
      const name = `script-tag-${i + 1}-line-${b.line}.ts`;
      writeFileSync(join(dir, name), `${SCRIPT_TAG_PRELUDE}\n${inline}\nexport {};\n`);
      files.push(name);
    });
    writeFileSync(join(dir, 'app-env.d.ts'), APP_ENV);
    const rel = (p: string) => join('..', '..', p);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: rel('tsconfig.json'),
        compilerOptions: {
          noEmit: true,
          types: ['node'],
          paths: {
            'expressplay-eme': [rel('src/index.ts')],
            'expressplay-eme/shaka': [rel('src/shaka/index.ts')],
            'expressplay-eme/videojs': [rel('src/videojs/index.ts')],
            'expressplay-eme/server': [rel('src/server/index.ts')],
            'expressplay-eme/umd': [rel('src/umd.ts')],
            'expressplay-eme/hlsjs': [rel('src/hlsjs/index.ts')],
            'expressplay-eme/dashjs': [rel('src/dashjs/index.ts')],
            'expressplay-eme/umd/hlsjs': [rel('src/umd-hlsjs.ts')],
            'expressplay-eme/umd/dashjs': [rel('src/umd-dashjs.ts')],
          },
        },
        include: [...files, 'app-env.d.ts', rel('types')],
      }),
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, `README examples do not type-check:\n${r.stdout}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('README: the error-code table is the catalog, row for row', () => {
  const start = readme.indexOf('<!-- error-codes:start -->');
  const end = readme.indexOf('<!-- error-codes:end -->');
  assert.ok(start >= 0 && end > start, 'README has the error-codes markers');
  const rows = readme
    .slice(start, end)
    .split('\n')
    .filter((l) => /^\|\s*-\d+\s*\|/.test(l))
    .map((l) => l.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|')));
  assert.equal(rows.length, ERROR_CATALOG.size, 'one row per catalog code');
  const seen = new Set<number>();
  for (const [code, message, category, retry, http] of rows) {
    const entry = ERROR_CATALOG.get(Number(code));
    assert.ok(entry, `README lists ${code}, which is not in the catalog`);
    seen.add(entry.code);
    assert.equal(message, entry.message, `message of ${code}`);
    assert.equal(category, entry.category, `category of ${code}`);
    assert.equal(retry, entry.retryable ? 'yes' : 'no', `retryable of ${code}`);
    assert.equal(http, entry.httpStatus === 0 ? '–' : String(entry.httpStatus), `HTTP status of ${code}`);
  }
  assert.equal(seen.size, ERROR_CATALOG.size, 'every catalog code is in the README');
});

test('README: scripts/gen-docs.mjs --check agrees (the table is exactly what the generator writes)', () => {
  const r = spawnSync(process.execPath, [join(root, 'scripts/gen-docs.mjs'), '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});

test('npm run docs: TypeDoc reads the public entries without errors', { timeout: 180_000 }, () => {
  // --emit none: the check without writing docs/api (which `npm run docs` does).
  const typedoc = join(root, 'node_modules/typedoc/bin/typedoc');
  const r = spawnSync(process.execPath, [typedoc, '--emit', 'none'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  assert.doesNotMatch(`${r.stdout}${r.stderr}`, /\[error\]/);
});
