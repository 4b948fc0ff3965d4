// Every public name of every package entry, so that a new export (or a lost one) is a
// decision made in review, not an accident: internal helpers stay internal (issue #13).
// Types are not listed: they have no runtime name; TypeDoc shows them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

const ENTRIES: Record<string, string[]> = {
  '.': [
    'ClientCode',
    'DEFAULT_RIGHTS_HOSTS',
    'DRM_PATH',
    'ERROR_CATALOG',
    'ExpressPlayError',
    'KEY_SYSTEMS',
    'LEGACY_FAIRPLAY_KEY_SYSTEMS',
    'MAX_TOKEN_LIFETIME_SECONDS',
    'WIDEVINE_LADDER',
    'assertRightsUrl',
    'attachFairPlay',
    'base64ToBytes',
    'buildTokenRequest',
    'bytesToBase64',
    'bytesToBase64Url',
    'bytesToHex',
    'catalogEntry',
    'clearFairPlayCertificateCache',
    'contentIdFromSkd',
    'createLogger',
    'createTokenClient',
    'decodeCertificate',
    'decodeForm',
    'detectDrm',
    'encodeForm',
    'encodeFormComponent',
    'errorForHttpStatus',
    'getFairPlayCertificate',
    'hexToBytes',
    'isBase64',
    'isExpressPlayError',
    'isHex',
    'isSkdUri',
    'isTokenDrm',
    'keyIdsFromInitData',
    'keyIdsFromKeyIdsJson',
    'keyIdsFromPssh',
    'keyIdsFromSinf',
    'legacyFairPlayInitData',
    'parseErrorResponse',
    'parseExpirationTime',
    'parseTokenResponse',
    'parseUriList',
    'preconnect',
    'preconnectFairPlayCertificate',
    'preferredIn',
    'redactTokens',
    'requestCkc',
    'requestLicense',
    'rightsUrlFromSkd',
    'seedCodes',
    'serializeTokenParams',
    'skdFromInitData',
    'toBytes',
    'tokenFromRightsUrl',
    'tokenParamNames',
    'tokenServiceUrl',
    'unwrapCkc',
    'utf8Decode',
    'utf8Encode',
    'validateTokenParams',
  ],
  './shaka': ['attachExpressPlay', 'expressPlayErrorOf'],
  './videojs': ['autoRegisterExpressPlay', 'registerExpressPlay', 'typedError'],
  './hlsjs': ['attachExpressPlay', 'expressPlayErrorOf'],
  './dashjs': ['attachExpressPlay', 'expressPlayErrorOf'],
  './fetch': ['ClientCode', 'ExpressPlayError', 'MemoryTokenStore', 'createFetchHandler'],
  './server': [
    'MemoryTokenStore',
    'aesKeyUnwrap',
    'aesKeyWrap',
    'createTokenHandler',
    'decodeStandInCkc',
    'makeStandInCkc',
    'readTokenRequestContext',
    'startEmulator',
  ],
};

const SOURCES: Record<string, string> = {
  '.': '../../../src/index.ts',
  './shaka': '../../../src/shaka/index.ts',
  './videojs': '../../../src/videojs/index.ts',
  './hlsjs': '../../../src/hlsjs/index.ts',
  './dashjs': '../../../src/dashjs/index.ts',
  './fetch': '../../../src/fetch/index.ts',
  './server': '../../../src/server/index.ts',
};

describe('public API: the runtime names of each package entry', () => {
  for (const [entry, expected] of Object.entries(ENTRIES)) {
    it(`${entry} exports exactly its documented names`, async () => {
      const mod = (await import(SOURCES[entry]!)) as Record<string, unknown>;
      assert.deepEqual(Object.keys(mod).sort(), [...expected].sort());
    });
  }

  it('internal helpers are not exported', async () => {
    const root = (await import(SOURCES['.']!)) as Record<string, unknown>;
    const server = (await import(SOURCES['./server']!)) as Record<string, unknown>;
    for (const name of ['fetchWithRetry', 'backoffDelay', 'fetchOnce', 'sleep'])
      assert.equal(root[name], undefined, name);
    assert.equal(server['escapeHtml'], undefined);
  });

  it('every entry in package.json exports is covered here', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const code = Object.keys(pkg.exports).filter((k) => !k.startsWith('./umd') && k !== './package.json');
    assert.deepEqual(code.sort(), Object.keys(ENTRIES).sort());
  });
});
