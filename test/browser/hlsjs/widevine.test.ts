// Widevine through hls.js on an L1 EME double (the test browsers have no Widevine
// CDM), on hls.js 1.5 and 1.7: the production path up to the CDM. Detection
// (HW_SECURE_ALL → securityLevel 5, HDCP 2.2 → hdcp 2), hls.js configured for
// com.widevine.alpha with that robustness, the token request carrying it, the key
// session opened from the playlist's Widevine pssh (EXT-X-KEY KEYFORMAT="urn:uuid:
// edef8ba9-…", data: URI), the CDM's challenge POSTed unchanged to the emulator's wv
// rights URL. The emulator cannot mint a real Widevine license and answers -9044
// (HTTP 400): the adapter must surface it typed on hls.js's ERROR, once, unretried.
import { expect } from 'chai';
import type Hls from 'hls.js';
import type { ErrorData } from 'hls.js';
import { isExpressPlayError, type ExpressPlayError, type ExpressPlayEvent } from '../../../src/index.js';
import { attachExpressPlay, type HlsExpressPlay } from '../../../src/hlsjs/index.js';
import {
  createEmeDoubles,
  routeKeySystemsToDoubles,
  widevineChallenge,
  widevineL1Device,
  type DoubleEnvironment,
} from '../support/eme-doubles.js';
import { loadScript, resetEmulator, testConfig } from '../support/page.js';
import { expectWidevineRefusedOnce } from '../adapters/widevine-refusal.js';
import { newVideo, sleep, spyFetch, waitFor } from '../support/helpers.js';

const WIDEVINE = 'com.widevine.alpha';
const CONTENT_ID = 'clearkey-hls-a';
const PLAYLIST = `/test/media/${CONTENT_ID}/widevine.m3u8`;

/** The pssh box the media playlist's Widevine EXT-X-KEY carries in its data: URI. */
async function playlistPssh(): Promise<Uint8Array> {
  const text = await (await fetch(`/test/media/${CONTENT_ID}/video/widevine.m3u8`)).text();
  const base64 = /#EXT-X-KEY:.*URI="data:text\/plain;base64,([^"]+)"/.exec(text)![1]!;
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

for (const [name, script] of [
  ['hls.js 1.5', '/node_modules/hls.js-1.5/dist/hls.min.js'],
  ['hls.js 1.7', '/node_modules/hls.js/dist/hls.min.js'],
] as const) {
  describe(`${name} adapter: Widevine L1 (EME double)`, function () {
    this.timeout(30000);
    let HlsClass: typeof Hls;
    let hls: Hls | undefined;
    let ep: HlsExpressPlay | undefined;
    let video: HTMLVideoElement | undefined;
    let spy: ReturnType<typeof spyFetch> | undefined;
    let doubles: DoubleEnvironment;
    let unroute: (() => void) | undefined;
    const unhandled: unknown[] = [];
    const onUnhandled = (e: PromiseRejectionEvent) => unhandled.push(e.reason);

    before(async () => {
      // hls.js binds navigator.requestMediaKeySystemAccess when its script runs: the doubles come first.
      doubles = createEmeDoubles(widevineL1Device({ challenge: widevineChallenge }));
      unroute = routeKeySystemsToDoubles(doubles, [WIDEVINE]);
      await loadScript(script);
      HlsClass = (window as unknown as { Hls: typeof Hls }).Hls;
      window.addEventListener('unhandledrejection', onUnhandled);
    });
    after(() => {
      window.removeEventListener('unhandledrejection', onUnhandled);
      unroute?.();
    });
    afterEach(async () => {
      spy?.restore();
      ep?.detach();
      hls?.destroy();
      video?.remove();
      await resetEmulator();
    });

    it('detects L1 (securityLevel 5), gives hls.js Widevine HW_SECURE_ALL, opens the session from the playlist pssh, sends the token request and the challenge, surfaces -9044 typed with no retry', async () => {
      await resetEmulator();
      unhandled.length = 0;
      const { tokenEndpointUrl, emulatorUrl } = await testConfig();
      video = newVideo();
      doubles.install(video);
      spy = spyFetch();
      hls = new HlsClass({ debug: false });
      const events: ExpressPlayEvent[] = [];
      for (const type of ['expressplay:detected', 'expressplay:token', 'expressplay:license', 'expressplay:error'])
        (hls as unknown as { on(t: string, f: (n: string, e: ExpressPlayEvent) => void): void }).on(type, (_n, e) =>
          events.push(e),
        );
      const playerErrors: ExpressPlayError[] = [];
      const otherErrors: string[] = [];
      hls.on(HlsClass.Events.ERROR, (_n, data: ErrorData) => {
        if (isExpressPlayError(data.error)) playerErrors.push(data.error);
        else otherErrors.push(`${data.details}${data.fatal ? ' (fatal)' : ''}`);
      });

      // Default detection: preference widevine > playready > fairplay, no ClearKey.
      ep = await attachExpressPlay(hls, {
        token: { endpoint: tokenEndpointUrl, allowedRightsHosts: ['127.0.0.1'], preconnect: false },
        contentId: CONTENT_ID,
        detect: { refresh: true },
      });
      expect(ep.support.drm).to.equal('widevine');
      expect(ep.support.keySystem).to.equal(WIDEVINE);
      expect(ep.support.securityLevel, 'HW_SECURE_ALL').to.equal(5);
      expect(ep.support.videoRobustness).to.equal('HW_SECURE_ALL');
      expect(ep.support.audioRobustness).to.equal('HW_SECURE_CRYPTO');
      expect(ep.support.hdcp, 'HDCP 2.2 → 2').to.equal(2);
      expect(ep.profile.clearkey, 'no ClearKey probe').to.equal(undefined);
      expect(events.find((e) => e.type === 'expressplay:detected')?.drm).to.equal('widevine');

      const config = hls.config;
      expect(config.emeEnabled).to.equal(true);
      expect(Object.keys(config.drmSystems ?? {})).to.deep.equal([WIDEVINE]);
      expect(config.drmSystemOptions?.videoRobustness).to.equal('HW_SECURE_ALL');
      expect(config.drmSystemOptions?.audioRobustness).to.equal('HW_SECURE_CRYPTO');

      hls.attachMedia(video);
      hls.loadSource(PLAYLIST);
      await waitFor(() => playerErrors.length > 0, 15000, "the typed error on hls.js's ERROR");
      await sleep(3000); // a retry (hls.js's or the adapter's) would show up now

      // hls.js asked the double for HW_SECURE_ALL and put its MediaKeys on the element.
      const asked = doubles.log.accessCalls.filter(
        (c) =>
          c.keySystem === WIDEVINE &&
          c.configurations.some(
            (k) =>
              (k.videoCapabilities ?? []).length > 0 &&
              k.videoCapabilities!.every((v) => v.robustness === 'HW_SECURE_ALL'),
          ),
      );
      expect(asked.length, "hls.js's MediaKeySystemConfiguration with HW_SECURE_ALL").to.be.greaterThan(0);
      expect(video.mediaKeys, 'the double MediaKeys on the element').to.not.equal(null);

      await expectWidevineRefusedOnce({
        player: name,
        errorChannel: "hls.js's ERROR",
        contentId: CONTENT_ID,
        pssh: await playlistPssh(),
        tokenEndpointUrl,
        emulatorUrl,
        calls: spy.calls,
        doubles,
        playerErrors,
        otherErrors,
        events,
        unhandled,
      });
    });
  });
}
