#!/usr/bin/env bash
# Regenerates the committed encrypted test media in test/media/ from nothing.
#   npm run media
# Needs ffmpeg (apt-get install -y ffmpeg) and the npm devDependency
# shaka-packager (static binary, no `bin` entry). The kids/keys are the ones in
# docs/architecture.md ("Test media"); IVs are fixed so re-runs give the same
# bytes (ffmpeg runs with bitexact flags, the packager with a fake clock). See ../shared/notes/toolchain.md for
# why the flags below are what they are.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

FFMPEG="${FFMPEG:-ffmpeg}"
PACKAGER="${PACKAGER:-$ROOT/node_modules/shaka-packager/bin/packager-linux-x64}"
OUT="test/media"

command -v "$FFMPEG" >/dev/null || { echo "ffmpeg not found: apt-get install -y ffmpeg" >&2; exit 1; }
[ -x "$PACKAGER" ] || { echo "shaka-packager binary not found at $PACKAGER: run npm install" >&2; exit 1; }

# --- stream table (must match docs/architecture.md) --------------------------
CENC_KID=86bf0cec3721064d624f22d25849c816
CENC_KEY=c5a24cdf823112f0f9a9f7b0fe643619
CENC_IV=00112233445566778899aabbccddeeff

CBCS_KID=4166b9ed5fc5c7492a9a03e312aac14e
CBCS_KEY=e6b4adf36d6823c9ad3bc7ca0c74e601
CBCS_IV=0f1e2d3c4b5a69788796a5b4c3d2e1f0

FP_KID=0171a925eecb61c1c7a0c20e3f31daed
FP_KEY=19bf99669a5d30ce5eb89e8201bba542
FP_IV=d5fbd6b82ed93e4ef98ae40931ee33b7
FP_CONTENT_ID=fairplay-hls

HLS_KID=c2857ac60e862b75c4ce39c628762b89
HLS_KEY=609a63650321e2a60dcd2ab09636e58b
HLS_IV=53825b42c1e1b02adf6db647c4fbbfad

DURATION=4
FPS=24

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

ff() { "$FFMPEG" -hide_banner -loglevel error -nostdin -y "$@"; }

# --- clear sources -----------------------------------------------------------
# 1 s GOPs (fixed, no scene cut) so that 1 s segments each start on a keyframe.
VIDEO_SRC=(-f lavfi -i "testsrc2=size=320x240:rate=${FPS}:duration=${DURATION}")
AUDIO_SRC=(-f lavfi -i "sine=frequency=440:beep_factor=4:sample_rate=48000:duration=${DURATION}")
BITEXACT=(-fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1)

echo "[media] encoding clear sources (ffmpeg)"
ff "${VIDEO_SRC[@]}" -an -c:v libx264 -profile:v baseline -level 3.0 -pix_fmt yuv420p \
  -preset medium -b:v 120k -maxrate 150k -bufsize 300k \
  -g "$FPS" -keyint_min "$FPS" -sc_threshold 0 -threads 1 \
  -x264-params "bframes=0" "${BITEXACT[@]}" "$TMP/h264.mp4"

ff "${VIDEO_SRC[@]}" -an -c:v libvpx-vp9 -pix_fmt yuv420p -b:v 120k \
  -deadline good -cpu-used 4 -row-mt 0 -threads 1 \
  -g "$FPS" -keyint_min "$FPS" "${BITEXACT[@]}" "$TMP/vp9.mp4"

ff "${AUDIO_SRC[@]}" -vn -c:a aac -b:a 48k -ac 1 "${BITEXACT[@]}" "$TMP/aac.mp4"

# --- packaging -----------------------------------------------------------------
rm -rf "$OUT/cenc-h264" "$OUT/cbcs-vp9" "$OUT/fairplay-hls" "$OUT/cenc-hls"
mkdir -p "$OUT/cenc-h264" "$OUT/cbcs-vp9" "$OUT/fairplay-hls" "$OUT/cenc-hls"

