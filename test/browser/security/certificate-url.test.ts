// Issue #11 item 10: the FairPlay certificate URL is checked like a rights URL before
// anything is fetched: https, http on loopback only, and an optional host allowlist.
import { expect } from 'chai';
import { ClientCode } from '../../../src/core/index.js';
import { clearFairPlayCertificateCache, getFairPlayCertificate } from '../../../src/browser/index.js';
import { fakeDer, rejection } from '../browser-layer/fixtures.js';

function recordingFetch() {
  const calls: string[] = [];
  const fetch = ((input: RequestInfo | URL) => {
    calls.push(String(input));
    return Promise.resolve(new Response(fakeDer() as Uint8Array<ArrayBuffer>, { status: 200 }));
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

describe('security: FairPlay certificate URL policy', () => {
  beforeEach(() => clearFairPlayCertificateCache());

  for (const url of [
    'http://certs.example.com/fairplay.cer',
    'file:///etc/passwd',
    'data:application/octet-stream;base64,MIIBCgKCAQEA',
    'javascript:alert(1)',
    'ftp://certs.example.com/fairplay.cer',
    'blob:https://app.test/0d5a',
  ]) {
    it(`refuses ${url.slice(0, 40)} with -9022 and fetches nothing`, async () => {
      const { fetch, calls } = recordingFetch();
      const err = await rejection(getFairPlayCertificate(url, { fetch }));
      expect(err.code).to.equal(ClientCode.INSECURE_URL);
      expect(err.drm).to.equal('fairplay');
      expect(calls).to.deep.equal([]);
    });
  }

  it('fetches https anywhere, and http on loopback only', async () => {
    const { fetch, calls } = recordingFetch();
    await getFairPlayCertificate('https://certs.example.com/fairplay.cer', { fetch });
    await getFairPlayCertificate('http://127.0.0.1:9/fairplay.cer', { fetch });
    await getFairPlayCertificate('http://localhost:9/fairplay.cer', { fetch });
    expect(calls.length).to.equal(3);
  });

  it('allowedCertificateHosts: a host off the list is -9021, one on it is fetched', async () => {
    const { fetch, calls } = recordingFetch();
    const err = await rejection(
      getFairPlayCertificate('https://evil.example/fairplay.cer', {
        fetch,
        allowedCertificateHosts: ['certs.example.com'],
      }),
    );
    expect(err.code).to.equal(ClientCode.RIGHTS_URL_NOT_ALLOWED);
    expect(err.message).to.contain('allowedCertificateHosts');
    await getFairPlayCertificate('https://certs.example.com/fairplay.cer', {
      fetch,
      allowedCertificateHosts: ['certs.example.com'],
    });
    expect(calls).to.deep.equal(['https://certs.example.com/fairplay.cer']);
  });

  it("a blob: URL of this page's own is read (bytes the page already holds)", async () => {
    const url = URL.createObjectURL(new Blob([fakeDer() as Uint8Array<ArrayBuffer>]));
    expect((await getFairPlayCertificate(url))[0]).to.equal(0x30);
    URL.revokeObjectURL(url);
  });

  it('a relative URL resolves against the page (loopback in tests) and is fetched', async () => {
    const { fetch, calls } = recordingFetch();
    await getFairPlayCertificate('/fairplay.cer', { fetch });
    expect(new URL(calls[0]!).pathname).to.equal('/fairplay.cer');
  });
});
