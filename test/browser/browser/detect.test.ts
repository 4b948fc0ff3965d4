// detectDrm against Chromium's real EME, then against scripted devices.
import { expect } from 'chai';
import { detectDrm } from '../../../src/browser/index.js';
import { createEmeDoubles, hdcp1OnlyDevice, legacyWebKitFairPlayDevice, modernFairPlayDevice, widevineL1Device } from '../support/eme-doubles.js';

describe('detectDrm in real headless Chromium', () => {
  it('finds ClearKey and asserts Widevine, PlayReady and FairPlay absent', async () => {
    // Asserted, not assumed: the probe really asks requestMediaKeySystemAccess.
    const real = navigator.requestMediaKeySystemAccess.bind(navigator);
    for (const ks of ['com.widevine.alpha', 'com.microsoft.playready.recommendation', 'com.apple.fps']) {
      let failed = false;
      await real(ks, [{ videoCapabilities: [{ contentType: 'video/mp4; codecs="avc1.42E01E"' }] }]).catch(() => (failed = true));
      expect(failed, ks).to.equal(true);
    }
    const profile = await detectDrm({ includeClearKey: true, refresh: true });
    expect(profile.widevine.supported).to.equal(false);
    expect(profile.playready.supported).to.equal(false);
    expect(profile.fairplay.supported).to.equal(false);
    expect(profile.clearkey?.supported).to.equal(true);
    expect(profile.clearkey?.keySystem).to.equal('org.w3.clearkey');
    expect(profile.clearkey?.api).to.equal('eme');
    expect(profile.clearkey?.sessionTypes).to.include('temporary');
    // Chromium honours encryptionScheme and supports both schemes for ClearKey.
    expect(profile.clearkey?.encryptionSchemesSource).to.equal('probed');
    expect(profile.clearkey?.encryptionSchemes).to.include.members(['cenc', 'cbcs']);
    expect(profile.preferred?.drm).to.equal('clearkey');
    // Chromium's ClearKey CDM implements getStatusForPolicy and answers 'usable' up to 2.3.
    expect(profile.clearkey?.hdcp).to.equal(2);
    expect(profile.clearkey?.hdcpVersion).to.equal('2.3');
    expect(profile.durationMs).to.be.a('number');
  });

  it('leaves ClearKey out unless asked, and prefers nothing on this device', async () => {
    const profile = await detectDrm({ refresh: true });
    expect(profile.clearkey).to.equal(undefined);
    expect(profile.preferred).to.equal(undefined);
  });

  it('memoizes per options and re-probes on refresh', async () => {
    const a = detectDrm({ includeClearKey: true });
    const b = detectDrm({ includeClearKey: true });
    expect(a).to.equal(b);
    const c = detectDrm({ includeClearKey: true, refresh: true });
    expect(c).to.not.equal(a);
    expect(detectDrm({ includeClearKey: true })).to.equal(c);
    expect(detectDrm({ includeClearKey: false })).to.not.equal(c);
  });
});

