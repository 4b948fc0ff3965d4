// Derives the Widevine- and FairPlay-signalled manifests the hls.js and dash.js
// EME-double tests load (issue #14) from the committed test media, as text only:
// no segment is re-encoded or re-packaged (ffmpeg's output is not byte-stable
// across machines, so the committed segments stay as they are).
//   node scripts/media-variants.mjs        (scripts/make-media.sh runs it last)
// - clearkey-hls-a/widevine.m3u8, video/widevine.m3u8, audio/widevine.m3u8: the same
//   segments under EXT-X-KEY KEYFORMAT="urn:uuid:edef8ba9-…" (Widevine) whose data:
//   URI is a Widevine pssh naming the stream's key id, as hls.js reads Widevine HLS.
// - cenc-h264/widevine.mpd: cenc-h264's MPD with a Widevine ContentProtection
//   (cenc:pssh) in place of the CommonSystem one, which dash.js maps to ClearKey only.
// - fairplay-hls/manifest.mpd: DASH over the FairPlay stream's CMAF segments (cbcs),
//   signalled with the FairPlay system id; its timeline is cenc-h264's (same sources,
//   same segmenting), checked here: every segment starts (tfdt) where cenc-h264's does.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MEDIA = join(resolve(fileURLToPath(new URL('..', import.meta.url))), 'test/media');
const streams = JSON.parse(readFileSync(join(MEDIA, 'streams.json'), 'utf8'));

const WIDEVINE_SYSTEM_ID = 'edef8ba979d64acea3c827dcd51d21ed';
const WIDEVINE_KEYFORMAT = 'urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed';
const COMMON_SYSTEM_URI = 'urn:uuid:1077efec-c0b2-4d02-ace3-3c1e52e2fb4b';
const FAIRPLAY_URI = 'urn:uuid:94ce86fb-07ff-4f43-adb8-93d2fa968ca2';

const read = (path) => readFileSync(join(MEDIA, path), 'utf8');
const write = (path, text) => {
  writeFileSync(join(MEDIA, path), text);
  console.log(`[media-variants] ${path}`);
};

/** `text` with `pattern` replaced, failing unless it matched exactly `times` times. */
function replaceExactly(text, pattern, replacement, times, what) {
  const all = new RegExp(pattern.source, `${pattern.flags}g`);
  const found = text.match(all)?.length ?? 0;
  if (found !== times) throw new Error(`${what}: ${found} matches of ${pattern}, expected ${times}`);
  return text.replace(all, replacement);
}

/**
 * A version-0 Widevine pssh box for one key id. Its data is WidevinePsshData with
 * key_id (field 2) and protection_scheme 'cenc' (field 9), the shape packagers write:
 * hls.js 1.5 reads the key id as the 16 bytes before the last 6.
 */
function widevinePssh(kidHex) {
  const data = Buffer.concat([
    Buffer.from([0x12, 0x10]),
    Buffer.from(kidHex, 'hex'),
    Buffer.from([0x48, 0xe3, 0xdc, 0x95, 0x9b, 0x06]),
  ]);
  const box = Buffer.alloc(32 + data.length);
  box.writeUInt32BE(box.length, 0);
  box.write('pssh', 4, 'ascii');
  box.writeUInt32BE(0, 8); // version 0, no flags
  Buffer.from(WIDEVINE_SYSTEM_ID, 'hex').copy(box, 12);
  box.writeUInt32BE(data.length, 28);
  data.copy(box, 32);
  return box;
}

/** cenc:default_KID's spelling of a hex key id. */
const uuidOf = (hex) => hex.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

// --- hls.js: Widevine HLS over clearkey-hls-a's segments ---------------------------------
{
  const dir = 'clearkey-hls-a';
  const pssh = widevinePssh(streams[dir].kid).toString('base64');
  const key = `#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,URI="data:text/plain;base64,${pssh}",KEYFORMAT="${WIDEVINE_KEYFORMAT}",KEYFORMATVERSIONS="1"`;
  for (const track of ['video', 'audio']) {
    const playlist = read(`${dir}/${track}/index.m3u8`);
    write(
      `${dir}/${track}/widevine.m3u8`,
      replaceExactly(playlist, /^#EXT-X-KEY:.*KEYFORMAT="org\.w3\.clearkey".*$/m, key, 1, `${dir}/${track}`),
    );
  }
  let master = read(`${dir}/master.m3u8`);
  for (const track of ['video', 'audio'])
    master = replaceExactly(master, new RegExp(`${track}/index\\.m3u8`), `${track}/widevine.m3u8`, 1, dir);
  write(`${dir}/widevine.m3u8`, master);
}

// --- dash.js: a Widevine MPD over cenc-h264's segments ---------------------------------------
const cencMpd = read('cenc-h264/manifest.mpd');
const commonSystemEntry = new RegExp(
  `<ContentProtection schemeIdUri="${COMMON_SYSTEM_URI}">\\s*<cenc:pssh>[A-Za-z0-9+/=]+</cenc:pssh>\\s*</ContentProtection>`,
);
{
  const pssh = widevinePssh(streams['cenc-h264'].kid).toString('base64');
  const entry = `<ContentProtection schemeIdUri="${WIDEVINE_KEYFORMAT}">\n        <cenc:pssh>${pssh}</cenc:pssh>\n      </ContentProtection>`;
  write('cenc-h264/widevine.mpd', replaceExactly(cencMpd, commonSystemEntry, entry, 2, 'cenc-h264'));
}

// --- dash.js: a FairPlay MPD over fairplay-hls's segments -------------------------------------
{
  const { kid, scheme } = streams['fairplay-hls'];
  let mpd = replaceExactly(
    cencMpd,
    /<ContentProtection value="cenc" schemeIdUri="urn:mpeg:dash:mp4protection:2011" cenc:default_KID="[0-9a-f-]+"\/>/,
    `<ContentProtection value="${scheme}" schemeIdUri="urn:mpeg:dash:mp4protection:2011" cenc:default_KID="${uuidOf(kid)}"/>`,
    2,
    'fairplay-hls',
  );
  mpd = replaceExactly(mpd, commonSystemEntry, `<ContentProtection schemeIdUri="${FAIRPLAY_URI}"/>`, 2, 'fairplay-hls');
  for (const track of ['video', 'audio']) checkSameTimeline(`fairplay-hls/${track}`, `cenc-h264/${track}`);
  write('fairplay-hls/manifest.mpd', mpd);
}

/** The tfdt (base media decode time) of each numbered segment in `dir`, in order. */
function decodeTimes(dir) {
  const times = [];
  for (let i = 1; ; i++) {
    let segment;
    try {
      segment = readFileSync(join(MEDIA, `${dir}/${i}.m4s`));
    } catch {
      return times;
    }
    const at = segment.indexOf('tfdt');
    times.push(segment[at + 4] === 1 ? Number(segment.readBigUInt64BE(at + 8)) : segment.readUInt32BE(at + 8));
  }
}

/**
 * Fails unless `dir`'s segments start where the template's (`templateDir`) do: the MPD's
 * timeline, written by the packager for the template, then holds for them too.
 */
function checkSameTimeline(dir, templateDir) {
  const [got, want] = [decodeTimes(dir), decodeTimes(templateDir)];
  if (got.length === 0 || got.join() !== want.join())
    throw new Error(`${dir}: segments start at ${got.join()}, ${templateDir}'s at ${want.join()}`);
}
