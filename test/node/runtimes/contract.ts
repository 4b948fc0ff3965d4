// What every runtime's endpoint must do, checked over HTTP against the emulator:
// a token whose rights URL gives the stream's ClearKey license, the app's
// entitlement check, a 404 for unknown content, and a cross-site refusal that
// costs no token.
import assert from 'node:assert/strict';
import type { Emulator } from '../../../src/server/index.js';
import { loadStreams } from '../../../dev/streams.js';
import { clearKeyBody } from '../server/helpers.js';
import { BLOCKED_VIEWER } from './recipe.js';

type Send = (path: string, init?: RequestInit) => Promise<Response>;

export async function checkEndpointContract(send: Send, emu: Emulator): Promise<void> {
  const [kid, key] = Object.entries(loadStreams()['cenc-h264']!.keys)[0]!;
  const stream = { kid, key };
  const tokens = () => emu.stats().tokensIssued.widevine;
  const t0 = tokens();
  const ok = await send(`/api/expressplay-token?drm=clearkey&contentId=cenc-h264&kids=${stream.kid}`, {
    headers: { accept: 'application/json' },
  });
  const okBody = await ok.text();
  assert.equal(ok.status, 200, okBody);
  const { rightsUrl, expiresAt } = JSON.parse(okBody) as { rightsUrl: string; expiresAt: string };
  assert.ok(Math.abs(Date.parse(expiresAt) - (Date.now() + 600_000)) < 10_000, 'expiresAt from expirationTime +600');
  const license = await fetch(rightsUrl, { method: 'POST', body: clearKeyBody(stream.kid) });
  const jwk = (await license.json()) as { keys: { k: string }[] };
  assert.equal(
    Buffer.from(jwk.keys[0]!.k, 'base64url').toString('hex'),
    stream.key,
    'the license carries the stream key',
  );
  const post = await send('/api/expressplay-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ drm: 'widevine', contentId: 'cenc-h264', kids: [stream.kid] }),
  });
  assert.equal(post.status, 200, await post.text());
  assert.equal(tokens() - t0, 2);

  const blocked = await send('/api/expressplay-token?drm=widevine&contentId=cenc-h264', {
    headers: { 'x-viewer': BLOCKED_VIEWER },
  });
  assert.equal(blocked.status, 403);
  assert.equal(((await blocked.json()) as { errorCode: number }).errorCode, -9013);
  const unknown = await send('/api/expressplay-token?drm=widevine&contentId=nope');
  assert.equal(unknown.status, 404);
  const crossSite = await send('/api/expressplay-token?drm=widevine&contentId=cenc-h264', {
    headers: { origin: 'https://evil.example' },
  });
  assert.equal(crossSite.status, 403);
  assert.equal(((await crossSite.json()) as { errorCode: number }).errorCode, -9062);
  assert.equal(tokens() - t0, 2, 'refused requests minted nothing');
}
