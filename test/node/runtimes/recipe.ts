// The README's token-endpoint recipes, as the runtime tests run them: a block is
// found by its first line, its package imports pointed at src/, and the app's
// functions (isEntitled, lookUpKey, lookUpKeys) provided over the test streams' keys.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStreams } from '../../../dev/streams.js';

export const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The README's ts block whose first line starts with `// <title>`. */
export function recipe(title: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  const found = blocks.filter((b) => b.startsWith(`// ${title}`));
  if (found.length !== 1) throw new Error(`README: expected one recipe starting "// ${title}", found ${found.length}`);
  return found[0]!;
}

/** Package specifiers → the sources (what the package's exports map points at once built). */
export const PACKAGE_SOURCES: Readonly<Record<string, string>> = {
  'expressplay-eme/fetch': join(root, 'src/fetch/index.ts'),
  'expressplay-eme/server': join(root, 'src/server/index.ts'),
  'expressplay-eme': join(root, 'src/index.ts'),
};

/** The recipe written as a module in .tmp/ (inside the repository, so node_modules resolve), imports pointed at src/. */
export function writeRecipe(title: string, name: string): string {
  let code = recipe(title);
  for (const [spec, path] of Object.entries(PACKAGE_SOURCES))
    code = code.replaceAll(`from '${spec}'`, `from '${path}'`);
  const dir = join(root, '.tmp', `recipes-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, code);
  return file;
}

/** A viewer the test app refuses (header `x-viewer: blocked`). */
export const BLOCKED_VIEWER = 'blocked';

/**
 * The app's functions as JavaScript source, for any runtime: `isEntitled` reads the
 * `x-viewer` header of a Web Request or a node:http request; `lookUpKey` the test streams.
 */
export function appFunctionsSource(): string {
  const streams = JSON.stringify(loadStreams());
  return `
const STREAMS = ${streams};
globalThis.isEntitled = async (req, _contentId) => {
  const h = req.headers;
  const viewer = typeof h.get === 'function' ? h.get('x-viewer') : h['x-viewer'];
  return viewer !== ${JSON.stringify(BLOCKED_VIEWER)};
};
globalThis.lookUpKey = async (contentId) => {
  const s = Object.hasOwn(STREAMS, contentId) ? STREAMS[contentId] : undefined;
  const entries = s ? Object.entries(s.keys) : [];
  return entries.length === 1 ? { kid: entries[0][0], key: entries[0][1], iv: s.iv ?? '00000000000000000000000000000000' } : undefined;
};
globalThis.lookUpKeys = async (contentId) => {
  const s = Object.hasOwn(STREAMS, contentId) ? STREAMS[contentId] : undefined;
  const iv = s?.iv ?? '00000000000000000000000000000000';
  return s && Object.fromEntries(Object.entries(s.keys).map(([kid, key]) => [kid, { key, iv }]));
};
`;
}

/** Installs the app's functions in this process. */
export function installAppFunctions(): void {
  new Function(appFunctionsSource())();
}
