// The README's Express 5, Hono (@hono/node-server) and node:http recipes, run as
// they are written (imports pointed at src/), against the emulator.
import { after, before, describe, it } from 'node:test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { once } from 'node:events';
import { startEmulator, type Emulator } from '../../../src/server/index.js';
import { checkEndpointContract } from './contract.js';
import { installAppFunctions, root, writeRecipe } from './recipe.js';

const AUTHENTICATOR = 'recipe-test-authenticator-0123456789';

describe('README recipes on Node runtimes, against the emulator', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ authenticators: { test: [AUTHENTICATOR] } });
    installAppFunctions();
    process.env['EXPRESSPLAY_AUTHENTICATOR'] = AUTHENTICATOR;
    process.env['EXPRESSPLAY_SERVICE'] = emu.url;
    process.env['PORT'] = '0';
  });
  after(async () => {
    await emu.close();
    rmSync(join(root, '.tmp', `recipes-${process.pid}`), { recursive: true, force: true });
  });

  for (const [title, file] of [
    ['Express 5', 'express.ts'],
    ['Hono', 'hono.ts'],
    ['node:http', 'node-http.ts'],
  ] as const) {
    it(`${title}: the recipe serves the endpoint contract`, async () => {
      const mod = (await import(writeRecipe(title, file))) as { server: Server };
      const server = mod.server;
      if (!server.listening) await once(server, 'listening');
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        await checkEndpointContract((path, init) => fetch(`${base}${path}`, init), emu);
      } finally {
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections?.();
        });
      }
    });
  }
});
