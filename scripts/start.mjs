// `npm start`: the demo, on loopback, in one command.
//
// 1. Builds the library when dist/ is missing or older than src/ (`npm run build`).
// 2. Starts the development stack (dev/stack.ts: the ExpressPlay emulator, control
//    routes on, and the reference token endpoint), and one static server that also
//    hosts the token endpoint at /api/token (same origin as the page, as a real
//    site's back end usually is, so no CORS set-up is needed).
// 3. Prints ONE line with the URL to open. Ctrl-C / SIGTERM closes everything.
//
// Ports: PORT (page + token endpoint, default 8080) and EMULATOR_PORT (default 8787);
// a busy port falls back to a free one. Everything listens on 127.0.0.1 only, answers
// loopback Host names only (ALLOWED_HOSTS adds names: DNS rebinding guard), and the
// emulator answers browser requests from the demo page's own origin only.
//
// The keys of the test media (test/media/streams.json) are read on this side, by the
// token endpoint's `resolve` (dev/token-policy.ts), and never reach the page: the page
// only knows content ids and the token endpoint's URL. The server side runs from the
// TypeScript sources (through tsx), the page from the built dist/.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import { register } from 'tsx/esm/api';
import { BUILD_OUTPUTS, buildState } from './build-state.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const HOST = '127.0.0.1';
const say = (line) => process.stderr.write(`[npm start] ${line}\n`);

/* ------------------------------------------------------------------ build */

function ensureBuilt() {
  if (!existsSync(join(root, 'node_modules'))) {
    say('node_modules/ is missing: run `npm install` first.');
    process.exit(1);
  }
  const state = buildState(root);
  if (state === 'fresh') return;
  const missing = state === 'missing';
  const outputs = BUILD_OUTPUTS.map((f) => join(root, f));
  say(`${missing ? 'dist/ is missing' : 'dist/ is older than src/'}: npm run build …`);
  // stdout of the build goes to stderr so that the URL stays the only line on stdout.
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) {
    if (outputs.every((f) => existsSync(f)))
      say(`the build failed (exit ${r.status}); serving the previous dist/ — fix the errors above and restart.`);
    else {
      say(`the build failed (exit ${r.status}) and dist/ is incomplete.`);
      process.exit(1);
    }
  }
}

/* ------------------------------------------------------------------ streams */

/**
 * The demo players that play a stream on the ClearKey stand-in: hls.js needs the
 * `org.w3.clearkey` HLS streams, dash.js the DASH-IF ClearKey MPDs (docs/architecture.md,
 * "Test media"); Shaka and Video.js play the common-system DASH streams.
 */
function demoPlayersOf(id, stream) {
  if (id.startsWith('clearkey-hls')) return ['hlsjs'];
  if (id.startsWith('clearkey-dash')) return ['dashjs'];
  return stream.type === 'application/dash+xml' ? ['shaka', 'videojs'] : [];
}

/* ----------------------------------------------------------- static server */

/** Types mrmime (sirv's table) lacks, and text types with their charset. */
const EXTRA_TYPES = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.m4v': 'video/mp4',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.vtt': 'text/vtt; charset=utf-8',
};

/** URL prefix → directory (→ the only extensions served there). Nothing else of the repository is reachable. */
const MOUNTS = [
  ['/demo/', 'demo'],
  ['/dist/', 'dist'],
  // Media files only: test/media/streams.json holds the keys, which only `resolve` may read.
  [
    '/test/media/',
    'test/media',
    new Set(['.mpd', '.m4s', '.mp4', '.m4a', '.m4v', '.webm', '.m3u8', '.ts', '.aac', '.vtt']),
  ],
  ['/vendor/shaka-player/', 'node_modules/shaka-player/dist'],
  ['/vendor/video.js/', 'node_modules/video.js/dist'],
  ['/vendor/videojs-contrib-eme/', 'node_modules/videojs-contrib-eme/dist'],
  ['/vendor/hls.js/', 'node_modules/hls.js/dist'],
  ['/vendor/dashjs/', 'node_modules/dashjs/dist/modern/umd'],
];

