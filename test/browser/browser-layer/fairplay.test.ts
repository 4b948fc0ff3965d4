// The FairPlay flow through EME test doubles (Chromium has no FairPlay) with the
// emulator's real FairPlay rights endpoint. The doubles play the CDM; the check
// of the CKC's content is this test deliberately playing the back end (it knows
// the test stream's key), to prove the CKC reaching update() is the one for this SPC.
import { expect } from 'chai';
import { bytesToHex, ExpressPlayError, utf8Encode } from '../../../src/core/index.js';
import { concatBytes, utf16leEncode } from '../../../src/core/encoding.js';
import {
  attachFairPlay,
  clearFairPlayCertificateCache,
  createTokenClient,
  requestCkc,
} from '../../../src/browser/index.js';
import type { AttachFairPlayOptions } from '../../../src/browser/types/fairplay.js';
import type { ExpressPlayEvent } from '../../../src/browser/types/events.js';
import type { TokenClient } from '../../../src/browser/types/token-client.js';
import {
  createEmeDoubles,
  legacyWebKitFairPlayDevice,
  modernFairPlayDevice,
  type DoubleKeySystem,
} from '../support/eme-doubles.js';
import { emulatorStats, resetEmulator, setFaults, testConfig } from '../support/page.js';
import { fakeDer } from './fixtures.js';
import { recordingFetch, waitFor } from '../support/helpers.js';

const FP_KEY = '19bf99669a5d30ce5eb89e8201bba542';
const CONTENT = 'fairplay-hls';

/** Reads the emulator's stand-in CKC (layout in src/server/emulator/fairplay-ckc.ts) for this SPC. */
async function keyFromCkc(ckc: Uint8Array, spc: Uint8Array): Promise<string> {
  expect(new TextDecoder().decode(ckc.subarray(0, 4))).to.equal('EPCK');
  const mask = new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(spc)));
  return bytesToHex(ckc.subarray(24, 40).map((b, i) => b ^ mask[i]!));
}

/** A CDM that accepts only the CKC carrying the stream's key for its own SPC. */
const strictCdm: Pick<DoubleKeySystem, 'challenge' | 'acceptLicense'> = {
  challenge: (_type, initData) => utf8Encode(`SPC|${Math.random()}|${initData.length}`),
  acceptLicense: async (ckc, session) => {
    const s = session as unknown as { challenge?: Uint8Array; spc?: Uint8Array };
    const key = await keyFromCkc(ckc, (s.challenge ?? s.spc)!);
    if (key !== FP_KEY) throw new Error('wrong key in CKC');
    return [new Uint8Array(16).fill(1)];
  },
};

/** Waits until `cond` holds (5 s at most). */
const until = (cond: () => boolean): Promise<unknown> => waitFor(cond, 5000);

function encrypted(video: HTMLMediaElement, initDataType: string, initData: Uint8Array): void {
  video.dispatchEvent(new MediaEncryptedEvent('encrypted', { initDataType, initData: initData.slice().buffer }));
}

function needKey(video: HTMLMediaElement, initData: Uint8Array): void {
  const ev = new Event('webkitneedkey');
  Object.defineProperty(ev, 'initData', { value: initData });
  video.dispatchEvent(ev);
}

function legacyLength(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, bytes.length, true);
  return out;
}

/** Legacy skd initData: u32le length + the skd URI in UTF-16LE (also the layout of the content id that follows it). */
function legacySkdInitData(skd: string): Uint8Array {
  const text = utf16leEncode(skd);
  const out = new Uint8Array(4 + text.length);
  new DataView(out.buffer).setUint32(0, text.length, true);
  out.set(text, 4);
  return out;
}

