// The built UMD drop-in (dist/umd/expressplay-eme.min.js, run `npm run build` first),
// evaluated as a page evaluates a classic script: it exposes what a page runs on
// `ExpressPlayEME`, and none of the back-end-only token request builder/validator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';

const UMD = new URL('../../../dist/umd/expressplay-eme.min.js', import.meta.url);

function loadDropIn(): Record<string, unknown> {
  const page: Record<string, unknown> = {};
  page.window = page;
  page.self = page;
  runInNewContext(readFileSync(UMD, 'utf8'), page);
  const api = page.ExpressPlayEME;
  assert.ok(api && typeof api === 'object', 'the drop-in sets ExpressPlayEME');
  return api as Record<string, unknown>;
}

test('the drop-in exposes the page-side API', () => {
  const api = loadDropIn();
  for (const name of [
    'detectDrm',
    'createTokenClient',
    'attachFairPlay',
    'attachExpressPlay',
    'registerExpressPlay',
    'parseTokenResponse',
    'ExpressPlayError',
    'unwrapCkc',
    'keyIdsFromInitData',
  ]) {
    assert.equal(typeof api[name], 'function', name);
  }
  assert.equal(typeof api.ERROR_CATALOG, 'object');
});

test('the drop-in leaves out the back-end-only token request builder and validator', () => {
  const api = loadDropIn();
  for (const name of [
    'buildTokenRequest',
    'tokenServiceUrl',
    'validateTokenParams',
    'serializeTokenParams',
    'encodeForm',
    'decodeForm',
    'tokenParamNames',
  ]) {
    assert.equal(api[name], undefined, name);
  }
});
