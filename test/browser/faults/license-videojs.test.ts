// Fault matrix, license requests through the Video.js plugin (contrib-eme does the
// EME work): 500 then success, -4010 expired (one refresh), 403 for good, slow
// rights, dispose mid-license. Ends in playback or a typed error on player.error()
// within a bound; dispose leaves no request, timer of ours or unhandled rejection.
import { expect } from 'chai';
import { isExpressPlayError, type ExpressPlayError } from '../../../src/index.js';
import { registerExpressPlay } from '../../../src/videojs/index.js';
import { emulatorStats, loadScript, playedPast, resetEmulator, setFaults, testConfig, total } from '../support/page.js';
import { settle, startScope, type Scope } from './instrument.js';
import { CENC, VP9, expectClean } from './support.js';
import { newVideo, sleep, type VideoJsFn, type VjsTestPlayer } from '../support/helpers.js';

/** Playback past `seconds`, or the player's typed error, whichever first (bounded). */
function outcome(player: VjsTestPlayer, boundMs: number): Promise<{ played: true } | { error: ExpressPlayError }> {
  return new Promise((resolve, reject) => {
    const video = player.tech(true).el();
    playedPast(video, 0.2, boundMs).then(() => resolve({ played: true }), reject);
    player.on('error', () => {
      const e = player.error();
      const typed = e?.expressplay ?? e?.metadata?.expressplay;
      if (isExpressPlayError(typed)) resolve({ error: typed });
      else reject(new Error(`untyped player error ${JSON.stringify(e)}`));
    });
  });
}

