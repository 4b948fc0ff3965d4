// The benchmark's servers: the real emulator (ExpressPlay) with per-route latency,
// and an "app" origin that serves the pages, the players' UMD builds, our code
// bundled by esbuild, the test media (with the CDN latency) and the reference
// token endpoint (the customer's back end, same origin as the app, as in most
// deployments: no CORS preflight on the token request).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Emulator } from '../src/server/index.js';
import { startDevStack } from '../dev/stack.js';
import type { DevStream } from '../dev/streams.js';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface Latency {
  mediaMs: number;
  tokenMs: number;
  rightsMs: number;
}

export interface BenchServers {
  appUrl: string;
  emulator: Emulator;
  streams: Readonly<Record<string, DevStream>>;
  setLatency(latency: Latency): void;
  /** Requests seen by the app server since the last reset, by kind. */
  appCounts(): Record<string, number>;
  resetCounts(): void;
  close(): Promise<void>;
}

const AUTHENTICATOR = 'bench-authenticator-0123456789abcdef';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.mpd': 'application/dash+xml',
  '.m3u8': 'application/x-mpegURL',
  '.mp4': 'video/mp4',
  '.m4s': 'video/iso.segment',
};

// Vendor scripts the pages load with script tags, as drop-in users do.
const VENDOR: Record<string, string> = {
  '/vendor/shaka.js': 'node_modules/shaka-player/dist/shaka-player.compiled.js',
  '/vendor/video.js': 'node_modules/video.js/dist/video.min.js',
  '/vendor/contrib-eme.js': 'node_modules/videojs-contrib-eme/dist/videojs-contrib-eme.min.js',
  '/vendor/hls.js': 'node_modules/hls.js/dist/hls.min.js',
  '/vendor/dash.js': 'node_modules/dashjs/dist/modern/umd/dash.all.min.js',
};

const PAGE_SCRIPTS: Record<string, string[]> = {
  shaka: ['/vendor/shaka.js'],
  videojs: ['/vendor/video.js', '/vendor/contrib-eme.js'],
  hlsjs: ['/vendor/hls.js'],
  dashjs: ['/vendor/dash.js'],
};

function page(player: string): string {
  const scripts = PAGE_SCRIPTS[player]!;
  return `<!doctype html><meta charset="utf-8"><title>bench ${player}</title>
<div id="stage"></div>
${scripts.map((s) => `<script src="${s}"></script>`).join('\n')}
<script src="/bench-page.js"></script>`;
}

/** Bundles the page-side harness (naive integrations, our adapters, instrumentation) once per bench run. */
async function bundle(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

export async function startBenchServers(): Promise<BenchServers> {
  // 10 minutes: replays within a run are inside the token's life.
  const { streams, emulator, tokenHandler, close } = await startDevStack({
    authenticator: AUTHENTICATOR,
    policy: { expirationTime: '+600' },
  });
  const [pageJs, instrumentJs] = await Promise.all([bundle('bench/page/main.ts'), bundle('bench/page/instrument.ts')]);
  const counts: Record<string, number> = {};
  const count = (k: string) => {
    counts[k] = (counts[k] ?? 0) + 1;
  };

  async function serveFile(res: ServerResponse, file: string, cache: string): Promise<void> {
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      res
        .writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': cache,
          'access-control-allow-origin': '*',
        })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    const pagePlayer = /^\/(\w+)\.html$/.exec(path)?.[1];
    if (pagePlayer && Object.hasOwn(PAGE_SCRIPTS, pagePlayer)) {
      res.writeHead(200, { 'content-type': TYPES['.html']! }).end(page(pagePlayer));
      return;
    }
    if (path === '/bench-page.js') {
      res.writeHead(200, { 'content-type': TYPES['.js']! }).end(pageJs);
      return;
    }
    if (path === '/instrument.js') {
      res.writeHead(200, { 'content-type': TYPES['.js']! }).end(instrumentJs);
      return;
    }
    if (path === '/api/token') {
      count('token');
      tokenHandler(req, res);
      return;
    }
    const vendor = VENDOR[path];
    if (vendor) {
      await serveFile(res, join(ROOT, vendor), 'max-age=3600');
      return;
    }
    if (path.startsWith('/test/media/')) {
      const file = normalize(join(ROOT, path));
      if (!file.startsWith(join(ROOT, 'test/media') + '/')) {
        res.writeHead(403).end();
        return;
      }
      count('media');
      // The CDN's latency, configured in the emulator's fault controller ('media'
      // route) so one place holds every route's latency.
      await emulator.faults.apply('media');
      // no-store: a replay in the same page fetches its media again, as the first
      // playback did, so replay vs limit compares the license path only.
      await serveFile(res, file, 'no-store');
      return;
    }
    res.writeHead(404).end();
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    appUrl,
    emulator,
    streams,
    setLatency(l) {
      emulator.faults.reset();
      emulator.faults.set({
        media: { latencyMs: l.mediaMs },
        token: { latencyMs: l.tokenMs },
        rights: { latencyMs: l.rightsMs },
      });
    },
    appCounts: () => ({ ...counts }),
    resetCounts() {
      for (const k of Object.keys(counts)) delete counts[k];
    },
    close: async () => {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      await close();
    },
  };
}
