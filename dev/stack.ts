// The development stack every local run uses — `npm start`, the browser test servers
// and the benchmark: the ExpressPlay emulator (control routes on) and the reference
// token endpoint in front of it, whose `resolve` is the development token policy over
// the test media's keys. What differs between those runs is options; where the token
// endpoint is served (its own server, or a route of a site) is the caller's choice.

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createTokenHandler,
  startEmulator,
  type Emulator,
  type EmulatorOptions,
  type TokenHandlerOptions,
} from '../src/server/index.js';
import { loadStreams, type DevStream } from './streams.js';
import { refusedKids, resolveDevToken, type TokenPolicyOptions } from './token-policy.js';

export interface DevStackOptions {
  /** The back end's authenticator, known to the emulator's test service. */
  authenticator: string;
  /** The emulator's other options (host, port, origins, slow-client limits). */
  emulator?: Omit<EmulatorOptions, 'authenticators' | 'control'>;
  /** The token endpoint's other options (CORS, timeout, log). */
  tokenHandler?: Omit<TokenHandlerOptions, 'authenticator' | 'service' | 'resolve'>;
  /** Terms added to every token (lifetime, correlation cookie). */
  policy?: Omit<TokenPolicyOptions, 'refused'>;
  /** Refuse the key ids a token request lists in `refuseKids=` (the browser tests' weak-device policy). */
  refuseKidsFromQuery?: boolean;
}

export interface DevStack {
  /** test/media/streams.json: keys for the token policy, descriptions for pages. */
  streams: Readonly<Record<string, DevStream>>;
  emulator: Emulator;
  /** The token endpoint as a node:http handler. */
  tokenHandler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Closes the emulator (the caller closes the server it mounted the token endpoint on). */
  close(): Promise<void>;
}

export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const streams = loadStreams();
  const emulator = await startEmulator({
    ...options.emulator,
    authenticators: { test: [options.authenticator] },
    control: true,
  });
  const tokenHandler = createTokenHandler({
    ...options.tokenHandler,
    authenticator: options.authenticator,
    service: emulator.url,
    resolve: (req, ctx) =>
      resolveDevToken(streams, ctx, {
        ...options.policy,
        ...(options.refuseKidsFromQuery ? { refused: refusedKids(req) } : {}),
      }),
  });
  return { streams, emulator, tokenHandler, close: () => emulator.close() };
}
