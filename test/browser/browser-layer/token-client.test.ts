// The token client against the real emulator and reference token endpoint over HTTP.
import { expect } from 'chai';
import { ExpressPlayError, bytesToBase64Url, hexToBytes } from '../../../src/core/index.js';
import { createTokenClient, requestLicense } from '../../../src/browser/index.js';
import type { ExpressPlayEvent } from '../../../src/browser/types/events.js';
import type { TokenClientOptions, TokenContext } from '../../../src/browser/types/token-client.js';
import { emulatorStats, resetEmulator, setFaults, testConfig } from '../support/page.js';
import { rejection } from './fixtures.js';
import { sleep } from '../support/helpers.js';

const CENC = { drm: 'clearkey', contentId: 'cenc-h264' } as const satisfies TokenContext;
const CENC_KID = '86bf0cec3721064d624f22d25849c816';

async function tokensIssued(): Promise<number> {
  const s = await emulatorStats();
  return Object.values(s.tokensIssued).reduce((a, b) => a + b, 0);
}

/** A fetch that counts requests and passes them to the real one. */
function countingFetch() {
  const urls: string[] = [];
  const fn = (input: RequestInfo | URL, init?: RequestInit) => {
    urls.push(String(input));
    return fetch(input, init);
  };
  return { fetch: fn as typeof fetch, urls };
}

function clearKeyRequest(kidHex: string): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ kids: [bytesToBase64Url(hexToBytes(kidHex))], type: 'temporary' }));
}

