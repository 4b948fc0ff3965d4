// The built UMD drop-ins (dist/umd/*.min.js, run `npm run build` first), evaluated as
// a page evaluates a classic script: each exposes what a page with its player runs, on
// its own global, and none of the back-end-only token request builder/validator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';

function loadDropIn(file: string, global: string): Record<string, unknown> {
  const page: Record<string, unknown> = {};
  page.window = page;
  page.self = page;
  runInNewContext(readFileSync(new URL(`../../../dist/umd/${file}`, import.meta.url), 'utf8'), page);
  const api = page[global];
  assert.ok(api && typeof api === 'object', `${file} sets ${global}`);
  return api as Record<string, unknown>;
}

const assertFunctions = (api: Record<string, unknown>, names: readonly string[]) => {
  for (const name of names) assert.equal(typeof api[name], 'function', name);
};
const assertAbsent = (api: Record<string, unknown>, names: readonly string[]) => {
  for (const name of names) assert.equal(api[name], undefined, name);
};

/** What every per-player drop-in offers next to its adapter. */
const COMMON = [
  'createTokenClient',
  'detectDrm',
  'getFairPlayCertificate',
  'ExpressPlayError',
  'isExpressPlayError',
  'catalogEntry',
  'redactTokens',
];
const BACK_END_ONLY = [
  'buildTokenRequest',
  'tokenServiceUrl',
  'validateTokenParams',
  'serializeTokenParams',
  'encodeForm',
  'decodeForm',
  'tokenParamNames',
];

test('the drop-in (expressplay-eme.min.js) is the Video.js one: its plugin, token client, detection, typed errors', () => {
  const api = loadDropIn('expressplay-eme.min.js', 'ExpressPlayEME');
  assertFunctions(api, [...COMMON, 'registerExpressPlay']);
  assert.equal(typeof api.ClientCode, 'object');
  // Shaka's adapter and the page-side extras are in their own files (-shaka, -full).
  assertAbsent(api, ['attachExpressPlay', 'attachFairPlay', 'parseTokenResponse', 'ERROR_CATALOG', ...BACK_END_ONLY]);
});

test('the Shaka drop-in sets ExpressPlayEMEShaka with the Shaka adapter', () => {
  const api = loadDropIn('expressplay-eme-shaka.min.js', 'ExpressPlayEMEShaka');
  assertFunctions(api, [...COMMON, 'attachExpressPlay', 'expressPlayErrorOf']);
  assertAbsent(api, ['registerExpressPlay', 'attachFairPlay', ...BACK_END_ONLY]);
});

test('the full drop-in exposes the whole page-side API on ExpressPlayEME', () => {
  const api = loadDropIn('expressplay-eme-full.min.js', 'ExpressPlayEME');
  assertFunctions(api, [
    'detectDrm',
    'createTokenClient',
    'attachFairPlay',
    'attachExpressPlay',
    'registerExpressPlay',
    'parseTokenResponse',
    'ExpressPlayError',
    'unwrapCkc',
    'keyIdsFromInitData',
  ]);
  assert.equal(typeof api.ERROR_CATALOG, 'object');
});

test('no drop-in carries the back-end-only token request builder and validator', () => {
  for (const [file, global] of [
    ['expressplay-eme.min.js', 'ExpressPlayEME'],
    ['expressplay-eme-shaka.min.js', 'ExpressPlayEMEShaka'],
    ['expressplay-eme-hlsjs.min.js', 'ExpressPlayEMEHlsjs'],
    ['expressplay-eme-dashjs.min.js', 'ExpressPlayEMEDashjs'],
    ['expressplay-eme-full.min.js', 'ExpressPlayEME'],
  ] as const) {
    assertAbsent(loadDropIn(file, global), BACK_END_ONLY);
  }
});
