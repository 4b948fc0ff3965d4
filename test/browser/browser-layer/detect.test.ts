// detectDrm against the engine's real EME (Chromium or Firefox), then against scripted devices.
import { expect } from 'chai';
import { detectDrm } from '../../../src/browser/index.js';
import { engine } from '../support/engine.js';
import { probeHdcp } from '../../../src/browser/hdcp.js';
import {
  createEmeDoubles,
  hdcp1OnlyDevice,
  legacyWebKitFairPlayDevice,
  modernFairPlayDevice,
  widevineL1Device,
} from '../support/eme-doubles.js';

/** Whether the page's own EME grants a key system: false on rejection, or when it has not answered after `ms` (Firefox's Widevine never does). */
async function granted(keySystem: string, ms = 2000): Promise<boolean> {
  const request = navigator
    .requestMediaKeySystemAccess(keySystem, [
      { videoCapabilities: [{ contentType: 'video/mp4; codecs="avc1.42E01E"' }] },
    ])
    .then(
      () => true,
      () => false,
    );
  return Promise.race([request, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
}

describe(`detectDrm in real headless ${engine}`, () => {
  it('finds ClearKey and asserts Widevine, PlayReady and FairPlay absent', async () => {
    // Asserted, not assumed: the probe really asks requestMediaKeySystemAccess.
    for (const ks of ['com.widevine.alpha', 'com.microsoft.playready.recommendation', 'com.apple.fps']) {
      expect(await granted(ks), ks).to.equal(false);
    }
    // The demo's set-up: ClearKey preferred. Firefox's Widevine request never settles;
    // detection must not wait for it (the probe timeout is far beyond the test's own).
    const profile = await detectDrm({
      includeClearKey: true,
      preference: ['clearkey'],
      refresh: true,
      probeTimeoutMs: 600_000,
    });
    expect(profile.widevine.supported).to.equal(false);
    expect(profile.playready.supported).to.equal(false);
    expect(profile.fairplay.supported).to.equal(false);
    expect(profile.clearkey?.supported).to.equal(true);
    expect(profile.clearkey?.keySystem).to.equal('org.w3.clearkey');
    expect(profile.clearkey?.api).to.equal('eme');
    expect(profile.clearkey?.sessionTypes).to.include('temporary');
    // Both engines honour encryptionScheme and support both schemes for ClearKey.
    expect(profile.clearkey?.encryptionSchemesSource).to.equal('probed');
    expect(profile.clearkey?.encryptionSchemes).to.include.members(['cenc', 'cbcs']);
    expect(profile.preferred?.drm).to.equal('clearkey');
    // ClearKey has no output protection: detection does not start its CDM to ask.
    expect(profile.clearkey?.hdcp).to.equal('unknown');
    expect(profile.durationMs).to.be.a('number');
  });

  it('probeHdcp against a real CDM: both ClearKey CDMs implement getStatusForPolicy (usable up to 2.3 in Chromium, 2.1 in Firefox)', async () => {
    const access = await navigator.requestMediaKeySystemAccess('org.w3.clearkey', [
      { initDataTypes: ['cenc'], videoCapabilities: [{ contentType: 'video/mp4; codecs="avc1.42E01E"' }] },
    ]);
    const result = await probeHdcp(await access.createMediaKeys());
    expect(result.hdcp).to.equal(2);
    expect(result.version).to.equal(engine === 'firefox' ? '2.1' : '2.3');
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

/** A device with ClearKey only (what Debian's browsers have). */
function clearKeyDevice() {
  return createEmeDoubles({
    keySystems: {
      'org.w3.clearkey': {
        videoRobustness: [''],
        audioRobustness: [''],
        encryptionSchemes: ['cenc'],
        initDataTypes: ['keyids', 'cenc'],
        sessionTypes: ['temporary'],
        hdcp: '2.2',
      },
    },
  });
}

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
    expect(robustness).to.include.members([
      'SW_SECURE_CRYPTO',
      'SW_SECURE_DECODE',
      'HW_SECURE_CRYPTO',
      'HW_SECURE_DECODE',
      'HW_SECURE_ALL',
    ]);
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
    for (const [hdcp, expected] of [
      ['no-api', 'unknown'],
      ['throws', 'unknown'],
      ['none', 0],
    ] as const) {
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
    expect(profile.fairplay).to.include({
      supported: true,
      api: 'webkit-legacy',
      keySystem: 'com.apple.fps.1_0',
      hdcp: 'unknown',
    });
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
    const pr = {
      videoRobustness: ['150', '2000', '3000'],
      audioRobustness: ['150', '2000'],
      encryptionSchemes: ['cenc', 'cbcs'],
      initDataTypes: ['cenc'],
      sessionTypes: ['temporary'] as MediaKeySessionType[],
      hdcp: '2.2',
    };
    const { environment } = createEmeDoubles({
      keySystems: { 'com.microsoft.playready.recommendation': pr, 'com.microsoft.playready.recommendation.3000': pr },
    });
    const profile = await detectDrm({ environment });
    expect(profile.playready).to.include({
      supported: true,
      keySystem: 'com.microsoft.playready.recommendation',
      hardware: true,
      videoRobustness: '3000',
      audioRobustness: '2000',
      hdcp: 2,
    });
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

  it('answers without waiting for a key system that cannot change the preferred one (Firefox: Widevine never settles)', async () => {
    // Widevine hangs as in Firefox before its CDM is installed; ClearKey is supported.
    const clearkey = clearKeyDevice();
    let hung = 0;
    const environment = {
      requestMediaKeySystemAccess: (ks: string, c: MediaKeySystemConfiguration[]) => {
        if (ks !== 'com.widevine.alpha') return clearkey.environment.requestMediaKeySystemAccess!(ks, c);
        hung++;
        return new Promise<MediaKeySystemAccess>(() => undefined);
      },
    };
    // A probe timeout far beyond the test's own: waiting for Widevine would fail the test.
    const probeTimeoutMs = 600_000;
    const profile = await detectDrm({
      environment,
      includeClearKey: true,
      preference: ['clearkey', 'widevine'],
      probeTimeoutMs,
    });
    expect(hung).to.be.greaterThan(0);
    expect(profile.preferred?.drm).to.equal('clearkey');
    expect(profile.widevine).to.deep.include({ supported: false, pending: true });
    expect(profile.clearkey).to.include({ supported: true });
    expect(profile.clearkey?.pending).to.equal(undefined);
    // PlayReady is not in the preference: rejected or still pending, it is reported unsupported.
    expect(profile.playready.supported).to.equal(false);

    // A DRM not in the preference at all never holds detection either.
    const onlyClearKey = await detectDrm({
      environment,
      includeClearKey: true,
      preference: ['clearkey'],
      probeTimeoutMs,
      refresh: true,
    });
    expect(onlyClearKey.preferred?.drm).to.equal('clearkey');
    expect(onlyClearKey.widevine.pending).to.equal(true);
  });

  it('waits for a pending key system preferred over the supported ones, up to probeTimeoutMs, then reports it unsupported', async () => {
    const clearkey = clearKeyDevice();
    const widevine = createEmeDoubles(widevineL1Device());
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const environment = {
      // Widevine (first in the default preference) answers only when the test opens the gate.
      requestMediaKeySystemAccess: (ks: string, c: MediaKeySystemConfiguration[]) =>
        ks === 'com.widevine.alpha'
          ? gate.then(() => widevine.environment.requestMediaKeySystemAccess!(ks, c))
          : clearkey.environment.requestMediaKeySystemAccess!(ks, c),
    };
    let done = false;
    const detection = detectDrm({ environment, includeClearKey: true, probeTimeoutMs: 600_000 }).then((p) => {
      done = true;
      return p;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(done, 'answered while the preferred Widevine was still pending').to.equal(false);
    release();
    const profile = await detection;
    expect(profile.preferred?.drm).to.equal('widevine');
    expect(profile.widevine.pending).to.equal(undefined);

    // And a preferred key system that never answers is given up on after probeTimeoutMs.
    const hanging = {
      requestMediaKeySystemAccess: (ks: string, c: MediaKeySystemConfiguration[]) =>
        ks === 'com.widevine.alpha'
          ? new Promise<MediaKeySystemAccess>(() => undefined)
          : clearkey.environment.requestMediaKeySystemAccess!(ks, c),
    };
    const late = await detectDrm({ environment: hanging, includeClearKey: true, probeTimeoutMs: 50 });
    expect(late.widevine).to.deep.include({ supported: false });
    expect(late.widevine.pending).to.equal(undefined);
    expect(late.preferred?.drm).to.equal('clearkey');
  });

  it('honours the preference order', async () => {
    const both = createEmeDoubles({
      keySystems: { ...widevineL1Device().keySystems, ...modernFairPlayDevice().keySystems },
    });
    expect(
      (await detectDrm({ environment: both.environment, preference: ['fairplay', 'widevine'] })).preferred?.drm,
    ).to.equal('fairplay');
    expect((await detectDrm({ environment: both.environment })).preferred?.drm).to.equal('widevine');
  });
});
