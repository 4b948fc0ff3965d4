// Fault matrix, FairPlay certificate: a 404, a base64 body (accepted), garbage;
// dispose (detach) while the certificate is still downloading. FairPlay cannot
// run in Chromium, so these go through getFairPlayCertificate and attachFairPlay
// (which starts the certificate fetch at attach time) rather than a player.
import { expect } from 'chai';
import { attachFairPlay, getFairPlayCertificate } from '../../../src/index.js';
import { resetEmulator, setFaults, testConfig } from '../support/page.js';
import { startScope, type Scope } from './instrument.js';
import { expectClean, expectTypedError, expectWithin } from './support.js';
import { newVideo, sleep, waitFor } from '../support/helpers.js';

const FIXTURES = `${location.origin}/test/browser/faults/fixtures`;
let unique = 0;
const fresh = (url: string) => `${url}${url.includes('?') ? '&' : '?'}n=${Date.now()}-${unique++}`;

describe('fault matrix: FairPlay certificate', function () {
  this.timeout(15000);
  let scope: Scope;
  beforeEach(async () => {
    await resetEmulator();
    scope = startScope();
  });
  afterEach(async () => {
    scope.close();
    await resetEmulator();
  });

  it('404: typed -9023 with status 404; not cached (the next call fetches again)', async () => {
    const url = `${FIXTURES}/no-such-certificate.der`;
    const err = await expectTypedError(getFairPlayCertificate(url), -9023, 2000);
    expect(err.httpStatus).to.equal(404);
    await expectTypedError(getFairPlayCertificate(url), -9023, 2000);
    // Resource timing records a fetch when its response ends, which can come just after the
    // typed error (the error body is not read): give the second entry a moment to appear.
    const fetches = () => performance.getEntriesByName(new URL(url).href).length;
    await waitFor(() => fetches() >= 2 || undefined, 2000, 'the second fetch in resource timing').catch(
      () => undefined,
    );
    expect(fetches(), 'two fetches').to.equal(2);
    await expectClean(scope);
  });

  it('base64 body: decoded to the DER bytes', async () => {
    const { value } = await expectWithin(getFairPlayCertificate(fresh(`${FIXTURES}/cert-base64.txt`)), 2000);
    expect(value[0]).to.equal(0x30);
    expect(value.length).to.equal(20);
    await expectClean(scope);
  });

  it('garbage (binary, not DER): typed -9040', async () => {
    await expectTypedError(getFairPlayCertificate(fresh(`${FIXTURES}/cert-garbage.bin`)), -9040, 2000);
    await expectClean(scope);
  });

  it('one fetch per URL per page, shared by 20 concurrent callers', async () => {
    const url = fresh(`${FIXTURES}/cert-base64.txt`);
    const all = await Promise.all(Array.from({ length: 20 }, () => getFairPlayCertificate(url)));
    expect(all.every((c) => c.length === 20)).to.equal(true);
    expect(performance.getEntriesByName(new URL(url).href).length).to.equal(1);
    await expectClean(scope);
  });

  it('detach mid-certificate: the caller is released at once, the shared download is aborted with its last caller, no unhandled rejection', async () => {
    const { emulatorUrl } = await testConfig();
    // A slow "certificate server": the emulator's token route with 1.5 s of latency (it then answers an error).
    await setFaults({ token: { latencyMs: 1500 } });
    const video = newVideo();
    scope.track(video, 'video');
    const errors: unknown[] = [];
    const attachment = attachFairPlay(video, {
      certificate: fresh(`${emulatorUrl}/hms/fp/token`),
      api: 'eme',
      rightsUrl: 'https://fp.test.expressplay.com/hms/fp/rights/?ExpressPlayToken=x',
      onError: (e) => errors.push(e),
      timeoutMs: 3000,
    });
    await sleep(200);
    expect(scope.report().requests.length, 'the certificate is downloading').to.equal(1);
    attachment.detach();
    await sleep(50);
    expect(scope.report().listeners, 'listeners on the <video>').to.have.length(0);
    // The certificate fetch is shared by every caller on the page; when the last
    // one leaves (this detach), the fetch itself is aborted: nothing keeps running.
    expect(scope.report().requests.length, 'the shared download was aborted with its last caller').to.equal(0);
    await sleep(1800);
    expect(errors, 'no error reported after detach').to.deep.equal([]);
    await expectClean(scope);
    video.remove();
  });
});