describe('FairPlay through EME doubles and the emulator', () => {
  let emulatorUrl: string;
  let client: TokenClient;
  let certUrl: string;
  const cert = fakeDer(700);
  const cleanup: Array<() => void> = [];

  before(async () => {
    ({ emulatorUrl } = await testConfig());
    certUrl = URL.createObjectURL(new Blob([cert as BlobPart]));
  });
  beforeEach(async () => {
    clearFairPlayCertificateCache();
    await resetEmulator();
    const { tokenEndpointUrl } = await testConfig();
    client = createTokenClient({ endpoint: tokenEndpointUrl, allowedRightsHosts: ['127.0.0.1'] });
  });
  afterEach(async () => {
    cleanup.splice(0).forEach((c) => c());
    client.dispose();
    await resetEmulator();
  });

  /** attachFairPlay on `video`, which the doubles equip, through their environment; detached after the test. */
  function attachWithDoubles(
    video: HTMLVideoElement,
    doubles: ReturnType<typeof createEmeDoubles>,
    options: Omit<AttachFairPlayOptions, 'environment'>,
  ): void {
    doubles.install(video);
    const a = attachFairPlay(video, { ...options, environment: doubles.environment });
    cleanup.push(() => a.detach());
  }

  it('modern EME: certificate once, SPC as octet-stream to the rights URL, CKC into update()', async () => {
    const doubles = createEmeDoubles(modernFairPlayDevice(strictCdm));
    const { fetch, calls: sent } = recordingFetch();
    const events: ExpressPlayEvent[] = [];
    const videos = [document.createElement('video'), document.createElement('video')];
    for (const video of videos) {
      attachWithDoubles(video, doubles, {
        certificate: certUrl,
        tokenClient: client,
        fetch,
        onEvent: (e) => events.push(e),
        onError: (e) => events.push({ type: 'expressplay:error', time: 0, error: e }),
      });
    }
    const initData = utf8Encode(`skd://${CONTENT}`);
    encrypted(videos[0]!, 'skd', initData);
    encrypted(videos[0]!, 'skd', initData); // Safari repeats itself: one session only
    encrypted(videos[1]!, 'skd', initData);
    await until(
      () =>
        events.filter((e) => e.type === 'expressplay:keystatus').length >= 2 ||
        events.some((e) => e.type === 'expressplay:error'),
    );
    expect(events.filter((e) => e.type === 'expressplay:error')).to.deep.equal([]);

    // One certificate fetch for both players; each MediaKeys got it.
    expect(sent.filter((s) => s.url === certUrl)).to.have.length(1);
    expect(doubles.log.certificates).to.have.length(2);
    expect([...doubles.log.certificates[0]!]).to.deep.equal([...cert]);
    expect(doubles.log.sessions).to.have.length(2);

    const rights = sent.filter((s) => s.url.includes('/hms/fp/rights/'));
    expect(rights).to.have.length(2);
    for (const [i, r] of rights.entries()) {
      expect(r.url.startsWith(`${emulatorUrl}/hms/fp/rights/?ExpressPlayToken=`)).to.equal(true);
      expect(r.method).to.equal('POST');
      expect(r.headers.get('content-type')).to.equal('application/octet-stream');
      const session = doubles.log.sessions.find((s) => bytesToHex(s.challenge!) === bytesToHex(r.bytes!));
      expect(session, `SPC ${i} came from a session`).to.not.equal(undefined);
    }
    // The CKC delivered to update() carries the key, bound to that session's SPC.
    expect(doubles.log.updates).to.have.length(2);
    for (const s of doubles.log.sessions) expect(s.keyStatuses.size).to.equal(1);
    // The two sessions' CKCs may arrive in either order: each must carry the key for one of them.
    for (const ckc of doubles.log.updates) {
      const keys = await Promise.all(doubles.log.sessions.map((s) => keyFromCkc(ckc, s.challenge!)));
      expect(keys, "the CKC carries the key, bound to one session's SPC").to.include(FP_KEY);
    }
    // One token for the content (cache), events redacted.
    const licenses = events.filter((e) => e.type === 'expressplay:license');
    expect(licenses).to.have.length(2);
    expect(licenses[0]!.rightsUrl).to.contain('[redacted]');
    // Both players asked at once: one shared token fetch.
    expect(licenses.map((l) => l.source)).to.deep.equal(['endpoint', 'endpoint']);
    expect((await emulatorStats()).tokensIssued.fairplay).to.equal(1);
    expect(events.find((e) => e.type === 'expressplay:keystatus')?.keyStatus).to.deep.equal({
      keyId: '01'.repeat(16),
      status: 'usable',
    });
  });

  it('legacy WebKit: concatenated initData, webkitkeymessage → CKC → update', async () => {
    const doubles = createEmeDoubles(legacyWebKitFairPlayDevice(strictCdm));
    const { fetch, calls: sent } = recordingFetch();
    const events: ExpressPlayEvent[] = [];
    const errors: ExpressPlayError[] = [];
    const video = document.createElement('video');
    attachWithDoubles(video, doubles, {
      certificate: certUrl,
      tokenClient: client,
      fetch,
      onEvent: (e) => events.push(e),
      onError: (e) => errors.push(e),
    });
    const initData = legacySkdInitData(`skd://${CONTENT}`);
    needKey(video, initData);
    await until(() => events.some((e) => e.type === 'expressplay:keystatus') || errors.length > 0);
    expect(errors).to.deep.equal([]);
    expect(doubles.log.legacyInitData).to.have.length(1);
    // The layout Shaka, videojs-contrib-eme and Apple's sample give the legacy CDM: Safari's own
    // webkitneedkey initData ([u32le len][skd UTF-16LE]) as delivered, then the id and the certificate.
    expect(bytesToHex(doubles.log.legacyInitData[0]!)).to.equal(
      bytesToHex(concatBytes(initData, legacySkdInitData(CONTENT), legacyLength(cert), cert)),
    );
    const session = doubles.log.legacySessions[0]!;
    const post = sent.find((s) => s.url.includes('/hms/fp/rights/'))!;
    expect(post.headers.get('content-type')).to.equal('application/octet-stream');
    expect(bytesToHex(post.bytes!)).to.equal(bytesToHex(session.spc));
    expect(await keyFromCkc(doubles.log.updates[0]!, session.spc)).to.equal(FP_KEY);
  });

  it('uses the rights URL carried by the skd URI (no token request), within the allowlist only', async () => {
    const rightsUrl = (await client.getRightsUrl({ drm: 'fairplay', contentId: CONTENT })).rightsUrl;
    const skd = `skd://${rightsUrl.replace(/^http:\/\//, '')}`;
    for (const allowedRightsHosts of [['127.0.0.1'], undefined]) {
      clearFairPlayCertificateCache();
      const doubles = createEmeDoubles(modernFairPlayDevice(strictCdm));
      const { fetch, calls: sent } = recordingFetch();
      const errors: ExpressPlayError[] = [];
      const video = document.createElement('video');
      attachWithDoubles(video, doubles, {
        certificate: cert,
        fetch,
        contentIdStrategy: () => CONTENT,
        onError: (e) => errors.push(e),
        ...(allowedRightsHosts ? { allowedRightsHosts } : {}),
      });
      encrypted(video, 'skd', utf8Encode(skd));
      if (allowedRightsHosts) {
        await until(() => doubles.log.updates.length === 1);
        expect(sent.map((s) => s.url)).to.deep.equal([rightsUrl]);
        expect(errors).to.deep.equal([]);
      } else {
        // The default allowlist is ExpressPlay's hosts: a playlist cannot send the SPC elsewhere.
        await until(() => errors.length === 1);
        expect(errors[0]!.code).to.equal(-9021);
        expect(sent).to.have.length(0);
      }
    }
  });

  it('a refused token is refreshed once, then the typed error is reported (no loop)', async () => {
    await setFaults({ forceExpiry: 'all' });
    const doubles = createEmeDoubles(modernFairPlayDevice(strictCdm));
    const { fetch: spy, calls: sent } = recordingFetch();
    const tokenFetches: string[] = [];
    client.dispose();
    const { tokenEndpointUrl } = await testConfig();
    client = createTokenClient({
      endpoint: tokenEndpointUrl,
      allowedRightsHosts: ['127.0.0.1'],
      fetch: ((i: RequestInfo | URL, init?: RequestInit) => (
        tokenFetches.push(String(i)),
        fetch(i, init)
      )) as typeof fetch,
    });
    const errors: ExpressPlayError[] = [];
    const video = document.createElement('video');
    attachWithDoubles(video, doubles, {
      certificate: cert,
      tokenClient: client,
      fetch: spy,
      onError: (e) => errors.push(e),
    });
    encrypted(video, 'skd', utf8Encode(`skd://${CONTENT}`));
    await until(() => errors.length > 0);
    await new Promise((r) => setTimeout(r, 200));
    expect(errors).to.have.length(1);
    expect(errors[0]!.isTokenRejected).to.equal(true);
    expect(errors[0]!.code).to.equal(-4010);
    expect(sent.filter((s) => s.url.includes('/hms/fp/rights/'))).to.have.length(2);
    expect(tokenFetches).to.have.length(2);
    expect(doubles.log.updates).to.have.length(0);
  });

  it('detach removes every listener and aborts the request in flight', async () => {
    await setFaults({ rights: { latencyMs: 1500 } });
    const doubles = createEmeDoubles(modernFairPlayDevice(strictCdm));
    const errors: ExpressPlayError[] = [];
    const video = document.createElement('video');
    doubles.install(video);
    const { fetch: spy, calls: sent } = recordingFetch();
    const a = attachFairPlay(video, {
      certificate: cert,
      tokenClient: client,
      environment: doubles.environment,
      fetch: spy,
      onError: (e) => errors.push(e),
    });
    encrypted(video, 'skd', utf8Encode(`skd://${CONTENT}`));
    await until(() => sent.some((s) => s.url.includes('/hms/fp/rights/')));
    a.detach();
    const calls = doubles.log.accessCalls.length;
    encrypted(video, 'skd', utf8Encode('skd://other'));
    needKey(video, legacySkdInitData('skd://other'));
    await new Promise((r) => setTimeout(r, 100));
    expect(doubles.log.accessCalls.length).to.equal(calls);
    expect(doubles.log.sessions.every((s) => s.isClosed)).to.equal(true);
    expect(doubles.log.updates).to.have.length(0);
    expect(errors).to.deep.equal([]);
  });

  it('requestCkc: CKC from the real rights endpoint; typed error for a bad token', async () => {
    const { rightsUrl } = await client.getRightsUrl({ drm: 'fairplay', contentId: CONTENT });
    const spc = utf8Encode('an SPC');
    const ckc = await requestCkc(rightsUrl, spc);
    expect(await keyFromCkc(ckc, spc)).to.equal(FP_KEY);
    const bad = rightsUrl.replace(/ExpressPlayToken=[^&]+/, 'ExpressPlayToken=bm90LWEtdG9rZW4');
    try {
      await requestCkc(bad, spc);
      expect.fail('should reject');
    } catch (err) {
      expect(err).to.be.instanceOf(ExpressPlayError);
      expect((err as ExpressPlayError).code).to.equal(-4010);
      expect((err as ExpressPlayError).isTokenRejected).to.equal(true);
    }
  });
});
