// Multi-key content (issue #16, back-end guard): when the browser names the key ids
// it needs, a token is minted only for one of them. resolve() returning another
// key's parameters is refused (403 -9063) and nothing is asked of the token service.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../../src/server/index.js';
import { KEY, KID, TEST_KEY } from '../server/helpers.js';
import { serve, type Served } from './handler-support.js';

const OTHER_KID = '4166b9ed5fc5c7492a9a03e312aac14e';

describe('kid guard: never a token for a key the browser did not ask for', () => {
  let emu: Emulator;
  let endpoint: Served;
  let returnKid = KID;
  before(async () => {
    emu = await startEmulator({ authenticators: { test: [TEST_KEY] } });
    endpoint = await serve({
      authenticator: TEST_KEY,
      service: emu.url,
      resolve: () => ({ kid: returnKid, contentKey: KEY, securityLevel: 1, hdcpOutputControl: 0 }),
    });
  });
  after(async () => {
    await endpoint.close();
    await emu.close();
  });
  const tokens = () => emu.stats().tokensIssued.widevine;

  it('resolve() returns another kid than the one asked for → 403 -9063, no token minted', async () => {
    returnKid = OTHER_KID;
    const t0 = tokens();
    const r = await fetch(`${endpoint.url}?drm=widevine&contentId=m&kids=${KID}`);
    const body = await r.text();
    assert.equal(r.status, 403, body);
    assert.equal(JSON.parse(body).errorCode, -9063);
    assert.equal(tokens(), t0);
  });

  it('a kid among those asked for (either case) is served; no kids asked → served', async () => {
    returnKid = OTHER_KID.toUpperCase();
    const both = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ drm: 'widevine', contentId: 'm', kids: [KID, OTHER_KID] }),
    });
    assert.equal(both.status, 200, await both.text());
    returnKid = KID;
    assert.equal((await fetch(`${endpoint.url}?drm=widevine&contentId=m`)).status, 200);
  });
});
