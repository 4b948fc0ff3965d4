// Failure paths of the Shaka adapter against the real emulator: a token that
// stays refused, a token endpoint that refuses the authenticator, and detach
// while the token request is still in flight.
import { expect } from 'chai';
import type shaka from 'shaka-player';
import { attachExpressPlay, expressPlayErrorOf, type ShakaExpressPlay } from '../../../src/shaka/index.js';
import { emulatorStats, resetEmulator, setFaults, testConfig } from '../support/page.js';
import { collectEvents, counts, fetches, firstError, loadShaka, newVideo, sleep, streamIdOf } from './helpers.js';

describe('Shaka adapter: failures', function () {
  this.timeout(30000);
  let ns: typeof shaka;
  let player: shaka.Player | undefined;
  let ep: ShakaExpressPlay | undefined;
  let video: HTMLVideoElement;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: PromiseRejectionEvent) => unhandled.push(e.reason);

  before(async () => {
    ns = await loadShaka();
    window.addEventListener('unhandledrejection', onUnhandled);
  });
  after(() => window.removeEventListener('unhandledrejection', onUnhandled));
  beforeEach(async () => {
    unhandled.length = 0;
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

  it('fails a token refused twice (-4010) with the typed error, after one refresh and no retry storm', async () => {
    await setFaults({ rights: { failRate: 1, status: 401, code: -4010 } });
    const events = collectEvents(player!);
    await attach();
    const before = fetches.length;
    const load = player!.load('/test/media/cenc-h264/manifest.mpd');
    const error = (await firstError(player!, load)) as shaka.util.Error;
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
    const events = collectEvents(player!);
    await attach();
    const before = fetches.length;
    const load = player!.load('/test/media/cenc-h264/manifest.mpd');
    const error = await firstError(player!, load);
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
    const stats = (await emulatorStats()) as { tokensIssued: { widevine: number } };
    expect(stats.tokensIssued.widevine).to.equal(0);
    expect(events.filter((e) => e.type === 'expressplay:error').map((e) => e.error?.code)).to.deep.equal([-2018]);
    expect(unhandled).to.deep.equal([]);
  });

  it('detach + destroy during a pending token request leaves no request running and no unhandled rejection', async () => {
    await setFaults({ token: { latencyMs: 3000 } });
    const handle = await attach();
    const { tokenEndpointUrl } = await testConfig();
    const before = fetches.length;
    const load = player!.load('/test/media/cenc-h264/manifest.mpd').catch((e: unknown) => e);
    // Wait until the token request is on the wire.
    for (let i = 0; i < 100 && !fetches.slice(before).some((f) => f.url.startsWith(tokenEndpointUrl)); i++) await sleep(10);
    const token = fetches.slice(before).find((f) => f.url.startsWith(tokenEndpointUrl));
    expect(token, "token request started at load()").to.not.equal(undefined);
    expect(token!.endedAt).to.equal(undefined);
    handle.detach();
    await player!.destroy();
    player = undefined;
    await load;
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
});
