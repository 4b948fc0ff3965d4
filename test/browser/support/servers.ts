// Starts the servers the browser tests talk to, on ephemeral loopback ports: the
// development stack (dev/stack.ts: the ExpressPlay emulator with its control routes,
// and the reference token endpoint over test/media/streams.json's keys) with the
// token endpoint on a node:http server of its own. Only this Node side reads the
// keys, never a page.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDevStack } from '../../../dev/stack.js';
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

export const TEST_AUTHENTICATOR = 'test-authenticator-for-browser-tests';

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

export async function startTestServers(options: TestServersOptions = {}): Promise<TestServers> {
  const stack = await startDevStack({
    authenticator: TEST_AUTHENTICATOR,
    tokenHandler: { allowedOrigins: '*', timeoutMs: 5000 },
    refuseKidsFromQuery: true,
  });
  const { emulator } = stack;
  const server = createServer(stack.tokenHandler);
  let base: string;
  try {
    base = await listen(server);
  } catch (err) {
    await stack.close();
    throw err;
  }
  // The same endpoint as a Cloudflare Worker in workerd (test/node/runtimes/workerd.ts).
  const workerd = options.pageOrigins
    ? await startWorkerd({
        authenticator: TEST_AUTHENTICATOR,
        service: emulator.url,
        allowedOrigins: options.pageOrigins,
      })
    : undefined;
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
      await stack.close();
    },
  };
}
