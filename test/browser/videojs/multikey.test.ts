// Multi-key content through the Video.js plugin (VHS + contrib-eme), end to end:
// audio, SD and HD video under three keys, one token per key, each ClearKey
// license request sent to the token for the key ids it names; a refused key named
// in the typed error; one session asking for two keys fails typed (-9045); a forced
// SD→HD switch fetches the HD key's token once: when its session starts (pssh in the
// init segments), or at load (pssh in the manifest) and never again at the switch.
import { expect } from 'chai';
import { emulatorStats, testConfig } from '../support/page.js';
import { waitFor } from '../support/helpers.js';
import { KID, decodedAudioBytes, expectOneTokenPerKey, playsToEnd, videoFrames } from '../support/multikey.js';
import { createPlayer, recordEvents, tokenOptions, useVideoJsFixture, type TestPlayer } from './helpers.js';
import type { ExpressPlayError } from '../../../src/core/index.js';
import type { ExpressPlayEvent } from '../../../src/browser/types/events.js';

const INBAND = '/test/media/multikey-dash/manifest-inband.mpd';
const DASH = '/test/media/multikey-dash/manifest.mpd';

/** VHS 3.17's debounce of fastQualityChange_ (PlaylistController). */
const VHS_QUALITY_SWITCH_DEBOUNCE_MS = 100;

/** A rendition as VHS's representations API (`tech.vhs.representations()`) lists it. */
interface VhsRepresentation {
  height: number;
  enabled(enable?: boolean): boolean;
}

interface VhsTech {
  vhs?: { playlists: { on(type: string, fn: () => void): void }; representations?: () => VhsRepresentation[] };
  on(type: string, fn: () => void): void;
}

/** VHS's renditions, once its representations API is there (after the manifest). */
async function representations(player: TestPlayer): Promise<() => VhsRepresentation[]> {
  const tech = player.tech(true) as unknown as VhsTech;
  await waitFor(() => (tech.vhs?.representations?.().length ?? 0) > 0, 15000, 'VHS representations');
  return () => tech.vhs!.representations!();
}

/** Plays only the renditions of this height (the others disabled), as an app's quality menu does. */
function playOnly(reps: VhsRepresentation[], height: number): void {
  // The wanted one first: VHS switches when a rendition is enabled, not when one is disabled.
  for (const r of reps) if (r.height === height) r.enabled(true);
  for (const r of reps) if (r.height !== height) r.enabled(false);
}

/**
 * Switches to the renditions of this height just after playback crosses a segment
 * boundary (the streams have 1 s segments). VHS's fast quality switch empties the buffer
 * and refills it from the segment at the playhead once the new playlist is in; when
 * playback has crossed the next boundary by then, Chromium's video stays frozen on its
 * last frame while audio plays on to the end (seen in about one run in eight, with or
 * without a new key: VHS and Chromium, not DRM). Just after a boundary VHS has most of a
 * segment's time to refill.
 */
async function switchAfterBoundary(player: TestPlayer, reps: VhsRepresentation[], height: number): Promise<void> {
  const video = player.tech(true).el();
  const boundary = Math.floor(video.currentTime) + 1;
  await waitFor(() => video.currentTime >= boundary, 15000, `playback past ${boundary} s`);
  playOnly(reps, height);
}

/** A fetch whose answers to token requests for `kid` wait for `until`. */
function holdingBackTokenFor(kid: string, until: Promise<unknown>): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (new URL(url).searchParams.get('kids') === kid) await until;
    return res;
  };
}

/**
 * Resolves once the plugin reports `kid` usable (expressplay:keystatus). Its listener on the
 * tech's 'keystatuschange' runs before VHS's (added at setTech, VHS's at sourceopen), and
 * the promise settles after that dispatch: by then VHS has taken the status in too.
 */
function keyUsable(player: TestPlayer, kid: string): Promise<void> {
  return new Promise((resolve) => {
    (player.on as (t: string, fn: (e: unknown, data: ExpressPlayEvent) => void) => void)(
      'expressplay:keystatus',
      (_e, data) => {
        if (data.keyStatus?.keyId === kid && data.keyStatus.status === 'usable') resolve();
      },
    );
  });
}

/**
 * Records when VHS last armed its debounced quality switch: a 'keystatuschange' on the
 * tech, and from the first one on, 'loadedplaylist' on its main playlist loader (where
 * VHS listens from then on). The returned wait resolves once a timer set past that
 * switch's deadline has fired (timers run in deadline order) with nothing new armed.
 */
