// Issue #11 item 2 (browser side): every body the browser layer reads from the network
// is capped (64 KiB by default, configurable), and over the cap the stream is cancelled
// rather than read on. A hostile or broken server answers 4 MiB; the test counts what
// was pulled from the stream.
import { expect } from 'chai';
import { ClientCode } from '../../../src/core/index.js';
import {
  clearFairPlayCertificateCache,
  createTokenClient,
  getFairPlayCertificate,
  requestLicense,
} from '../../../src/browser/index.js';
import { rejection } from '../browser-layer/fixtures.js';

const CHUNK = 16 * 1024;

/** A body of `total` bytes of `fill`, made on demand, that records how much was pulled and whether it was cancelled. */
function hugeBody(total: number, fill = 0x61) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (seen.pulled >= total) {
          controller.close();
          return;
        }
        seen.pulled += CHUNK;
        controller.enqueue(new Uint8Array(CHUNK).fill(fill));
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

function answering(status: number, total: number, headers: Record<string, string> = {}) {
  const body = hugeBody(total);
  const fetch = (() => Promise.resolve(new Response(body.stream, { status, headers }))) as typeof globalThis.fetch;
  return { fetch, seen: body.seen };
}

const FOUR_MIB = 4 * 1024 * 1024;
const CAP = 64 * 1024;

describe('security: bodies read by the browser layer are capped', () => {
  beforeEach(() => clearFairPlayCertificateCache());

  it('token endpoint success answer over 64 KiB: -9061, stream cancelled', async () => {
    const { fetch, seen } = answering(200, FOUR_MIB, { 'content-type': 'text/uri-list' });
    const client = createTokenClient({ endpoint: 'https://app.test/token', fetch, retry: { maxAttempts: 1 } });
    const err = await rejection(client.getRightsUrl({ drm: 'widevine', contentId: 'c' }));
    expect(err.code).to.equal(ClientCode.RESPONSE_TOO_LARGE);
    expect(seen.cancelled).to.equal(true);
    expect(seen.pulled).to.be.at.most(CAP + 2 * CHUNK);
    client.dispose();
  });

  it('token endpoint error page over 64 KiB: -9061, not parsed, not retried', async () => {
    let calls = 0;
    const body = hugeBody(FOUR_MIB);
    const fetch = (() => {
      calls++;
      return Promise.resolve(new Response(body.stream, { status: 500, headers: { 'content-type': 'text/html' } }));
    }) as typeof globalThis.fetch;
    const client = createTokenClient({ endpoint: 'https://app.test/token', fetch });
    const err = await rejection(client.getRightsUrl({ drm: 'widevine', contentId: 'c' }));
    expect(err.code).to.equal(ClientCode.RESPONSE_TOO_LARGE);
    expect(calls).to.equal(1);
    expect(body.seen.cancelled).to.equal(true);
    client.dispose();
  });

  it('rights server answer (license or error) over 64 KiB: -9061', async () => {
    for (const status of [200, 400]) {
      const { fetch, seen } = answering(status, FOUR_MIB);
      const err = await rejection(
        requestLicense('https://wv.service.expressplay.com/hms/wv/rights/?ExpressPlayToken=x', new Uint8Array(4), {
          drm: 'widevine',
          fetch,
        }),
      );
      expect(err.code).to.equal(ClientCode.RESPONSE_TOO_LARGE);
      expect(err.drm).to.equal('widevine');
      expect(seen.cancelled).to.equal(true);
    }
  });

  it('FairPlay certificate over 64 KiB: -9061', async () => {
    const { fetch, seen } = answering(200, FOUR_MIB);
    const err = await rejection(getFairPlayCertificate('https://app.test/fairplay.cer', { fetch }));
    expect(err.code).to.equal(ClientCode.RESPONSE_TOO_LARGE);
    expect(seen.cancelled).to.equal(true);
  });

  it('a declared Content-Length over the cap is refused before reading', async () => {
    const { fetch, seen } = answering(200, FOUR_MIB, { 'content-length': String(FOUR_MIB) });
    const err = await rejection(
      requestLicense('https://wv.service.expressplay.com/hms/wv/rights/?ExpressPlayToken=x', new Uint8Array(4), {
        drm: 'widevine',
        fetch,
      }),
    );
    expect(err.code).to.equal(ClientCode.RESPONSE_TOO_LARGE);
    expect(seen.pulled).to.equal(0);
  });

  it('the cap is configurable: maxBodyBytes lets a larger license through, and a smaller cap refuses a small one', async () => {
    const big = answering(200, 256 * 1024);
    const license = await requestLicense('https://wv.service.expressplay.com/hms/wv/rights/', new Uint8Array(4), {
      drm: 'widevine',
      fetch: big.fetch,
      maxBodyBytes: 512 * 1024,
    });
    expect(license.length).to.equal(256 * 1024);
    const small = answering(200, 2 * CHUNK);
    const err = await rejection(
      requestLicense('https://wv.service.expressplay.com/hms/wv/rights/', new Uint8Array(4), {
        drm: 'widevine',
        fetch: small.fetch,
        maxBodyBytes: CHUNK,
      }),
    );
    expect(err.code).to.equal(ClientCode.RESPONSE_TOO_LARGE);
  });

  it('an answer at the cap is read whole', async () => {
    const { fetch } = answering(200, CAP);
    const license = await requestLicense('https://wv.service.expressplay.com/hms/wv/rights/', new Uint8Array(4), {
      drm: 'widevine',
      fetch,
    });
    expect(license.length).to.equal(CAP);
  });
});
