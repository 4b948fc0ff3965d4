// The README and docs/*.md cannot rot: their TypeScript examples (and the inline
// script of the README's script-tag example) are type-checked against the sources,
// and the README's error-code table must match the catalog row for row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  /** Your session / entitlement check (node:http request, or Web Request on the fetch handler). */
  function isEntitled(req: IncomingMessage | Request, contentId: string): Promise<boolean>;
  /** The part of Deno's runtime API the Deno recipe uses (Deno's own types are not installed here). */
  const Deno: { env: { get(name: string): string | undefined } };
  /** Your key store, keyed by key id: a content's keys (one, or one per track). */
  function lookUpKeys(contentId: string): Promise<Record<string, { key: string; iv: string; hd?: boolean }> | undefined>;
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
declare const ExpressPlayEMEShaka: typeof import('expressplay-eme/umd/shaka');
declare const ExpressPlayEMEHlsjs: typeof import('expressplay-eme/umd/hlsjs');
declare const ExpressPlayEMEDashjs: typeof import('expressplay-eme/umd/dashjs');
declare const Hls: typeof import('hls.js').default;
`;

/** A module to type-check: its file name (saying where it came from) and its text. */
interface Example {
  name: string;
  code: string;
}

/**
 * Type-checks the examples as an app would compile them: inside the repository (so that
 * node_modules, the players and @types, resolve as for an app), with the package's entry
 * points mapped to src/, each example a module of its own.
 */
function typeCheckExamples(label: string, examples: readonly Example[]): void {
  const dir = join(root, '.tmp', `${label}-check-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    // `export {}` makes every block a module of its own (top-level await, no shared names).
    for (const e of examples) writeFileSync(join(dir, e.name), `${e.code}\nexport {};\n`);
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
            'expressplay-eme/fetch': [rel('src/fetch/index.ts')],
            'expressplay-eme/umd': [rel('src/umd.ts')],
            'expressplay-eme/hlsjs': [rel('src/hlsjs/index.ts')],
            'expressplay-eme/dashjs': [rel('src/dashjs/index.ts')],
            'expressplay-eme/umd/shaka': [rel('src/umd-shaka.ts')],
            'expressplay-eme/umd/hlsjs': [rel('src/umd-hlsjs.ts')],
            'expressplay-eme/umd/dashjs': [rel('src/umd-dashjs.ts')],
          },
        },
        include: [...examples.map((e) => e.name), 'app-env.d.ts', rel('types')],
      }),
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `${label} examples do not type-check:\n${r.stdout}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isTs = (b: Block) => b.lang === 'ts' || b.lang === 'typescript';

test('README: the TypeScript examples and the script-tag example type-check against src/', { timeout: 180_000 }, () => {
  const blocks = codeBlocks(readme);
  const ts = blocks.filter(isTs);
  const html = blocks.filter((b) => b.lang === 'html');
  assert.ok(
    ts.length >= 4,
    `expected at least 4 ts examples (Shaka, Video.js, Express, node:http), found ${ts.length}`,
  );
  assert.ok(html.length >= 1, 'expected the script-tag example');

  const examples: Example[] = ts.map((b, i) => ({ name: `example-${i + 1}-line-${b.line}.ts`, code: b.code }));
  html.forEach((b, i) => {
    const srcs = [...b.code.matchAll(/<script\s+src="([^"]+)"/g)].map((m) => m[1] ?? '');
    const dropIn = srcs.find((s) => s.includes('expressplay-eme'));
    assert.ok(dropIn, 'the script-tag example loads the drop-in');
    assert.match(
      dropIn,
      /\/dist\/umd\/expressplay-eme(-shaka|-hlsjs|-dashjs|-full)?\.min\.js$/,
      'the drop-in path is one the package ships',
    );
    const shipped = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    assert.ok(
      Object.values(shipped.exports).includes(`./${dropIn.slice(dropIn.indexOf('dist/'))}`),
      `${dropIn} is in package.json exports`,
    );
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { unpkg?: string };
    assert.equal(pkg.unpkg, './dist/umd/expressplay-eme.min.js');
    const vjs = srcs.findIndex((s) => /video(\.min)?\.js$/.test(s));
    const usesVideoJs = /videojs\(/.test(b.code);
    if (usesVideoJs)
      assert.ok(
        vjs >= 0 && vjs < srcs.indexOf(dropIn),
        'video.js is loaded before the drop-in (auto-registration needs it)',
      );
    const inline = [...b.code.matchAll(/<script(?: type="module")?>([\s\S]*?)<\/script>/g)]
      .map((m) => m[1] ?? '')
      .join('\n');
    assert.ok(inline.trim() !== '', 'the script-tag example has an inline script');
    examples.push({ name: `script-tag-${i + 1}-line-${b.line}.ts`, code: `${SCRIPT_TAG_PRELUDE}\n${inline}` });
  });
  typeCheckExamples('readme', examples);
});

test('docs/*.md: every TypeScript example type-checks against src/', { timeout: 180_000 }, () => {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort();
  const examples: Example[] = [];
  for (const file of docs) {
    const blocks = codeBlocks(readFileSync(join(root, 'docs', file), 'utf8'));
    // Every block in a language this test does not check must be one that needs no check (shell, data, diagrams).
    for (const b of blocks)
      assert.ok(
        isTs(b) || ['sh', 'json', ''].includes(b.lang),
        `docs/${file}:${b.line}: a \`${b.lang}\` block is neither checked nor known to need no check`,
      );
    blocks
      .filter(isTs)
      .forEach((b) => examples.push({ name: `${file.replace(/\.md$/, '')}-line-${b.line}.ts`, code: b.code }));
  }
  assert.ok(
    examples.length >= 2,
    `expected the emulator and token endpoint examples of docs/emulator.md, found ${examples.length}`,
  );
  typeCheckExamples('docs', examples);
});

test('README: the error-code table is the catalog, row for row', () => {
  const start = readme.indexOf('<!-- error-codes:start -->');
  const end = readme.indexOf('<!-- error-codes:end -->');
  assert.ok(start >= 0 && end > start, 'README has the error-codes markers');
  const rows = readme
    .slice(start, end)
    .split('\n')
    .filter((l) => /^\|\s*-\d+\s*\|/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/\\\|/g, '|')),
    );
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
  const r = spawnSync(process.execPath, [join(root, 'scripts/gen-docs.mjs'), '--check'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});

test('npm run docs: TypeDoc reads the public entries without errors', { timeout: 180_000 }, () => {
  // --emit none: the check without writing docs/api (which `npm run docs` does).
  const typedoc = join(root, 'node_modules/typedoc/bin/typedoc');
  const r = spawnSync(process.execPath, [typedoc, '--emit', 'none'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  assert.doesNotMatch(`${r.stdout}${r.stderr}`, /\[error\]/);
});
