// FairPlay through videojs-contrib-eme, on EME test doubles (Chromium has no
// FairPlay): modern `com.apple.fps` EME and Safari's legacy WebKitMediaKeys, the
// way contrib-eme drives each. The token and the CKC come from the real reference
// token endpoint and emulator; only the CDM is a double.
import { expect } from 'chai';
import { resetEmulator, testConfig } from '../support/page.js';
import {
  createEmeDoubles,
  legacyWebKitFairPlayDevice,
  modernFairPlayDevice,
  type DoubleEnvironment,
} from '../support/eme-doubles.js';
import { utf8Encode } from '../../../src/core/encoding.js';
import { clearFairPlayCertificateCache } from '../../../src/browser/index.js';
import { sleep, spyFetch, waitFor } from '../support/helpers.js';
import { counts, createPlayer, recordEvents, tokenOptions, type TestPlayer } from './helpers.js';

const CERT_URL = '/test/browser/videojs/fairplay-test-cert.pem';
const SKD = 'skd://fairplay-hls';
const SOURCE = {
  src: '/test/media/fairplay-hls/master.m3u8',
  type: 'application/x-mpegURL',
  expressplay: { contentId: 'fairplay-hls' },
};

/** Replaces a global for the test; returns the undo. */
function overrideGlobal(target: object, name: string, value: unknown): () => void {
  const had = Object.getOwnPropertyDescriptor(target, name);
  Object.defineProperty(target, name, { configurable: true, writable: true, value });
  return () => (had ? Object.defineProperty(target, name, had) : delete (target as Record<string, unknown>)[name]);
}

/** Safari's legacy webkitneedkey initData: [u32le length][skd URI as UTF-16LE]. */
function legacyInitData(skd: string): Uint8Array {
  const out = new Uint8Array(4 + skd.length * 2);
  new DataView(out.buffer).setUint32(0, skd.length * 2, true);
  for (let i = 0; i < skd.length; i++) out[4 + 2 * i] = skd.charCodeAt(i);
  return out;
}

