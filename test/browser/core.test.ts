// The core under a real browser: real fetch of a real answer, real TextDecoder.
import { expect } from 'chai';
import { parseTokenResponse, buildTokenRequest, ExpressPlayError, utf8Decode, utf8Encode } from '../../src/index.js';

describe('core in Chromium', () => {
  it('parses a text/uri-list answer read with the real fetch', async () => {
    const blob = new Blob(['# rights\r\nhttps://wv.test.expressplay.com/hms/wv/rights/?ExpressPlayToken=abc\r\n'], {
      type: 'text/uri-list',
    });
    const res = new Response(blob, { status: 200, headers: { 'content-type': 'text/uri-list' } });
    const result = parseTokenResponse({
      status: res.status,
      contentType: res.headers.get('content-type'),
      body: await res.text(),
    });
    expect(result.rightsUrl).to.equal('https://wv.test.expressplay.com/hms/wv/rights/?ExpressPlayToken=abc');
    expect(result.token).to.equal('abc');
  });

  it('agrees with the browser TextEncoder/TextDecoder on UTF-8', () => {
    const text = 'ExpressPlay — 토큰 ✓ 🎬';
    expect([...utf8Encode(text)]).to.deep.equal([...new TextEncoder().encode(text)]);
    expect(utf8Decode(new TextEncoder().encode(text))).to.equal(text);
  });

  it('builds a POST body that URLSearchParams reads back identically', () => {
    const req = buildTokenRequest('widevine', {
      customerAuthenticator: 'a b&c',
      kid: '0123456789abcdef0123456789abcdef',
      contentKey: 'fedcba9876543210fedcba9876543210',
      securityLevel: 1,
      hdcpOutputControl: 0,
      cookie: "o'k (1)~*!",
    });
    const back = new URLSearchParams(req.body);
    expect(back.get('customerAuthenticator')).to.equal('a b&c');
    expect(back.get('cookie')).to.equal("o'k (1)~*!");
  });

  it('throws the seed code in the browser too', () => {
    expect(() => buildTokenRequest('fairplay', { customerAuthenticator: 'x', contentKey: '00'.repeat(16), iv: 'zz' }))
      .to.throw(ExpressPlayError)
      .with.property('code', -6003);
  });
});
