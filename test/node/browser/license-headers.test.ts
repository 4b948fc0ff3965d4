// requestLicense's headers: names are case-insensitive on the wire, so an app's or a
// player's 'Content-Type' replaces the default 'content-type' rather than being sent
// as a second value ("application/octet-stream, application/json").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestLicense } from '../../../src/browser/license.js';

async function sentHeaders(options: { contentType?: string; headers?: Record<string, string> }): Promise<Headers> {
  let seen: RequestInit | undefined;
  const fetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    seen = init;
    return new Response(new Uint8Array([1, 2, 3]), { status: 200 });
  }) as typeof globalThis.fetch;
  const license = await requestLicense(
    'https://wv.service.expressplay.com/hms/wv/rights/?ExpressPlayToken=abc',
    new Uint8Array([9]),
    { drm: 'widevine', allowedRightsHosts: ['*.expressplay.com'], fetch, ...options },
  );
  assert.deepEqual([...license], [1, 2, 3]);
  return new Headers(seen?.headers);
}

test('license headers: the default content type is octet-stream', async () => {
  assert.equal((await sentHeaders({})).get('content-type'), 'application/octet-stream');
});

test('license headers: a Content-Type in any case replaces the default, once', async () => {
  for (const name of ['Content-Type', 'CONTENT-TYPE', 'content-type']) {
    const headers = await sentHeaders({ headers: { [name]: 'application/json' } });
    assert.equal(headers.get('content-type'), 'application/json', name);
  }
});

test('license headers: of two spellings of one name, the later one is sent', async () => {
  const headers = await sentHeaders({ headers: { 'X-Session': 'a', 'x-session': 'b', Authorization: 'Bearer t' } });
  assert.equal(headers.get('x-session'), 'b');
  assert.equal(headers.get('authorization'), 'Bearer t');
});
