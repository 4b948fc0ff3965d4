// The token endpoint in workerd (Cloudflare's runtime, through miniflare): the
// README's Worker recipe, with the authenticator from the Worker's secret binding,
// calling the emulator on loopback.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Miniflare } from 'miniflare';
import { startEmulator, type Emulator } from '../../../src/server/index.js';
import { checkEndpointContract } from './contract.js';
import { startWorkerd } from './workerd.js';

const AUTHENTICATOR = 'workerd-test-authenticator-0123456789';

describe('workerd: the Cloudflare Workers recipe', { timeout: 120_000 }, () => {
  let emu: Emulator;
  let mf: Miniflare;
  let script: string;
  before(async () => {
    emu = await startEmulator({ authenticators: { test: [AUTHENTICATOR] } });
    ({ mf, script } = await startWorkerd({ authenticator: AUTHENTICATOR, service: emu.url }));
  });
  after(async () => {
    await mf?.dispose();
    await emu.close();
  });

  it('the bundle is Web-only: no node: import', () => {
    assert.doesNotMatch(script, /from\s*["']node:|require\(["']node:/);
  });

  it('serves the endpoint contract, reaching the emulator on loopback', async () => {
    await checkEndpointContract(
      (path, init) => mf.dispatchFetch(`http://app.example${path}`, init as never) as unknown as Promise<Response>,
      emu,
    );
  });

  it('an ExpressPlay error is relayed with its status and code, without the authenticator', async () => {
    emu.faults.set({ token: { failNext: 1, status: 401, code: -2018 } });
    const r = await mf.dispatchFetch('http://app.example/api/expressplay-token?drm=widevine&contentId=cenc-h264');
    const body = await r.text();
    assert.equal(r.status, 401, body);
    assert.equal((JSON.parse(body) as { errorCode: number }).errorCode, -2018);
    assert.ok(!body.includes(AUTHENTICATOR));
  });
});