describe('detectDrm against scripted EME devices', () => {
  it('Widevine L1: HW_SECURE_ALL video (5), HW_SECURE_CRYPTO audio (3), HDCP 2, both schemes, persistent sessions', async () => {
    const { environment, log } = createEmeDoubles(widevineL1Device());
    const profile = await detectDrm({ environment });
    const wv = profile.widevine;
    expect(wv.supported).to.equal(true);
    expect(wv.keySystem).to.equal('com.widevine.alpha');
    expect(wv.securityLevel).to.equal(5);
    expect(wv.videoRobustness).to.equal('HW_SECURE_ALL');
    expect(wv.audioSecurityLevel).to.equal(3);
    expect(wv.audioRobustness).to.equal('HW_SECURE_CRYPTO');
    expect(wv.hdcp).to.equal(2);
    expect(wv.hdcpVersion).to.equal('2.2');
    expect(wv.encryptionSchemes).to.deep.equal(['cenc', 'cbcs']);
    expect(wv.encryptionSchemesSource).to.equal('probed');
    expect(wv.sessionTypes).to.deep.equal(['temporary', 'persistent-license']);
    expect(profile.preferred?.drm).to.equal('widevine');
    expect(profile.playready.supported).to.equal(false);
    expect(profile.fairplay.supported).to.equal(false);
    // Efficient: the whole ladder in one capability list, not one call per level.
    const wvCalls = log.accessCalls.filter((c) => c.keySystem === 'com.widevine.alpha');
    expect(wvCalls).to.have.length(2); // capabilities + persistent-license
    const main = wvCalls.find((c) => c.configurations[0]!.sessionTypes!.includes('temporary'))!;
    const robustness = main.configurations[0]!.videoCapabilities!.map((c) => c.robustness);
    expect(robustness).to.include.members(['SW_SECURE_CRYPTO', 'SW_SECURE_DECODE', 'HW_SECURE_CRYPTO', 'HW_SECURE_DECODE', 'HW_SECURE_ALL']);
  });

  it('HDCP 1.x only, L3 and a browser that ignores encryptionScheme', async () => {
    const { environment, log } = createEmeDoubles(hdcp1OnlyDevice());
    const profile = await detectDrm({ environment });
    const wv = profile.widevine;
    expect(wv.supported).to.equal(true);
    expect(wv.securityLevel).to.equal(2);
    expect(wv.audioSecurityLevel).to.equal(1);
    expect(wv.hdcp).to.equal(1);
    expect(wv.hdcpVersion).to.equal('1.4');
    // Decision: a browser that drops the field gets the DRM's baseline, marked as assumed.
    expect(wv.encryptionSchemes).to.deep.equal(['cenc']);
    expect(wv.encryptionSchemesSource).to.equal('assumed');
    expect(wv.sessionTypes).to.deep.equal(['temporary']);
    expect(log.policyCalls).to.include.members(['1.0', '1.4', '2.0', '2.2']);
  });

  it('HDCP: no getStatusForPolicy → unknown; a throwing one → unknown; no HDCP output → 0; hdcp:false skips it', async () => {
    const base = widevineL1Device().keySystems['com.widevine.alpha']!;
    for (const [hdcp, expected] of [['no-api', 'unknown'], ['throws', 'unknown'], ['none', 0]] as const) {
      const { environment } = createEmeDoubles({ keySystems: { 'com.widevine.alpha': { ...base, hdcp } } });
      expect((await detectDrm({ environment })).widevine.hdcp, hdcp).to.equal(expected);
    }
    const { environment, log } = createEmeDoubles(widevineL1Device());
    expect((await detectDrm({ environment, hdcp: false })).widevine.hdcp).to.equal('unknown');
    expect(log.policyCalls).to.have.length(0);
  });

  it('legacy WebKit FairPlay: found through WebKitMediaKeys.isTypeSupported', async () => {
    const { environment } = createEmeDoubles(legacyWebKitFairPlayDevice());
    const profile = await detectDrm({ environment });
    expect(profile.fairplay).to.include({ supported: true, api: 'webkit-legacy', keySystem: 'com.apple.fps.1_0', hdcp: 'unknown' });
    expect(profile.fairplay.encryptionSchemes).to.deep.equal(['cbcs']);
    expect(profile.preferred?.drm).to.equal('fairplay');
  });

  it('modern FairPlay: com.apple.fps through EME, cbcs only', async () => {
    const { environment } = createEmeDoubles(modernFairPlayDevice());
    const profile = await detectDrm({ environment, preference: ['fairplay', 'widevine'] });
    expect(profile.fairplay).to.include({ supported: true, api: 'eme', keySystem: 'com.apple.fps', hdcp: 'unknown' });
    expect(profile.fairplay.encryptionSchemes).to.deep.equal(['cbcs']);
    expect(profile.preferred?.drm).to.equal('fairplay');
  });

  it('PlayReady: SL3000 reported as hardware', async () => {
    const pr = { videoRobustness: ['150', '2000', '3000'], audioRobustness: ['150', '2000'], encryptionSchemes: ['cenc', 'cbcs'], initDataTypes: ['cenc'], sessionTypes: ['temporary'] as MediaKeySessionType[], hdcp: '2.2' };
    const { environment } = createEmeDoubles({ keySystems: { 'com.microsoft.playready.recommendation': pr, 'com.microsoft.playready.recommendation.3000': pr } });
    const profile = await detectDrm({ environment });
    expect(profile.playready).to.include({ supported: true, keySystem: 'com.microsoft.playready.recommendation', hardware: true, videoRobustness: '3000', audioRobustness: '2000', hdcp: 2 });
    expect(profile.preferred?.drm).to.equal('playready');
  });

  it('no EME at all: everything unsupported, nothing preferred, no throw', async () => {
    const environment = {};
    const profile = await detectDrm({ environment, includeClearKey: true });
    for (const s of [profile.widevine, profile.playready, profile.fairplay, profile.clearkey!]) {
      expect(s).to.deep.include({ supported: false, hdcp: 'unknown', encryptionSchemes: [], sessionTypes: [] });
    }
    expect(profile.preferred).to.equal(undefined);
  });

  it('a CDM that never answers is reported unsupported after probeTimeoutMs', async () => {
    const environment = { requestMediaKeySystemAccess: () => new Promise<MediaKeySystemAccess>(() => undefined) };
    const t0 = performance.now();
    const profile = await detectDrm({ environment, probeTimeoutMs: 50 });
    expect(profile.widevine.supported).to.equal(false);
    expect(performance.now() - t0).to.be.below(1000);
  });

  it('honours the preference order', async () => {
    const both = createEmeDoubles({ keySystems: { ...widevineL1Device().keySystems, ...modernFairPlayDevice().keySystems } });
    expect((await detectDrm({ environment: both.environment, preference: ['fairplay', 'widevine'] })).preferred?.drm).to.equal('fairplay');
    expect((await detectDrm({ environment: both.environment })).preferred?.drm).to.equal('widevine');
  });
});
