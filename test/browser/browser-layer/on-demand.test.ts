// The code only some DRMs need (FairPlay's; Video.js's PlayReady unwrapping) loads with
// import() when detection picks that DRM, before the adapter sees the profile; other
// devices never fetch it. Each test file runs in a page of its own, so the resource
// entries below are this file's only.
import { expect } from 'chai';
import { detectDrmWithItsCode } from '../../../src/browser/detect-with-code.js';
import { contentIdFromSkd, loadFairPlayCode } from '../../../src/browser/fairplay-on-demand.js';
import { onDemand } from '../../../src/browser/on-demand.js';
import { loadPlayReadyCode, playReadyRequest } from '../../../src/videojs/playready-on-demand.js';
import { ClientCode, isExpressPlayError } from '../../../src/core/index.js';
import { createEmeDoubles, modernFairPlayDevice, widevineL1Device } from '../support/eme-doubles.js';

/** Requests this page made for a module whose URL matches `path`. */
const fetched = (path: RegExp): number =>
  performance.getEntriesByType('resource').filter((e) => path.test(new URL(e.name).pathname)).length;
const FAIRPLAY_CHUNK = /\/browser\/fairplay-code\.(js|ts)$/;
const PLAYREADY_CHUNK = /\/videojs\/playready\.(js|ts)$/;

const playReadyDevice = () => ({
  keySystems: {
    'com.microsoft.playready.recommendation': {
      videoRobustness: ['2000', '150'],
      audioRobustness: ['2000', '150'],
      encryptionSchemes: ['cenc'],
      initDataTypes: ['cenc'],
      sessionTypes: ['temporary'] as MediaKeySessionType[],
      hdcp: 'no-api',
    },
  },
});

describe('code loaded on demand', () => {
  it('ClearKey (the real engine) and Widevine fetch neither FairPlay nor PlayReady code', async () => {
    const clearKey = await detectDrmWithItsCode(
      { includeClearKey: true, preference: ['clearkey'], refresh: true, probeTimeoutMs: 600_000 },
      undefined,
      { playready: loadPlayReadyCode },
    );
    expect(clearKey.preferred?.drm).to.equal('clearkey');
    const { environment } = createEmeDoubles(widevineL1Device());
    const widevine = await detectDrmWithItsCode({ environment, refresh: true }, undefined, {
      playready: loadPlayReadyCode,
    });
    expect(widevine.preferred?.drm).to.equal('widevine');
    expect(fetched(FAIRPLAY_CHUNK), 'FairPlay chunk').to.equal(0);
    expect(fetched(PLAYREADY_CHUNK), 'PlayReady chunk').to.equal(0);
    // FairPlay's synchronous helpers say so rather than answer wrongly.
    expect(() => contentIdFromSkd('skd://asset-1')).to.throw(/before it was loaded/);
  });

  it('FairPlay chosen: its code is loaded once, before the profile is answered', async () => {
    const { environment } = createEmeDoubles(modernFairPlayDevice());
    const profile = await detectDrmWithItsCode({ environment, refresh: true });
    expect(profile.preferred?.drm).to.equal('fairplay');
    // Synchronous use right away, as Shaka's initDataTransform and contrib-eme's getContentId do.
    expect(contentIdFromSkd('skd://asset-1')).to.equal('asset-1');
    await detectDrmWithItsCode({ environment, refresh: true });
    await loadFairPlayCode();
    expect(fetched(FAIRPLAY_CHUNK)).to.equal(1);
  });

  it('PlayReady chosen with an adapter prefetch: started with the profile, not waited for', async () => {
    const { environment } = createEmeDoubles(playReadyDevice());
    let started = 0;
    const never = () => {
      started++;
      return new Promise<never>(() => undefined);
    };
    const profile = await detectDrmWithItsCode({ environment, refresh: true }, undefined, { playready: never });
    expect(profile.preferred?.drm).to.equal('playready');
    expect(started).to.equal(1);
    // Not started for a DRM that was not chosen.
    await detectDrmWithItsCode(
      { environment: createEmeDoubles(widevineL1Device()).environment, refresh: true },
      undefined,
      {
        playready: never,
      },
    );
    expect(started).to.equal(1);
  });

  it('PlayReady: the prefetched code serves playReadyRequest, fetched once', async () => {
    const { environment } = createEmeDoubles(playReadyDevice());
    await detectDrmWithItsCode({ environment, refresh: true }, undefined, { playready: loadPlayReadyCode });
    // A message that is not PlayReady's XML envelope is sent as it is.
    const raw = new Uint8Array([1, 2, 3, 4]);
    expect((await playReadyRequest(raw)).body).to.deep.equal(raw);
    expect(fetched(PLAYREADY_CHUNK)).to.equal(1);
  });

  it('a chunk that cannot be fetched: -9010 with the cause, and the next load tries again', async () => {
    let attempts = 0;
    const module = onDemand(
      'fairplay',
      () => {
        attempts++;
        return attempts === 1
          ? Promise.reject(new TypeError('Failed to fetch dynamically imported module'))
          : Promise.resolve({ answer: 42 });
      },
      'fairplay',
    );
    const error: unknown = await module.load().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isExpressPlayError(error) && error.code).to.equal(ClientCode.NETWORK);
    expect(isExpressPlayError(error) && error.drm).to.equal('fairplay');
    expect((error as Error).cause).to.be.instanceOf(TypeError);
    expect(() => module.get()).to.throw(/before it was loaded/);
    expect((await module.load()).answer).to.equal(42);
    expect(module.get().answer).to.equal(42);
    expect(attempts).to.equal(2);
  });
});
