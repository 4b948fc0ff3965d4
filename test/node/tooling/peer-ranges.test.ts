// package.json's peerDependencies claim exactly what the browser tests run: each
// range starts at the oldest build of that player the tests load (an npm alias such
// as `video.js-8.0`, or the package itself) and its major is the newest one's. A
// lockfile update that moves an alias past the range's minimum, or a range widened
// without a test for its new minimum, fails here rather than going unnoticed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/**
 * The packages whose player builds the browser tests load: every literal
 * `/node_modules/<name>/dist/` in test/browser, and the packages named in
 * test/browser/support/players.ts (NEWEST and OLDEST, loaded through a template).
 */
function loadedPlayerPackages(): Set<string> {
  const names = new Set<string>();
  for (const file of filesUnder(join(root, 'test/browser'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\/node_modules\/([\w.@-]+)\/dist\//g)) names.add(m[1]!);
  }
  const players = readFileSync(join(root, 'test/browser/support/players.ts'), 'utf8');
  for (const block of players.matchAll(/export const (?:NEWEST|OLDEST): PlayerPackages = \{([^}]*)\}/g)) {
    for (const m of block[1]!.matchAll(/'([^']+)'/g)) names.add(m[1]!);
  }
  return names;
}

/** The package a devDependency installs: itself, or the target of an `npm:<name>@…` alias. */
function realName(dev: string): string {
  const spec = pkg.devDependencies[dev];
  const alias = spec?.match(/^npm:((?:@[^/]+\/)?[^@]+)@/);
  return alias ? alias[1]! : dev;
}

function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;
}

const parts = (v: string) => v.split('.').map(Number) as [number, number, number];
function compare(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

test('peerDependencies: every range is a caret range (its minimum and major are what is claimed)', () => {
  for (const [name, range] of Object.entries(pkg.peerDependencies))
    assert.match(range, /^\^\d+\.\d+\.\d+$/, `${name}: ${range}`);
});

test('peerDependencies: each range starts at the oldest build the browser tests load, and ends at the newest one’s major', () => {
  const loaded = loadedPlayerPackages();
  for (const [peer, range] of Object.entries(pkg.peerDependencies)) {
    const minimum = range.slice(1);
    const versions = [...loaded]
      .filter((dev) => dev in pkg.devDependencies && realName(dev) === peer)
      .map(installedVersion)
      .sort(compare);
    assert.ok(versions.length > 0, `no browser test loads a build of ${peer}`);
    assert.equal(versions[0], minimum, `${peer} ${range}: the oldest build the tests load is ${versions[0]}`);
    assert.equal(
      parts(versions.at(-1)!)[0],
      parts(minimum)[0],
      `${peer} ${range}: the newest build the tests load is ${versions.at(-1)}, another major`,
    );
  }
});
