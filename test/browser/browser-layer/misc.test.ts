// Smaller pieces: the redacting logger, endpoint functions, preconnect.
import { expect } from 'chai';
import { ExpressPlayError } from '../../../src/core/index.js';
import { createLogger, createTokenClient, preconnect } from '../../../src/browser/index.js';
import { testConfig } from '../support/page.js';

describe('redacting logger', () => {
  it('redacts tokens and authenticators in messages and nested data, and survives a throwing logger', () => {
    const seen: unknown[] = [];
    const log = createLogger({ info: (m, d) => seen.push(m, d) });
    log.info('got https://x.expressplay.com/hms/wv/rights/?ExpressPlayToken=AAAABBBBCCCC', {
      url: 'https://x/?customerAuthenticator=SECRETKEY&ExpressPlayToken=DDDDEEEEFFFF',
      nested: { list: ['ExpressPlayToken=GGGGHHHHIIII'] },
      error: new ExpressPlayError(-4010, { details: 'token ExpressPlayToken=JJJJKKKKLLLL' }),
    });
    const text = JSON.stringify(seen);
    for (const secret of ['AAAABBBBCCCC', 'SECRETKEY', 'DDDDEEEEFFFF', 'GGGGHHHHIIII', 'JJJJKKKKLLLL'])
      expect(text).to.not.contain(secret);
    expect(text).to.contain('[redacted]');
    expect(() =>
      createLogger({
        warn: () => {
          throw new Error('bad logger');
        },
      }).warn('x'),
    ).to.not.throw();
    expect(() => createLogger(undefined).error('silent')).to.not.throw();
  });
});

describe('token endpoint as a function', () => {
  it('may return a URL or a complete request (sent as is, headers merged)', async () => {
    const { tokenEndpointUrl } = await testConfig();
    const seen: Array<{ url: string; init?: RequestInit }> = [];
    const spy = ((input: RequestInfo | URL, init?: RequestInit) => (
      seen.push({ url: String(input), init }),
      fetch(input, init)
    )) as typeof fetch;
    const byUrl = createTokenClient({
      endpoint: async (ctx) => `${tokenEndpointUrl}?app=1&drm-asked=${ctx.drm}`,
      allowedRightsHosts: ['127.0.0.1'],
      fetch: spy,
      headers: (ctx) => ({ 'x-content': ctx.contentId }),
    });
    await byUrl.getRightsUrl({ drm: 'widevine', contentId: 'cenc-h264' });
    expect(seen[0]!.url).to.contain('app=1&drm-asked=widevine&drm=widevine&contentId=cenc-h264');
    expect(new Headers(seen[0]!.init?.headers).get('x-content')).to.equal('cenc-h264');
    expect(new Headers(seen[0]!.init?.headers).get('accept')).to.equal('application/json, text/uri-list');
    const full = createTokenClient({
      endpoint: (ctx) => ({
        url: tokenEndpointUrl,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ drm: ctx.drm, contentId: ctx.contentId }),
      }),
      allowedRightsHosts: ['127.0.0.1'],
      fetch: spy,
    });
    const info = await full.getRightsUrl({ drm: 'fairplay', contentId: 'fairplay-hls' });
    expect(info.rightsUrl).to.contain('/hms/fp/rights/');
    expect(seen[1]!.init?.method).to.equal('POST');
    expect(seen[1]!.init?.body).to.equal('{"drm":"fairplay","contentId":"fairplay-hls"}');
    byUrl.dispose();
    full.dispose();
  });

  it('with the development authenticator opt-in, a function endpoint is checked at request time', async () => {
    const client = createTokenClient({
      endpoint: () => 'https://api.example.com/token',
      customerAuthenticator: 'sk-test-1',
      dangerouslyAllowAuthenticatorInBrowser: true,
      fetch: (() => Promise.reject(new Error('must not be called'))) as typeof fetch,
    });
    try {
      await client.getRightsUrl({ drm: 'widevine', contentId: 'x' });
      expect.fail('should reject');
    } catch (err) {
      expect((err as ExpressPlayError).code).to.equal(-9020);
    }
    client.dispose();
  });

  it('sends the opted-in authenticator to a loopback endpoint, never logging it', async () => {
    const { tokenEndpointUrl } = await testConfig();
    let body = '';
    const lines: string[] = [];
    const spy = ((input: RequestInfo | URL, init?: RequestInit) => (
      (body = String(init?.body)),
      fetch(input, init)
    )) as typeof fetch;
    const client = createTokenClient({
      endpoint: tokenEndpointUrl,
      method: 'POST',
      customerAuthenticator: 'sk-test-2',
      dangerouslyAllowAuthenticatorInBrowser: true,
      allowedRightsHosts: ['127.0.0.1'],
      fetch: spy,
      logger: { warn: (m) => lines.push(m), debug: (m) => lines.push(m) },
    });
    await client.getRightsUrl({ drm: 'widevine', contentId: 'cenc-h264' }).catch(() => undefined);
    expect(new URLSearchParams(body).get('customerAuthenticator')).to.equal('sk-test-2');
    expect(lines.some((l) => l.includes('DEVELOPMENT ONLY'))).to.equal(true);
    expect(lines.join('\n')).to.not.contain('sk-test-2');
    client.dispose();
  });
});

describe('preconnect', () => {
  it('adds one crossorigin hint per origin, none for the page itself or non-http URLs', () => {
    expect(preconnect('https://rights-1.example/a?ExpressPlayToken=x')).to.equal(true);
    expect(preconnect('https://rights-1.example/b')).to.equal(false);
    expect(preconnect(location.href)).to.equal(false);
    expect(preconnect('data:text/plain,hi')).to.equal(false);
    const link = document.head.querySelector<HTMLLinkElement>(
      'link[rel="preconnect"][href="https://rights-1.example"]',
    );
    expect(link?.crossOrigin).to.equal('anonymous');
  });
});
