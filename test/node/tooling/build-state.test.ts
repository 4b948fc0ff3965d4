// npm test and npm start rebuild dist/ before anything reads it when it is missing or
// older than src/ (scripts/build-state.mjs): a test must never run on yesterday's build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
// @ts-expect-error -- a plain .mjs script without types
import { BUILD_OUTPUTS, buildState } from '../../../scripts/build-state.mjs';

function tree(): { root: string; touch(file: string, seconds: number): void } {
  const root = mkdtempSync(join(tmpdir(), 'build-state-'));
  return {
    root,
    touch(file, seconds) {
      const p = join(root, file);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, '');
      utimesSync(p, seconds, seconds);
    },
  };
}

test('build state: missing, stale and fresh dist/', () => {
  const t = tree();
  try {
    t.touch('src/core/a.ts', 1000);
    assert.equal(buildState(t.root), 'missing');
    for (const f of BUILD_OUTPUTS as string[]) t.touch(f, 2000);
    assert.equal(buildState(t.root), 'fresh');
    // One source edited after the build, deep in the tree.
    t.touch('src/browser/types/b.ts', 3000);
    assert.equal(buildState(t.root), 'stale');
    // Rebuilt: fresh again; one output gone: missing.
    for (const f of BUILD_OUTPUTS as string[]) t.touch(f, 4000);
    assert.equal(buildState(t.root), 'fresh');
    rmSync(join(t.root, (BUILD_OUTPUTS as string[])[3]!));
    assert.equal(buildState(t.root), 'missing');
  } finally {
    rmSync(t.root, { recursive: true, force: true });
  }
});

test('build state: every drop-in and entry the tests load is among the outputs checked', () => {
  for (const f of ['dist/umd/expressplay-eme.min.js', 'dist/umd/expressplay-eme-full.min.js', 'dist/esm/index.js'])
    assert.ok((BUILD_OUTPUTS as string[]).includes(f), f);
});
