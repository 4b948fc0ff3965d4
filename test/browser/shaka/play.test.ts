// The Shaka adapter end to end in Chromium: detection (ClearKey stand-in) →
// token client → reference token endpoint → emulator token service → rights URL
// → emulator rights endpoint → ClearKey license → decryption. The page never
// knows a key: only the Node side (servers.ts) reads streams.json.
import { expect } from 'chai';
import { emulatorStats, playedPast, setFaults, testConfig } from '../support/page.js';
import { sleep } from '../support/helpers.js';
import { collectEvents, counts, fetches, usePlayerFixture } from './helpers.js';

describe('Shaka adapter: playback through the full ExpressPlay path', function () {
  this.timeout(30000);
  const fx = usePlayerFixture();
  const attach = () => fx.attach();

  for (const id of ['cenc-h264', 'cbcs-vp9']) {
    it(`plays ${id} with one token for the content, fetched in parallel with the manifest`, async () => {
      const events = collectEvents(fx.player);
      const handle = await attach();
      expect(handle.support.drm).to.equal('clearkey');
      const before = fetches.length;
      await fx.player.load(`/test/media/${id}/manifest.mpd`);
      await fx.video.play();
      await playedPast(fx.video, 1);

      const c = await counts(before);
      expect(c.token, 'token endpoint requests').to.equal(1);
      expect(c.license, 'license requests').to.be.greaterThanOrEqual(1);
      const stats = await emulatorStats();
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
    const events = collectEvents(fx.player);
    await attach();
    const retries: unknown[] = [];
    fx.player.getNetworkingEngine()!.addEventListener('retry', (e: Event) => retries.push(e));
    const before = fetches.length;
    await fx.player.load('/test/media/cenc-h264/manifest.mpd');
    await fx.video.play();
    await playedPast(fx.video, 1);

    const c = await counts(before);
    expect(c.token, 'token endpoint requests: load + one refresh').to.equal(2);
    expect(c.license, 'license requests: rejected + retried by Shaka').to.equal(2);
    const stats = await emulatorStats();
    expect(stats.tokensIssued.widevine).to.equal(2);
    expect(stats.rejects.rights).to.equal(1);
    expect(stats.licensesServed.clearkey).to.equal(1);
    expect(retries.length, "Shaka's own retry").to.be.greaterThanOrEqual(1);
    expect(events.filter((e) => e.type === 'expressplay:error')).to.have.length(0);
    expect(events.filter((e) => e.type === 'expressplay:token' && e.source === 'endpoint')).to.have.length(2);
  });

  it('reports key statuses again when the same content is loaded again', async () => {
    const events = collectEvents(fx.player);
    await attach();
    for (let round = 1; round <= 2; round++) {
      events.length = 0;
      await fx.player.load('/test/media/cenc-h264/manifest.mpd');
      await fx.video.play();
      await playedPast(fx.video, 0.5);
      for (let i = 0; i < 100 && !events.some((e) => e.type === 'expressplay:keystatus'); i++) await sleep(20);
      const ks = events.filter((e) => e.type === 'expressplay:keystatus');
      expect(
        ks.map((e) => e.keyStatus?.status),
        `load ${round}: keystatus events`,
      ).to.include('usable');
      expect(ks.every((e) => e.contentId === 'cenc-h264')).to.equal(true);
    }
  });

  it("switching A→B while A's token is in flight aborts A's token, reports no error, and plays B with B's token", async () => {
    await setFaults({ token: { latencyMs: 1500 } });
    const events = collectEvents(fx.player);
    const shakaErrors: unknown[] = [];
    fx.player.addEventListener('error', (e: Event) => shakaErrors.push((e as Event & { detail: unknown }).detail));
    await attach();
    const { tokenEndpointUrl } = await testConfig();
    const before = fetches.length;
    const loadA = fx.player.load('/test/media/cenc-h264/manifest.mpd').catch((e: unknown) => e);
    for (let i = 0; i < 200 && !fetches.slice(before).some((f) => f.url.includes('contentId=cenc-h264')); i++)
      await sleep(10);
    await sleep(300); // A's license request is now waiting on A's token
    await fx.player.load('/test/media/cbcs-vp9/manifest.mpd');
    await loadA;
    await fx.video.play();
    await playedPast(fx.video, 1);

    const tokens = fetches.slice(before).filter((f) => f.url.startsWith(tokenEndpointUrl));
    expect(tokens.map((f) => /contentId=([^&]+)/.exec(f.url)?.[1])).to.deep.equal(['cenc-h264', 'cbcs-vp9']);
    expect(tokens[0]!.failed, "A's token request aborted").to.equal(true);
    expect(
      shakaErrors.map((e) => JSON.stringify(e)),
      'Shaka error events',
    ).to.deep.equal([]);
    expect(events.filter((e) => e.type === 'expressplay:error')).to.have.length(0);
    expect(events.filter((e) => e.type === 'expressplay:license').map((e) => e.contentId)).to.deep.equal(['cbcs-vp9']);
    expect(fx.unhandled).to.deep.equal([]);
  });
});