/**
 * The mount and the path inside it for a URL path, or undefined. Refuses traversal, NUL
 * bytes, dotfiles, files outside the mount's extensions and symlinks out of the mount:
 * sirv's development mode (which re-reads files, as a rebuilt dist/ needs) checks none
 * of these, so they are checked here before it serves anything.
 */
function fileFor(pathname) {
  for (const mount of MOUNTS) {
    const [prefix, dir, extensions] = mount;
    if (!pathname.startsWith(prefix)) continue;
    if (extensions && !extensions.has(extname(pathname).toLowerCase())) return undefined;
    const base = resolvePath(root, dir);
    if (!existsSync(base)) return undefined;
    let rel = pathname.slice(prefix.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    if (rel.includes('\0') || rel.split('/').some((seg) => seg === '..' || seg.startsWith('.'))) return undefined;
    const full = resolvePath(base, rel);
    if (!full.startsWith(base + sep)) return undefined;
    try {
      const real = realpathSync(full);
      if (!real.startsWith(realpathSync(base) + sep)) return undefined;
      return statSync(real).isFile() ? { serve: mountServer(mount), rel } : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** One sirv instance per mount: types, ranges and streaming; nothing cached (a development server). */
const mountServers = new Map();
function mountServer([prefix, dir]) {
  if (!mountServers.has(prefix)) {
    mountServers.set(
      prefix,
      sirv(resolvePath(root, dir), {
        dev: true,
        extensions: [],
        setHeaders(res, path) {
          res.setHeader('x-content-type-options', 'nosniff');
          res.setHeader('cache-control', 'no-store');
          const type = EXTRA_TYPES[extname(path).toLowerCase()];
          if (type) res.setHeader('content-type', type);
        },
      }),
    );
  }
  return mountServers.get(prefix);
}

/** Hands a checked file to its mount's sirv, addressed by its path inside the mount. */
function serveFile(req, res, { serve, rel }) {
  req.url = `/${rel.split('/').map(encodeURIComponent).join('/')}`;
  serve(req, res, () => send(res, 404, 'text/plain; charset=utf-8', 'Not found\n'));
}

function send(res, status, type, body, headers = {}) {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body);
}

/** Host names the site answers to: loopback only, plus ALLOWED_HOSTS (comma-separated) if set. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const EXTRA_HOSTS = new Set(
  (process.env.ALLOWED_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean),
);

/** DNS rebinding guard: a page on a name the attacker re-points at 127.0.0.1 sends that name as Host. */
function hostAllowed(host) {
  if (host === undefined) return true;
  const h = host.trim().toLowerCase();
  const name = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.split(':')[0];
  return LOOPBACK_HOSTS.has(name) || name.endsWith('.localhost') || EXTRA_HOSTS.has(name) || EXTRA_HOSTS.has(h);
}

/** `app` is filled in once the emulator and the token endpoint are up (the URL is printed after that). */
function createSiteHandler(app) {
  return (req, res) => {
    if (!hostAllowed(req.headers.host))
      return send(res, 403, 'text/plain; charset=utf-8', 'Host not allowed (set ALLOWED_HOSTS to serve other names)\n');
    if (!app.tokenHandler) return send(res, 503, 'text/plain; charset=utf-8', 'Starting\n');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return send(res, 400, 'text/plain; charset=utf-8', 'Bad request\n');
    }
    if (pathname === '/api/token') return app.tokenHandler(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', { allow: 'GET, HEAD' });
    if (pathname === '/') return send(res, 302, 'text/plain; charset=utf-8', 'See /demo/\n', { location: '/demo/' });
    if (pathname === '/demo/config.json')
      return send(res, 200, EXTRA_TYPES['.json'], JSON.stringify(app.demoConfig, null, 2));
    const file = fileFor(pathname);
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'Not found\n');
    serveFile(req, res, file);
  };
}

/**
 * Slow clients (slowloris): the whole header within 5 s, the whole request within 10 s
 * (Node's defaults are 60 s and 300 s), checked every second. Responses (media) are not
 * limited: requestTimeout covers receiving the request only.
 */
const SERVER_TIMEOUTS = {
  headersTimeout: 5_000,
  requestTimeout: 10_000,
  connectionsCheckingInterval: 1_000,
  keepAliveTimeout: 5_000,
};

/* ------------------------------------------------------------------ ports */

function envPort(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    say(`${name}=${raw} is not a port number; using ${fallback}.`);
    return fallback;
  }
  return n;
}

/** Runs `start(port)`; when that port is taken, `start(0)` (a free one). */
async function withFallback(label, port, start) {
  try {
    return await start(port);
  } catch (err) {
    if (err?.code !== 'EADDRINUSE' || port === 0) throw err;
    say(`${label}: port ${port} is in use; using a free port instead.`);
    return start(0);
  }
}

function listen(server, port) {
  return new Promise((resolveListen, reject) => {
    const onError = (err) => reject(err);
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      resolveListen(server.address().port);
    });
  });
}