# Raw-key DASH that Chromium's ClearKey plays: CommonSystem pssh (so the
# 'cenc' initData carries the kid), no clear lead, 1 s segments, static MPD.
package_dash() { # <dir> <scheme> <kid> <key> <iv> <video.mp4>
  local dir="$1" scheme="$2" kid="$3" key="$4" iv="$5" video="$6"
  "$PACKAGER" \
    "in=$video,stream=video,init_segment=$dir/video/init.mp4,segment_template=$dir/video/\$Number\$.m4s" \
    "in=$TMP/aac.mp4,stream=audio,init_segment=$dir/audio/init.mp4,segment_template=$dir/audio/\$Number\$.m4s" \
    --enable_raw_key_encryption \
    --keys "label=:key_id=$kid:key=$key" \
    --iv "$iv" \
    --protection_systems CommonSystem \
    --protection_scheme "$scheme" \
    --clear_lead 0 \
    --segment_duration 1 \
    --generate_static_live_mpd \
    --mpd_output "$dir/manifest.mpd" \
    --use_fake_clock_for_muxer \
    --quiet
}

echo "[media] packaging cenc-h264 (DASH, cenc)"
package_dash "$OUT/cenc-h264" cenc "$CENC_KID" "$CENC_KEY" "$CENC_IV" "$TMP/h264.mp4"

echo "[media] packaging cbcs-vp9 (DASH, cbcs)"
package_dash "$OUT/cbcs-vp9" cbcs "$CBCS_KID" "$CBCS_KEY" "$CBCS_IV" "$TMP/vp9.mp4"

# FairPlay-shaped HLS: fMP4 segments, cbcs => METHOD=SAMPLE-AES,
# KEYFORMAT="com.apple.streamingkeydelivery", URI="skd://fairplay-hls".
echo "[media] packaging fairplay-hls (HLS, SAMPLE-AES/cbcs, skd://)"
D="$OUT/fairplay-hls"
"$PACKAGER" \
  "in=$TMP/h264.mp4,stream=video,init_segment=$D/video/init.mp4,segment_template=$D/video/\$Number\$.m4s,playlist_name=video/index.m3u8" \
  "in=$TMP/aac.mp4,stream=audio,init_segment=$D/audio/init.mp4,segment_template=$D/audio/\$Number\$.m4s,playlist_name=audio/index.m3u8,hls_group_id=audio,hls_name=main" \
  --enable_raw_key_encryption \
  --keys "label=:key_id=$FP_KID:key=$FP_KEY" \
  --iv "$FP_IV" \
  --protection_systems FairPlay \
  --protection_scheme cbcs \
  --hls_key_uri "skd://$FP_CONTENT_ID" \
  --hls_playlist_type VOD \
  --clear_lead 0 \
  --segment_duration 1 \
  --hls_master_playlist_output "$D/master.m3u8" \
  --use_fake_clock_for_muxer \
  --quiet

# ClearKey-playable HLS: fMP4 segments, cenc => METHOD=SAMPLE-AES-CTR. With the
# CommonSystem protection system the packager writes KEYFORMAT="identity" whose
# data: URI holds the KEY ID (not the key) and a common-system pssh in the init
# segments. Shaka maps "identity" to org.w3.clearkey; its license request goes
# through the adapter's request filter to the rights URL (docs/architecture.md).
echo "[media] packaging cenc-hls (HLS, SAMPLE-AES-CTR/cenc, identity)"
H="$OUT/cenc-hls"
"$PACKAGER" \
  "in=$TMP/h264.mp4,stream=video,init_segment=$H/video/init.mp4,segment_template=$H/video/\$Number\$.m4s,playlist_name=video/index.m3u8" \
  "in=$TMP/aac.mp4,stream=audio,init_segment=$H/audio/init.mp4,segment_template=$H/audio/\$Number\$.m4s,playlist_name=audio/index.m3u8,hls_group_id=audio,hls_name=main" \
  --enable_raw_key_encryption \
  --keys "label=:key_id=$HLS_KID:key=$HLS_KEY" \
  --iv "$HLS_IV" \
  --protection_systems CommonSystem \
  --protection_scheme cenc \
  --hls_playlist_type VOD \
  --clear_lead 0 \
  --segment_duration 1 \
  --hls_master_playlist_output "$H/master.m3u8" \
  --use_fake_clock_for_muxer \
  --quiet
