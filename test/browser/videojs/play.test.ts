// The full real path in Chromium: detectDrm → token client → reference token
// endpoint → emulator token service → rights URL → emulator rights endpoint →
// ClearKey license → decryption. The page knows no key.
import { expect } from 'chai';
import { playedPast, resetEmulator, setFaults, testConfig } from '../support/page.js';
import { autoRegisterExpressPlay } from '../../../src/videojs/index.js';
import { spyFetch } from '../support/helpers.js';
import { counts, createPlayer, loadVideojs, recordEvents, tokenOptions, type TestPlayer } from './helpers.js';

describe('Video.js plugin: plays encrypted DASH end to end', () => {
  let player: TestPlayer | undefined;
  beforeEach(async () => {
    await resetEmulator();
  });
  afterEach(async () => {
    player?.dispose();
    player = undefined;
    await resetEmulator();
  });

  for (const contentId of ['cenc-h264', 'cbcs-vp9']) {
    it(`plays ${contentId} past 1 s with one token and the events`, async function () {
      this.timeout(30000);
      player = await createPlayer();
      const events = recordEvents(player);
      const handle = player.expressplay(await tokenOptions());
      expect(handle.tokenClient).to.be.an('object');
      player.src({
        src: `/test/media/${contentId}/manifest.mpd`,
        type: 'application/dash+xml',
        expressplay: { contentId },
      });
      void player.play()?.catch(() => undefined);
      await playedPast(player.tech(true).el(), 1, 20000);

      expect(player.error()).to.equal(null);
      expect(Object.keys(player.currentSource().keySystems ?? {})).to.deep.equal(['org.w3.clearkey']);
      const c = await counts();
      expect(c.tokensIssued, 'tokens issued').to.equal(1);
      expect(c.licensesServed, 'licenses served').to.equal(1);
      expect(c.rightsRejects + c.tokenRejects, 'rejects').to.equal(0);

      const types = events.map((e) => e.type);
      expect(types).to.include.members([
        'expressplay:detected',
        'expressplay:token',
        'expressplay:license',
        'expressplay:keystatus',
      ]);
      expect(types).not.to.include('expressplay:error');
      const token = events.find((e) => e.type === 'expressplay:token')!;
      expect(token).to.include({ drm: 'clearkey', contentId, source: 'endpoint' });
      expect(token.rightsUrl).to.match(/ExpressPlayToken=.{0,4}…\[redacted\]/);
      const license = events.find((e) => e.type === 'expressplay:license')!;
      expect(license).to.include({ drm: 'clearkey', contentId });
      const keyStatus = events.find((e) => e.type === 'expressplay:keystatus')!;
      expect(keyStatus.keyStatus).to.deep.include({ status: 'usable' });
      expect(keyStatus.keyStatus!.keyId).to.match(/^[0-9a-f]{32}$/);
    });
  }

  it('asks for one token per content when the same content is loaded again', async function () {
    this.timeout(40000);
    player = await createPlayer();
    player.expressplay(await tokenOptions());
    const source = {
      src: '/test/media/cenc-h264/manifest.mpd',
      type: 'application/dash+xml',
      expressplay: { contentId: 'cenc-h264' },
    };
    player.src(source);
    void player.play()?.catch(() => undefined);
    await playedPast(player.tech(true).el(), 1, 20000);
    player.src(source);
    void player.play()?.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    await playedPast(player.tech(true).el(), 1, 20000);
    const c = await counts();
    expect(c.tokensIssued).to.equal(1);
  });

  it('starts the token request in parallel with the manifest request, not after it', async function () {
    this.timeout(30000);
    const cfg = await testConfig();
    await setFaults({ token: { latencyMs: 600 } });
    performance.clearResourceTimings();
    player = await createPlayer();
    player.expressplay(await tokenOptions());
    player.src({
      src: '/test/media/cenc-h264/manifest.mpd?parallel',
      type: 'application/dash+xml',
      expressplay: { contentId: 'cenc-h264' },
    });
    void player.play()?.catch(() => undefined);
    await playedPast(player.tech(true).el(), 1, 20000);
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const manifest = entries.find((e) => e.name.includes('manifest.mpd?parallel'))!;
    const token = entries.find((e) => e.name.startsWith(cfg.tokenEndpointUrl))!;
    expect(manifest, 'manifest timing').to.not.equal(undefined);
    expect(token, 'token timing').to.not.equal(undefined);
    // The manifest went out while the (600 ms slow) token was still on its way.
    expect(manifest.startTime).to.be.below(token.responseEnd - 300);
    expect(token.startTime).to.be.below(manifest.responseEnd + 100);
  });

  it('uses an app-supplied rights URL without any token request', async function () {
    this.timeout(30000);
    const cfg = await testConfig();
    // The app's own playback API handed it a rights URL.
    const answer = (await (
      await fetch(`${cfg.tokenEndpointUrl}?drm=clearkey&contentId=cenc-h264`, {
        headers: { accept: 'application/json' },
      })
    ).json()) as { rightsUrl: string };
    const spy = spyFetch();
    try {
      player = await createPlayer();
      const events = recordEvents(player);
      player.expressplay(await tokenOptions());
      player.src({
        src: '/test/media/cenc-h264/manifest.mpd',
        type: 'application/dash+xml',
        expressplay: { contentId: 'cenc-h264', rightsUrl: answer.rightsUrl },
      });
      void player.play()?.catch(() => undefined);
      await playedPast(player.tech(true).el(), 1, 20000);
      expect(spy.calls.filter((c) => c.url.startsWith(cfg.tokenEndpointUrl))).to.have.length(0);
      expect(events.find((e) => e.type === 'expressplay:token')?.source).to.equal('app');
      expect((await counts()).tokensIssued).to.equal(1); // the app's own request above
    } finally {
      spy.restore();
    }
  });

  it('the drop-in auto-registration finds window.videojs', async () => {
    const videojs = await loadVideojs();
    expect(autoRegisterExpressPlay()).to.equal(true);
    expect(videojs.getPlugin('expressplay')).to.be.a('function');
  });
});