describe('fault matrix: license (Video.js plugin)', function () {
  this.timeout(25000);
  let videojs: VideoJsFn;
  let scope: Scope;
  let player: VjsTestPlayer | undefined;

  before(async () => {
    await loadScript('/node_modules/video.js/dist/video.min.js');
    await loadScript('/node_modules/videojs-contrib-eme/dist/videojs-contrib-eme.min.js');
    videojs = (window as unknown as { videojs: VideoJsFn }).videojs;
    videojs.log.level('off');
    registerExpressPlay(videojs);
  });
  beforeEach(async () => {
    await resetEmulator();
    scope = startScope();
  });
  afterEach(async () => {
    player?.dispose();
    player = undefined;
    scope.close();
    await resetEmulator();
  });

  async function start(): Promise<VjsTestPlayer> {
    const { tokenEndpointUrl } = await testConfig();
    const el = newVideo();
    player = videojs(el, { muted: true, preload: 'auto' });
    player.expressplay({
      token: { endpoint: tokenEndpointUrl, allowedRightsHosts: ['127.0.0.1'], preconnect: false },
      detect: { includeClearKey: true },
    });
    player.src({ src: CENC.manifest, type: 'application/dash+xml', expressplay: { contentId: CENC.id } });
    void player.play()?.catch(() => undefined);
    return player;
  }

  async function done(): Promise<void> {
    player!.dispose();
    player = undefined;
    await expectClean(scope);
  }

  it('500 then success: the plugin retries the license request (contrib-eme has no retry) and plays, one token', async () => {
    await setFaults({ rights: { failNext: 1, status: 500 } });
    const result = await outcome(await start(), 10000);
    expect(result, 'playback, not an error').to.not.have.property('error');
    const s = await emulatorStats();
    expect(total(s.tokensIssued)).to.equal(1);
    await done();
  });

  it('500 for good: the typed -9015 (HTTP 500) after 3 attempts, no retry storm', async () => {
    await setFaults({ rights: { failNext: 10, status: 500 } });
    const result = await outcome(await start(), 10000);
    expect(result).to.have.property('error');
    if ('error' in result) {
      expect(result.error.code).to.equal(-9015);
      expect(result.error.httpStatus).to.equal(500);
    }
    const s = await emulatorStats();
    expect(s.rejects.rights, 'three license attempts, not more').to.equal(3);
    expect(total(s.tokensIssued)).to.equal(1);
    await done();
  });

  it('-4010 expired token: exactly one refresh, then playback', async () => {
    await setFaults({ rights: { failNext: 1, status: 401, code: -4010 } });
    const result = await outcome(await start(), 10000);
    expect(result).to.deep.equal({ played: true });
    const s = await emulatorStats();
    expect(total(s.tokensIssued)).to.equal(2);
    expect(s.rejects.rights).to.equal(1);
    await done();
  });

  it('403 for good: typed error (status 403) after one refresh, no retry storm', async () => {
    await setFaults({ rights: { failRate: 1, status: 403 } });
    const result = await outcome(await start(), 10000);
    expect('error' in result && result.error.httpStatus).to.equal(403);
    const at = await emulatorStats();
    await sleep(1500);
    expect((await emulatorStats()).rejects.rights).to.equal(at.rejects.rights);
    expect(at.rejects.rights).to.be.at.most(2);
    expect(total(at.tokensIssued)).to.be.at.most(2);
    await done();
  });

  it('slow rights server (1.5 s): still plays, within a bound', async () => {
    await setFaults({ rights: { latencyMs: 1500 } });
    const t = performance.now();
    expect(await outcome(await start(), 10000)).to.deep.equal({ played: true });
    expect(performance.now() - t).to.be.within(1400, 10000);
    await done();
  });

  it('rapid switching A→B→A: every license request carries a token of its own content; A plays', async () => {
    await setFaults({ token: { latencyMs: 150 } });
    const { tokenEndpointUrl } = await testConfig();
    // Which content each token was issued for, read from the token endpoint's answers.
    const tokenContent = new Map<string, string>();
    const recordingFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const contentId = new URL(String(input instanceof Request ? input.url : input)).searchParams.get('contentId');
      if (res.ok && contentId)
        tokenContent.set(
          new URL(((await res.clone().json()) as { rightsUrl: string }).rightsUrl).searchParams.get(
            'ExpressPlayToken',
          )!,
          contentId,
        );
      return res;
    };
    // The license requests as sent (the plugin's requestLicense uses the page's fetch).
    const licenses: Array<{ token: string; kids: string[] }> = [];
    const pageFetch = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if (/\/hms\/wv\/rights\//.test(url) && init?.body instanceof Uint8Array) {
        licenses.push({
          token: new URL(url).searchParams.get('ExpressPlayToken') ?? '',
          kids: (JSON.parse(new TextDecoder().decode(init.body)) as { kids?: string[] }).kids ?? [],
        });
      }
      return pageFetch(input, init);
    };
    try {
      const el = newVideo();
      player = videojs(el, { muted: true, preload: 'auto' });
      player.expressplay({
        token: {
          endpoint: tokenEndpointUrl,
          allowedRightsHosts: ['127.0.0.1'],
          preconnect: false,
          fetch: recordingFetch,
        },
        detect: { includeClearKey: true },
      });
      const source = (s: { id: string; manifest: string }) => ({
        src: s.manifest,
        type: 'application/dash+xml',
        expressplay: { contentId: s.id },
      });
      player.src(source(CENC));
      await sleep(30);
      player.src(source(VP9));
      await sleep(30);
      player.src(source(CENC));
      void player.play()?.catch(() => undefined);
      expect(await outcome(player, 10000)).to.deep.equal({ played: true });
    } finally {
      window.fetch = pageFetch;
    }
    const kidOf: Record<string, string> = { [CENC.id]: 'hr8M7DchBk1iTyLSWEnIFg', [VP9.id]: 'QWa57V_FxUlLqcPjEqrBTg' };
    expect(licenses.length).to.be.at.least(1);
    for (const l of licenses) {
      const content = tokenContent.get(l.token);
      expect(content, 'token from the endpoint').to.not.equal(undefined);
      expect(
        l.kids.map((k) => k.replace(/=+$/, '')),
        `license for ${content} asks that content's key`,
      ).to.deep.equal([kidOf[content!]]);
    }
    await done();
  });

  it('dispose mid-license: the license request is aborted, nothing left', async () => {
    await setFaults({ rights: { latencyMs: 3000 } });
    await start();
    const end = performance.now() + 5000;
    while (!scope.report().requests.some((r) => /\/hms\/wv\/rights\/$/.test(r.detail)) && performance.now() < end)
      await settle(10);
    expect(
      scope.report().requests.some((r) => /\/hms\/wv\/rights\/$/.test(r.detail)),
      'license request in flight',
    ).to.equal(true);
    const t = performance.now();
    await done();
    expect(performance.now() - t).to.be.below(1000);
  });
});
