// Legacy WebKit FairPlay through Shaka Player's own Apple polyfill
// (shaka.polyfill.PatchedMediaKeysApple), with the Shaka adapter attached: the bytes
// that reach WebKitMediaKeys.createSession on the EME double are the reference layout
// (Shaka's initDataTransform, and contrib-eme's: Safari's webkitneedkey initData, the
// content id, the certificate), and the SPC/CKC round trip runs through the real token
// endpoint and the emulator's FairPlay rights route.
//
// What stands in for old Safari, and why: Chromium has no WebKitMediaKeys (the EME
// double's is installed as window.WebKitMediaKeys) and no native HLS. Shaka uses the
// legacy API only with src= playback (its FairPlay tutorial: MSE is modern EME only),
// which it picks for HLS when the element can play HLS natively and
// streaming.preferNativeHls is set; so the <video> answers canPlayType for HLS and keeps
// the src Shaka gives it instead of loading it. Safari fires webkitneedkey with the skd
// URI; Chromium cannot, so the test does, with Safari's initData layout.
import { expect } from 'chai';
import { clearFairPlayCertificateCache } from '../../../src/browser/index.js';
import {
  createEmeDoubles,
  legacyWebKitFairPlayDevice,
  routeDecodingInfo,
  type DoubleEnvironment,
} from '../support/eme-doubles.js';
import { emulatorStats } from '../support/page.js';
import { sleep } from '../support/helpers.js';
import { collectEvents, counts, fetches, usePlayerFixture } from '../shaka/helpers.js';
import { bytesToHex, utf16le, utf8, withLength } from './peers.js';

const CERT_URL = new URL('../shaka/fairplay-test.cer', import.meta.url).href;
const SKD = 'skd://fairplay-hls';
const HLS = /^application\/(vnd\.apple\.mpegurl|x-mpegurl)/i;

type ApplePolyfill = { install(enableUninstall?: boolean): void; uninstall(): void };

describe("differential: legacy WebKit FairPlay through Shaka's Apple polyfill (EME double)", function () {
  this.timeout(30000);
  let doubles: DoubleEnvironment;
  const undo: Array<() => void> = [];
  const fx = usePlayerFixture({
    beforeAll: () => {
      doubles = createEmeDoubles(legacyWebKitFairPlayDevice());
      const had = Object.getOwnPropertyDescriptor(window, 'WebKitMediaKeys');
      Object.defineProperty(window, 'WebKitMediaKeys', {
        configurable: true,
        writable: true,
        value: doubles.environment.WebKitMediaKeys,
      });
      undo.push(() =>
        had
          ? Object.defineProperty(window, 'WebKitMediaKeys', had)
          : delete (window as { WebKitMediaKeys?: unknown }).WebKitMediaKeys,
      );
      // Shaka asks MediaCapabilities about the key system; an old Safari answers through the polyfilled EME.
      undo.push(
        routeDecodingInfo(['com.apple.fps.1_0'], (ks, configs) => navigator.requestMediaKeySystemAccess(ks, configs)),
      );
    },
    prepareVideo: (video) => {
      const canPlayType = video.canPlayType.bind(video);
      Object.defineProperty(video, 'canPlayType', {
        configurable: true,
        value: (type: string) => (HLS.test(type) ? 'maybe' : canPlayType(type)),
      });
      let src = '';
      Object.defineProperty(video, 'src', { configurable: true, get: () => src, set: (v: string) => void (src = v) });
      Object.defineProperty(video, 'webkitSetMediaKeys', { configurable: true, value: () => undefined });
    },
  });

  let polyfill: ApplePolyfill;
  before(() => {
    polyfill = (fx.ns.polyfill as unknown as { PatchedMediaKeysApple: ApplePolyfill }).PatchedMediaKeysApple;
    polyfill.install(/* enableUninstall= */ true);
  });
  after(() => {
    polyfill.uninstall();
    for (const u of undo.reverse()) u();
  });
  beforeEach(() => clearFairPlayCertificateCache());

  it('createSession gets [u32 len][skd UTF-16LE][u32 len][id UTF-16LE][u32 len][cert], and the CKC reaches the session', async () => {
    const { player, video, ns } = fx;
    const events = collectEvents(player);
    const ep = await fx.attach({
      detect: { preference: ['fairplay'], environment: doubles.environment, refresh: true },
      fairplay: { certificate: CERT_URL },
    });
    expect(ep.support.api).to.equal('webkit-legacy');
    expect(ep.support.keySystem).to.equal('com.apple.fps.1_0');
    player.configure({ streaming: { preferNativeHls: true } });
    const before = fetches.length;
    const load = player
      .load('/test/media/fairplay-hls/master.m3u8', null, 'application/x-mpegurl')
      .catch((e: unknown) => e);
    // The polyfill's MediaKeys listen for webkitneedkey once Shaka has attached them.
    for (let i = 0; i < 250 && !(video as { mediaKeys?: unknown }).mediaKeys; i++) await sleep(20);
    expect((video as { mediaKeys?: unknown }).mediaKeys, "Shaka attached the polyfill's MediaKeys").to.not.equal(null);
    expect(video.src, 'src= playback').to.match(/master\.m3u8$/);

    const needKey = new Event('webkitneedkey');
    const safariInitData = withLength(utf16le(SKD));
    Object.defineProperty(needKey, 'initData', { value: safariInitData });
    video.dispatchEvent(needKey);
    for (let i = 0; i < 300 && doubles.log.updates.length === 0; i++) await sleep(20);

    const cert = new Uint8Array(await (await fetch(CERT_URL)).arrayBuffer());
    expect(doubles.log.legacyInitData, 'one legacy session').to.have.length(1);
    const got = bytesToHex(doubles.log.legacyInitData[0]!);
    // Shaka's own builder, with the content id ExpressPlay's preset takes ('whole': after skd://).
    expect(got, "Shaka's initDataTransform").to.equal(
      bytesToHex(ns.drm.FairPlay.initDataTransform(utf8(SKD), 'fairplay-hls', cert)),
    );
    // contrib-eme's (and Apple's sample): Safari's initData as delivered, then the id and the certificate.
    expect(got, "contrib-eme's layout").to.equal(
      bytesToHex(new Uint8Array([...safariInitData, ...withLength(utf16le('fairplay-hls')), ...withLength(cert)])),
    );

    const spcPosts = fetches.slice(before).filter((f) => /\/hms\/fp\/rights\//.test(f.url));
    expect(spcPosts, 'one SPC request').to.have.length(1);
    expect(spcPosts[0]!.contentType).to.equal('application/octet-stream');
    expect(bytesToHex(spcPosts[0]!.body!), 'the SPC of the legacy session').to.equal(
      bytesToHex(doubles.log.legacySessions[0]!.spc),
    );
    expect(doubles.log.updates, 'CKC given to WebKitMediaKeySession.update').to.have.length(1);
    expect(new TextDecoder().decode(doubles.log.updates[0]!.subarray(0, 4)), 'stand-in CKC magic').to.equal('EPCK');
    const c = await counts(before);
    expect(c.token).to.equal(1);
    const stats = await emulatorStats();
    expect(stats.licensesServed.fairplay).to.equal(1);
    expect(events.filter((e) => e.type === 'expressplay:error').map((e) => e.error?.message)).to.deep.equal([]);
    // src= load() waits for media Chromium cannot play; the fixture destroys the player after the test.
    void load;
  });
});
