// What the multi-key tests of both adapters share: the key ids of the multi-key
// streams (public: they are in the manifests as default_KID; the keys stay on the
// Node side) and cross-engine checks that audio and video really decrypt.
import { expect } from 'chai';
import type { EmulatorStats } from '../../../src/server/index.js';

/** multikey-dash / multikey-onepssh (scripts/make-media.sh, "multi-key streams"). */
export const KID = {
  audio: '0f5b51e21bd651d790c77a3841b95cd3',
  sd: 'b293f0194fa7faaa83f1b7dadac68cef',
  hd: '468a679552bec65d87add0dc74daad16',
} as const;

/** Frames the video element has decoded (getVideoPlaybackQuality: Chromium and Firefox). */
export function videoFrames(video: HTMLVideoElement): number {
  return video.getVideoPlaybackQuality().totalVideoFrames;
}

/**
 * Resolves when the element reaches `ended`. With MSE, playback advances only while
 * every track has decoded data: an audio track that never decrypts stalls the element
 * (waitingforkey) before the end, in every engine. So reaching the end of the 4 s
 * stream proves the audio was decrypted and decoded, where no cross-engine
 * decoded-audio counter exists (webkitAudioDecodedByteCount is Chromium's only).
 */
export function playsToEnd(video: HTMLMediaElement, timeoutMs = 20000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`did not reach the end: currentTime ${video.currentTime}, readyState ${video.readyState}`)),
      timeoutMs,
    );
    const onEnded = () => done();
    const onError = () => done(new Error(`media error ${video.error?.code}: ${video.error?.message}`));
    const done = (err?: Error) => {
      clearTimeout(timer);
      video.removeEventListener('ended', onEnded);
      video.removeEventListener('error', onError);
      if (err) reject(err);
      else resolve();
    };
    video.addEventListener('ended', onEnded);
    video.addEventListener('error', onError);
    if (video.ended) done();
  });
}

/** Chromium's decoded-audio counter where it exists (extra evidence; `undefined` elsewhere). */
export function decodedAudioBytes(video: HTMLMediaElement): number | undefined {
  return (video as HTMLMediaElement & { webkitAudioDecodedByteCount?: number }).webkitAudioDecodedByteCount;
}

/**
 * One token per key, and every license from the token for its own key: the emulator
 * counts tokens and ClearKey licenses per key id, and answers -4022 to a license
 * request whose key id the token does not carry (none may be seen).
 */
export function expectOneTokenPerKey(stats: EmulatorStats, kids: readonly string[]): void {
  expect(stats.tokensByKid, 'tokens issued per key id').to.deep.equal(Object.fromEntries(kids.map((k) => [k, 1])));
  expect(Object.keys(stats.licensesByKid).sort(), 'key ids licensed').to.deep.equal([...kids].sort());
  expect(stats.rejectsByCode['-4022'] ?? 0, 'licenses sent to a token for another key').to.equal(0);
}
