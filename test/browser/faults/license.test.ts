// Fault matrix, license requests, through the real adapters and the emulator's
// rights route: 500 then success, an expired token (-4010: one refresh), 403
// for good, a slow rights server. Each ends in playback or a typed error within
// a bound, and detach + destroy leave nothing behind.
import { expect } from 'chai';
import type shaka from 'shaka-player';
import { attachExpressPlay, expressPlayErrorOf, type ShakaExpressPlay } from '../../../src/shaka/index.js';
import { emulatorStats, playedPast, resetEmulator, setFaults, testConfig, total } from '../support/page.js';
import { startScope, type Scope } from './instrument.js';
import { CENC, expectClean, loadShaka } from './support.js';
import { newVideo, sleep } from '../support/helpers.js';

describe('fault matrix: license (Shaka adapter)', function () {
  this.timeout(25000);
  let ns: typeof shaka;
  let scope: Scope;
  let video: HTMLVideoElement;
  let player: shaka.Player;
  let ep: ShakaExpressPlay | undefined;

  before(async () => {
    ns = await loadShaka();
  });
  beforeEach(async () => {
    await resetEmulator();
    scope = startScope();
    video = newVideo();
    video.autoplay = true;
    player = new ns.Player();
    await player.attach(video);
    scope.track(player, 'player');
    scope.track(player.getNetworkingEngine()!, 'engine');
  });
  afterEach(async () => {
    ep?.detach();
    ep = undefined;
    await player.destroy();
    video.remove();
    scope.close();
    await resetEmulator();
  });

  async function attach(): Promise<ShakaExpressPlay> {
    const { tokenEndpointUrl } = await testConfig();
    ep = await attachExpressPlay(player, {
      token: { endpoint: tokenEndpointUrl, allowedRightsHosts: ['127.0.0.1'], preconnect: false },
      contentId: CENC.id,
      detect: { includeClearKey: true },
    });
    return ep;
  }

  async function done(): Promise<void> {
    ep!.detach();
    ep = undefined;
    await player.destroy();
    await expectClean(scope);
  }

  it('500 then success: Shaka retries, playback, one token', async () => {
    await setFaults({ rights: { failNext: 1, status: 500 } });
    await attach();
    const t = performance.now();
    await player.load(CENC.manifest);
    await playedPast(video, 0.2, 10000);
    expect(performance.now() - t).to.be.below(10000);
    const s = await emulatorStats();
    expect(total(s.tokensIssued)).to.equal(1);
    expect(s.rejects.rights).to.equal(1);
    await done();
  });

  it('-4010 expired token: exactly one refresh, then playback', async () => {
    // The prefetched token is already expired when it reaches the rights server.
    await setFaults({ forceExpiry: 'issued' });
    await attach();
    await ep!.prefetch(CENC.id);
    await setFaults({ forceExpiry: 'off' });
    await player.load(CENC.manifest);
    await playedPast(video, 0.2, 10000);
    const s = await emulatorStats();
    expect(total(s.tokensIssued), 'prefetch + one refresh').to.equal(2);
    expect(s.rejects.rights, 'one -4010').to.equal(1);
    await done();
  });

  it('403 for good: typed error (status 403) after one refresh, no retry storm', async () => {
    await setFaults({ rights: { failRate: 1, status: 403 } });
    await attach();
    const t = performance.now();
    let caught: unknown;
    await player.load(CENC.manifest).catch((e: unknown) => (caught = e));
    if (caught === undefined) {
      // load() may resolve before the license fails: wait for the player's error event.
      caught = await new Promise((resolve) =>
        player.addEventListener('error', (e: Event) => resolve((e as Event & { detail?: unknown }).detail), {
          once: true,
        }),
      );
    }
    expect(performance.now() - t).to.be.below(10000);
    const typed = expressPlayErrorOf(caught);
    expect(typed, `typed error in ${JSON.stringify(caught)}`).to.not.equal(undefined);
    expect(typed!.httpStatus).to.equal(403);
    const at = await emulatorStats();
    await sleep(1500); // anything still retrying would show now
    const later = await emulatorStats();
    expect(later.rejects.rights, 'no more license requests after the error').to.equal(at.rejects.rights);
    expect(at.rejects.rights, 'license attempts').to.be.at.most(3);
    expect(total(at.tokensIssued), 'first token + one refresh').to.be.at.most(2);
    await done();
  });

  it('slow rights server (1.5 s): still plays, within a bound', async () => {
    await setFaults({ rights: { latencyMs: 1500 } });
    await attach();
    const t = performance.now();
    await player.load(CENC.manifest);
    await playedPast(video, 0.2, 10000);
    const elapsed = performance.now() - t;
    expect(elapsed).to.be.above(1400);
    expect(elapsed).to.be.below(10000);
    await done();
  });
});
