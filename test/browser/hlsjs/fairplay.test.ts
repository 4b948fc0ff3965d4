// FairPlay through hls.js's own FairPlay support on the modern EME double (Chromium
// has no FairPlay): the real skd:// playlist, the real token endpoint and the
// emulator's FairPlay rights route (stand-in CKC). Proves: the certificate fetched
// once per page and handed to setServerCertificate, the content id taken from the
// skd URI, the SPC POSTed as octet-stream to the fp rights URL, the CKC unwrapped
// into update().
import { expect } from 'chai';
import type Hls from 'hls.js';
import type { ExpressPlayEvent } from '../../../src/index.js';
import { attachExpressPlay } from '../../../src/hlsjs/index.js';
import {
  createEmeDoubles,
  modernFairPlayDevice,
  routeKeySystemsToDoubles,
  type DoubleEnvironment,
} from '../support/eme-doubles.js';
import { emulatorStats, loadScript, resetEmulator, testConfig } from '../support/page.js';
import { sleep } from '../support/helpers.js';

const CERT_URL = new URL('../shaka/fairplay-test.cer', import.meta.url).href;

/** Safari's 'sinf' initData for the first sinf box of an init segment. */
async function sinfInitData(initSegmentUrl: string): Promise<ArrayBuffer> {
  const mp4 = new Uint8Array(await (await fetch(initSegmentUrl)).arrayBuffer());
  const at = mp4.findIndex(
    (_b, i) => mp4[i] === 0x73 && mp4[i + 1] === 0x69 && mp4[i + 2] === 0x6e && mp4[i + 3] === 0x66,
  ); // 'sinf'
  const start = at - 4;
  const size = new DataView(mp4.buffer, start, 4).getUint32(0);
  const box = mp4.subarray(start + 8, start + size); // the children (frma, schm, schi), as hls.js parses them
  return new TextEncoder().encode(JSON.stringify({ sinf: [btoa(String.fromCharCode(...box))] })).buffer as ArrayBuffer;
}

async function waitForMediaKeys(video: HTMLVideoElement): Promise<void> {
  for (let i = 0; i < 400 && !video.mediaKeys; i++) await sleep(25);
}

describe('hls.js adapter: FairPlay (modern EME double)', function () {
  this.timeout(30000);
  let doubles: DoubleEnvironment;
  let hls: Hls | undefined;
  const spc: Array<{ url: string; contentType: string | null; body: Uint8Array }> = [];
  const realFetch = window.fetch;

  before(async () => {
    doubles = createEmeDoubles(modernFairPlayDevice());
    routeKeySystemsToDoubles(doubles, ['com.apple.fps']);
    await loadScript('/node_modules/hls.js/dist/hls.min.js');
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (/\/hms\/fp\/rights\//.test(url) && init?.body instanceof Uint8Array)
        spc.push({
          url,
          contentType: new Headers(init.headers).get('content-type'),
          body: (init.body as Uint8Array).slice(),
        });
      return realFetch.call(window, input, init);
    };
    await resetEmulator();
  });
  after(() => {
    window.fetch = realFetch;
    hls?.destroy();
  });

  it('certificate once, content id from skd://, SPC as octet-stream to the fp rights URL, CKC unwrapped into update()', async () => {
    const { tokenEndpointUrl } = await testConfig();
    const video = document.createElement('video');
    video.muted = true;
    document.body.appendChild(video);
    doubles.install(video);
    const HlsClass = (window as unknown as { Hls: typeof Hls }).Hls;
    hls = new HlsClass();
    const events: ExpressPlayEvent[] = [];
    for (const type of ['expressplay:token', 'expressplay:license', 'expressplay:error']) {
      (hls as unknown as { on(t: string, f: (n: string, e: ExpressPlayEvent) => void): void }).on(type, (_n, e) =>
        events.push(e),
      );
    }
    const ep = await attachExpressPlay(hls, {
      token: { endpoint: tokenEndpointUrl, allowedRightsHosts: ['127.0.0.1'], preconnect: false },
      detect: { preference: ['fairplay'], environment: doubles.environment, refresh: true },
      fairplay: { certificate: CERT_URL },
    });
    expect(ep.support.drm).to.equal('fairplay');
    hls.attachMedia(video);
    hls.loadSource('/test/media/fairplay-hls/master.m3u8');
    // Safari fires `encrypted` with 'sinf' initData ({"sinf":[base64 sinf box]}) for FairPlay fMP4;
    // Chromium does not know FairPlay, so the test does, with the init segment's own sinf box.
    await waitForMediaKeys(video);
    video.dispatchEvent(
      new MediaEncryptedEvent('encrypted', {
        initDataType: 'sinf',
        initData: await sinfInitData('/test/media/fairplay-hls/video/init.mp4'),
      }),
    );
    for (let i = 0; i < 400 && doubles.log.updates.length === 0; i++) await sleep(25);

    const certLoads = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
      (e) => e.name === CERT_URL,
    );
    expect(certLoads, 'certificate fetched once').to.have.length(1);
    expect(doubles.log.certificates.length, 'setServerCertificate called').to.be.at.least(1);
    const cert = new Uint8Array(await (await realFetch(CERT_URL)).arrayBuffer());
    expect([...doubles.log.certificates[0]!]).to.deep.equal([...cert]);

    expect(spc.length, 'one SPC request').to.equal(1);
    expect(spc[0]!.contentType).to.equal('application/octet-stream');
    expect(spc[0]!.url).to.match(/ExpressPlayToken=/);
    const session = doubles.log.sessions[0]!;
    expect([...spc[0]!.body], 'the SPC the CDM produced').to.deep.equal([...session.challenge!]);

    expect(doubles.log.updates, 'CKC delivered to update()').to.have.length(1);
    const ckc = doubles.log.updates[0]!;
    expect(new TextDecoder().decode(ckc.subarray(0, 4)), 'stand-in CKC magic (unwrapped)').to.equal('EPCK');

    const stats = await emulatorStats();
    expect(stats.tokensIssued.fairplay, 'one FairPlay token').to.equal(1);
    expect(stats.licensesServed.fairplay).to.equal(1);
    const license = events.find((e) => e.type === 'expressplay:license');
    expect(license?.contentId, 'content id from skd://fairplay-hls').to.equal('fairplay-hls');
    expect(events.filter((e) => e.type === 'expressplay:error')).to.deep.equal([]);
    ep.detach();
  });
});
