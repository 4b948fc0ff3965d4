// Shared by the token-handler security tests: the node:http endpoint on an
// ephemeral loopback port, and the forms a secret can take in text.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTokenHandler, type TokenHandlerOptions } from '../../../src/server/index.js';

export interface Served {
  url: string;
  origin: string;
  close(): Promise<void>;
}

export async function serve(options: TokenHandlerOptions): Promise<Served> {
  const server: Server = createServer(createTokenHandler(options));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/token`,
    origin,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

const hex = (c: string) => c.charCodeAt(0).toString(16).padStart(2, '0');

/** The secret in every encoding a browser (or a person) could decode. Written out here, independent of src/. */
export function secretForms(secret: string): Record<string, string> {
  const chars = [...secret];
  return {
    raw: secret,
    percentUpper: encodeURIComponent(secret),
    percentLower: encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    percentEveryChar: chars.map((c) => `%${hex(c)}`).join(''),
    htmlDecimal: chars.map((c) => `&#${c.charCodeAt(0)};`).join(''),
    htmlHex: chars.map((c) => `&#x${hex(c)};`).join(''),
    jsonEscape: chars.map((c) => `\\u00${hex(c)}`).join(''),
  };
}

/** True when `text` contains any form of the secret, or a 6-character piece of it. */
export function leaks(text: string, secret: string): boolean {
  if (Object.values(secretForms(secret)).some((f) => text.includes(f))) return true;
  for (let i = 0; i + 6 <= secret.length; i++) if (text.includes(secret.slice(i, i + 6))) return true;
  return false;
}
