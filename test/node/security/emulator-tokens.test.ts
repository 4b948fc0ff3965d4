// Issue #11 item 6: an emulator token has exactly one valid spelling (its canonical
// base64url), and the signing secret is at least 32 bytes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../../src/server/index.js';
import { BASE, issueRightsUrl, TEST_KEY, withParams } from '../server/helpers.js';

const CLEARKEY_REQUEST = JSON.stringify({ kids: ['hr8M7DchBk1iTyLSWEnIFg'], type: 'temporary' });
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Token lengths vary with the payload: a cookie of 1–8 characters walks through them. */
const withCookie = (i: number) => withParams(BASE.wv, {}, [['cookie', 'c'.repeat((i % 8) + 1)]]);

function redeem(rightsUrl: string): Promise<number> {
  return fetch(rightsUrl, { method: 'POST', body: CLEARKEY_REQUEST }).then((r) => r.status);
}

/** The same bytes under another base64url spelling: a last character whose unused low bits differ. */
function respelled(token: string): string | undefined {
  const unusedBits = (token.length * 6) % 8;
  if (unusedBits === 0) return undefined;
  const last = B64URL.indexOf(token.at(-1)!);
  return token.slice(0, -1) + B64URL[last ^ 1];
}

describe('security: emulator token spelling and secret', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ authenticators: { test: [TEST_KEY] } });
  });
  after(() => emu.close());

  it('the canonical token is redeemed; one trailing extra character (ignored by lenient decoders) is refused', async () => {
    // A base64url string of length 4n+1 decodes to the bytes of its first 4n characters.
    for (let i = 0; i < 40; i++) {
      const url = await issueRightsUrl(emu.url, 'wv', withCookie(i));
      const token = new URL(url).searchParams.get('ExpressPlayToken')!;
      if (token.length % 4 !== 0) continue;
      assert.equal(await redeem(url), 200);
      for (const extra of ['A', 'x', '-']) {
        assert.equal(
          Buffer.from(token + extra, 'base64url').equals(Buffer.from(token, 'base64url')),
          true,
          'same bytes',
        );
        assert.equal(await redeem(url.replace(token, token + extra)), 401, `trailing ${extra}`);
      }
      return;
    }
    assert.fail('no token of length 4n in 40 tries');
  });

  it('a token whose last character differs only in unused bits is refused', async () => {
    // Issue tokens until one has unused bits in its last character (payload length varies).
    for (let i = 0; i < 20; i++) {
      const url = await issueRightsUrl(emu.url, 'wv', withCookie(i));
      const token = new URL(url).searchParams.get('ExpressPlayToken')!;
      const other = respelled(token);
      if (other === undefined) continue;
      assert.equal(Buffer.from(other, 'base64url').equals(Buffer.from(token, 'base64url')), true, 'same bytes');
      assert.equal(await redeem(url.replace(token, other)), 401);
      return;
    }
    assert.fail('no token with unused bits in 20 tries');
  });

  for (const secret of ['', 'a', 'x'.repeat(31), new Uint8Array(16)]) {
    it(`refuses a tokenSecret of ${typeof secret === 'string' ? secret.length : secret.length} bytes`, async () => {
      let started: Emulator | undefined;
      await assert.rejects(async () => {
        started = await startEmulator({ authenticators: { test: [TEST_KEY] }, tokenSecret: secret });
      }, TypeError);
      await started?.close();
    });
  }
  it('accepts a 32-byte tokenSecret, and tokens survive a restart with it', async () => {
    const secret = 's'.repeat(32);
    const a = await startEmulator({ authenticators: { test: [TEST_KEY] }, tokenSecret: secret });
    const url = await issueRightsUrl(a.url, 'wv', BASE.wv);
    const port = new URL(a.url).port;
    await a.close();
    const b = await startEmulator({ authenticators: { test: [TEST_KEY] }, tokenSecret: secret, port: Number(port) });
    try {
      assert.equal(await redeem(url), 200);
    } finally {
      await b.close();
    }
  });
});
