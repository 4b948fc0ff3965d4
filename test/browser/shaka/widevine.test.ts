// Widevine through Shaka on an L1 EME double (Chromium here has no Widevine CDM):
// the production path up to the CDM. Detection (HW_SECURE_ALL → securityLevel 5,
// HDCP 2.2 → hdcp 2), Shaka configured for com.widevine.alpha with that robustness,
// the token request carrying it, the CDM's challenge POSTed unchanged to the
// emulator's wv rights URL. The emulator cannot mint a real Widevine license and
// answers -9044 (HTTP 400): the adapter must surface it typed, once, unretried.
//
// The test media's DASH manifest carries a CommonSystem pssh (urn:uuid:1077efec…),
// which Shaka maps to org.w3.clearkey by default; `manifest.dash.keySystemsByURI` hands it
// to com.widevine.alpha, as a Widevine manifest (edef8ba9…) would be.
import { expect } from 'chai';
import type shaka from 'shaka-player';
import {
  createEmeDoubles,
  routeKeySystemsToDoubles,
  widevineChallenge,
  widevineL1Device,
  type DoubleEnvironment,
} from '../support/eme-doubles.js';
import { emulatorStats, testConfig } from '../support/page.js';
import { expressPlayErrorOf } from '../../../src/shaka/index.js';
import { sleep } from '../support/helpers.js';
import { collectEvents, counts, fetches, firstError, installFetchRecorder, usePlayerFixture } from './helpers.js';

const WIDEVINE = 'com.widevine.alpha';
const COMMON_SYSTEM = 'urn:uuid:1077efec-c0b2-4d02-ace3-3c1e52e2fb4b';

describe('Shaka adapter: Widevine L1 (EME double)', function () {
  this.timeout(30000);
  let doubles: DoubleEnvironment;
  let unroute: (() => void) | undefined;
  const fx = usePlayerFixture({
    beforeAll: () => {
      installFetchRecorder();
      doubles = createEmeDoubles(widevineL1Device({ challenge: widevineChallenge }));
      unroute = routeKeySystemsToDoubles(doubles, [WIDEVINE]);
    },
    prepareVideo: (video) => doubles.install(video),
  });
  after(() => unroute?.());

  it('detects L1 (securityLevel 5), configures Widevine HW_SECURE_ALL, sends the token request and the challenge, surfaces -9044 typed with no retry', async () => {
    const { player } = fx;
    const { tokenEndpointUrl, emulatorUrl } = await testConfig();
    const events = collectEvents(player);
    const before = fetches.length;

    // Default detection: preference widevine > playready > fairplay, no ClearKey.
    const ep = await fx.attach({ detect: { refresh: true } });
    expect(ep.support.drm).to.equal('widevine');
    expect(ep.support.keySystem).to.equal(WIDEVINE);
    expect(ep.support.securityLevel, 'HW_SECURE_ALL').to.equal(5);
    expect(ep.support.videoRobustness).to.equal('HW_SECURE_ALL');
    expect(ep.support.audioRobustness).to.equal('HW_SECURE_CRYPTO');
    expect(ep.support.hdcp, 'HDCP 2.2 → 2').to.equal(2);
    expect(ep.profile.clearkey, 'no ClearKey probe').to.equal(undefined);
    expect(events.find((e) => e.type === 'expressplay:detected')?.drm).to.equal('widevine');

    const drm = player.getConfiguration().drm;
    expect(Object.keys(drm.servers)).to.deep.equal([WIDEVINE]);
    expect(drm.preferredKeySystems).to.deep.equal([WIDEVINE]);
    expect(drm.advanced?.[WIDEVINE]?.videoRobustness).to.deep.equal(['HW_SECURE_ALL']);
    expect(drm.advanced?.[WIDEVINE]?.audioRobustness).to.deep.equal(['HW_SECURE_CRYPTO']);

    player.configure({ manifest: { dash: { keySystemsByURI: { [COMMON_SYSTEM]: WIDEVINE } } } });
    const load = player.load('/test/media/cenc-h264/manifest.mpd');
    const error = (await firstError(player, load)) as shaka.util.Error;
    await sleep(3000); // a retry (Shaka's or the adapter's) would show up now

    // The CDM Shaka used is the double, asked for HW_SECURE_ALL.
    expect(player.drmInfo()?.keySystem).to.equal(WIDEVINE);
    expect(player.drmInfo()?.videoRobustness).to.equal('HW_SECURE_ALL');
    const asked = doubles.log.accessCalls.filter(
      (c) =>
        c.keySystem === WIDEVINE &&
        c.configurations.some(
          (cfg) =>
            (cfg.videoCapabilities ?? []).length > 0 &&
            cfg.videoCapabilities!.every((v) => v.robustness === 'HW_SECURE_ALL'),
        ),
    );
    expect(asked.length, "Shaka's MediaKeySystemConfiguration with HW_SECURE_ALL").to.be.greaterThan(0);

    const list = fetches.slice(before);
    const tokens = list.filter((f) => f.url.startsWith(tokenEndpointUrl));
    expect(tokens, 'one token request').to.have.length(1);
    const q = new URL(tokens[0]!.url).searchParams;
    expect(q.get('drm')).to.equal('widevine');
    expect(q.get('securityLevel')).to.equal('5');
    expect(q.get('hdcp')).to.equal('2');
    expect(q.get('contentId')).to.equal('cenc-h264');

    expect(doubles.log.sessions, 'one session (video and audio share the pssh)').to.have.length(1);
    const session = doubles.log.sessions[0]!;
    expect(session.initDataType).to.equal('cenc');
    const licenses = list.filter((f) => /\/hms\/wv\/rights\//.test(f.url));
    expect(licenses, 'one license request: -9044 is a 4xx, not retried').to.have.length(1);
    const lic = licenses[0]!;
    expect(lic.url.startsWith(`${emulatorUrl}/hms/wv/rights/?ExpressPlayToken=`), lic.url).to.equal(true);
    expect(lic.method).to.equal('POST');
    expect(lic.status).to.equal(400);
    expect([...lic.body!], 'the challenge the CDM produced, unchanged').to.deep.equal([...session.challenge!]);
    // Shaka's own headers for a Widevine license: none set (a CORS-simple POST, no preflight).
    expect(lic.contentType).to.equal(undefined);

    const typed = expressPlayErrorOf(error);
    expect(typed, `typed error in ${JSON.stringify(error)}`).to.not.equal(undefined);
    expect(typed!.code).to.equal(-9044);
    expect(typed!.httpStatus).to.equal(400);
    expect(typed!.retryable).to.equal(false);
    expect(typed!.drm).to.equal('widevine');
    expect(events.filter((e) => e.type === 'expressplay:error').map((e) => e.error?.code)).to.include(-9044);
    expect(events.map((e) => e.type)).not.to.include('expressplay:license');
    expect(doubles.log.updates, 'nothing reached update()').to.have.length(0);

    const c = await counts(before);
    console.log(`widevine -9044: ${JSON.stringify(c)}`);
    expect(c.pending).to.equal(0);
    const stats = await emulatorStats();
    expect(stats.tokensIssued.widevine).to.equal(1);
    expect(Object.values(stats.licensesServed).reduce((a, b) => a + b, 0)).to.equal(0);
    expect(stats.rejects.rights).to.equal(1);
    expect(fx.unhandled).to.deep.equal([]);
  });
});
