// Token trouble, end to end in Chromium: a token that expired is refreshed exactly
// once; a refusal that a fresh token does not cure fails with our typed error and
// no retry storm; dispose during a pending token request stops everything quietly.
import { expect } from 'chai';
import { isExpressPlayError, type ExpressPlayError } from '../../../src/core/errors.js';
import { createTokenClient } from '../../../src/browser/index.js';
import { playedPast, setFaults, testConfig } from '../support/page.js';
import { players } from '../support/players.js';
import { sleep, spyFetch, waitFor } from '../support/helpers.js';
import {
  CENC_SOURCE,
  counts,
  createPlayer,
  playUntilError,
  recordEvents,
  tokenOptions,
  useVideoJsFixture,
  type TestPlayer,
} from './helpers.js';

describe('Video.js plugin: token expiry, refusals, dispose', () => {
  let player: TestPlayer | undefined;
  const fixture = useVideoJsFixture();

  function play(p: TestPlayer) {
    void p.play()?.catch(() => undefined);
  }

  it('recovers from a token that expired before its license request with exactly one refresh (emulator forced expiry)', async function () {
    this.timeout(30000);
    const base = await tokenOptions();
    const client = createTokenClient(base.token!);
    // The token is issued already expired (emulator forceExpiry), and prefetched into the client's cache.
    await setFaults({ forceExpiry: 'issued' });
    const prefetched = await client.prefetch({ drm: 'clearkey', contentId: 'cenc-h264' });
    expect(prefetched?.rightsUrl).to.be.a('string');
    await setFaults({ forceExpiry: 'off' });
    player = await createPlayer();
    const events = recordEvents(player);
    player.expressplay({ tokenClient: client, detect: base.detect });
    player.src(CENC_SOURCE);
    play(player);
    await playedPast(player.tech(true).el(), 1, 20000);
    const c = await counts();
    expect(c, JSON.stringify(c)).to.deep.include({ tokensIssued: 2, rightsRejects: 1, licensesServed: 1 });
    const tokens = events.filter((e) => e.type === 'expressplay:token');
    expect(tokens.map((e) => e.source)).to.deep.equal(['cache', 'endpoint']);
    expect(player.error()).to.equal(null);
    client.dispose();
  });

  it('recovers when the first license request is rejected -4010 (one refresh, one retry)', async function () {
    this.timeout(30000);
    await setFaults({ rights: { failNext: 1, status: 401, code: -4010 } });
    player = await createPlayer();
    const events = recordEvents(player);
    player.expressplay(await tokenOptions());
    player.src(CENC_SOURCE);
    play(player);
    await playedPast(player.tech(true).el(), 1, 20000);
    const c = await counts();
    expect(c, JSON.stringify(c)).to.deep.include({ tokensIssued: 2, rightsRejects: 1, licensesServed: 1 });
    expect(events.filter((e) => e.type === 'expressplay:token')).to.have.length(2);
    expect(events.filter((e) => e.type === 'expressplay:error')).to.have.length(0);
    expect(player.error()).to.equal(null);
  });

  it('fails with the typed -2018 error from the token endpoint, once, with no retry', async function () {
    this.timeout(30000);
    await setFaults({ token: { failRate: 1, status: 401, code: -2018 } });
    const { events, error: err } = await playUntilError(1500); // room for a storm, if there were one
    expect(err.code).to.equal(5);
    expect(isExpressPlayError(err.expressplay)).to.equal(true);
    const ours = err.expressplay as ExpressPlayError;
    expect(ours.code).to.equal(-2018);
    expect(ours.httpStatus).to.equal(401);
    expect(err.metadata).to.include({ errorType: 'expressplay', code: -2018 });
    expect(err.metadata!.expressplay).to.equal(ours);
    // contrib-eme 5.0 reports no metadata of its own (the oldest-players matrix run); later ones do, and it is kept.
    if (players.contribEme !== 'videojs-contrib-eme-5.0')
      expect(err.metadata!.eme, 'contrib-eme metadata kept').to.be.an('object');
    expect(err.message).to.contain('-2018');
    const c = await counts();
    expect(c, JSON.stringify(c)).to.deep.include({
      tokensIssued: 0,
      tokenRejects: 1,
      licensesServed: 0,
      rightsRejects: 0,
    });
    const errors = events.filter((e) => e.type === 'expressplay:error');
    expect(errors.length).to.be.at.least(1);
    expect(errors[0]!.error?.code).to.equal(-2018);
    expect(fixture.unhandled).to.deep.equal([]);
  });

  it('fails with the typed error when the license server refuses every token: one refresh, then stop', async function () {
    this.timeout(30000);
    await setFaults({ rights: { failRate: 1, status: 401, code: -4010 } });
    const { error: err } = await playUntilError(1500);
    expect(err.code).to.equal(5);
    const ours = err.expressplay as ExpressPlayError;
    expect(ours.code).to.equal(-4010);
    expect(ours.isTokenRejected).to.equal(true);
    const c = await counts();
    // One token, one refresh; every license session tried the first and the fresh token once.
    expect(c.tokensIssued, JSON.stringify(c)).to.equal(2);
    expect(c.licensesServed).to.equal(0);
    expect(c.rightsRejects, JSON.stringify(c)).to.equal(2);
    expect(fixture.unhandled).to.deep.equal([]);
  });

  it('dispose during a pending token request aborts it: nothing keeps running, no unhandled rejection', async function () {
    this.timeout(30000);
    const cfg = await testConfig();
    await setFaults({ token: { latencyMs: 3000 } });
    const spy = spyFetch();
    try {
      player = await createPlayer();
      player.expressplay(await tokenOptions());
      player.src(CENC_SOURCE);
      play(player);
      const tokenCall = await waitFor(
        () => spy.calls.find((c) => c.url.startsWith(cfg.tokenEndpointUrl)),
        5000,
        'the token request',
      );
      expect(tokenCall.outcome).to.equal('pending');
      player.dispose();
      player = undefined;
      await waitFor(() => tokenCall.outcome !== 'pending', 500, 'the token request to end');
      expect(tokenCall.outcome).to.equal('failed');
      expect((tokenCall.error as Error).name).to.equal('AbortError');
      const before = spy.calls.length;
      await sleep(3500); // past the token latency
      expect(
        spy.calls.slice(before).map((c) => c.url),
        'requests after dispose',
      ).to.deep.equal([]);
      expect(
        spy.calls.filter((c) => c.outcome === 'pending').map((c) => c.url),
        'still running',
      ).to.deep.equal([]);
      const c = await counts();
      expect(c.licensesServed + c.rightsRejects).to.equal(0);
      expect(fixture.unhandled).to.deep.equal([]);
    } finally {
      spy.restore();
    }
  });

  it('fails with the typed -9030 error when the asked-for DRM is not on this device', async function () {
    this.timeout(15000);
    player = await createPlayer();
    player.expressplay({ ...(await tokenOptions()), drm: 'widevine' });
    player.src(CENC_SOURCE);
    await waitFor(() => player!.error(), 10000, 'player.error()');
    const err = player.error()!;
    expect(err.code).to.equal(5);
    expect((err.expressplay as ExpressPlayError).code).to.equal(-9030);
    const c = await counts();
    expect(c.tokensIssued + c.tokenRejects + c.licensesServed + c.rightsRejects).to.equal(0);
  });
});
