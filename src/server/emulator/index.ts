// startEmulator: a local ExpressPlay on node:http for tests, the demo and benchmarks.

import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isHex } from '../../core/index.js';
import { createFaultController, type FaultConfig, type FaultController } from './faults.js';
import { isLoopbackOrigin } from '../request-guard.js';
import { createRouter } from './routes.js';
import { MIN_TOKEN_SECRET_BYTES, tokenSecretBytes } from './token-format.js';
import {
  emptyStats,
  type EmulatorLogEntry,
  type EmulatorState,
  type EmulatorStats,
  type ServiceName,
} from './state.js';

/** Options of {@link startEmulator}. Only `authenticators` is required. */
export interface EmulatorOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1: loopback only. */
  host?: string;
  /** The customer authenticators the service knows, per service. */
  authenticators: {
    /** Authenticators of the test service. */
    test?: readonly string[];
    /** Authenticators of the production service. */
    production?: readonly string[];
  };
  /** Which service this emulator plays (default `test`); the other set's keys get -2018. */
  service?: ServiceName;
  /** Base URL put in rights URLs (behind a proxy / in a container); default the listening URL. */
  publicUrl?: string;
  /** Key for tokens, at least 32 bytes (UTF-8 for a string); random per start by default (tokens die with the process). */
  tokenSecret?: string | Uint8Array;
  /** Serve /__emulator/* (faults, reset, stats). Default false. */
  control?: boolean;
  /** Initial fault configuration. */
  faults?: FaultConfig;
  /** One structured entry per token issued/refused and license served/refused. Never carries the authenticator or a token. */
  log?: (entry: EmulatorLogEntry) => void;
  /** Clock (ms since the epoch), for tests. */
  now?: () => number;
  /** Keys for tokens that name only a `kid` (kid hex or `^name` → key hex): the emulator's "key store". */
  keyStore?: Readonly<Record<string, string>>;
  /** CORS of the token and rights routes: `'*'` (default) echoes any origin; a list allows those only. */
  allowedOrigins?: '*' | readonly string[];
  /**
   * Origins whose pages may use the control routes. Default: pages served from this
   * machine (`http(s)://localhost|127.0.0.1|[::1]` on any port). A browser request
   * from any other origin is 403 -9062; programs (no `Origin`) are not affected.
   */
  controlOrigins?: readonly string[];
  /**
   * `Host` names (or `name:port`) answered besides `localhost`, `*.localhost` and IP
   * literals, and the `publicUrl` host; any other is 403 -9064 (DNS rebinding guard).
   * Set it when the emulator is reached by a DNS name (a container, a LAN host).
   */
  allowedHosts?: readonly string[];
  /** Largest request body, bytes (default 1 MiB); more gets 413. */
  bodyLimit?: number;
  /** Slow-client limits (slowloris): headers and the whole request, ms. Default 10 000 each. */
  headersTimeoutMs?: number;
  /** Time limit for the whole request, ms (default 10 000; never below `headersTimeoutMs`). */
  requestTimeoutMs?: number;
  /** Random source for failRate (tests). */
  random?: () => number;
}

/** A running emulator, as {@link startEmulator} resolves it. */
export interface Emulator {
  /** `http://host:port`, no trailing slash. */
  url: string;
  /** Fault injection, in process (the same as `POST /__emulator/faults`). */
  faults: FaultController;
  /** A snapshot of the counters (tokens issued, licenses served, rejections, faults injected). */
  stats(): EmulatorStats;
  /** Stops listening and closes every connection; resolves when the server is closed. */
  close(): Promise<void>;
}

/** The host (`name[:port]`) of `publicUrl`, which the emulator must answer to. */
function publicHost(publicUrl: string): string {
  try {
    return new URL(publicUrl).host;
  } catch {
    throw new TypeError(`publicUrl is not an absolute URL: ${publicUrl}`);
  }
}