function trackVhsQualitySwitch(player: TestPlayer): () => Promise<void> {
  const tech = player.tech(true) as unknown as VhsTech;
  let armedAt = -Infinity;
  let watchingPlaylists = false;
  const armed = () => void (armedAt = performance.now());
  tech.on('keystatuschange', () => {
    armed();
    if (watchingPlaylists || !tech.vhs) return;
    watchingPlaylists = true;
    tech.vhs.playlists.on('loadedplaylist', armed);
  });
  return async () => {
    for (let seen = NaN; seen !== armedAt;) {
      seen = armedAt;
      const wait = Math.max(0, seen + VHS_QUALITY_SWITCH_DEBOUNCE_MS - performance.now()) + 20;
      await new Promise((r) => setTimeout(r, wait));
    }
  };
}

function load(player: TestPlayer, src: string, contentId = 'multikey-dash'): void {
  player.src({ src, type: 'application/dash+xml', expressplay: { contentId } });
  void player.play()?.catch(() => undefined);
}

describe('Video.js plugin: multi-key content (one token per key)', function () {
  this.timeout(40000);
  // VHS 3.17 runs a quality switch 100 ms (debounced) after each key status change, and
  // after each 'loadedplaylist' that follows one (excludeNonUsableThenChangePlaylist_),
  // and its dispose does not cancel that timer: a player disposed within those 100 ms gets
  // switchMedia_ on its disposed tech, an uncaught "Invalid target for _#trigger" (the
  // refused-key test, about one run in three: the audio key turns usable just before the
  // SD refusal ends the test). Any app disposing then meets the same; these tests dispose
  // each player only once VHS's debounced switch has run. This hook is registered before
  // the fixture's, so it runs first.
  const players: { player: TestPlayer; vhsQuiet(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const { player, vhsQuiet } of players.splice(0)) {
      await vhsQuiet();
      if (!player.isDisposed()) player.dispose();
    }
  });
  useVideoJsFixture();
  const newPlayer = async (): Promise<TestPlayer> => {
    const player = await createPlayer();
    players.push({ player, vhsQuiet: trackVhsQualitySwitch(player) });
    return player;
  };

  it('decrypts audio and video under different keys, each license with the token for its own key; no token for a key never played', async () => {
    const player = await newPlayer();
    const events = recordEvents(player);
    player.expressplay(await tokenOptions());
    load(player, INBAND);
    const video = player.tech(true).el();
    await playsToEnd(video);
    expect(player.error()).to.equal(null);
    expect(videoFrames(video), 'video frames decoded').to.be.greaterThan(24);
    const audio = decodedAudioBytes(video);
    if (audio !== undefined) expect(audio, 'decoded audio bytes (Chromium)').to.be.greaterThan(0);
    // Sessions open from each init segment's pssh: the rendition VHS picked (by player size) and the audio.
    const stats = await emulatorStats();
    const kids = Object.keys(stats.tokensByKid);
    expect(kids.sort(), 'the audio key and the played video key').to.deep.equal(
      [KID.audio, video.videoHeight === 360 ? KID.hd : KID.sd].sort(),
    );
    expectOneTokenPerKey(stats, kids);
    const licenses = events.filter((e) => e.type === 'expressplay:license');
    expect(
      licenses.every((e) => e.kids?.length === 1),
      'each license event names its key',
    ).to.equal(true);
    expect(events.filter((e) => e.type === 'expressplay:error')).to.have.length(0);
  });

  it('a refused key surfaces a typed error naming that key', async () => {
    const player = await newPlayer();
    const events = recordEvents(player);
    const { tokenEndpointUrl } = await testConfig();
    const options = await tokenOptions();
    player.expressplay({
      ...options,
      token: { ...options.token!, endpoint: `${tokenEndpointUrl}?refuseKids=${KID.sd}` },
    });
    load(player, INBAND);
    await waitFor(() => player.error() !== null, 15000, 'the player error');
    const typed = player.error()!.expressplay as ExpressPlayError;
    expect(typed.httpStatus).to.equal(403);
    expect(typed.message).to.include(KID.sd);
    const reported = events.find((e) => e.type === 'expressplay:error');
    expect(reported?.kids).to.deep.equal([KID.sd]);
    expect((await emulatorStats()).tokensByKid[KID.sd], 'no token for the refused key').to.equal(undefined);
  });

  it('one session asking for two keys fails typed -9045, naming both, without a token', async () => {
    const player = await newPlayer();
    const events = recordEvents(player);
    player.expressplay(await tokenOptions());
    load(player, '/test/media/multikey-onepssh/manifest.mpd', 'multikey-onepssh');
    await waitFor(() => player.error() !== null, 15000, 'the player error');
    const typed = player.error()!.expressplay as ExpressPlayError;
    expect(typed.code).to.equal(-9045);
    expect(typed.message).to.include(KID.audio).and.include(KID.sd);
    expect(events.find((e) => e.type === 'expressplay:error')?.kids).to.deep.equal([KID.audio, KID.sd].sort());
    expect((await emulatorStats()).tokensByKid, 'no token minted').to.deep.equal({});
  });

  // The late-key path: with pssh only in the init segments, the HD key's session starts
  // when the HD init segment is appended, after the switch. VHS 3.17 switches only to a
  // rendition whose key is 'usable' (excludeNonUsablePlaylistsByKeyId_), with one way out:
  // when a key status arrives while no video rendition's key is usable, it re-admits every
  // rendition under 720 lines for good (its failsafe). The audio key's status comes first
  // in most runs, so HD (360 lines) stays selectable; the SD key's token is held back
  // until then to make that order certain. A rendition of 720 lines or more gets no such
  // failsafe: VHS never switches to it unless the manifest carries its pssh (next test).
  it('a forced SD→HD switch (pssh in the init segments) gets the HD key its token when its session starts, once', async () => {
    const player = await newPlayer();
    const events = recordEvents(player);
    const options = await tokenOptions();
    const sdTokenAfterAudioKey = holdingBackTokenFor(KID.sd, keyUsable(player, KID.audio));
    player.expressplay({ ...options, token: { ...options.token!, fetch: sdTokenAfterAudioKey } });
    player.src({ src: INBAND, type: 'application/dash+xml', expressplay: { contentId: 'multikey-dash' } });
    const reps = await representations(player);
    playOnly(reps(), 240);
    void player.play()?.catch(() => undefined);
    const video = player.tech(true).el();
    await waitFor(() => video.currentTime > 0.5 && video.videoHeight === 240, 15000, 'SD playback');
    expect((await emulatorStats()).tokensByKid, 'before the switch: no token for the HD key').to.deep.equal({
      [KID.audio]: 1,
      [KID.sd]: 1,
    });

    const switchedAt = performance.now();
    const framesAtSwitch = videoFrames(video);
    await switchAfterBoundary(player, reps(), 360);
    await waitFor(() => video.videoHeight === 360, 15000, 'HD frames');
    await playsToEnd(video);
    expect(player.error()).to.equal(null);
    expect(videoFrames(video), 'video frames decoded after the switch').to.be.greaterThan(framesAtSwitch + 24);
    expectOneTokenPerKey(await emulatorStats(), [KID.audio, KID.sd, KID.hd]);
    const hdToken = events.filter((e) => e.type === 'expressplay:token' && e.kids?.[0] === KID.hd);
    expect(hdToken, 'one expressplay:token for the HD key').to.have.length(1);
    expect(hdToken[0]!.time, 'the HD token fetched after the switch').to.be.greaterThan(switchedAt);
    expect(events.filter((e) => e.type === 'expressplay:error')).to.have.length(0);
  });

  // With the manifest's pssh VHS opens every key's session at load (its early EME
  // initialisation), each with its own token: HD's key is usable before anything plays,
  // so VHS may switch to HD whatever its height, and the switch asks for nothing more.
  it("with every track's pssh in the manifest: a session per key at load, one token each; a forced SD→HD switch asks for no other", async () => {
    const player = await newPlayer();
    const events = recordEvents(player);
    const hdUsable = keyUsable(player, KID.hd);
    player.expressplay(await tokenOptions());
    player.src({ src: DASH, type: 'application/dash+xml', expressplay: { contentId: 'multikey-dash' } });
    const reps = await representations(player);
    playOnly(reps(), 240);
    void player.play()?.catch(() => undefined);
    const video = player.tech(true).el();
    await waitFor(() => video.currentTime > 0.5 && video.videoHeight === 240, 15000, 'SD playback');
    // Its session opened at load; VHS switches to HD only once it knows the key usable.
    await hdUsable;
    const atLoad = await emulatorStats();
    expectOneTokenPerKey(atLoad, [KID.audio, KID.sd, KID.hd]);

    const framesAtSwitch = videoFrames(video);
    await switchAfterBoundary(player, reps(), 360);
    await waitFor(() => video.videoHeight === 360, 15000, 'HD frames');
    await playsToEnd(video);
    expect(player.error()).to.equal(null);
    expect(videoFrames(video), 'video frames decoded after the switch').to.be.greaterThan(framesAtSwitch + 24);
    const after = await emulatorStats();
    expect(after.tokensByKid, 'no token asked for at the switch').to.deep.equal(atLoad.tokensByKid);
    expect(after.licensesByKid, 'no license asked for at the switch').to.deep.equal(atLoad.licensesByKid);
    expect(events.filter((e) => e.type === 'expressplay:error')).to.have.length(0);
  });
});
