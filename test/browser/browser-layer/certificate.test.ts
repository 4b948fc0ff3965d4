// getFairPlayCertificate: format detection, once-per-URL sharing, failures not cached.
import { expect } from 'chai';
import { bytesToBase64 } from '../../../src/core/index.js';
import {
  clearFairPlayCertificateCache,
  getFairPlayCertificate,
  preconnectFairPlayCertificate,
} from '../../../src/browser/index.js';
import { fakeDer, rejection } from './fixtures.js';

function scripted(answers: Array<{ status: number; body: BodyInit } | 'network'>) {
  const calls: string[] = [];
  const fn = async (input: RequestInfo | URL) => {
    calls.push(String(input));
    await new Promise((r) => setTimeout(r, 20));
    const a = answers.shift() ?? { status: 500, body: 'no more answers' };
    if (a === 'network') throw new TypeError('Failed to fetch');
    return new Response(a.body, { status: a.status });
  };
  return { fetch: fn as typeof fetch, calls };
}

describe('getFairPlayCertificate', () => {
  beforeEach(() => clearFairPlayCertificateCache());
  const der = fakeDer();
  const b64 = bytesToBase64(der);

  it('takes bytes (raw DER), base64 text and PEM, all to the same DER', async () => {
    expect([...(await getFairPlayCertificate(der))]).to.deep.equal([...der]);
    expect([...(await getFairPlayCertificate(der.buffer as ArrayBuffer))]).to.deep.equal([...der]);
    expect([...(await getFairPlayCertificate(new TextEncoder().encode(`${b64}\n`)))]).to.deep.equal([...der]);
    const pem = `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
    expect([...(await getFairPlayCertificate(pem))]).to.deep.equal([...der]);
    expect([...(await getFairPlayCertificate(b64))]).to.deep.equal([...der]);
  });

  it('auto-detects DER and base64 answers from a real URL fetch (blob: URLs)', async () => {
    const rawUrl = URL.createObjectURL(new Blob([der as BlobPart], { type: 'application/octet-stream' }));
    const textUrl = URL.createObjectURL(new Blob([b64], { type: 'text/plain' }));
    expect([...(await getFairPlayCertificate(rawUrl))]).to.deep.equal([...der]);
    expect([...(await getFairPlayCertificate(textUrl))]).to.deep.equal([...der]);
  });

  it('fetches once per URL; concurrent callers share the fetch; each gets its own copy', async () => {
    const { fetch, calls } = scripted([{ status: 200, body: der as BlobPart as BodyInit }]);
    const url = 'https://certs.example/fairplay.cer';
    const all = await Promise.all([1, 2, 3].map(() => getFairPlayCertificate(url, { fetch })));
    expect(calls).to.deep.equal([url]);
    all[0]![5] = 0;
    expect(all[1]![5]).to.equal(der[5]);
    await getFairPlayCertificate(url, { fetch });
    expect(calls).to.have.length(1);
  });

  it('a failed fetch is a typed error and is not cached', async () => {
    const { fetch, calls } = scripted([{ status: 500, body: 'down' }, 'network', { status: 200, body: b64 }]);
    const url = 'https://certs.example/flaky.cer';
    expect((await rejection(getFairPlayCertificate(url, { fetch }))).httpStatus).to.equal(500);
    expect((await rejection(getFairPlayCertificate(url, { fetch }))).code).to.equal(-9010);
    expect([...(await getFairPlayCertificate(url, { fetch }))]).to.deep.equal([...der]);
    expect(calls).to.have.length(3);
  });

  it('garbage and empty answers are -9040 (and not cached)', async () => {
    const { fetch } = scripted([
      { status: 200, body: '<html><body>Login</body></html>' },
      { status: 200, body: '' },
      { status: 200, body: new Uint8Array([1, 2, 3, 0, 255]) as BlobPart as BodyInit },
    ]);
    for (const url of ['https://c.example/a', 'https://c.example/b', 'https://c.example/c']) {
      expect((await rejection(getFairPlayCertificate(url, { fetch }))).code).to.equal(-9040);
    }
    expect((await rejection(getFairPlayCertificate(new Uint8Array(0)))).code).to.equal(-9040);
  });

  it("a caller's abort does not cancel the shared fetch for others", async () => {
    const { fetch, calls } = scripted([{ status: 200, body: der as BlobPart as BodyInit }]);
    const url = 'https://certs.example/shared.cer';
    const ac = new AbortController();
    const a = getFairPlayCertificate(url, { fetch, signal: ac.signal });
    const b = getFairPlayCertificate(url, { fetch });
    ac.abort();
    expect((await rejection(a)).code).to.equal(-9012);
    expect((await b).length).to.equal(der.length);
    expect(calls).to.have.length(1);
  });

  it('hints a preconnect for a known certificate URL', () => {
    expect(preconnectFairPlayCertificate('https://cert-host.example/fp.cer')).to.equal(true);
    expect(preconnectFairPlayCertificate('https://cert-host.example/other.cer')).to.equal(false);
    expect(document.head.querySelector('link[rel="preconnect"][href="https://cert-host.example"]')).to.not.equal(null);
  });
});
