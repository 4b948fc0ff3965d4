// FairPlay through dash.js 5.2's own FairPlay support (com.apple.fps, standard EME)
// on the modern EME double (the test browsers have no FairPlay): a DASH MPD over the
// FairPlay stream's cbcs segments signalled with the FairPlay system id, the real
// token endpoint and the emulator's FairPlay rights route (stand-in CKC). Proves: the
// certificate fetched once per page and handed to setServerCertificate through
// dash.js's protection data, the SPC POSTed as octet-stream to the fp rights URL with
// the token of the app's content id, the CKC unwrapped into update(). dash.js 5.0 has
// no FairPlay key system (no com.apple.fps in its build): 5.2 only.
import { expect } from 'chai';
import type { MediaPlayerClass } from 'dashjs';
import type { ExpressPlayEvent } from '../../../src/index.js';
import { attachExpressPlay, expressPlayErrorOf, type DashExpressPlay } from '../../../src/dashjs/index.js';
import {
  createEmeDoubles,
  modernFairPlayDevice,
  routeKeySystemsToDoubles,
  type DoubleEnvironment,
  type DoubleSession,
} from '../support/eme-doubles.js';
import { emulatorStats, loadScript, resetEmulator, testConfig, total } from '../support/page.js';
import { newVideo, sleep, spyFetch, waitFor } from '../support/helpers.js';

const FAIRPLAY = 'com.apple.fps';
const CONTENT_ID = 'fairplay-hls';
const MANIFEST = `/test/media/${CONTENT_ID}/manifest.mpd`;
/** test/media/streams.json's key id of the stream (the MPD's cenc:default_KID). */
const STREAM_KID = '0171a925eecb61c1c7a0c20e3f31daed';
const CERT_URL = new URL('../shaka/fairplay-test.cer', import.meta.url).href;
type DashNamespace = { MediaPlayer(): { create(): MediaPlayerClass } };
type ProtectionDataArg = Parameters<MediaPlayerClass['setProtectionData']>[0];

/** Safari's 'sinf' initData for the first sinf box of an init segment. */
async function sinfInitData(initSegmentUrl: string): Promise<ArrayBuffer> {
  const mp4 = new Uint8Array(await (await fetch(initSegmentUrl)).arrayBuffer());
  const at = mp4.findIndex(
    (_b, i) => mp4[i] === 0x73 && mp4[i + 1] === 0x69 && mp4[i + 2] === 0x6e && mp4[i + 3] === 0x66,
  ); // 'sinf'
  const start = at - 4;
  const size = new DataView(mp4.buffer, start, 4).getUint32(0);
  const box = mp4.subarray(start, start + size);
  return new TextEncoder().encode(JSON.stringify({ sinf: [btoa(String.fromCharCode(...box))] })).buffer as ArrayBuffer;
}

/** The certificate's bytes, read under another URL so that the page's loads of CERT_URL stay the library's. */
async function certificateBytes(): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(`${CERT_URL}?test-reads-it`)).arrayBuffer());
}

/** The key id a 'sinf' initData asks for: the default_KID of the sinf box's tenc, 12 bytes after its fourcc. */
function kidOfSinf(initData: Uint8Array): Uint8Array {
  const { sinf } = JSON.parse(new TextDecoder().decode(initData)) as { sinf: string[] };
  const box = Uint8Array.from(atob(sinf[0]!), (c) => c.charCodeAt(0));
  const tenc = box.findIndex((_b, i) => String.fromCharCode(...box.subarray(i, i + 4)) === 'tenc');
  if (tenc < 0) throw new Error('no tenc in the sinf initData');
  return box.slice(tenc + 12, tenc + 28);
}

/**
 * The FairPlay CDM's answer to update(): a stand-in CKC makes the key the session
 * asked for usable (dash.js checks the key status of the MPD's default_KID);
 * anything else is refused.
 */
function acceptCkc(license: Uint8Array, session: DoubleSession): Uint8Array[] {
  if (new TextDecoder().decode(license.subarray(0, 4)) !== 'EPCK') throw new TypeError('not a CKC');
  return [kidOfSinf(session.initData!)];
}

