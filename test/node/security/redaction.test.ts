// Issue #11 item 5: redaction matches parameter names as a server decodes them. The
// emulator (like any form decoder) redeems `?ExpressPlay%54oken=…`; every spelling
// that decodes to the token's or the authenticator's name is redacted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ExpressPlayError, redactTokens, tokenFromRightsUrl } from '../../../src/core/index.js';
import { startEmulator, type Emulator } from '../../../src/server/index.js';
import { BASE, issueRightsUrl, TEST_KEY } from '../server/helpers.js';

const SECRET = 'SECRETTOKENVALUE123';

/** Every character of `name` percent-encoded, with upper- or lower-case hex. */
function encodeAll(name: string, lower: boolean): string {
  return [...name].map((c) => `%${c.charCodeAt(0).toString(16)[lower ? 'toLowerCase' : 'toUpperCase']()}`).join('');
}

const TOKEN_NAMES = [
  'ExpressPlay%54oken',
  'ExpressPlay%54OKEN',
  'expressplay%74oken',
  '%45xpressPlayToken',
  encodeAll('ExpressPlayToken', false),
  encodeAll('ExpressPlayToken', true),
];
const AUTH_NAMES = ['customer%41uthenticator', 'customerAuthenticato%72', encodeAll('customerAuthenticator', true)];

describe('security: redaction on decoded parameter names', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ authenticators: { test: [TEST_KEY] } });
  });
  after(() => emu.close());

  it('the emulator redeems a token under a percent-encoded name (why this matters)', async () => {
    const rightsUrl = await issueRightsUrl(emu.url, 'wv', BASE.wv);
    const encoded = rightsUrl.replace('ExpressPlayToken=', 'ExpressPlay%54oken=');
    const res = await fetch(encoded, {
      method: 'POST',
      body: JSON.stringify({ kids: ['hr8M7DchBk1iTyLSWEnIFg'], type: 'temporary' }),
    });
    assert.equal(res.status, 200);
  });

  for (const name of TOKEN_NAMES) {
    it(`token under ${name} is redacted in text, errors and found by tokenFromRightsUrl`, () => {
      const url = `https://wv.service.expressplay.com/hms/wv/rights/?${name}=${SECRET}&x=1`;
      const out = redactTokens(`GET ${url}`);
      assert.ok(!out.includes(SECRET.slice(4)), out);
      assert.ok(out.endsWith('&x=1'), out);
      assert.ok(!new ExpressPlayError(-4010, { details: url }).message.includes(SECRET.slice(4)));
      assert.equal(tokenFromRightsUrl(url), SECRET);
    });
  }
  for (const name of AUTH_NAMES) {
    it(`authenticator under ${name} is redacted`, () => {
      const out = redactTokens(`https://x/?${name}=${SECRET}&y=2`);
      assert.ok(!out.includes(SECRET.slice(0, 6)), out);
    });
  }
  it('names that do not decode to the token name are left alone', () => {
    for (const text of ['?ExpressPlay%2554oken=abcdefgh', '?ExpressPlayTokens=abcdefgh', '?XExpressPlayToke=abcdefgh'])
      assert.equal(redactTokens(text), text);
  });
});