# The identity URI must never carry the key: fail the build if it does.
KEY_B64="$(printf "$(printf '%s' "$HLS_KEY" | sed 's/../\\x&/g')" | base64)"
if grep -rqF "$KEY_B64" "$H"/*/index.m3u8; then echo "cenc-hls: the content key leaked into a playlist" >&2; exit 1; fi

# ============================================================================
# BEGIN multi-key streams (issue #16): one key per track, one token per key.
# Each track is packaged in its own shaka-packager run, so its CommonSystem pssh
# names only its own key id (one run with several keys lists every key id in
# every track's pssh: one session would ask for all of them). The runs' MPDs are
# joined into one. multikey-onepssh is the other shape on purpose: one run, two
# keys, one pssh naming both (the failure the adapters must explain).
MK_AUDIO_KID=0f5b51e21bd651d790c77a3841b95cd3
MK_AUDIO_KEY=0085c2ee53213bbc271c046318a84dfa
MK_AUDIO_IV=8c7c66b5d819701a2a1705abb36fce32
MK_SD_KID=b293f0194fa7faaa83f1b7dadac68cef
MK_SD_KEY=762589893c086b3dcdf541e6e6f0bf95
MK_SD_IV=8e1a7f72070a3f88b662b816e58e78a8
MK_HD_KID=468a679552bec65d87add0dc74daad16
MK_HD_KEY=35f84700e74dfaf0108da4029af8d4c7
MK_HD_IV=9ab2806fa7222707177908f65d3140bc

echo "[media] encoding the HD rendition for the multi-key streams (ffmpeg)"
ff -f lavfi -i "testsrc2=size=640x360:rate=${FPS}:duration=${DURATION}" -an -c:v libx264 -profile:v baseline -level 3.0 -pix_fmt yuv420p \
  -preset medium -b:v 200k -maxrate 250k -bufsize 500k \
  -g "$FPS" -keyint_min "$FPS" -sc_threshold 0 -threads 1 \
  -x264-params "bframes=0" "${BITEXACT[@]}" "$TMP/h264-hd.mp4"

rm -rf "$OUT/multikey-dash" "$OUT/multikey-onepssh"
mkdir -p "$OUT/multikey-dash" "$OUT/multikey-onepssh"

package_track() { # <dir> <name> <stream> <kid> <key> <iv> <input.mp4>: one track, one key, MPD <dir>/<name>.part.mpd
  local dir="$1" name="$2" stream="$3" kid="$4" key="$5" iv="$6" input="$7"
  "$PACKAGER" \
    "in=$input,stream=$stream,init_segment=$dir/$name/init.mp4,segment_template=$dir/$name/\$Number\$.m4s" \
    --enable_raw_key_encryption --keys "label=:key_id=$kid:key=$key" --iv "$iv" \
    --protection_systems CommonSystem --protection_scheme cenc --clear_lead 0 --segment_duration 1 \
    --generate_static_live_mpd --mpd_output "$dir/$name.part.mpd" --use_fake_clock_for_muxer --quiet
}

# Joins single-track MPDs into one Period (AdaptationSet/Representation ids renumbered).
# <out.mpd> <with-pssh: 1|0> <part.mpd>… With 0 the MPD keeps default_KID and the
# common-system ContentProtection but no cenc:pssh: players then open each session from
# its init segment's pssh when that track is first appended (a key never played never
# gets a session).
join_mpds() {
  node - "$@" <<'JS'
const fs = require('node:fs');
const [out, withPssh, ...parts] = process.argv.slice(2);
const texts = parts.map((p) => fs.readFileSync(p, 'utf8'));
const sets = texts.map((t, i) => {
  let set = /<AdaptationSet[\s\S]*?<\/AdaptationSet>/.exec(t)[0];
  set = set.replace(/<AdaptationSet id="\d+"/, `<AdaptationSet id="${i}"`).replace(/<Representation id="\d+"/, `<Representation id="${i}"`);
  if (withPssh === '0') set = set.replace(/<ContentProtection (schemeIdUri="urn:uuid:1077efec[^"]*")>[\s\S]*?<\/ContentProtection>/g, '<ContentProtection $1/>');
  return set;
});
const head = texts[0].slice(0, texts[0].indexOf('<AdaptationSet'));
fs.writeFileSync(out, `${head}${sets.join('\n    ')}\n  </Period>\n</MPD>\n`);
JS
}

echo "[media] packaging multikey-dash (DASH: audio, SD and HD video under three keys, one pssh each)"
M="$OUT/multikey-dash"
package_track "$M" audio audio "$MK_AUDIO_KID" "$MK_AUDIO_KEY" "$MK_AUDIO_IV" "$TMP/aac.mp4"
package_track "$M" sd video "$MK_SD_KID" "$MK_SD_KEY" "$MK_SD_IV" "$TMP/h264.mp4"
package_track "$M" hd video "$MK_HD_KID" "$MK_HD_KEY" "$MK_HD_IV" "$TMP/h264-hd.mp4"
join_mpds "$M/manifest.mpd" 1 "$M/audio.part.mpd" "$M/sd.part.mpd" "$M/hd.part.mpd"
join_mpds "$M/manifest-inband.mpd" 0 "$M/audio.part.mpd" "$M/sd.part.mpd" "$M/hd.part.mpd"
rm -f "$M"/*.part.mpd

echo "[media] packaging multikey-onepssh (DASH: audio and video under two keys, one pssh naming both)"
O="$OUT/multikey-onepssh"
"$PACKAGER" \
  "in=$TMP/h264.mp4,stream=video,init_segment=$O/video/init.mp4,segment_template=$O/video/\$Number\$.m4s,drm_label=SD" \
  "in=$TMP/aac.mp4,stream=audio,init_segment=$O/audio/init.mp4,segment_template=$O/audio/\$Number\$.m4s,drm_label=AUDIO" \
  --enable_raw_key_encryption \
  --keys "label=AUDIO:key_id=$MK_AUDIO_KID:key=$MK_AUDIO_KEY,label=SD:key_id=$MK_SD_KID:key=$MK_SD_KEY" \
  --iv "$MK_SD_IV" --protection_systems CommonSystem --protection_scheme cenc --clear_lead 0 --segment_duration 1 \
  --generate_static_live_mpd --mpd_output "$O/manifest.mpd" --use_fake_clock_for_muxer --quiet
# END multi-key streams
# ============================================================================

# --- streams.json (read by servers only; pages never get keys) ----------------
codecs_of() { # <mpd> -> "videoCodec,audioCodec"
  grep -o 'codecs="[^"]*"' "$1" | sed 's/codecs="\(.*\)"/\1/' | paste -sd, -
}
CENC_CODECS="$(codecs_of "$OUT/cenc-h264/manifest.mpd")"
CBCS_CODECS="$(codecs_of "$OUT/cbcs-vp9/manifest.mpd")"
FP_CODECS="$(grep -o 'CODECS="[^"]*"' "$D/master.m3u8" | head -1 | sed 's/CODECS="\(.*\)"/\1/')"
HLS_CODECS="$(grep -o 'CODECS="[^"]*"' "$H/master.m3u8" | head -1 | sed 's/CODECS="\(.*\)"/\1/')"

# === hls.js / dash.js ClearKey streams (issue #14) ============================
# Separate streams (own kids/keys) in the key formats those players map to
# ClearKey; the streams above stay as they are.
# - clearkey-hls-a, clearkey-hls-b: HLS fMP4, SAMPLE-AES-CTR (cenc). hls.js
#   ignores KEYFORMAT="identity" and maps KEYFORMAT="org.w3.clearkey" to
#   ClearKey; the data: URI carries the KEY ID (16 bytes), never the key.
# - clearkey-dash-cenc (H.264, cenc), clearkey-dash-cbcs (VP9, cbcs): DASH with
#   DASH-IF's ClearKey ContentProtection (urn:uuid:e2719d58-…) instead of the
#   W3C common one: dash.js then asks Chromium's ClearKey with 'keyids' initData
#   built from cenc:default_KID (the init segments keep their common pssh).
CK_HLS_A_KID=2f47fdeff30367d8e8b6bb56d1828ddf
CK_HLS_A_KEY=036247e38f57340ccbeb50a360e2ad75
CK_HLS_A_IV=246bd9a6b22341efc0520ae8efd37628
CK_HLS_B_KID=97cb48ae231048d9c1d609063ed11fef
CK_HLS_B_KEY=668041106be28ba729390453a5102c08
CK_HLS_B_IV=5f5cbcc1bc98865f3b3f9aa25886a249
CK_DASH_CENC_KID=14c7131b4ba920e36c41efd3e0902a1d
CK_DASH_CENC_KEY=5293819f7669eebd47f57c2086a5c943
CK_DASH_CENC_IV=8564a2163ced53f5110b697db4c7be66
CK_DASH_CBCS_KID=3e74747d1ff9ab1982b344e348bd4803
CK_DASH_CBCS_KEY=4b0f6bbcdf355819480f593a2ebe3153
CK_DASH_CBCS_IV=a2950630fe1590a937fcd3608a1a5ebe
DASHIF_CLEARKEY='<ContentProtection schemeIdUri="urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e" value="ClearKey1.0"/>'

rm -rf "$OUT/clearkey-hls-a" "$OUT/clearkey-hls-b" "$OUT/clearkey-dash-cenc" "$OUT/clearkey-dash-cbcs"

# Fails the build when a content key (hex, or base64 as in a data: URI) appears in a playlist or manifest.
assert_no_key() { # <key hex> <files...>
  local key="$1"; shift
  local b64; b64="$(printf "$(printf '%s' "$key" | sed 's/../\\x&/g')" | base64)"
  if grep -qiF -e "$key" -e "$b64" "$@"; then echo "the content key $key leaked into $*" >&2; exit 1; fi
}

package_hls_clearkey() { # <dir> <kid> <key> <iv>
  local dir="$1" kid="$2" key="$3" iv="$4"
  "$PACKAGER" \
    "in=$TMP/h264.mp4,stream=video,init_segment=$dir/video/init.mp4,segment_template=$dir/video/\$Number\$.m4s,playlist_name=video/index.m3u8" \
    "in=$TMP/aac.mp4,stream=audio,init_segment=$dir/audio/init.mp4,segment_template=$dir/audio/\$Number\$.m4s,playlist_name=audio/index.m3u8,hls_group_id=audio,hls_name=main" \
    --enable_raw_key_encryption \
    --keys "label=:key_id=$kid:key=$key" \
    --iv "$iv" \
    --protection_systems CommonSystem \
    --protection_scheme cenc \
    --hls_playlist_type VOD \
    --clear_lead 0 \
    --segment_duration 1 \
    --hls_master_playlist_output "$dir/master.m3u8" \
    --use_fake_clock_for_muxer \
    --quiet
  sed -i 's/KEYFORMAT="identity"/KEYFORMAT="org.w3.clearkey"/' "$dir"/*/index.m3u8
  grep -q 'KEYFORMAT="org.w3.clearkey"' "$dir/video/index.m3u8" || { echo "$dir: no org.w3.clearkey key tag" >&2; exit 1; }
  assert_no_key "$key" "$dir"/*.m3u8 "$dir"/*/index.m3u8
}

