// The key system the Video.js adapter gives contrib-eme is the one detection found:
// contrib-eme asks requestMediaKeySystemAccess with the `keySystems` entry's name as it
// is, so a name detection never granted (PlayReady's older `com.microsoft.playready` where
// detection granted the recommendation key system) would be asked of the CDM untested.
// Without a name from detection, the adapter's default is detection's first probe.
import { expect } from 'chai';
import { detectDrm } from '../../../src/browser/index.js';
import type { DrmProfile, KeySystemSupport } from '../../../src/browser/types/detection.js';
import type { EmeEnvironment } from '../../../src/browser/types/environment.js';
import type { Drm } from '../../../src/core/errors.js';
import { keySystemFor } from '../../../src/videojs/key-system.js';
import { createEmeDoubles, routeKeySystemsToDoubles, type DoubleKeySystem } from '../support/eme-doubles.js';
import { createPlayer, recordEvents, tokenOptions, useVideoJsFixture } from './helpers.js';
import { waitFor } from '../support/helpers.js';

const DRMS: readonly Drm[] = ['widevine', 'playready', 'fairplay', 'clearkey'];

/** Scripted EME granting every key system asked (and, with `webkit`, every legacy WebKit one). */
function grantingEverything(webkit: boolean): { environment: EmeEnvironment; asked: string[] } {
  const asked: string[] = [];
  const environment: EmeEnvironment = {
    requestMediaKeySystemAccess: async (keySystem, configurations) => {
      asked.push(keySystem);
      const c = configurations[0]!;
      return {
        keySystem,
        getConfiguration: () => c,
        createMediaKeys: () => Promise.reject(new Error('not needed')),
      } as unknown as MediaKeySystemAccess;
    },
  };
  if (webkit) {
    environment.requestMediaKeySystemAccess = undefined;
    environment.WebKitMediaKeys = class {
      static isTypeSupported(): boolean {
        return true;
      }
    } as unknown as EmeEnvironment['WebKitMediaKeys'];
  }
  return { environment, asked };
}

const PLAYREADY_DOUBLE: DoubleKeySystem = {
  videoRobustness: ['150', '2000'],
  audioRobustness: ['150', '2000'],
  encryptionSchemes: ['cenc'],
  initDataTypes: ['cenc'],
  sessionTypes: ['temporary'],
  hdcp: '1.4',
};

describe('Video.js plugin: key system given to contrib-eme', () => {
  const fx = useVideoJsFixture();
  let unroute: (() => void) | undefined;
  afterEach(() => {
    unroute?.();
    unroute = undefined;
  });

  it('is the one detection found, for every DRM; without one, detection’s first choice for the DRM', async () => {
    const { environment } = grantingEverything(false);
    for (const drm of DRMS) {
      // Detection answers once the preferred DRM is known: each DRM preferred in turn.
      const profile = await detectDrm({ environment, includeClearKey: true, hdcp: false, preference: [drm] });
      const support = profile[drm]!;
      expect(support.supported, drm).to.equal(true);
      expect(keySystemFor(support), drm).to.equal(support.keySystem);
      const { keySystem: _found, ...unnamed } = support;
      expect(keySystemFor(unnamed as KeySystemSupport), `${drm} without a name`).to.equal(support.keySystem);
      if (drm === 'playready') expect(support.keySystem).to.equal('com.microsoft.playready.recommendation');
    }
  });

  it('legacy WebKit FairPlay: com.apple.fps.1_0, detection’s first legacy choice and the only one contrib-eme reads', async () => {
    const { environment } = grantingEverything(true);
    const profile = await detectDrm({ environment, hdcp: false });
    expect(profile.fairplay).to.include({ supported: true, api: 'webkit-legacy', keySystem: 'com.apple.fps.1_0' });
    expect(keySystemFor(profile.fairplay)).to.equal('com.apple.fps.1_0');
    // contrib-eme's legacy path reads `keySystems['com.apple.fps.1_0']` whatever detection found.
    expect(keySystemFor({ ...profile.fairplay, keySystem: 'com.apple.fps.2_0' })).to.equal('com.apple.fps.1_0');
  });

  for (const [device, expected] of [
    [['com.microsoft.playready.recommendation', 'com.microsoft.playready'], 'com.microsoft.playready.recommendation'],
    [['com.microsoft.playready'], 'com.microsoft.playready'],
  ] as const) {
    it(`PlayReady device granting ${device.join(' and ')}: the source's keySystems entry and contrib-eme's request are ${expected}`, async function () {
      this.timeout(20000);
      const keySystems: Record<string, DoubleKeySystem> = {};
      for (const ks of device) keySystems[ks] = PLAYREADY_DOUBLE;
      const doubles = createEmeDoubles({ keySystems });
      unroute = routeKeySystemsToDoubles(doubles, [
        'com.microsoft.playready.recommendation',
        'com.microsoft.playready.recommendation.3000',
        'com.microsoft.playready',
      ]);
      const player = await createPlayer();
      doubles.install(player.tech(true).el());
      const events = recordEvents(player);
      player.expressplay({ ...(await tokenOptions()), detect: { refresh: true, preference: ['playready'] } });
      player.src({
        src: '/test/media/cenc-h264/manifest.mpd',
        type: 'application/dash+xml',
        expressplay: { contentId: 'cenc-h264' },
      });
      const detected = await waitFor(() => events.find((e) => e.type === 'expressplay:detected'), 5000, 'detected');
      const playready = (detected.profile as DrmProfile).playready;
      expect(playready.keySystem).to.equal(expected);
      // Detection asks every key system at once, before it answers: what comes later is contrib-eme's.
      const byDetection = doubles.log.accessCalls.length;
      const entries = await waitFor(() => player.currentSource().keySystems, 5000, 'keySystems on the source');
      expect(Object.keys(entries)).to.deep.equal([expected]);
      // contrib-eme asks EME for that name (with detection's robustness, none for the older name) once the init segment's `encrypted` event comes.
      const byContribEme = await waitFor(
        () => doubles.log.accessCalls.length > byDetection && doubles.log.accessCalls.slice(byDetection),
        10000,
        "contrib-eme's requestMediaKeySystemAccess",
      );
      expect(byContribEme.map((c) => c.keySystem)).to.deep.equal(byContribEme.map(() => expected));
      const robustness = byContribEme[0]!.configurations[0]?.videoCapabilities?.map((v) => v.robustness);
      expect(robustness).to.deep.equal([playready.videoRobustness]);
      expect(fx.unhandled).to.deep.equal([]);
    });
  }
});
