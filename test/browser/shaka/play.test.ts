// The Shaka adapter end to end in Chromium: detection (ClearKey stand-in) →
// token client → reference token endpoint → emulator token service → rights URL
// → emulator rights endpoint → ClearKey license → decryption. The page never
// knows a key: only the Node side (servers.ts) reads streams.json.
import { expect } from 'chai';
import type shaka from 'shaka-player';
import { attachExpressPlay, type ShakaExpressPlay } from '../../../src/shaka/index.js';
import { emulatorStats, playedPast, resetEmulator, setFaults, testConfig } from '../support/page.js';
import { collectEvents, counts, fetches, loadShaka, newVideo, streamIdOf } from './helpers.js';

interface Stats {
  tokensIssued: { widevine: number };
  licensesServed: { clearkey: number };
  rejects: { rights: number; token: number };
}

describe('Shaka adapter: playback through the full ExpressPlay path', function () {
  this.timeout(30000);
  let ns: typeof shaka;
  let player: shaka.Player | undefined;
  let ep: ShakaExpressPlay | undefined;
  let video: HTMLVideoElement;

  before(async () => {
    ns = await loadShaka();
  });
  beforeEach(async () => {
    await resetEmulator();
    video = newVideo();
    player = new ns.Player();
    await player.attach(video);
  });
  afterEach(async () => {
    ep?.detach();
    await player?.destroy();
    video.remove();
    await resetEmulator();
  });

  async function attach() {
    const { tokenEndpointUrl } = await testConfig();
    ep = await attachExpressPlay(player!, {
      token: { endpoint: tokenEndpointUrl, allowedRightsHosts: ['127.0.0.1'] },
      contentId: streamIdOf,
      detect: { includeClearKey: true },
    });
    return ep;
  }

  for (const id of ['cenc-h264', 'cbcs-vp9']) {
    it(`plays ${id} with one token for the content, fetched in parallel with the manifest`, async () => {
      const events = collectEvents(player!);
      const handle = await attach();
      expect(handle.support.drm).to.equal('clearkey');
      const before = fetches.length;
      await player!.load(`/test/media/${id}/manifest.mpd`);
      await video.play();
      await playedPast(video, 1);

      const c = await counts(before);
      expect(c.token, 'token endpoint requests').to.equal(1);
      expect(c.license, 'license requests').to.be.greaterThanOrEqual(1);
      const stats = (await emulatorStats()) as unknown as Stats;
      expect(stats.tokensIssued.widevine, 'tokens issued by the emulator').to.equal(1);
      expect(stats.licensesServed.clearkey).to.equal(c.license);
      // Started at load(): before the manifest's answer arrived.
      const list = fetches.slice(before);
      const { tokenEndpointUrl } = await testConfig();
      const token = list.find((f) => f.url.startsWith(tokenEndpointUrl))!;
      const manifest = list.find((f) => f.url.endsWith('manifest.mpd'))!;
      expect(token.startedAt, 'token request started before the manifest answered').to.be.lessThan(manifest.endedAt!);
      expect(token.url).to.include(`contentId=${id}`).and.include('drm=clearkey');

      const types = events.map((e) => e.type);
      expect(types).to.include('expressplay:token');
      expect(types).to.include('expressplay:license');
      expect(types).to.include('expressplay:keystatus');
      expect(types).to.not.include('expressplay:error');
      const license = events.find((e) => e.type === 'expressplay:license')!;
      expect(license.contentId).to.equal(id);
      expect(license.rightsUrl, 'token redacted in events').to.not.match(/ExpressPlayToken=[A-Za-z0-9_-]{20,}/);
      const ks = events.find((e) => e.type === 'expressplay:keystatus')!;
      expect(ks.keyStatus?.status).to.equal('usable');
    });
  }

  it('recovers from a token rejected by the rights server (-4010) with exactly one refresh', async () => {
    await setFaults({ rights: { failNext: 1, status: 401, code: -4010 } });
    const events = collectEvents(player!);
    await attach();
    const retries: unknown[] = [];
    player!.getNetworkingEngine()!.addEventListener('retry', (e: Event) => retries.push(e));
    const before = fetches.length;
    await player!.load('/test/media/cenc-h264/manifest.mpd');
    await video.play();
    await playedPast(video, 1);

    const c = await counts(before);
    expect(c.token, 'token endpoint requests: load + one refresh').to.equal(2);
    expect(c.license, 'license requests: rejected + retried by Shaka').to.equal(2);
    const stats = (await emulatorStats()) as unknown as Stats;
    expect(stats.tokensIssued.widevine).to.equal(2);
    expect(stats.rejects.rights).to.equal(1);
    expect(stats.licensesServed.clearkey).to.equal(1);
    expect(retries.length, "Shaka's own retry").to.be.greaterThanOrEqual(1);
    expect(events.filter((e) => e.type === 'expressplay:error')).to.have.length(0);
    expect(events.filter((e) => e.type === 'expressplay:token' && e.source === 'endpoint')).to.have.length(2);
  });
});
