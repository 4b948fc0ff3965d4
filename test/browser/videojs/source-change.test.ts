// Source changes while something is still on its way: player.src() twice in a row
// before detection has answered, a switch to a source without `expressplay` while the
// first source's token is in flight, and a typed source error that must stay put.
import { expect } from 'chai';
import type { ExpressPlayError } from '../../../src/core/errors.js';
import { setFaults, testConfig } from '../support/page.js';
import { sleep, spyFetch, waitFor } from '../support/helpers.js';
import { createPlayer, useVideoJsFixture, tokenOptions, type TestPlayer } from './helpers.js';

const A = {
  src: '/test/media/cenc-h264/manifest.mpd',
  type: 'application/dash+xml',
  expressplay: { contentId: 'cenc-h264' },
};
const B = {
  src: '/test/media/cbcs-vp9/manifest.mpd',
  type: 'application/dash+xml',
  expressplay: { contentId: 'cbcs-vp9' },
};
/** A source the plugin must leave alone (no `expressplay` field). */
const PLAIN = { src: '/test/media/cbcs-vp9/manifest.mpd?plain', type: 'application/dash+xml' };

/** Detection that takes `ms` (a fresh, unmemoized environment), so src() can run before it answers. */
function slowDetection(ms: number) {
  return {
    includeClearKey: true,
    environment: {
      requestMediaKeySystemAccess: (ks: string, cfg: MediaKeySystemConfiguration[]) =>
        sleep(ms).then(() => navigator.requestMediaKeySystemAccess(ks, cfg)),
    },
  };
}

describe('Video.js plugin: source changes', () => {
  let player: TestPlayer | undefined;
  const fixture = useVideoJsFixture();

  it('src(A) then src(plain B) before detection answers: B stays the source, no token for A', async function () {
    this.timeout(20000);
    const cfg = await testConfig();
    const spy = spyFetch();
    try {
      player = await createPlayer();
      player.expressplay({ ...(await tokenOptions()), detect: slowDetection(300) });
      player.src(A);
      player.src(PLAIN);
      await sleep(1500); // detection has answered; A's late setSource must not win
      expect(player.currentSource().src).to.contain('?plain');
      expect(player.currentSource().keySystems).to.equal(undefined);
      expect(
        spy.calls.filter((c) => c.url.startsWith(cfg.tokenEndpointUrl)).map((c) => c.url),
        'token requests',
      ).to.deep.equal([]);
      expect(fixture.unhandled).to.deep.equal([]);
    } finally {
      spy.restore();
    }
  });

  it('src(A) then src(B) before detection answers: only B gets a token and keySystems', async function () {
    this.timeout(20000);
    const cfg = await testConfig();
    const spy = spyFetch();
    try {
      player = await createPlayer();
      player.expressplay({ ...(await tokenOptions()), detect: slowDetection(300) });
      player.src(A);
      player.src(B);
      await waitFor(() => player!.currentSource().keySystems, 5000, 'keySystems of B');
      await sleep(500);
      expect(player.currentSource().src).to.contain('cbcs-vp9');
      const tokens = spy.calls.filter((c) => c.url.startsWith(cfg.tokenEndpointUrl)).map((c) => c.url);
      expect(
        tokens.some((u) => u.includes('contentId=cenc-h264')),
        `token requests: ${tokens.join(' ')}`,
      ).to.equal(false);
      expect(tokens.filter((u) => u.includes('contentId=cbcs-vp9'))).to.have.length(1);
      expect(fixture.unhandled).to.deep.equal([]);
    } finally {
      spy.restore();
    }
  });

  it("A's token in flight, then a plain source: A's token request is aborted", async function () {
    this.timeout(30000);
    const cfg = await testConfig();
    await setFaults({ token: { latencyMs: 3000 } });
    const spy = spyFetch();
    try {
      player = await createPlayer();
      player.expressplay(await tokenOptions());
      player.src(A);
      // The token request starts once detection has answered: seconds on a loaded machine
      // (Firefox), while the emulator holds each token answer for 3 s.
      const tokenCall = await waitFor(
        () => spy.calls.find((c) => c.url.startsWith(cfg.tokenEndpointUrl)),
        15000,
        'the token request',
      );
      expect(tokenCall.outcome).to.equal('pending');
      player.src(PLAIN);
      await waitFor(() => tokenCall.outcome !== 'pending', 1000, "A's token request to end");
      expect(tokenCall.outcome).to.equal('failed');
      expect((tokenCall.error as Error).name).to.equal('AbortError');
      expect(fixture.unhandled).to.deep.equal([]);
    } finally {
      spy.restore();
    }
  });

  it('a source refused with a typed error (-9030) keeps that error: the source is not loaded and does not clear it', async function () {
    this.timeout(20000);
    player = await createPlayer();
    player.expressplay({ ...(await tokenOptions()), drm: 'widevine' });
    player.src(A);
    await waitFor(() => player!.error(), 10000, 'player.error()');
    await sleep(2000); // room for a loadstart that would reset player.error()
    const err = player.error();
    expect(err, 'player.error() after 2 s').to.not.equal(null);
    expect((err!.expressplay as ExpressPlayError).code).to.equal(-9030);
  });
});
