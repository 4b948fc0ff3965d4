// Shared bits of the server suites: a started emulator, valid parameter sets,
// and small HTTP helpers (fetch for ordinary calls, node:net for raw ones).

import { connect } from 'node:net';
import { encodeForm } from '../../../src/core/index.js';

export const TEST_KEY = 'test-key-1';
export const PROD_KEY = 'prod-key-1';
export const KID = '86bf0cec3721064d624f22d25849c816';
export const KEY = 'c5a24cdf823112f0f9a9f7b0fe643619';
export const IV = '00112233445566778899aabbccddeeff';

export type Pairs = [string, string][];

export const BASE: Readonly<Record<'wv' | 'fp' | 'pr', Pairs>> = {
  wv: [
    ['customerAuthenticator', TEST_KEY],
    ['kid', KID],
    ['contentKey', KEY],
    ['securityLevel', '1'],
    ['hdcpOutputControl', '0'],
  ],
  fp: [
    ['customerAuthenticator', TEST_KEY],
    ['contentKey', KEY],
    ['iv', IV],
  ],
  pr: [
    ['customerAuthenticator', TEST_KEY],
    ['kid', KID],
    ['contentKey', KEY],
  ],
};

/** The base pairs with some replaced (value undefined = removed) and some added. */
export function withParams(base: Pairs, change: Record<string, string | undefined> = {}, add: Pairs = []): Pairs {
  const out: Pairs = base.filter(([k]) => !(k in change)).map(([k, v]) => [k, v]);
  for (const [k, v] of Object.entries(change)) if (v !== undefined) out.push([k, v]);
  return [...out, ...add];
}

export interface Answer {
  status: number;
  type: string;
  body: string;
  headers: Headers;
}

export async function get(url: string, init: RequestInit = {}): Promise<Answer> {
  const r = await fetch(url, init);
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text(), headers: r.headers };
}

export function tokenGet(base: string, seg: string, pairs: Pairs): Promise<Answer> {
  return get(`${base}/hms/${seg}/token?${encodeForm(pairs)}`);
}

export function tokenPost(base: string, seg: string, pairs: Pairs): Promise<Answer> {
  return get(`${base}/hms/${seg}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: encodeForm(pairs),
  });
}

/** The error code in a JSON or HTML error answer. */
export function codeOf(a: Answer): number | undefined {
  if (a.type.startsWith('application/json')) return (JSON.parse(a.body) as { errorCode?: number }).errorCode;
  const m = /<h1>Error (-\d+)<\/h1>/.exec(a.body);
  return m ? Number(m[1]) : undefined;
}

export async function issueRightsUrl(base: string, seg: 'wv' | 'fp', pairs: Pairs): Promise<string> {
  const a = await tokenGet(base, seg, pairs);
  if (a.status !== 200) throw new Error(`token request failed: ${a.status} ${a.body}`);
  return a.body.trim();
}

/** Sends raw bytes on a socket; resolves with what came back and whether the server closed. */
export function raw(
  url: string,
  data: string,
  opts: { keepOpenMs?: number; waitMs?: number } = {},
): Promise<{ text: string; closed: boolean }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname);
    let text = '';
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed });
    }, opts.waitMs ?? 3000);
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve({ text, closed });
    });
    socket.on('connect', () => socket.write(data));
    socket.on('timeout', () => reject(new Error('socket timeout')));
  });
}

export function clearKeyBody(kidHex: string, type = 'temporary'): string {
  return JSON.stringify({ kids: [Buffer.from(kidHex, 'hex').toString('base64url')], type });
}
