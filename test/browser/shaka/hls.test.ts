// The Shaka adapter plays encrypted HLS (fMP4, SAMPLE-AES-CTR, KEYFORMAT
// "identity") through the full ExpressPlay path in Chromium: detection (ClearKey
// stand-in) → token client → reference token endpoint → emulator → rights URL →
// emulator ClearKey license → decryption. Shaka 5.2.12 maps only "identity" to
// org.w3.clearkey in HLS and gives it a data: license URI built from the key
// URI's bytes (here the packager's KEY ID, not the key); the adapter's license
// request filter replaces that URI with the rights URL, so the key comes from
// the emulator only. The page never knows the key.
import { expect } from 'chai';
import { emulatorStats, playedPast, testConfig } from '../support/page.js';
import { collectEvents, counts, fetches, usePlayerFixture } from './helpers.js';

describe('Shaka adapter: encrypted HLS through the full ExpressPlay path', function () {
  this.timeout(30000);
  const fx = usePlayerFixture();

  it('plays cenc-hls (fMP4, SAMPLE-AES-CTR, identity) past 1 s with one token and an emulator license', async () => {
    const events = collectEvents(fx.player);
    const handle = await fx.attach();
    expect(handle.support.drm).to.equal('clearkey');
    const before = fetches.length;
    await fx.player.load('/test/media/cenc-hls/master.m3u8');
    await fx.video.play();
    await playedPast(fx.video, 1);

    expect(fx.player.getManifestType()).to.equal('HLS');
    expect(fx.player.drmInfo()?.keySystem).to.equal('org.w3.clearkey');
    const c = await counts(before);
    expect(c.token, 'token endpoint requests').to.equal(1);
    expect(c.license, 'license requests to the rights URL').to.be.greaterThanOrEqual(1);
    const stats = await emulatorStats();
    expect(stats.tokensIssued.widevine, 'tokens issued by the emulator').to.equal(1);
    expect(stats.licensesServed.clearkey, 'licenses served by the emulator').to.equal(c.license);

    const list = fetches.slice(before);
    const { tokenEndpointUrl, emulatorUrl } = await testConfig();
    const token = list.find((f) => f.url.startsWith(tokenEndpointUrl))!;
    expect(token.url).to.include('contentId=cenc-hls').and.include('drm=clearkey');
    const license = list.find((f) => /\/hms\/wv\/rights\//.test(f.url))!;
    expect(license.url.startsWith(emulatorUrl), 'license sent to the emulator, not to a data: URI').to.equal(true);
    expect(license.status).to.equal(200);

    const types = events.map((e) => e.type);
    expect(types).to.include.members(['expressplay:token', 'expressplay:license', 'expressplay:keystatus']);
    expect(types).to.not.include('expressplay:error');
    expect(events.find((e) => e.type === 'expressplay:license')!.contentId).to.equal('cenc-hls');
    const ks = events.find((e) => e.type === 'expressplay:keystatus')!;
    expect(ks.keyStatus).to.deep.include({ keyId: 'c2857ac60e862b75c4ce39c628762b89', status: 'usable' });
  });
});
