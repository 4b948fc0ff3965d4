// The full real path in Chromium: detectDrm → token client → reference token
// endpoint → emulator token service → rights URL → emulator rights endpoint →
// ClearKey license → decryption. The page knows no key.
import { expect } from 'chai';
import { playedPast, resetEmulator } from '../support/page.js';
import { counts, createPlayer, recordEvents, tokenOptions, type TestPlayer } from './helpers.js';

describe('Video.js plugin: plays encrypted DASH end to end', () => {
  let player: TestPlayer | undefined;
  beforeEach(async () => {
    await resetEmulator();
  });
  afterEach(() => {
    player?.dispose();
    player = undefined;
  });

  for (const contentId of ['cenc-h264', 'cbcs-vp9']) {
    it(`plays ${contentId} past 1 s with one token and the events`, async function () {
      this.timeout(30000);
      player = await createPlayer();
      const events = recordEvents(player);
      const handle = player.expressplay(await tokenOptions());
      expect(handle.tokenClient).to.be.an('object');
      player.src({ src: `/test/media/${contentId}/manifest.mpd`, type: 'application/dash+xml', expressplay: { contentId } });
      void player.play()?.catch(() => undefined);
      await playedPast(player.tech(true).el(), 1, 20000);

      expect(player.error()).to.equal(null);
      expect(Object.keys(player.currentSource().keySystems ?? {})).to.deep.equal(['org.w3.clearkey']);
      const c = await counts();
      expect(c.tokensIssued, 'tokens issued').to.equal(1);
      expect(c.licensesServed, 'licenses served').to.be.at.least(1);
      expect(c.rightsRejects + c.tokenRejects, 'rejects').to.equal(0);

      const types = events.map((e) => e.type);
      expect(types).to.include.members(['expressplay:detected', 'expressplay:token', 'expressplay:license', 'expressplay:keystatus']);
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
    const source = { src: '/test/media/cenc-h264/manifest.mpd', type: 'application/dash+xml', expressplay: { contentId: 'cenc-h264' } };
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
});
