// Checks that the committed DASH test media really decrypts and plays in headless
// Chromium with ClearKey (Shaka Player, keys given directly: this is a media
// check, not a test of the library).
//   node scripts/check-media.mjs [--wrong-key] [streamId…]   (default: every DASH stream)
// Serves the repo over http://127.0.0.1:<random>/ and asserts currentTime > 1 s.
// --wrong-key is the negative control: with a wrong key each stream must NOT play
// (proves the segments really are encrypted).
/* global shaka */ // inside page.evaluate (the page loads shaka-player.compiled.js)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { findChrome, CHROME_ARGS } from './find-chrome.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const streams = JSON.parse(await readFile(join(ROOT, 'test/media/streams.json'), 'utf8'));
const args = process.argv.slice(2);
const WRONG = args.includes('--wrong-key');
const wanted = args.filter((a) => !a.startsWith('--'));
const ids = Object.keys(streams).filter((id) =>
  wanted.length ? wanted.includes(id) : streams[id].type === 'application/dash+xml',
);

/** kid → key for Shaka's drm.clearKeys: the stream's one key, or each key of a multi-key stream (`keys`). */
function clearKeysOf(s, wrong) {
  const keys = s.keys ? Object.entries(s.keys).map(([kid, k]) => [kid, k.key]) : [[s.kid, s.key]];
  return Object.fromEntries(keys.map(([kid, key]) => [kid, wrong ? 'ff'.repeat(16) : key]));
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.mpd': 'application/dash+xml',
  '.m3u8': 'application/x-mpegURL',
  '.mp4': 'video/mp4',
  '.m4s': 'video/iso.segment',
};

const PAGE = `<!doctype html><meta charset="utf-8">
<video id="v" muted playsinline></video>
<script src="/node_modules/shaka-player/dist/shaka-player.compiled.js"></script>`;

const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (path === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    return;
  }
  const file = normalize(join(ROOT, path));
  if (!file.startsWith(ROOT + '/')) return res.writeHead(403).end();
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: findChrome(), args: [...CHROME_ARGS, '--headless=new'] });
let failed = 0;
try {
  for (const id of ids) {
    const s = streams[id];
    const page = await browser.newPage();
    const logs = [];
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    await page.goto(base + '/');
    const result = await page.evaluate(
      async ({ manifest, clearKeys }) => {
        const video = document.getElementById('v');
        shaka.polyfill.installAll();
        const player = new shaka.Player();
        await player.attach(video);
        const errors = [];
        player.addEventListener('error', (e) =>
          errors.push(String(e.detail?.code) + ' ' + JSON.stringify(e.detail?.data ?? [])),
        );
        player.configure({ drm: { clearKeys } });
        try {
          await player.load('/' + manifest);
        } catch (e) {
          return { ok: false, error: `load failed: ${e.code} ${JSON.stringify(e.data ?? [])}` };
        }
        await video.play().catch(() => {});
        const t0 = performance.now();
        while (video.currentTime <= 1 && performance.now() - t0 < 10000 && !video.error) {
          await new Promise((r) => setTimeout(r, 100));
        }
        const keySystem = player.keySystem();
        const out = {
          ok: video.currentTime > 1,
          currentTime: video.currentTime,
          keySystem,
          decodedFrames: video.getVideoPlaybackQuality?.().totalVideoFrames,
          mediaError: video.error ? `${video.error.code} ${video.error.message}` : null,
          errors,
        };
        await player.destroy();
        return out;
      },
      { manifest: s.manifest, clearKeys: clearKeysOf(s, WRONG) },
    );
    if (WRONG) result.ok = !result.ok;
    const line =
      `${result.ok ? 'PASS' : 'FAIL'}${WRONG ? ' (wrong key, must not play)' : ''} ${id} (${s.scheme}, ${s.codecs}): ` +
      `currentTime=${result.currentTime?.toFixed(2)} keySystem=${result.keySystem} frames=${result.decodedFrames}` +
      (result.error ? ` ${result.error}` : '') +
      (result.mediaError ? ` mediaError=${result.mediaError}` : '') +
      (result.errors?.length ? ` errors=${result.errors.join('; ')}` : '');
    console.log(line);
    if (!result.ok) {
      failed++;
      for (const l of logs) console.log('   ', l);
    }
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