const toHex = (b: BufferSource) =>
  [...new Uint8Array(ArrayBuffer.isView(b) ? b.buffer : b)].map((x) => x.toString(16).padStart(2, '0')).join('');

const certLoads = () =>
  (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.name === CERT_URL);

describe('dash.js 5.2 adapter: FairPlay (modern EME double)', function () {
  this.timeout(30000);
  let dashjs: DashNamespace;
  let doubles: DoubleEnvironment;
  let unroute: (() => void) | undefined;
  const players: MediaPlayerClass[] = [];
  const handles: DashExpressPlay[] = [];
  const videos: HTMLVideoElement[] = [];
  let spy: ReturnType<typeof spyFetch> | undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: PromiseRejectionEvent) => unhandled.push(e.reason);

  before(async () => {
    doubles = createEmeDoubles(modernFairPlayDevice({ acceptLicense: acceptCkc }));
    unroute = routeKeySystemsToDoubles(doubles, [FAIRPLAY]);
    await loadScript('/node_modules/dashjs/dist/modern/umd/dash.all.min.js');
    dashjs = (window as unknown as { dashjs: DashNamespace }).dashjs;
    window.addEventListener('unhandledrejection', onUnhandled);
    await resetEmulator();
  });
  after(async () => {
    spy?.restore();
    for (const ep of handles) ep.detach();
    for (const p of players) p.destroy();
    for (const v of videos) v.remove();
    window.removeEventListener('unhandledrejection', onUnhandled);
    unroute?.();
    await resetEmulator();
  });

  /** A dash.js player on a fresh <video> using the doubles, its `setProtectionData` calls recorded. */
  function createPlayer(): { player: MediaPlayerClass; video: HTMLVideoElement; protectionData: ProtectionDataArg[] } {
    const video = newVideo();
    doubles.install(video);
    const player = dashjs.MediaPlayer().create();
    player.updateSettings({ debug: { logLevel: 0 } });
    player.initialize(video, undefined, false);
    const protectionData: ProtectionDataArg[] = [];
    const setProtectionData = player.setProtectionData.bind(player);
    player.setProtectionData = (data) => {
      protectionData.push(data);
      setProtectionData(data);
    };
    players.push(player);
    videos.push(video);
    return { player, video, protectionData };
  }

  async function attach(player: MediaPlayerClass): Promise<DashExpressPlay> {
    const { tokenEndpointUrl } = await testConfig();
    const ep = await attachExpressPlay(player, {
      token: { endpoint: tokenEndpointUrl, allowedRightsHosts: ['127.0.0.1'], preconnect: false },
      contentId: CONTENT_ID,
      detect: { preference: ['fairplay'], environment: doubles.environment, refresh: true },
      fairplay: { certificate: CERT_URL },
    });
    handles.push(ep);
    return ep;
  }

  it('certificate once into setServerCertificate, SPC as octet-stream to the fp rights URL with the content token, CKC unwrapped into update()', async () => {
    const { tokenEndpointUrl, emulatorUrl } = await testConfig();
    unhandled.length = 0;
    spy = spyFetch();
    const { player, video, protectionData } = createPlayer();
    const events: ExpressPlayEvent[] = [];
    for (const type of ['expressplay:token', 'expressplay:license', 'expressplay:error'])
      player.on(type, (e: ExpressPlayEvent) => events.push(e));
    const playerErrors: unknown[] = [];
    player.on('error', (e: { error?: unknown }) => playerErrors.push(expressPlayErrorOf(e) ?? e.error));

    const ep = await attach(player);
    expect(ep.support.drm).to.equal('fairplay');
    expect(ep.support.keySystem).to.equal(FAIRPLAY);
    const cert = await certificateBytes();
    expect(protectionData, 'protection data set once').to.have.length(1);
    expect(Object.keys(protectionData[0]!)).to.deep.equal([FAIRPLAY]);
    const certBase64 = btoa(String.fromCharCode(...cert));
    expect(protectionData[0]![FAIRPLAY]!.serverCertificate, 'the certificate in the protection data').to.equal(
      certBase64,
    );

    player.attachSource(MANIFEST);
    // dash.js selects com.apple.fps from the MPD's FairPlay ContentProtection and sets its MediaKeys.
    await waitFor(() => video.mediaKeys, 10000, 'the double MediaKeys on the element');
    // Safari fires `encrypted` with 'sinf' initData ({"sinf":[base64 sinf box]}) for FairPlay fMP4;
    // the test browsers do not know FairPlay, so the test does, with the init segment's own sinf box.
    video.dispatchEvent(
      new MediaEncryptedEvent('encrypted', {
        initDataType: 'sinf',
        initData: await sinfInitData(`/test/media/${CONTENT_ID}/video/init.mp4`),
      }),
    );
    await waitFor(() => doubles.log.updates.length > 0 || playerErrors.length > 0, 10000, 'update() or an error');
    await sleep(1000); // a second license request would show up now

    const access = doubles.log.accessCalls.filter((c) => c.keySystem === FAIRPLAY);
    expect(access.length, "dash.js's requestMediaKeySystemAccess for com.apple.fps").to.be.greaterThan(1); // detection's, then dash.js's
    expect(certLoads(), 'certificate fetched once').to.have.length(1);
    expect(doubles.log.certificates.length, 'setServerCertificate called').to.be.at.least(1);
    expect([...doubles.log.certificates[0]!], 'the certificate, as fetched').to.deep.equal([...cert]);

    const tokens = spy.calls.filter((c) => c.url.startsWith(tokenEndpointUrl));
    expect(tokens, 'one token request').to.have.length(1);
    const q = new URL(tokens[0]!.url).searchParams;
    expect(q.get('drm')).to.equal('fairplay');
    expect(q.get('contentId')).to.equal(CONTENT_ID);

    expect(doubles.log.sessions, 'one session').to.have.length(1);
    const session = doubles.log.sessions[0]!;
    expect(session.initDataType).to.equal('sinf');
    const spc = spy.calls.filter((c) => c.url.startsWith(`${emulatorUrl}/hms/fp/rights/`));
    expect(spc, 'one SPC request').to.have.length(1);
    expect(spc[0]!.method).to.equal('POST');
    expect(spc[0]!.url).to.match(/\/hms\/fp\/rights\/\?ExpressPlayToken=/);
    expect(spc[0]!.headers.get('content-type')).to.equal('application/octet-stream');
    expect([...spc[0]!.bytes!], 'the SPC the CDM produced').to.deep.equal([...session.challenge!]);

    expect(doubles.log.updates, 'CKC delivered to update()').to.have.length(1);
    const ckc = doubles.log.updates[0]!;
    expect(new TextDecoder().decode(ckc.subarray(0, 4)), 'stand-in CKC magic (unwrapped)').to.equal('EPCK');
    const usable = [...session.keyStatuses].map(([kid, status]) => [toHex(kid), status]);
    expect(usable, "the stream's key usable").to.deep.equal([[STREAM_KID, 'usable']]);

    const stats = await emulatorStats();
    expect(stats.tokensIssued.fairplay, 'one FairPlay token').to.equal(1);
    expect(total(stats.tokensIssued)).to.equal(1);
    expect(stats.licensesServed.fairplay).to.equal(1);
    const license = events.find((e) => e.type === 'expressplay:license');
    expect(license?.contentId).to.equal(CONTENT_ID);
    expect(events.filter((e) => e.type === 'expressplay:error')).to.deep.equal([]);
    expect(playerErrors, "dash.js's error event").to.deep.equal([]);
    expect(unhandled).to.deep.equal([]);
  });

  it('a second player on the page gets the same certificate without fetching it again', async () => {
    const { player, protectionData } = createPlayer();
    const ep = await attach(player);
    expect(ep.support.drm).to.equal('fairplay');
    const cert = await certificateBytes();
    expect(protectionData[0]![FAIRPLAY]!.serverCertificate).to.equal(btoa(String.fromCharCode(...cert)));
    expect(certLoads(), 'certificate fetched once per page').to.have.length(1);
  });
});