function validKeyStore(store: Readonly<Record<string, string>> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [kid, key] of Object.entries(store ?? {})) {
    if (!isHex(key, 32)) throw new TypeError(`keyStore: key for ${kid} must be 32 hex characters`);
    out.set(kid.startsWith('^') ? kid : kid.toLowerCase(), key.toLowerCase());
  }
  return out;
}

/**
 * Starts a local ExpressPlay on `node:http` for tests, the demo and benchmarks
 * (see docs/emulator.md). It serves `GET|POST /hms/{wv,fp,pr}/token` with the
 * same validation and codes as the real service (`core/rules.ts`), and
 * `POST /hms/{wv,fp,pr}/rights/?ExpressPlayToken=…`: ClearKey licenses (JWK set)
 * on the Widevine and PlayReady paths, a stand-in CKC for FairPlay, and -9044
 * for real Widevine/PlayReady challenges (it cannot mint real licenses). With
 * `control: true` also `/__emulator/faults`, `/__emulator/reset`, `/__emulator/stats`.
 *
 * Tokens are HMAC-signed with `tokenSecret` (random per start by default).
 *
 * @returns once listening; `url` is the address to use as `service` for
 * `buildTokenRequest` / `createTokenHandler`.
 * @throws TypeError for a `keyStore` key that is not 32 hex characters or a
 * `tokenSecret` shorter than 32 bytes; -9001
 * (`ExpressPlayError`) for an invalid initial fault config; the listen error
 * (e.g. `EADDRINUSE`).
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ authenticators: { test: ['dev-authenticator'] } });
 * const handler = createTokenHandler({ authenticator: 'dev-authenticator', service: emulator.url, resolve });
 * // …
 * await emulator.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const sets = {
    test: new Set(options.authenticators?.test ?? []),
    production: new Set(options.authenticators?.production ?? []),
  };
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 10_000, headersTimeout);
  const faults = createFaultController(options.faults, options.random);
  let url = '';
  const secret =
    options.tokenSecret === undefined ? randomBytes(MIN_TOKEN_SECRET_BYTES) : tokenSecretBytes(options.tokenSecret);
  const log = options.log;
  const state: EmulatorState = {
    service: options.service ?? 'test',
    authenticators: sets,
    secret,
    baseUrl: () => (options.publicUrl ?? url).replace(/\/+$/, ''),
    keyStore: validKeyStore(options.keyStore),
    faults,
    stats: emptyStats(),
    firstRedeemed: new Map(),
    control: options.control ?? false,
    allowedOrigins: options.allowedOrigins ?? '*',
    controlOrigin: options.controlOrigins ? (origin) => options.controlOrigins!.includes(origin) : isLoopbackOrigin,
    allowedHosts: [...(options.allowedHosts ?? []), ...(options.publicUrl ? [publicHost(options.publicUrl)] : [])],
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    now: options.now ?? Date.now,
    log(entry) {
      if (!log) return;
      try {
        log({ time: new Date(state.now()).toISOString(), ...entry });
      } catch {
        // A failing logger must not fail the request.
      }
    },
  };
  const router = createRouter(state);
  const server: Server = createServer(
    {
      headersTimeout,
      requestTimeout,
      // Node checks the two timeouts on this interval (30 s by default): keep it below them.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
      keepAliveTimeout: 5000,
    },
    (req, res) => {
      router(req, res).catch(() => res.destroy());
    },
  );
  // Malformed HTTP (bad request line, oversized headers): answer 400 and close, never throw.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    const line =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${line}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  url = `http://${host}:${addr.port}`;
  return {
    url,
    faults,
    stats: () => ({ ...structuredClone(state.stats), faultsInjected: faults.injected }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type { EmulatorLogEntry, EmulatorStats, ServiceName } from './state.js';
export type { FaultConfig, FaultController, FaultRoute, ForcedExpiry, RouteFault, InjectedFailure } from './faults.js';
export { decodeStandInCkc, makeStandInCkc, type StandInCkc } from './fairplay-ckc.js';
export { aesKeyWrap, aesKeyUnwrap } from './aes-kw.js';