package_dash_clearkey() { # <dir> <scheme> <kid> <key> <iv> <video.mp4>
  package_dash "$@"
  sed -i "s#^\( *\)\(<ContentProtection value=\"c[a-z]*\" schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\"[^>]*/>\)#\1\2\n\1$DASHIF_CLEARKEY#" "$1/manifest.mpd"
  # Without the W3C common entry: dash.js 5 maps both to org.w3.clearkey and may pick
  # the common one, whose pssh it passes as 'keyids' initData (Chromium: error 113).
  sed -i '/<ContentProtection schemeIdUri="urn:uuid:1077efec-c0b2-4d02-ace3-3c1e52e2fb4b">/,/<\/ContentProtection>/d' "$1/manifest.mpd"
  [ "$(grep -c 'e2719d58-a985-b3c9-781a-b030af78d30e' "$1/manifest.mpd")" = 2 ] || { echo "$1: DASH-IF ClearKey entry missing" >&2; exit 1; }
  assert_no_key "$4" "$1/manifest.mpd"
}

echo "[media] packaging clearkey-hls-a, clearkey-hls-b (HLS, SAMPLE-AES-CTR, org.w3.clearkey)"
package_hls_clearkey "$OUT/clearkey-hls-a" "$CK_HLS_A_KID" "$CK_HLS_A_KEY" "$CK_HLS_A_IV"
package_hls_clearkey "$OUT/clearkey-hls-b" "$CK_HLS_B_KID" "$CK_HLS_B_KEY" "$CK_HLS_B_IV"
echo "[media] packaging clearkey-dash-cenc, clearkey-dash-cbcs (DASH + DASH-IF ClearKey entry)"
package_dash_clearkey "$OUT/clearkey-dash-cenc" cenc "$CK_DASH_CENC_KID" "$CK_DASH_CENC_KEY" "$CK_DASH_CENC_IV" "$TMP/h264.mp4"
package_dash_clearkey "$OUT/clearkey-dash-cbcs" cbcs "$CK_DASH_CBCS_KID" "$CK_DASH_CBCS_KEY" "$CK_DASH_CBCS_IV" "$TMP/vp9.mp4"
CK_HLS_CODECS="$(grep -o 'CODECS="[^"]*"' "$OUT/clearkey-hls-a/master.m3u8" | head -1 | sed 's/CODECS="\(.*\)"/\1/')"

# streams.json entries of this block (spliced in below).
ck_stream() { # <id> <kid> <key> <iv> <scheme> <manifest> <type> <codecs>
  printf ',\n  "%s": {\n    "kid": "%s",\n    "key": "%s",\n    "iv": "%s",\n    "scheme": "%s",\n    "manifest": "%s",\n    "type": "%s",\n    "codecs": "%s",\n    "durationSeconds": %s\n  }' "$@" "$DURATION"
}
CLEARKEY_STREAMS_JSON="$(
  ck_stream clearkey-hls-a "$CK_HLS_A_KID" "$CK_HLS_A_KEY" "$CK_HLS_A_IV" cenc test/media/clearkey-hls-a/master.m3u8 application/x-mpegURL "$CK_HLS_CODECS"
  ck_stream clearkey-hls-b "$CK_HLS_B_KID" "$CK_HLS_B_KEY" "$CK_HLS_B_IV" cenc test/media/clearkey-hls-b/master.m3u8 application/x-mpegURL "$CK_HLS_CODECS"
  ck_stream clearkey-dash-cenc "$CK_DASH_CENC_KID" "$CK_DASH_CENC_KEY" "$CK_DASH_CENC_IV" cenc test/media/clearkey-dash-cenc/manifest.mpd application/dash+xml "$(codecs_of "$OUT/clearkey-dash-cenc/manifest.mpd")"
  ck_stream clearkey-dash-cbcs "$CK_DASH_CBCS_KID" "$CK_DASH_CBCS_KEY" "$CK_DASH_CBCS_IV" cbcs test/media/clearkey-dash-cbcs/manifest.mpd application/dash+xml "$(codecs_of "$OUT/clearkey-dash-cbcs/manifest.mpd")"
)"
# === end of the hls.js / dash.js block ==========================================