/* ------------------------------------------------------------------- main */

async function main() {
  ensureBuilt();
  // The development stack is TypeScript (shared with the tests and the benchmark): tsx loads it.
  register();
  const { startDevStack } = await import('../dev/stack.ts');

  // The site listens first: the emulator answers only the page's own origin, so it needs the port.
  const app = {};
  const site = createServer(SERVER_TIMEOUTS, createSiteHandler(app));
  const port = await withFallback('demo', envPort('PORT', 8080), (p) => listen(site, p));
  const url = `http://${HOST}:${port}/`;
  const pageOrigins = [`http://${HOST}:${port}`, `http://localhost:${port}`];

  // A development authenticator, new each start: it exists only in this process and
  // the emulator's memory, exactly where a real one lives (the back end).
  const authenticator = `dev-${randomBytes(16).toString('hex')}`;
  const stack = await withFallback('emulator', envPort('EMULATOR_PORT', 8787), (p) =>
    startDevStack({
      authenticator,
      emulator: {
        host: HOST,
        port: p,
        // Only the demo page may call it from a browser (licenses, stats, faults).
        allowedOrigins: pageOrigins,
        controlOrigins: pageOrigins,
        headersTimeoutMs: SERVER_TIMEOUTS.headersTimeout,
        requestTimeoutMs: SERVER_TIMEOUTS.requestTimeout,
      },
      tokenHandler: {
        log: (e) => {
          if (process.env.EXPRESSPLAY_DEMO_LOG)
            say(`token ${e.status} ${e.drm ?? ''} ${e.contentId ?? ''} ${e.code ?? ''} ${e.durationMs} ms`);
        },
      },
      // Tokens live 10 minutes; the correlation cookie names the content in the emulator's license log.
      policy: { expirationTime: '+600', cookie: (contentId) => `demo-${contentId}`.slice(0, 32) },
    }),
  );
  const { emulator, streams } = stack;
  app.tokenHandler = stack.tokenHandler;

  // What the page may know: content ids, manifests, the token endpoint, the rights host. No keys.
  app.demoConfig = {
    tokenEndpoint: '/api/token',
    allowedRightsHosts: [new URL(emulator.url).host],
    emulator: { url: emulator.url, stats: `${emulator.url}/__emulator/stats` },
    streams: Object.entries(streams)
      .map(([id, s]) => ({
        contentId: id,
        manifest: `/${s.manifest}`,
        type: s.type,
        scheme: s.scheme,
        codecs: s.codecs,
        players: demoPlayersOf(id, s),
      }))
      .filter((s) => s.players.length > 0),
  };
  // The one line a user (and the acceptance test) reads.
  process.stdout.write(`${url}\n`);
  say(`emulator at ${emulator.url} · token endpoint at ${url}api/token · Ctrl-C to stop`);

  let closing = false;
  const shutdown = async (signal) => {
    if (closing) return;
    closing = true;
    say(`${signal}: closing …`);
    site.closeAllConnections();
    await Promise.allSettled([new Promise((r) => site.close(() => r())), stack.close()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  say(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
