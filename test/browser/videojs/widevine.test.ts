// Widevine through videojs-contrib-eme on an L1 EME double (Chromium here has no
// Widevine CDM): the production path up to the CDM. Detection (HW_SECURE_ALL →
// securityLevel 5, HDCP 2.2 → hdcp 2), contrib-eme keySystems for com.widevine.alpha
// with that robustness, the token request carrying it, the CDM's challenge POSTed
// unchanged as octet-stream to the emulator's wv rights URL. The emulator cannot
// mint a real Widevine license and answers -9044 (HTTP 400): the plugin must surface
// it typed on player.error(), once, unretried. The DASH manifest's CommonSystem pssh
// reaches the double through the `encrypted` event Chromium fires for the init segment.
import { expect } from 'chai';
import {
  createEmeDoubles,
  routeKeySystemsToDoubles,
  widevineChallenge,
  widevineL1Device,
} from '../support/eme-doubles.js';
import { testConfig } from '../support/page.js';
import { isExpressPlayError, type ExpressPlayError } from '../../../src/core/index.js';
import type { DrmProfile } from '../../../src/browser/index.js';
import { sleep, spyFetch, waitFor } from '../support/helpers.js';
import { CENC_SOURCE, counts, createPlayer, recordEvents, tokenOptions, useVideoJsFixture } from './helpers.js';

const WIDEVINE = 'com.widevine.alpha';
describe('Video.js plugin: Widevine L1 via contrib-eme on an EME double', () => {
  const fx = useVideoJsFixture();
  let spy: ReturnType<typeof spyFetch>;
  let unroute: (() => void) | undefined;

  beforeEach(() => {
    spy = spyFetch();
  });
  afterEach(() => {
    spy.restore();
    unroute?.();
    unroute = undefined;
  });

  it('detects L1 (securityLevel 5), gives contrib-eme Widevine HW_SECURE_ALL, sends the token request and the challenge, surfaces -9044 typed with no retry', async function () {
    this.timeout(30000);
    const cfg = await testConfig();
    const doubles = createEmeDoubles(widevineL1Device({ challenge: widevineChallenge }));
    unroute = routeKeySystemsToDoubles(doubles, [WIDEVINE]);
    const player = await createPlayer();
    const video = player.tech(true).el();
    doubles.install(video);
    const events = recordEvents(player);
    // Default detection (preference widevine > playready > fairplay, no ClearKey) on the page's own EME.
    player.expressplay({ ...(await tokenOptions()), detect: { refresh: true } });
    player.src(CENC_SOURCE);

    const detected = await waitFor(
      () => events.find((e) => e.type === 'expressplay:detected'),
      5000,
      'expressplay:detected',
    );
    const profile = detected.profile as DrmProfile;
    expect(profile.preferred?.drm).to.equal('widevine');
    expect(profile.widevine.securityLevel, 'HW_SECURE_ALL').to.equal(5);
    expect(profile.widevine.hdcp, 'HDCP 2.2 → 2').to.equal(2);
    expect(profile.clearkey, 'no ClearKey probe').to.equal(undefined);

    const keySystems = await waitFor(() => player.currentSource().keySystems, 5000, 'keySystems on the source');
    expect(Object.keys(keySystems)).to.deep.equal([WIDEVINE]);
    const wv = keySystems[WIDEVINE] as { videoRobustness?: string; audioRobustness?: string; getLicense?: unknown };
    expect(wv.videoRobustness).to.equal('HW_SECURE_ALL');
    expect(wv.audioRobustness).to.equal('HW_SECURE_CRYPTO');
    expect(typeof wv.getLicense).to.equal('function');

    const err = await waitFor(() => player.error() ?? undefined, 15000, 'player.error()');
    await sleep(3000); // a retry (contrib-eme's or the plugin's) would show up now

    // contrib-eme asked the double for HW_SECURE_ALL and put its MediaKeys on the element.
    const asked = doubles.log.accessCalls.filter(
      (c) =>
        c.keySystem === WIDEVINE &&
        c.configurations.some(
          (k) =>
            (k.videoCapabilities ?? []).length > 0 &&
            k.videoCapabilities!.every((v) => v.robustness === 'HW_SECURE_ALL'),
        ),
    );
    expect(asked.length, "contrib-eme's MediaKeySystemConfiguration with HW_SECURE_ALL").to.be.greaterThan(0);
    expect(video.mediaKeys, 'the double MediaKeys on the element').to.not.equal(null);

    const tokens = spy.calls.filter((c) => c.url.startsWith(cfg.tokenEndpointUrl));
    expect(tokens, 'one token request').to.have.length(1);
    const q = new URL(tokens[0]!.url).searchParams;
    expect(q.get('drm')).to.equal('widevine');
    expect(q.get('securityLevel')).to.equal('5');
    expect(q.get('hdcp')).to.equal('2');
    expect(q.get('contentId')).to.equal('cenc-h264');

    expect(doubles.log.sessions.length, 'sessions').to.be.greaterThan(0);
    const session = doubles.log.sessions[0]!;
    expect(session.initDataType).to.equal('cenc');
    const rights = spy.calls.filter((c) => c.url.startsWith(`${cfg.emulatorUrl}/hms/wv/rights/`));
    expect(rights, 'one license request: -9044 is a 4xx, not retried').to.have.length(1);
    expect(doubles.log.sessions, 'one session').to.have.length(1);
    expect(rights[0]!.url).to.match(/\/hms\/wv\/rights\/\?ExpressPlayToken=/);
    expect(rights[0]!.method).to.equal('POST');
    expect(rights[0]!.headers.get('content-type')).to.equal('application/octet-stream');
    const body = new Uint8Array(rights[0]!.body as ArrayBuffer | Uint8Array);
    expect([...body], 'the challenge the CDM produced, unchanged').to.deep.equal([...session.challenge!]);
    const answer = JSON.parse(new TextDecoder().decode(await rights[0]!.response!)) as { errorCode?: number };
    expect(answer.errorCode).to.equal(-9044);

    expect(err.code).to.equal(5);
    const typed = err.expressplay as ExpressPlayError;
    expect(isExpressPlayError(typed), `typed error in ${JSON.stringify(err)}`).to.equal(true);
    expect(typed.code).to.equal(-9044);
    expect(typed.httpStatus).to.equal(400);
    expect(typed.retryable).to.equal(false);
    expect(typed.drm).to.equal('widevine');
    expect(events.filter((e) => e.type === 'expressplay:error').map((e) => e.error?.code)).to.deep.equal([-9044]);
    expect(events.map((e) => e.type)).not.to.include('expressplay:license');
    expect(doubles.log.updates, 'nothing reached update()').to.have.length(0);

    const c = await counts();
    console.log(`widevine -9044 (videojs): ${JSON.stringify({ ...c, licenseRequests: rights.length })}`);
    expect(c).to.deep.include({ tokensIssued: 1, licensesServed: 0, rightsRejects: 1 });
    expect(fx.unhandled).to.deep.equal([]);
  });
});