cat > "$OUT/streams.json" <<EOF
{
  "cenc-h264": {
    "kid": "$CENC_KID",
    "key": "$CENC_KEY",
    "iv": "$CENC_IV",
    "scheme": "cenc",
    "manifest": "test/media/cenc-h264/manifest.mpd",
    "type": "application/dash+xml",
    "codecs": "$CENC_CODECS",
    "durationSeconds": $DURATION
  },
  "cbcs-vp9": {
    "kid": "$CBCS_KID",
    "key": "$CBCS_KEY",
    "iv": "$CBCS_IV",
    "scheme": "cbcs",
    "manifest": "test/media/cbcs-vp9/manifest.mpd",
    "type": "application/dash+xml",
    "codecs": "$CBCS_CODECS",
    "durationSeconds": $DURATION
  },
  "fairplay-hls": {
    "kid": "$FP_KID",
    "key": "$FP_KEY",
    "iv": "$FP_IV",
    "scheme": "cbcs",
    "manifest": "test/media/fairplay-hls/master.m3u8",
    "type": "application/x-mpegURL",
    "codecs": "$FP_CODECS",
    "durationSeconds": $DURATION,
    "skd": "skd://$FP_CONTENT_ID"
  },
  "cenc-hls": {
    "kid": "$HLS_KID",
    "key": "$HLS_KEY",
    "iv": "$HLS_IV",
    "scheme": "cenc",
    "manifest": "test/media/cenc-hls/master.m3u8",
    "type": "application/x-mpegURL",
    "codecs": "$HLS_CODECS",
    "durationSeconds": $DURATION
  },
  "multikey-dash": {
    "keys": {
      "$MK_AUDIO_KID": { "key": "$MK_AUDIO_KEY", "track": "audio" },
      "$MK_SD_KID": { "key": "$MK_SD_KEY", "track": "video-sd" },
      "$MK_HD_KID": { "key": "$MK_HD_KEY", "track": "video-hd" }
    },
    "scheme": "cenc",
    "manifest": "test/media/multikey-dash/manifest.mpd",
    "manifestInband": "test/media/multikey-dash/manifest-inband.mpd",
    "type": "application/dash+xml",
    "codecs": "$(codecs_of "$M/manifest.mpd" | tr , '\n' | sort -u | paste -sd, -)",
    "durationSeconds": $DURATION
  },
  "multikey-onepssh": {
    "keys": {
      "$MK_AUDIO_KID": { "key": "$MK_AUDIO_KEY", "track": "audio" },
      "$MK_SD_KID": { "key": "$MK_SD_KEY", "track": "video" }
    },
    "scheme": "cenc",
    "manifest": "test/media/multikey-onepssh/manifest.mpd",
    "type": "application/dash+xml",
    "codecs": "$(codecs_of "$O/manifest.mpd")",
    "durationSeconds": $DURATION
  }$CLEARKEY_STREAMS_JSON
}
EOF

# Widevine- and FairPlay-signalled manifests over the segments above, as text
# (hls.js / dash.js on the EME doubles, issue #14): see the script's header.
node scripts/media-variants.mjs

echo "[media] done:"
du -sh "$OUT" "$OUT"/*/ | sed 's/^/  /'