describe('Video.js plugin: FairPlay via contrib-eme on EME doubles', () => {
  let player: TestPlayer | undefined;
  let undo: Array<() => void> = [];
  let spy: ReturnType<typeof spyFetch>;

  beforeEach(async () => {
    await resetEmulator();
    clearFairPlayCertificateCache();
    spy = spyFetch();
  });
  afterEach(() => {
    player?.dispose();
    player = undefined;
    spy.restore();
    for (const u of undo.reverse()) u();
    undo = [];
  });

  async function checkRoundTrip(doubles: DoubleEnvironment) {
    const cfg = await testConfig();
    const certFetches = spy.calls.filter((c) => c.url.endsWith(CERT_URL));
    expect(certFetches, 'certificate fetches').to.have.length(1);
    const rights = spy.calls.filter(
      (c) => c.method === 'POST' && c.url.startsWith(`${cfg.emulatorUrl}/hms/fp/rights/`),
    );
    expect(rights, 'SPC posts').to.have.length(1);
    expect(rights[0]!.url).to.match(/\?ExpressPlayToken=/);
    expect(rights[0]!.headers.get('content-type')).to.equal('application/octet-stream');
    const spc = new Uint8Array(rights[0]!.body as ArrayBuffer | Uint8Array);
    expect(new TextDecoder().decode(spc.subarray(0, 4))).to.equal('SPC:');
    // The CKC the emulator answered is what reached update(), unchanged.
    const ckc = await rights[0]!.response!;
    expect(new TextDecoder().decode(ckc.subarray(0, 4))).to.equal('EPCK');
    expect(doubles.log.updates).to.have.length(1);
    expect([...doubles.log.updates[0]!]).to.deep.equal([...ckc]);
    const tokenCalls = spy.calls.filter((c) => c.url.startsWith(cfg.tokenEndpointUrl));
    expect(tokenCalls, 'token requests').to.have.length(1);
    expect(tokenCalls[0]!.url).to.contain('drm=fairplay').and.to.contain('contentId=fairplay-hls');
    const c = await counts();
    expect(c).to.deep.include({ tokensIssued: 1, licensesServed: 1, rightsRejects: 0 });
  }

  it('modern com.apple.fps: certificate once, SPC to the rights URL as octet-stream, CKC to update()', async function () {
    this.timeout(20000);
    const doubles = createEmeDoubles(modernFairPlayDevice());
    undo.push(
      overrideGlobal(navigator, 'requestMediaKeySystemAccess', doubles.environment.requestMediaKeySystemAccess),
    );
    player = await createPlayer();
    const video = player.tech(true).el();
    doubles.install(video);
    const events = recordEvents(player);
    player.expressplay({
      ...(await tokenOptions()),
      detect: { environment: doubles.environment, preference: ['fairplay'], refresh: true },
      fairplay: { certificate: CERT_URL },
    });
    player.src(SOURCE);
    await waitFor(() => player!.currentSource().keySystems, 5000, 'keySystems on the source');
    expect(Object.keys(player.currentSource().keySystems!)).to.deep.equal(['com.apple.fps']);
    // What Safari fires for an HLS skd key.
    video.dispatchEvent(
      new MediaEncryptedEvent('encrypted', { initDataType: 'skd', initData: utf8Encode(SKD).buffer as ArrayBuffer }),
    );
    await waitFor(() => doubles.log.updates.length > 0, 10000, 'update()');
    expect(doubles.log.certificates).to.have.length(1);
    await checkRoundTrip(doubles);
    const types = events.map((e) => e.type);
    expect(types).to.include.members(['expressplay:token', 'expressplay:license']);
    expect(types).not.to.include('expressplay:error');
    expect(player.error()).to.equal(null);
  });

  /** A Video.js player on the modern FairPlay double, `source` loaded and its keySystems in place. */
  async function modernPlayer(source: object, contentIdStrategy?: (skd: string) => string) {
    const doubles = createEmeDoubles(modernFairPlayDevice());
    undo.push(
      overrideGlobal(navigator, 'requestMediaKeySystemAccess', doubles.environment.requestMediaKeySystemAccess),
    );
    player = await createPlayer();
    const video = player.tech(true).el();
    doubles.install(video);
    const events = recordEvents(player);
    player.expressplay({
      ...(await tokenOptions()),
      detect: { environment: doubles.environment, preference: ['fairplay'], refresh: true },
      fairplay: { certificate: CERT_URL, ...(contentIdStrategy ? { contentIdStrategy } : {}) },
    });
    player.src(source);
    await waitFor(() => player!.currentSource().keySystems, 5000, 'keySystems on the source');
    return { doubles, video, events };
  }

  it('no content id in the source: the skd URI names it when the key is needed, and its token is fetched then', async function () {
    this.timeout(20000);
    const { doubles, video, events } = await modernPlayer({ ...SOURCE, expressplay: {} });
    await sleep(200);
    expect(
      events.map((e) => e.type),
      'no token before the key request',
    ).not.to.include('expressplay:token');
    video.dispatchEvent(
      new MediaEncryptedEvent('encrypted', { initDataType: 'skd', initData: utf8Encode(SKD).buffer as ArrayBuffer }),
    );
    await waitFor(() => doubles.log.updates.length > 0, 10000, 'update()');
    await checkRoundTrip(doubles);
    const token = events.find((e) => e.type === 'expressplay:token')!;
    expect(token).to.deep.include({ drm: 'fairplay', contentId: 'fairplay-hls', source: 'endpoint' });
    const license = events.find((e) => e.type === 'expressplay:license')!;
    expect(license).to.deep.include({ drm: 'fairplay', contentId: 'fairplay-hls', source: 'endpoint' });
    expect(player!.error()).to.equal(null);
  });

  it('an skd URI carrying the rights URL: the SPC goes there, no token request, expressplay:token says skd with the token redacted', async function () {
    this.timeout(20000);
    const cfg = await testConfig();
    // A token minted beforehand, as a packager would put it in the playlist's key URI.
    const minted = await fetch(`${cfg.tokenEndpointUrl}?drm=fairplay&contentId=fairplay-hls`, {
      headers: { accept: 'application/json' },
    });
    const { rightsUrl } = (await minted.json()) as { rightsUrl: string };
    const token = new URL(rightsUrl).searchParams.get('ExpressPlayToken')!;
    expect(token.length).to.be.greaterThan(8);
    const skd = rightsUrl.replace(/^http:/, 'skd:');
    // The skd URI's rights URL is https; the emulator here speaks http on the same host and port.
    const spied = globalThis.fetch;
    globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
      spied(typeof input === 'string' ? input.replace(/^https:\/\/127\.0\.0\.1:/, 'http://127.0.0.1:') : input, init);
    undo.push(() => void (globalThis.fetch = spied));
    const before = spy.calls.length;
    const { doubles, video, events } = await modernPlayer({ ...SOURCE, expressplay: {} }, () => 'fairplay-hls');
    video.dispatchEvent(
      new MediaEncryptedEvent('encrypted', { initDataType: 'skd', initData: utf8Encode(skd).buffer as ArrayBuffer }),
    );
    await waitFor(() => doubles.log.updates.length > 0, 10000, 'update()');
    const calls = spy.calls.slice(before);
    expect(
      calls.filter((c) => c.url.startsWith(cfg.tokenEndpointUrl)),
      'token requests',
    ).to.have.length(0);
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts.map((c) => c.url)).to.deep.equal([rightsUrl]);
    const tokenEvent = events.find((e) => e.type === 'expressplay:token')!;
    expect(tokenEvent).to.deep.include({ drm: 'fairplay', contentId: 'fairplay-hls', source: 'skd' });
    expect(tokenEvent.rightsUrl).to.be.a('string').and.not.to.contain(token);
    const license = events.find((e) => e.type === 'expressplay:license')!;
    expect(license).to.deep.include({ contentId: 'fairplay-hls', source: 'skd' });
    expect(license.rightsUrl).to.be.a('string').and.not.to.contain(token);
    expect(player!.error()).to.equal(null);
  });

  it("a source's rightsUrl without contentId: registered when the skd URI names the content, used without a token request", async function () {
    this.timeout(20000);
    const cfg = await testConfig();
    const minted = await fetch(`${cfg.tokenEndpointUrl}?drm=fairplay&contentId=fairplay-hls`, {
      headers: { accept: 'application/json' },
    });
    const { rightsUrl } = (await minted.json()) as { rightsUrl: string };
    const before = spy.calls.length;
    const { doubles, video, events } = await modernPlayer({ ...SOURCE, expressplay: { rightsUrl } });
    await sleep(200);
    expect(
      events.map((e) => e.type),
      'nothing registered before the key request',
    ).not.to.include('expressplay:token');
    video.dispatchEvent(
      new MediaEncryptedEvent('encrypted', { initDataType: 'skd', initData: utf8Encode(SKD).buffer as ArrayBuffer }),
    );
    await waitFor(() => doubles.log.updates.length > 0, 10000, 'update()');
    const calls = spy.calls.slice(before);
    expect(
      calls.filter((c) => c.url.startsWith(cfg.tokenEndpointUrl)),
      'token requests',
    ).to.have.length(0);
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).to.deep.equal([rightsUrl]);
    const tokens = events.filter((e) => e.type === 'expressplay:token');
    expect(tokens).to.have.length(1);
    expect(tokens[0]).to.deep.include({ drm: 'fairplay', contentId: 'fairplay-hls', source: 'app' });
    expect(events.find((e) => e.type === 'expressplay:license')).to.deep.include({
      contentId: 'fairplay-hls',
      source: 'app',
    });
    expect(player!.error()).to.equal(null);
  });

  it('legacy WebKitMediaKeys: the same round trip through webkitneedkey', async function () {
    this.timeout(20000);
    const doubles = createEmeDoubles(legacyWebKitFairPlayDevice());
    // An old Safari: no modern EME at all, only the prefixed API (contrib-eme looks at window.MediaKeys).
    undo.push(overrideGlobal(window, 'MediaKeys', undefined));
    undo.push(overrideGlobal(window, 'WebKitMediaKeys', doubles.environment.WebKitMediaKeys));
    player = await createPlayer();
    const video = player.tech(true).el();
    doubles.install(video);
    player.expressplay({
      ...(await tokenOptions()),
      detect: { environment: doubles.environment, preference: ['fairplay'], refresh: true },
      fairplay: { certificate: CERT_URL },
    });
    await new Promise<void>((r) => (player as unknown as { ready(fn: () => void): void }).ready(() => r()));
    player.src(SOURCE);
    await waitFor(() => player!.currentSource().keySystems, 5000, 'keySystems on the source');
    expect(Object.keys(player.currentSource().keySystems!)).to.deep.equal(['com.apple.fps.1_0']);
    const ev = new Event('webkitneedkey');
    Object.defineProperty(ev, 'initData', { value: legacyInitData(SKD) });
    video.dispatchEvent(ev);
    // contrib-eme waits `firstWebkitneedkeyTimeout` (1 s) for a second event before acting.
    await waitFor(() => doubles.log.updates.length > 0, 10000, 'update()');
    await sleep(50);
    // The legacy session got [initData][id][certificate]: the id is the content id, the certificate ours.
    expect(doubles.log.legacyInitData).to.have.length(1);
    const init = doubles.log.legacyInitData[0]!;
    const cert = Uint8Array.from(atob('MB5FeHByZXNzUGxheSB0ZXN0IEZQIGNlcnQgKGZha2U='), (ch) => ch.charCodeAt(0));
    expect([...init.subarray(init.length - cert.length)]).to.deep.equal([...cert]);
    const id = String.fromCharCode(
      ...new Uint16Array(init.slice(init.length - cert.length - 4 - 24, init.length - cert.length - 4).buffer),
    );
    expect(id).to.equal('fairplay-hls');
    await checkRoundTrip(doubles);
    expect(player.error()).to.equal(null);
  });
});
