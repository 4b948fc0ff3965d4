// Failure paths of the Shaka adapter against the real emulator: a token that
// stays refused, a token endpoint that refuses the authenticator, and detach
// while the token request is still in flight.
import { expect } from 'chai';
import type shaka from 'shaka-player';
import { expressPlayErrorOf } from '../../../src/shaka/index.js';
import { emulatorStats, setFaults, testConfig } from '../support/page.js';
import { sleep } from '../support/helpers.js';
import { collectEvents, counts, fetches, firstError, streamIdOf, usePlayerFixture } from './helpers.js';

describe('Shaka adapter: failures', function () {
  this.timeout(30000);
  const fx = usePlayerFixture();
  const attach = () => fx.attach();
  const unhandled = fx.unhandled;

  it('fails a token refused twice (-4010) with the typed error, after one refresh and no retry storm', async () => {
    await setFaults({ rights: { failRate: 1, status: 401, code: -4010 } });
    const events = collectEvents(fx.player);
    await attach();
    const before = fetches.length;
    const load = fx.player.load('/test/media/cenc-h264/manifest.mpd');
    const error = (await firstError(fx.player, load)) as shaka.util.Error;
    await sleep(3000); // anything still retrying would show up now
    const typed = expressPlayErrorOf(error);
    expect(typed, `typed error in ${JSON.stringify(error)}`).to.not.equal(undefined);
    expect(typed!.code).to.equal(-4010);
    expect(typed!.httpStatus).to.equal(401);
    const c = await counts(before);
    console.log(`persistent -4010: ${JSON.stringify(c)}`);
    expect(c.token, 'token requests: load + one refresh').to.equal(2);
    expect(c.license, 'license requests: first + one retry').to.equal(2);
    expect(c.pending).to.equal(0);
    const errors = events.filter((e) => e.type === 'expressplay:error');
    expect(errors.map((e) => e.error?.code)).to.include(-4010);
    expect(unhandled).to.deep.equal([]);
  });

  it('fails a token endpoint refusal (-2018 / 401) with the typed error and no license request', async () => {
    await setFaults({ token: { failRate: 1, status: 401, code: -2018 } });
    const events = collectEvents(fx.player);
    await attach();
    const before = fetches.length;
    const load = fx.player.load('/test/media/cenc-h264/manifest.mpd');
    const error = await firstError(fx.player, load);
    await sleep(2000);
    const typed = expressPlayErrorOf(error);
    expect(typed, `typed error in ${JSON.stringify(error)}`).to.not.equal(undefined);
    expect(typed!.code).to.equal(-2018);
    expect(typed!.httpStatus).to.equal(401);
    const c = await counts(before);
    console.log(`token -2018: ${JSON.stringify(c)}`);
    expect(c.token, 'one token request: a 401 is not retried').to.equal(1);
    expect(c.license).to.equal(0);
    expect(c.pending).to.equal(0);
    const stats = await emulatorStats();
    expect(stats.tokensIssued.widevine).to.equal(0);
    expect(events.filter((e) => e.type === 'expressplay:error').map((e) => e.error?.code)).to.deep.equal([-2018]);
    expect(unhandled).to.deep.equal([]);
  });

  it('detach + destroy during a pending token request leaves no request running and no unhandled rejection', async () => {
    await setFaults({ token: { latencyMs: 3000 } });
    const handle = await attach();
    const { tokenEndpointUrl } = await testConfig();
    const before = fetches.length;
    const load = fx.player.load('/test/media/cenc-h264/manifest.mpd').catch((e: unknown) => e);
    // Wait until the token request is on the wire.
    for (let i = 0; i < 100 && !fetches.slice(before).some((f) => f.url.startsWith(tokenEndpointUrl)); i++)
      await sleep(10);
    const token = fetches.slice(before).find((f) => f.url.startsWith(tokenEndpointUrl));
    expect(token, 'token request started at load()').to.not.equal(undefined);
    expect(token!.endedAt).to.equal(undefined);
    handle.detach();
    await fx.destroyPlayer();
    // Shaka 5.2.12 can leave a load() it was destroyed in the middle of pending for
    // good (seen on a loaded machine, with or without the adapter): wait for it only
    // a bounded time — what this test checks is what our code leaves behind.
    await Promise.race([load, sleep(2000)]);
    await sleep(50);
    expect(token!.failed, 'token request aborted').to.equal(true);
    expect((await counts(before)).pending, 'requests still running').to.equal(0);
    await sleep(3500); // past the token latency: nothing may surface late
    const c = await counts(before);
    console.log(`detach during token: ${JSON.stringify(c)}`);
    expect(c.pending).to.equal(0);
    expect(c.license).to.equal(0);
    expect(c.token).to.equal(1);
    expect(unhandled).to.deep.equal([]);
  });

  it("a contentId function that throws fails that load with a typed -9001 and never sends the previous content's token", async () => {
    let calls = 0;
    const events = collectEvents(fx.player);
    await fx.attach({
      contentId: (uri) => {
        if (calls++ > 0) throw new Error(`no id for ${uri}`);
        return streamIdOf(uri);
      },
    });
    const start = fetches.length;
    await fx.player.load('/test/media/cenc-h264/manifest.mpd');
    for (let i = 0; i < 250 && (await counts(start)).license === 0; i++) await sleep(20);
    expect((await counts(start)).license, 'first content licensed').to.be.greaterThan(0);
    const before = fetches.length;
    const load = fx.player.load('/test/media/cbcs-vp9/manifest.mpd');
    const error = await firstError(fx.player, load);
    await sleep(500);
    const typed = expressPlayErrorOf(error);
    expect(typed, `typed error in ${JSON.stringify(error)}`).to.not.equal(undefined);
    expect(typed!.code).to.equal(-9001);
    const c = await counts(before);
    expect(c.license, "no license request (cenc-h264's token for cbcs-vp9)").to.equal(0);
    expect(c.token).to.equal(0);
    expect(events.filter((e) => e.type === 'expressplay:error').map((e) => e.error?.code)).to.include(-9001);
    expect(unhandled).to.deep.equal([]);
  });
});
