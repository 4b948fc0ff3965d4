// Widevine through dash.js on an L1 EME double (the test browsers have no Widevine
// CDM), on dash.js 5.0 and 5.2: the production path up to the CDM. Detection
// (HW_SECURE_ALL → securityLevel 5, HDCP 2.2 → hdcp 2), dash.js's protection data for
// com.widevine.alpha with that robustness, the token request carrying it, the key
// session opened from the MPD's Widevine pssh (cenc:pssh of the edef8ba9-…
// ContentProtection), the CDM's challenge POSTed unchanged to the emulator's wv rights
// URL. The emulator cannot mint a real Widevine license and answers -9044 (HTTP 400):
// the adapter must surface it typed on dash.js's `error`, once, unretried.
import { expect } from 'chai';
import type { MediaPlayerClass } from 'dashjs';
import type { ExpressPlayError, ExpressPlayEvent } from '../../../src/index.js';
import { attachExpressPlay, expressPlayErrorOf, type DashExpressPlay } from '../../../src/dashjs/index.js';
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
const CONTENT_ID = 'cenc-h264';
const MANIFEST = `/test/media/${CONTENT_ID}/widevine.mpd`;
type DashNamespace = { MediaPlayer(): { create(): MediaPlayerClass } };

/** The pssh box of the MPD's Widevine ContentProtection. */
async function manifestPssh(): Promise<Uint8Array> {
  const mpd = new DOMParser().parseFromString(await (await fetch(MANIFEST)).text(), 'application/xml');
  const entry = [...mpd.getElementsByTagName('ContentProtection')].find(
    (cp) => cp.getAttribute('schemeIdUri') === 'urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed',
  );
  const base64 = entry!.getElementsByTagName('cenc:pssh')[0]!.textContent!.trim();
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

for (const [name, script] of [
  ['dash.js 5.0', '/node_modules/dashjs-5.0/dist/modern/umd/dash.all.min.js'],
  ['dash.js 5.2', '/node_modules/dashjs/dist/modern/umd/dash.all.min.js'],
] as const) {
  describe(`${name} adapter: Widevine L1 (EME double)`, function () {
    this.timeout(30000);
    let dashjs: DashNamespace;
    let player: MediaPlayerClass | undefined;
    let ep: DashExpressPlay | undefined;
    let video: HTMLVideoElement | undefined;
    let spy: ReturnType<typeof spyFetch> | undefined;
    let doubles: DoubleEnvironment;
    let unroute: (() => void) | undefined;
    const unhandled: unknown[] = [];
    const onUnhandled = (e: PromiseRejectionEvent) => unhandled.push(e.reason);

    before(async () => {
      doubles = createEmeDoubles(widevineL1Device({ challenge: widevineChallenge }));
      unroute = routeKeySystemsToDoubles(doubles, [WIDEVINE]);
      await loadScript(script);
      dashjs = (window as unknown as { dashjs: DashNamespace }).dashjs;
      window.addEventListener('unhandledrejection', onUnhandled);
    });
    after(() => {
      window.removeEventListener('unhandledrejection', onUnhandled);
      unroute?.();
    });
    afterEach(async () => {
      spy?.restore();
      ep?.detach();
      player?.destroy();
      video?.remove();
      await resetEmulator();
    });

    it('detects L1 (securityLevel 5), gives dash.js Widevine HW_SECURE_ALL, opens the session from the MPD pssh, sends the token request and the challenge, surfaces -9044 typed with no retry', async () => {
      await resetEmulator();
      unhandled.length = 0;
      const { tokenEndpointUrl, emulatorUrl } = await testConfig();
      video = newVideo();
      doubles.install(video);
      spy = spyFetch();
      player = dashjs.MediaPlayer().create();
      player.updateSettings({ debug: { logLevel: 0 } });
      player.initialize(video, undefined, true);
      const events: ExpressPlayEvent[] = [];
      for (const type of ['expressplay:detected', 'expressplay:token', 'expressplay:license', 'expressplay:error'])
        player.on(type, (e: ExpressPlayEvent) => events.push(e));
      const playerErrors: ExpressPlayError[] = [];
      const otherErrors: unknown[] = [];
      player.on('error', (e: { error?: unknown }) => {
        const err = expressPlayErrorOf(e);
        if (err) playerErrors.push(err);
        else otherErrors.push(e.error);
      });

      const protectionData: Array<Parameters<MediaPlayerClass['setProtectionData']>[0]> = [];
      const setProtectionData = player.setProtectionData.bind(player);
      player.setProtectionData = (data) => {
        protectionData.push(data);
        setProtectionData(data);
      };

      // Default detection: preference widevine > playready > fairplay, no ClearKey.
      ep = await attachExpressPlay(player, {
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

      expect(protectionData, 'protection data set once').to.have.length(1);
      expect(Object.keys(protectionData[0]!)).to.deep.equal([WIDEVINE]);
      expect(protectionData[0]![WIDEVINE]!.videoRobustness).to.equal('HW_SECURE_ALL');
      expect(protectionData[0]![WIDEVINE]!.audioRobustness).to.equal('HW_SECURE_CRYPTO');

      const accessBefore = doubles.log.accessCalls.length;
      player.attachSource(MANIFEST);
      await waitFor(() => playerErrors.length > 0, 15000, "the typed error on dash.js's error event");
      await sleep(3000); // a retry (dash.js's or the adapter's) would show up now

      // dash.js asked the double for Widevine with the protection data's robustness.
      const asked = doubles.log.accessCalls.slice(accessBefore);
      expect(
        asked.map((c) => c.keySystem),
        'dash.js asked for Widevine only',
      ).to.deep.equal(asked.map(() => WIDEVINE));
      const configurations = asked.flatMap((c) => c.configurations);
      expect(configurations.length, 'a MediaKeySystemConfiguration').to.be.greaterThan(0);
      for (const k of configurations) {
        expect(
          (k.videoCapabilities ?? []).map((v) => v.robustness),
          'video robustness',
        ).to.deep.equal((k.videoCapabilities ?? []).map(() => 'HW_SECURE_ALL'));
        expect(
          (k.audioCapabilities ?? []).map((v) => v.robustness),
          'audio robustness',
        ).to.deep.equal((k.audioCapabilities ?? []).map(() => 'HW_SECURE_CRYPTO'));
      }
      expect(configurations.some((k) => (k.videoCapabilities ?? []).length > 0)).to.equal(true);
      expect(video.mediaKeys, 'the double MediaKeys on the element').to.not.equal(null);

      await expectWidevineRefusedOnce({
        player: name,
        errorChannel: "dash.js's error event",
        contentId: CONTENT_ID,
        pssh: await manifestPssh(),
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
