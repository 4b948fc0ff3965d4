// readCappedBody: the one capped reader for bodies from the network (browser layer
// today; the token handler can read its upstream answers and requests with it too).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MAX_BODY_BYTES, readCappedBody } from '../../../src/core/capped-read.js';
import { ClientCode, ExpressPlayError } from '../../../src/core/index.js';

function counted(chunks: number, chunkSize: number) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (seen.pulled >= chunks) return controller.close();
        seen.pulled++;
        controller.enqueue(new Uint8Array(chunkSize).fill(1));
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

async function rejects(p: Promise<unknown>): Promise<ExpressPlayError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ExpressPlayError, String(e));
    return e;
  }
  assert.fail('resolved');
}

describe('security: readCappedBody', () => {
  it('reads a body up to the cap whole, and a null body as empty', async () => {
    const { stream } = counted(4, 16 * 1024);
    assert.equal((await readCappedBody(stream)).length, DEFAULT_MAX_BODY_BYTES);
    assert.equal((await readCappedBody(null)).length, 0);
  });
  it('over the cap: -9061, the stream is cancelled and not read further', async () => {
    const { stream, seen } = counted(1000, 16 * 1024);
    const err = await rejects(readCappedBody(stream, { drm: 'fairplay' }));
    assert.equal(err.code, ClientCode.RESPONSE_TOO_LARGE);
    assert.equal(err.drm, 'fairplay');
    assert.equal(seen.cancelled, true);
    assert.ok(seen.pulled <= 5, String(seen.pulled));
  });
  it('a declared Content-Length over the cap is refused before any read', async () => {
    const { stream, seen } = counted(1000, 1024);
    const err = await rejects(readCappedBody(stream, { maxBytes: 100, contentLength: '5000' }));
    assert.equal(err.code, ClientCode.RESPONSE_TOO_LARGE);
    assert.equal(seen.pulled, 0);
    assert.equal(seen.cancelled, true);
  });
  it('a server reading a request passes its own error (413 -9025)', async () => {
    const { stream } = counted(10, 1024);
    const err = await rejects(
      readCappedBody(stream, {
        maxBytes: 2048,
        tooLarge: (max) =>
          new ExpressPlayError(ClientCode.BODY_TOO_LARGE, { httpStatus: 413, details: `more than ${max} bytes` }),
      }),
    );
    assert.equal(err.code, ClientCode.BODY_TOO_LARGE);
    assert.equal(err.httpStatus, 413);
  });
  it('a Node request stream fits through Readable.toWeb', async () => {
    const { Readable } = await import('node:stream');
    const body = Readable.toWeb(
      Readable.from([Buffer.from('abc'), Buffer.from('def')]),
    ) as unknown as ReadableStream<Uint8Array>;
    assert.equal(Buffer.from(await readCappedBody(body, { maxBytes: 6 })).toString(), 'abcdef');
  });
});
