// Starts the servers the browser tests talk to, on ephemeral loopback ports:
// the ExpressPlay emulator (control routes on, test authenticator) and a
// node:http server running the reference token endpoint against it. The keys
// come from test/media/streams.json (or the table in docs/architecture.md);
// only this Node side reads them, never a page.

import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientCode, ExpressPlayError } from '../../../src/core/index.js';
import { createTokenHandler, startEmulator, type ResolvedTokenParams, type TokenRequestContext } from '../../../src/server/index.js';
import { startWorkerd } from '../../node/runtimes/workerd.js';

export interface TestServersConfig {
  /** The emulator's base URL. */
  emulatorUrl: string;
  /** The reference token endpoint (GET ?drm=…&contentId=…). */
  tokenEndpointUrl: string;
  /** The emulator's control routes: `${controlUrl}/faults`, `/reset`, `/stats`. */
  controlUrl: string;
  /** The README's Cloudflare Workers recipe running in workerd (when started with `pageOrigins`). */
  workerdTokenEndpointUrl?: string;
}

export interface TestServersOptions {
  /** The test pages' origins: when given, the Worker recipe also runs in workerd, allowing them. */
  pageOrigins?: readonly string[];
}

export interface TestServers {
  config: TestServersConfig;
  close(): Promise<void>;
}

export interface TestStream {
  kid: string;
  key: string;
  iv?: string;
}

export const TEST_AUTHENTICATOR = 'test-authenticator-for-browser-tests';

/** When a stream has no iv, FairPlay tokens use this fixed one (documented in docs/emulator.md). */
export const DEFAULT_FAIRPLAY_IV = '00000000000000000000000000000000';

/** docs/architecture.md's table, used until test/media/streams.json exists. */
const FALLBACK_STREAMS: Readonly<Record<string, TestStream>> = {
  'cenc-h264': { kid: '86bf0cec3721064d624f22d25849c816', key: 'c5a24cdf823112f0f9a9f7b0fe643619' },
  'cbcs-vp9': { kid: '4166b9ed5fc5c7492a9a03e312aac14e', key: 'e6b4adf36d6823c9ad3bc7ca0c74e601' },
  'fairplay-hls': { kid: '0171a925eecb61c1c7a0c20e3f31daed', key: '19bf99669a5d30ce5eb89e8201bba542' },
};

export function loadTestStreams(): Record<string, TestStream> {
  const file = new URL('../../media/streams.json', import.meta.url);
  if (!existsSync(file)) return { ...FALLBACK_STREAMS };
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Partial<TestStream>>;
  const out: Record<string, TestStream> = {};
  for (const [id, s] of Object.entries(json)) {
    if (typeof s?.kid === 'string' && typeof s.key === 'string') out[id] = { kid: s.kid, key: s.key, ...(typeof s.iv === 'string' ? { iv: s.iv } : {}) };
  }
  return out;
}

/** The test back end's policy: the stream's keys, the detected security level/HDCP or 1/0. */
export function resolveTestParams(streams: Readonly<Record<string, TestStream>>, ctx: TokenRequestContext): ResolvedTokenParams {
  const stream = Object.hasOwn(streams, ctx.contentId) ? streams[ctx.contentId] : undefined;
  if (!stream) throw new ExpressPlayError(ClientCode.NOT_FOUND, { details: `unknown content ${ctx.contentId.slice(0, 64)}`, httpStatus: 404 });
  if (ctx.drm === 'fairplay') return { contentKey: stream.key, iv: stream.iv ?? DEFAULT_FAIRPLAY_IV };
  if (ctx.drm === 'playready') return { kid: stream.kid, contentKey: stream.key };
  return {
    kid: stream.kid,
    contentKey: stream.key,
    contentId: ctx.contentId,
    securityLevel: ctx.securityLevel ?? 1,
    hdcpOutputControl: typeof ctx.hdcp === 'number' ? ctx.hdcp : 0,
  };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

export async function startTestServers(options: TestServersOptions = {}): Promise<TestServers> {
  const streams = loadTestStreams();
  const emulator = await startEmulator({ control: true, authenticators: { test: [TEST_AUTHENTICATOR], production: [] } });
  const handler = createTokenHandler({
    authenticator: TEST_AUTHENTICATOR,
    service: emulator.url,
    allowedOrigins: '*',
    timeoutMs: 5000,
    resolve: (_req, ctx) => resolveTestParams(streams, ctx),
  });
  const server = createServer(handler);
  let base: string;
  try {
    base = await listen(server);
  } catch (err) {
    await emulator.close();
    throw err;
  }
  // The same endpoint as a Cloudflare Worker in workerd (test/node/runtimes/workerd.ts).
  const workerd = options.pageOrigins ? await startWorkerd({ authenticator: TEST_AUTHENTICATOR, service: emulator.url, allowedOrigins: options.pageOrigins }) : undefined;
  return {
    config: {
      emulatorUrl: emulator.url,
      tokenEndpointUrl: `${base}/token`,
      controlUrl: `${emulator.url}/__emulator`,
      ...(workerd ? { workerdTokenEndpointUrl: new URL('/api/expressplay-token', workerd.url).href } : {}),
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await workerd?.mf.dispose();
      await emulator.close();
    },
  };
}