describe('token client against the emulator', () => {
  let endpoint: string;
  let emulatorUrl: string;
  const clients: Array<{ dispose(): void }> = [];
  const make = (extra: Partial<TokenClientOptions> = {}) => {
    const c = createTokenClient({ endpoint, allowedRightsHosts: ['127.0.0.1'], retry: { baseDelayMs: 20 }, ...extra });
    clients.push(c);
    return c;
  };

  before(async () => {
    ({ tokenEndpointUrl: endpoint, emulatorUrl } = await testConfig());
  });
  beforeEach(async () => {
    await resetEmulator();
  });
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.dispose());
    await resetEmulator();
  });

  it('gets a rights URL the emulator redeems, then serves it from the cache', async () => {
    const events: ExpressPlayEvent[] = [];
    const client = make({ onEvent: (e) => events.push(e) });
    const first = await client.getRightsUrl({ ...CENC, securityLevel: 1, hdcp: 0, kids: [CENC_KID] });
    expect(first.source).to.equal('endpoint');
    expect(first.rightsUrl.startsWith(`${emulatorUrl}/hms/wv/rights/`)).to.equal(true);
    expect(first.token).to.be.a('string');
    expect(first.expiresAtMs).to.be.above(Date.now() + 24 * 3600_000);
    // Cached per key-id set: the same key ids (any case, any order) hit the entry.
    const second = await client.getRightsUrl({ ...CENC, kids: [CENC_KID.toUpperCase()] });
    expect(second.source).to.equal('cache');
    expect(second.rightsUrl).to.equal(first.rightsUrl);
    expect(await tokensIssued()).to.equal(1);
    const tokenEvents = events.filter((e) => e.type === 'expressplay:token');
    expect(tokenEvents.map((e) => e.source)).to.deep.equal(['endpoint', 'cache']);
    expect(tokenEvents[0]!.durationMs).to.be.a('number');
    expect(tokenEvents[0]!.rightsUrl).to.contain('[redacted]');
    expect(tokenEvents[0]!.rightsUrl).to.not.contain(first.token!);
    // The rights URL really works: a ClearKey license for the stream's kid.
    const license = await requestLicense(first.rightsUrl, clearKeyRequest(CENC_KID), {
      drm: 'clearkey',
      contentType: 'application/json',
    });
    const jwk = JSON.parse(new TextDecoder().decode(license)) as { keys: Array<{ kid: string }> };
    expect(jwk.keys[0]!.kid).to.equal(bytesToBase64Url(hexToBytes(CENC_KID)));
  });

  it('shares one fetch between concurrent callers (dedupe)', async () => {
    await setFaults({ token: { latencyMs: 150 } });
    const { fetch, urls } = countingFetch();
    const client = make({ fetch });
    const all = await Promise.all([client.getRightsUrl(CENC), client.getRightsUrl(CENC), client.prefetch(CENC)]);
    expect(new Set(all.map((r) => r!.rightsUrl)).size).to.equal(1);
    expect(urls).to.have.length(1);
    expect(await tokensIssued()).to.equal(1);
    // Another content is another fetch.
    await client.getRightsUrl({ drm: 'clearkey', contentId: 'cbcs-vp9' });
    expect(urls).to.have.length(2);
  });

  it('sends drm, contentId, kids, securityLevel and hdcp by GET, POST form and POST JSON', async () => {
    for (const extra of [{}, { method: 'POST' as const }, { method: 'POST' as const, bodyFormat: 'json' as const }]) {
      const seen: Array<{ url: string; body: unknown }> = [];
      const fetchSpy = ((input: RequestInfo | URL, init?: RequestInit) => {
        seen.push({ url: String(input), body: init?.body });
        return fetch(input, init);
      }) as typeof fetch;
      const client = make({ ...extra, fetch: fetchSpy });
      const info = await client.getRightsUrl({
        drm: 'widevine',
        contentId: 'cenc-h264',
        kids: [CENC_KID],
        securityLevel: 2,
        hdcp: 1,
      });
      expect(info.source).to.equal('endpoint');
      const sent = extra.method === 'POST' ? String(seen[0]!.body) : seen[0]!.url;
      for (const part of ['widevine', 'cenc-h264', CENC_KID]) expect(sent).to.contain(part);
      if (extra.method !== 'POST') expect(sent).to.contain('securityLevel=2').and.contain('hdcp=1');
    }
  });

  it('fetches again once the token is within the expiry margin', async () => {
    const client = make({ expiryMarginMs: 0 });
    const appUrl = (await make().getRightsUrl(CENC)).rightsUrl;
    // A rights URL the app had, valid for 150 ms more.
    const set = client.setRightsUrl(CENC, appUrl, new Date(Date.now() + 150));
    expect(set.source).to.equal('app');
    expect((await client.getRightsUrl(CENC)).source).to.equal('app');
    await new Promise((r) => setTimeout(r, 200));
    const after = await client.getRightsUrl(CENC);
    expect(after.source).to.equal('endpoint');
    // And with a margin longer than the token's 30-day life, every call fetches.
    const eager = make({ expiryMarginMs: 31 * 24 * 3600_000 });
    await eager.getRightsUrl(CENC);
    expect((await eager.getRightsUrl(CENC)).source).to.equal('endpoint');
  });

  it('retries a failing endpoint (503) with backoff, then succeeds', async () => {
    await setFaults({ token: { failNext: 2, status: 503 } });
    const { fetch, urls } = countingFetch();
    const client = make({ fetch, retry: { maxAttempts: 4, baseDelayMs: 30 } });
    const info = await client.getRightsUrl(CENC);
    expect(info.source).to.equal('endpoint');
    expect(urls).to.have.length(3);
  });

  it('fails fast on a 4xx with the seed code from ExpressPlay', async () => {
    await setFaults({ token: { failNext: 1, status: 400, code: -2019 } });
    const { fetch, urls } = countingFetch();
    const events: ExpressPlayEvent[] = [];
    const client = make({ fetch, onEvent: (e) => events.push(e) });
    const err = await rejection(client.getRightsUrl(CENC));
    expect(err.code).to.equal(-2019);
    expect(err.retryable).to.equal(false);
    expect(urls).to.have.length(1);
    expect(events.find((e) => e.type === 'expressplay:error')?.error?.code).to.equal(-2019);
    // Unknown content: the back end's own 404.
    expect((await rejection(client.getRightsUrl({ drm: 'clearkey', contentId: 'nope' }))).httpStatus).to.equal(404);
  });

  it("aborts on the caller's signal; dispose aborts everything in flight with -9050", async () => {
    await setFaults({ token: { latencyMs: 2000 } });
    const client = make();
    const ac = new AbortController();
    const t0 = performance.now();
    const p = client.getRightsUrl(CENC, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    expect((await rejection(p)).code).to.equal(-9012);
    expect(performance.now() - t0).to.be.below(1000);
    const pending = client.getRightsUrl({ drm: 'clearkey', contentId: 'cbcs-vp9' });
    setTimeout(() => client.dispose(), 50);
    expect((await rejection(pending)).code).to.equal(-9050);
    expect((await rejection(client.getRightsUrl(CENC))).code).to.equal(-9050);
  });

  it('a caller arriving just after the last one left gets a fresh fetch, not the abandoned one (-9012)', async () => {
    await setFaults({ token: { latencyMs: 300 } });
    const { fetch, urls } = countingFetch();
    const client = make({ fetch });
    const ac = new AbortController();
    const left = client.getRightsUrl(CENC, { signal: ac.signal });
    await sleep(30);
    // The last waiter leaves, and in the same task another player asks for the same content.
    ac.abort();
    const next = client.getRightsUrl(CENC);
    expect((await rejection(left)).code).to.equal(-9012);
    const info = await next;
    expect(info.source).to.equal('endpoint');
    expect(urls, 'the abandoned fetch and a new one').to.have.length(2);
    client.dispose();
  });

  it('prefetch never rejects', async () => {
    await setFaults({ token: { failNext: 5, status: 500 } });
    const client = make({ retry: { maxAttempts: 1 } });
    expect(await client.prefetch(CENC)).to.equal(undefined);
    expect(await make().prefetch({ drm: 'clearkey', contentId: '' })).to.equal(undefined);
  });

  it('allowlist: the default (ExpressPlay hosts) refuses the emulator; https only except loopback', async () => {
    const strict = createTokenClient({ endpoint });
    clients.push(strict);
    expect((await rejection(strict.getRightsUrl(CENC))).code).to.equal(-9021);
    expect(() =>
      strict.assertAllowedRightsUrl('https://wv.service.expressplay.com/hms/wv/rights/?ExpressPlayToken=abc'),
    ).to.not.throw();
    expect(() => strict.assertAllowedRightsUrl('https://fp.test.expressplay.com:443/hms/fp/rights/')).to.not.throw();
    expect(() => strict.assertAllowedRightsUrl('https://expressplay.com.evil.example/x'))
      .to.throw(ExpressPlayError)
      .with.property('code', -9021);
    expect(() => strict.assertAllowedRightsUrl('https://evil.example/hms/wv/rights/'))
      .to.throw(ExpressPlayError)
      .with.property('code', -9021);
    expect(() => strict.assertAllowedRightsUrl('http://wv.service.expressplay.com/hms/wv/rights/'))
      .to.throw(ExpressPlayError)
      .with.property('code', -9022);
    expect(() => strict.assertAllowedRightsUrl('not a url'))
      .to.throw(ExpressPlayError)
      .with.property('code', -9022);
    const dev = make({ allowedRightsHosts: ['localhost', /^127\.0\.0\.1$/] });
    expect(() => dev.assertAllowedRightsUrl('http://localhost:8787/hms/wv/rights/')).to.not.throw();
    expect(() => dev.assertAllowedRightsUrl('http://[::1]:8787/x'))
      .to.throw(ExpressPlayError)
      .with.property('code', -9021);
    expect(() => dev.setRightsUrl(CENC, 'https://evil.example/?ExpressPlayToken=x'))
      .to.throw(ExpressPlayError)
      .with.property('code', -9021);
    // requestLicense alone still refuses plain http off loopback.
    expect(
      (await rejection(requestLicense('http://example.com/rights', new Uint8Array(1), { drm: 'widevine' }))).code,
    ).to.equal(-9022);
  });

  it('refreshes once after a rejected token, then fails; licenseAcquired re-arms', async () => {
    const client = make();
    const first = await client.getRightsUrl(CENC);
    await setFaults({ forceExpiry: 'all' });
    const rejected = await rejection(
      requestLicense(first.rightsUrl, clearKeyRequest(CENC_KID), { drm: 'clearkey', contentType: 'application/json' }),
    );
    expect(rejected.code).to.equal(-4010);
    expect(rejected.isTokenRejected).to.equal(true);
    const fresh = await client.refresh(CENC, rejected);
    expect(fresh.source).to.equal('endpoint');
    expect(fresh.rightsUrl).to.not.equal(first.rightsUrl);
    const again = await rejection(
      requestLicense(fresh.rightsUrl, clearKeyRequest(CENC_KID), { drm: 'clearkey', contentType: 'application/json' }),
    );
    expect(again.isTokenRejected).to.equal(true);
    // Second refresh without a license in between: the typed error, no loop.
    expect(await rejection(client.refresh(CENC, again))).to.equal(again);
    // The app tries again (a new load): the refused token is not reused, a fresh one is fetched.
    const retry = await client.getRightsUrl(CENC);
    expect(retry.source, 'a refused token is not served from the cache').to.equal('endpoint');
    expect(retry.rightsUrl).to.not.equal(fresh.rightsUrl);
    // ...and that fresh token has its own one refresh.
    const third = await rejection(
      requestLicense(retry.rightsUrl, clearKeyRequest(CENC_KID), { drm: 'clearkey', contentType: 'application/json' }),
    );
    expect((await client.refresh(CENC, third)).source).to.equal('endpoint');
    expect(await rejection(client.refresh(CENC, third)), 'still only once per token').to.equal(third);
    await setFaults({ forceExpiry: 'off' });
    client.licenseAcquired(CENC);
    const rearmed = await client.refresh(CENC, again);
    await requestLicense(rearmed.rightsUrl, clearKeyRequest(CENC_KID), {
      drm: 'clearkey',
      contentType: 'application/json',
    });
  });

  it("one caller's abort does not fail a refresh shared with another caller, and an abandoned refresh does not count as the one refresh", async () => {
    const { fetch: counting, urls } = countingFetch();
    const client = make({ fetch: counting });
    await client.getRightsUrl(CENC);
    const rejected = new ExpressPlayError(-4010, { httpStatus: 401, drm: 'clearkey' });
    await setFaults({ token: { latencyMs: 300 } });
    // Two players share one client: both see the token refused, one is detached mid-refresh.
    const a = new AbortController();
    const refreshA = client.refresh(CENC, rejected, { signal: a.signal });
    const refreshB = client.refresh(CENC, rejected, { signal: new AbortController().signal });
    a.abort();
    expect((await rejection(refreshA)).code, 'the caller that left').to.equal(-9012);
    const b = await refreshB;
    expect(b.source, 'the caller still there gets the fresh token').to.equal('endpoint');
    expect(urls, 'one refresh fetch').to.have.length(2);

    // Every caller of a refresh gives up: the fetch is aborted, and it was not "the" refresh.
    client.licenseAcquired(CENC);
    const c = new AbortController();
    const refreshC = client.refresh(CENC, rejected, { signal: c.signal });
    await new Promise((r) => setTimeout(r, 50));
    c.abort();
    expect((await rejection(refreshC)).code).to.equal(-9012);
    const d = await client.refresh(CENC, rejected);
    expect(d.source, 'a refresh after an abandoned one still fetches').to.equal('endpoint');
    expect(urls).to.have.length(4);
  });

  describe('multi-key content: one token per key id set', () => {
    const MK = { drm: 'clearkey', contentId: 'multikey-dash' } as const satisfies TokenContext;
    const AUDIO = '0f5b51e21bd651d790c77a3841b95cd3';
    const SD = 'b293f0194fa7faaa83f1b7dadac68cef';

    it('sessions for the same key share one token; sessions for different keys get their own', async () => {
      await setFaults({ token: { latencyMs: 100 } });
      const { fetch, urls } = countingFetch();
      const client = make({ fetch });
      const [a1, a2, sd] = await Promise.all([
        client.getRightsUrl({ ...MK, kids: [AUDIO] }),
        client.getRightsUrl({ ...MK, kids: [AUDIO.toUpperCase()] }),
        client.getRightsUrl({ ...MK, kids: [SD] }),
      ]);
      expect(a1.rightsUrl).to.equal(a2.rightsUrl);
      expect(sd.rightsUrl).to.not.equal(a1.rightsUrl);
      expect(a1.kids).to.deep.equal([AUDIO]);
      expect(urls.map((u) => new URL(u).searchParams.get('kids')).sort()).to.deep.equal([AUDIO, SD].sort());
      expect((await emulatorStats()).tokensByKid).to.deep.equal({ [AUDIO]: 1, [SD]: 1 });
      // Each token redeems for its own key only.
      await requestLicense(sd.rightsUrl, clearKeyRequest(SD), { drm: 'clearkey', contentType: 'application/json' });
      expect(
        (
          await rejection(
            requestLicense(sd.rightsUrl, clearKeyRequest(AUDIO), { drm: 'clearkey', contentType: 'application/json' }),
          )
        ).code,
      ).to.equal(-4022);
    });

    it('a request without kids is answered -4018 (name the key) without a token or an error event; key sessions waiting on it ask per key', async () => {
      await setFaults({ token: { latencyMs: 100 } });
      const events: ExpressPlayEvent[] = [];
      const client = make({ onEvent: (e) => events.push(e) });
      const whole = client.getRightsUrl(MK);
      const audio = client.getRightsUrl({ ...MK, kids: [AUDIO] });
      expect((await rejection(whole)).code).to.equal(-4018);
      expect((await audio).kids).to.deep.equal([AUDIO]);
      expect((await emulatorStats()).tokensByKid).to.deep.equal({ [AUDIO]: 1 });
      expect(
        events.filter((e) => e.type === 'expressplay:error'),
        'not an error yet: sessions ask per key',
      ).to.have.length(0);
      expect(events.filter((e) => e.type === 'expressplay:token').map((e) => e.kids)).to.deep.equal([[AUDIO]]);
    });

    it('single-key content: a session with its key ids uses the content token (in flight or cached), one token in all', async () => {
      await setFaults({ token: { latencyMs: 100 } });
      const client = make();
      const [whole, keyed] = await Promise.all([
        client.getRightsUrl(CENC),
        client.getRightsUrl({ ...CENC, kids: [CENC_KID] }),
      ]);
      expect(keyed.rightsUrl).to.equal(whole.rightsUrl);
      expect((await client.getRightsUrl({ ...CENC, kids: [CENC_KID] })).source).to.equal('cache');
      expect(await tokensIssued()).to.equal(1);
    });

    it('a key id the content does not have is a typed 4xx, never a token for another key', async () => {
      const client = make();
      const err = await rejection(client.getRightsUrl({ ...MK, kids: ['00'.repeat(16)] }));
      expect(err.code).to.equal(-4022);
      expect(err.httpStatus).to.equal(400);
      expect(await tokensIssued()).to.equal(0);
    });

    it("a refresh replaces only that key's token", async () => {
      const client = make();
      const audio = await client.getRightsUrl({ ...MK, kids: [AUDIO] });
      const sd = await client.getRightsUrl({ ...MK, kids: [SD] });
      const fresh = await client.refresh(
        { ...MK, kids: [AUDIO] },
        new ExpressPlayError(-4010, { httpStatus: 401, drm: 'clearkey' }),
      );
      expect(fresh.rightsUrl).to.not.equal(audio.rightsUrl);
      const sdAgain = await client.getRightsUrl({ ...MK, kids: [SD] });
      expect(sdAgain.source).to.equal('cache');
      expect(sdAgain.rightsUrl).to.equal(sd.rightsUrl);
      expect((await emulatorStats()).tokensByKid).to.deep.equal({ [AUDIO]: 2, [SD]: 1 });
    });

    it('invalidate without kids drops every key of the content', async () => {
      const client = make();
      await client.getRightsUrl({ ...MK, kids: [AUDIO] });
      await client.getRightsUrl({ ...MK, kids: [SD] });
      client.invalidate(MK);
      expect((await client.getRightsUrl({ ...MK, kids: [AUDIO] })).source).to.equal('endpoint');
      expect((await client.getRightsUrl({ ...MK, kids: [SD] })).source).to.equal('endpoint');
    });
  });

  it('invalidate drops the cache', async () => {
    const client = make();
    await client.getRightsUrl(CENC);
    client.invalidate(CENC);
    expect((await client.getRightsUrl(CENC)).source).to.equal('endpoint');
    client.invalidate();
    expect((await client.getRightsUrl(CENC)).source).to.equal('endpoint');
    expect(await tokensIssued()).to.equal(3);
  });

  it('redacts tokens from every log line, event and error message', async () => {
    const lines: string[] = [];
    const logger = {
      debug: (m: string, d?: unknown) => lines.push(m + JSON.stringify(d ?? '')),
      info: (m: string, d?: unknown) => lines.push(m + JSON.stringify(d ?? '')),
      warn: (m: string, d?: unknown) => lines.push(m + JSON.stringify(d ?? '')),
      error: (m: string, d?: unknown) => lines.push(m + JSON.stringify(d ?? '')),
    };
    const events: ExpressPlayEvent[] = [];
    const client = make({ logger, onEvent: (e) => events.push(e) });
    const info = await client.getRightsUrl(CENC);
    await setFaults({ forceExpiry: 'all' });
    const rejected = await rejection(
      requestLicense(info.rightsUrl, clearKeyRequest(CENC_KID), { drm: 'clearkey', contentType: 'application/json' }),
    );
    await client.refresh(CENC, rejected);
    await rejection(client.refresh(CENC, rejected));
    const token = info.token!;
    expect(lines.length).to.be.above(1);
    expect(lines.some((l) => l.includes('ExpressPlayToken='))).to.equal(true);
    for (const l of lines) expect(l).to.not.contain(token);
    for (const e of events) expect(JSON.stringify({ ...e, error: e.error?.message })).to.not.contain(token);
    expect(rejected.message).to.not.contain(token);
  });

  it('refuses a customerAuthenticator in the browser (-9020) unless opted in for the test service or localhost', () => {
    expect(() => createTokenClient({ endpoint, customerAuthenticator: 'sk-live-12345' }))
      .to.throw(ExpressPlayError)
      .with.property('code', -9020);
    expect(() =>
      createTokenClient({
        endpoint: 'https://api.example.com/token',
        customerAuthenticator: 'sk-live-12345',
        dangerouslyAllowAuthenticatorInBrowser: true,
      }),
    )
      .to.throw(ExpressPlayError)
      .with.property('code', -9020);
    expect(() =>
      createTokenClient({
        endpoint: 'https://wv-gen.service.expressplay.com/hms/wv/token',
        customerAuthenticator: 'sk-live-12345',
        dangerouslyAllowAuthenticatorInBrowser: true,
      }),
    )
      .to.throw(ExpressPlayError)
      .with.property('code', -9020);
    try {
      createTokenClient({ endpoint, customerAuthenticator: 'sk-live-12345' });
    } catch (err) {
      expect((err as Error).message).to.contain('back end');
      expect((err as Error).message).to.not.contain('sk-live-12345');
    }
    const dev = createTokenClient({
      endpoint: 'https://wv-gen.test.expressplay.com/hms/wv/token',
      customerAuthenticator: 'sk-live-12345',
      dangerouslyAllowAuthenticatorInBrowser: true,
    });
    dev.dispose();
    createTokenClient({
      endpoint,
      customerAuthenticator: 'sk-live-12345',
      dangerouslyAllowAuthenticatorInBrowser: true,
    }).dispose();
  });

  it('hints a preconnect to a cross-origin token endpoint when created (credentialed pool when credentials are included)', () => {
    make({ endpoint: 'https://tokens-anon.example/token' });
    make({ endpoint: 'https://tokens-cred.example/token', credentials: 'include' });
    make({ endpoint: 'https://tokens-off.example/token', preconnect: false });
    const hint = (origin: string) =>
      document.head.querySelector<HTMLLinkElement>(`link[rel="preconnect"][href="${origin}"]`);
    expect(hint('https://tokens-anon.example')?.crossOrigin).to.equal('anonymous');
    expect(hint('https://tokens-cred.example')?.crossOrigin).to.equal('use-credentials');
    expect(hint('https://tokens-off.example')).to.equal(null);
  });

  it('hints a preconnect to the rights host once', async () => {
    const client = make();
    await client.getRightsUrl(CENC);
    const origin = new URL(emulatorUrl).origin;
    const links = [...document.head.querySelectorAll<HTMLLinkElement>('link[rel="preconnect"]')].filter((l) =>
      l.href.startsWith(origin),
    );
    expect(links).to.have.length(1);
    expect(links[0]!.crossOrigin).to.equal('anonymous');
  });
});
