// FairPlay through Shaka with the modern EME test double (Chromium has no
// FairPlay): the real HLS skd:// playlist, the real token endpoint and the
// emulator's FairPlay rights route (stand-in CKC). Proves: certificate fetched
// once and given to setServerCertificate, the SPC POSTed as octet-stream to the
// fp rights URL from the token endpoint, the CKC unwrapped into update().
import { expect } from 'chai';
import {
  createEmeDoubles,
  modernFairPlayDevice,
  routeKeySystemsToDoubles,
  type DoubleEnvironment,
} from '../support/eme-doubles.js';
import { emulatorStats } from '../support/page.js';
import { sleep } from '../support/helpers.js';
import { collectEvents, counts, fetches, installFetchRecorder, usePlayerFixture } from './helpers.js';

const CERT_URL = new URL('./fairplay-test.cer', import.meta.url).href;

describe('Shaka adapter: FairPlay (modern EME double)', function () {
  this.timeout(30000);
  let doubles: DoubleEnvironment;
  const fx = usePlayerFixture({
    beforeAll: () => {
      installFetchRecorder();
      doubles = createEmeDoubles(modernFairPlayDevice());
      // Both EME entry points Shaka uses (requestMediaKeySystemAccess, MediaCapabilities); the page is discarded after the file.
      routeKeySystemsToDoubles(doubles, ['com.apple.fps']);
    },
    prepareVideo: (video) => doubles.install(video),
  });

  it('fetches the certificate once, POSTs the SPC as octet-stream to the fp rights URL, and updates the session with the CKC', async () => {
    const { player, video } = fx;
    const events = collectEvents(player);
    const before = fetches.length;
    const ep = await fx.attach({
      detect: { preference: ['fairplay'], environment: doubles.environment, refresh: true },
      fairplay: { certificate: CERT_URL },
    });
    expect(ep.support.drm).to.equal('fairplay');
    expect(ep.support.keySystem).to.equal('com.apple.fps');
    await player.load('/test/media/fairplay-hls/master.m3u8');
    // Safari fires `encrypted` with the skd URI when it meets the key; Chromium does not know FairPlay, so the test does.
    const skd = new TextEncoder().encode('skd://fairplay-hls');
    video.dispatchEvent(new MediaEncryptedEvent('encrypted', { initDataType: 'skd', initData: skd.buffer }));
    for (let i = 0; i < 300 && doubles.log.updates.length === 0; i++) await sleep(20);

    const list = fetches.slice(before);
    const certFetches = list.filter((f) => f.url === CERT_URL);
    expect(certFetches, 'certificate fetched once').to.have.length(1);
    expect(doubles.log.certificates).to.have.length(1);
    expect([...doubles.log.certificates[0]!]).to.deep.equal([
      ...new Uint8Array(await (await fetch(CERT_URL)).arrayBuffer()),
    ]);

    const licenses = list.filter((f) => /\/hms\/fp\/rights\//.test(f.url));
    expect(licenses, 'one SPC request').to.have.length(1);
    const spcRequest = licenses[0]!;
    expect(spcRequest.method).to.equal('POST');
    expect(spcRequest.contentType).to.equal('application/octet-stream');
    expect(spcRequest.url).to.match(/ExpressPlayToken=/);
    const session = doubles.log.sessions[0]!;
    expect(session.initDataType).to.equal('skd');
    expect([...spcRequest.body!], 'the SPC the CDM produced').to.deep.equal([...session.challenge!]);

    expect(doubles.log.updates, 'CKC delivered to update()').to.have.length(1);
    const ckc = doubles.log.updates[0]!;
    expect(ckc.length).to.equal(52);
    expect(new TextDecoder().decode(ckc.subarray(0, 4)), 'stand-in CKC magic').to.equal('EPCK');

    const c = await counts(before);
    console.log(`fairplay: ${JSON.stringify({ ...c, certificate: certFetches.length })}`);
    expect(c.token).to.equal(1);
    const stats = await emulatorStats();
    expect(stats.tokensIssued.fairplay).to.equal(1);
    expect(stats.licensesServed.fairplay).to.equal(1);
    expect(events.map((e) => e.type)).to.include.members(['expressplay:token', 'expressplay:license']);
  });
});
