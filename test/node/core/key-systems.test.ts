// The key system strings and the DRM ↔ key system mapping, both ways.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Drm } from '../../../src/core/errors.js';
import {
  defaultKeySystem,
  drmOfKeySystem,
  EME_KEY_SYSTEMS,
  KeySystem,
  LEGACY_FAIRPLAY_KEY_SYSTEMS,
} from '../../../src/core/key-systems.js';

const DRMS: readonly Drm[] = ['widevine', 'playready', 'fairplay', 'clearkey'];

describe('key systems', () => {
  it('are the strings EME, WebKit and the players know', () => {
    // Spelled out: a typo here is a key system no browser grants.
    assert.deepEqual(
      { ...KeySystem },
      {
        WIDEVINE: 'com.widevine.alpha',
        PLAYREADY: 'com.microsoft.playready.recommendation',
        PLAYREADY_HARDWARE: 'com.microsoft.playready.recommendation.3000',
        PLAYREADY_LEGACY: 'com.microsoft.playready',
        FAIRPLAY: 'com.apple.fps',
        FAIRPLAY_LEGACY: 'com.apple.fps.1_0',
        FAIRPLAY_LEGACY_2: 'com.apple.fps.2_0',
        CLEARKEY: 'org.w3.clearkey',
      },
    );
    assert.deepEqual([...LEGACY_FAIRPLAY_KEY_SYSTEMS], ['com.apple.fps.1_0', 'com.apple.fps.2_0', 'com.apple.fps']);
  });

  it('DRM → key systems: each DRM default is its first EME key system; PlayReady prefers recommendation', () => {
    assert.deepEqual(Object.keys(EME_KEY_SYSTEMS).sort(), [...DRMS].sort());
    assert.equal(defaultKeySystem('widevine'), 'com.widevine.alpha');
    assert.equal(defaultKeySystem('playready'), 'com.microsoft.playready.recommendation');
    assert.equal(defaultKeySystem('fairplay'), 'com.apple.fps');
    assert.equal(defaultKeySystem('clearkey'), 'org.w3.clearkey');
    assert.deepEqual(EME_KEY_SYSTEMS.playready, [
      'com.microsoft.playready.recommendation',
      'com.microsoft.playready.recommendation.3000',
      'com.microsoft.playready',
    ]);
    for (const drm of DRMS) assert.equal(defaultKeySystem(drm), EME_KEY_SYSTEMS[drm][0]);
  });

  it('key system → DRM: every key system maps back to the DRM that lists it', () => {
    const listed = new Set<string>();
    for (const drm of DRMS) {
      for (const ks of EME_KEY_SYSTEMS[drm]) {
        assert.equal(drmOfKeySystem(ks), drm, ks);
        listed.add(ks);
      }
    }
    for (const ks of LEGACY_FAIRPLAY_KEY_SYSTEMS) {
      assert.equal(drmOfKeySystem(ks), 'fairplay', ks);
      listed.add(ks);
    }
    // No constant is left out of both lists (it would have no DRM to be probed for).
    assert.deepEqual([...listed].sort(), Object.values(KeySystem).sort());
    for (const drm of DRMS) assert.equal(drmOfKeySystem(defaultKeySystem(drm)), drm);
  });

  it("key system → DRM: vendors' suffixed variants are theirs, anything else is no DRM of ours", () => {
    assert.equal(drmOfKeySystem('com.microsoft.playready.hardware'), 'playready');
    assert.equal(drmOfKeySystem('com.microsoft.playready.software'), 'playready');
    assert.equal(drmOfKeySystem('com.apple.fps.3_0'), 'fairplay');
    for (const other of [
      '',
      'com.widevine.alpha.experiment',
      'com.microsoft.playreadyx',
      'com.apple.fpsx',
      'org.w3.clearkey.x',
      'webkit-org.w3.clearkey',
      'COM.WIDEVINE.ALPHA',
    ]) {
      assert.equal(drmOfKeySystem(other), undefined, other);
    }
  });
});
