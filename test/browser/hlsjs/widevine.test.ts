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
  widevineL1Device,
  type DoubleEnvironment,
} from '../support/eme-doubles.js';
import { emulatorStats, loadScript, resetEmulator, testConfig, total } from '../support/page.js';
import { newVideo, sleep, spyFetch, waitFor } from '../support/helpers.js';

const WIDEVINE = 'com.widevine.alpha';
const CONTENT_ID = 'clearkey-hls-a';
const PLAYLIST = `/test/media/${CONTENT_ID}/widevine.m3u8`;

/** A binary challenge as a CDM makes one (protobuf-ish, never ClearKey JSON), carrying the initData. */
function widevineChallenge(_type: string, initData: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + initData.length);
  out.set([0x08, 0x01, 0x12, initData.length & 0xff]);
  out.set(initData, 4);
  return out;
}

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

      const tokens = spy.calls.filter((c) => c.url.startsWith(tokenEndpointUrl));
      expect(tokens, 'one token request').to.have.length(1);
      const q = new URL(tokens[0]!.url).searchParams;
      expect(q.get('drm')).to.equal('widevine');
      expect(q.get('securityLevel')).to.equal('5');
      expect(q.get('hdcp')).to.equal('2');
      expect(q.get('contentId')).to.equal(CONTENT_ID);

      // One key, one session: opened with the playlist's Widevine pssh as 'cenc' initData.
      expect(doubles.log.sessions, 'one session').to.have.length(1);
      const session = doubles.log.sessions[0]!;
      expect(session.initDataType).to.equal('cenc');
      expect([...session.initData!], "the playlist's Widevine pssh").to.deep.equal([...(await playlistPssh())]);

      const rights = spy.calls.filter((c) => c.url.startsWith(`${emulatorUrl}/hms/wv/rights/`));
      expect(rights, 'one license request: -9044 is a 4xx, not retried').to.have.length(1);
      const lic = rights[0]!;
      expect(lic.url.startsWith(`${emulatorUrl}/hms/wv/rights/?ExpressPlayToken=`), lic.url).to.equal(true);
      expect(lic.method).to.equal('POST');
      expect(lic.headers.get('content-type')).to.equal('application/octet-stream');
      expect([...lic.bytes!], 'the challenge the CDM produced, unchanged').to.deep.equal([...session.challenge!]);
      const answer = JSON.parse(new TextDecoder().decode(await lic.response!)) as { errorCode?: number };
      expect(answer.errorCode).to.equal(-9044);

      expect(playerErrors, "one typed error on hls.js's ERROR").to.have.length(1);
      const typed = playerErrors[0]!;
      expect(typed.code).to.equal(-9044);
      expect(typed.httpStatus).to.equal(400);
      expect(typed.retryable).to.equal(false);
      expect(typed.drm).to.equal('widevine');
      expect(events.filter((e) => e.type === 'expressplay:error').map((e) => e.error?.code)).to.deep.equal([-9044]);
      expect(events.map((e) => e.type)).not.to.include('expressplay:license');
      expect(doubles.log.updates, 'nothing reached update()').to.have.length(0);
      if (otherErrors.length) console.log(`${name} Widevine: hls.js's own errors ${JSON.stringify(otherErrors)}`);

      const stats = await emulatorStats();
      console.log(
        `${name} Widevine -9044: tokens ${JSON.stringify(stats.tokensIssued)}, license requests ${rights.length}, rights rejects ${stats.rejects.rights}`,
      );
      expect(stats.tokensIssued.widevine).to.equal(1);
      expect(total(stats.tokensIssued), 'no token of another DRM').to.equal(1);
      expect(total(stats.licensesServed)).to.equal(0);
      expect(stats.rejects.rights).to.equal(1);
      expect(unhandled).to.deep.equal([]);
    });
  });
}
