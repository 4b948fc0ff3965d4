// Fault matrix, token endpoint: each failure of the customer's token endpoint
// ends in a rights URL or a typed error (seed code where there is one) within a
// bound, and a disposed client leaves no timer, request or unhandled rejection.
// Through the real reference token endpoint and emulator where they can produce
// the fault; static fixtures (served by the test runner) for bodies they never send.
import { expect } from 'chai';
import { createTokenClient, type TokenClient, type TokenClientOptions } from '../../../src/index.js';
import { emulatorStats, resetEmulator, setFaults, testConfig } from '../support/page.js';
import { startScope, type Scope } from './instrument.js';
import { expectClean, expectTypedError, expectWithin } from './support.js';

const CTX = { drm: 'clearkey', contentId: 'cenc-h264' } as const;
const FIXTURES = `${location.origin}/test/browser/faults/fixtures`;

describe('fault matrix: token endpoint', function () {
  this.timeout(15000);
  let scope: Scope;
  let client: TokenClient | undefined;

  beforeEach(async () => {
    await resetEmulator();
    scope = startScope();
  });
  afterEach(async () => {
    client?.dispose();
    client = undefined;
    scope.close();
    await resetEmulator();
  });

  async function make(options: Partial<TokenClientOptions> = {}): Promise<TokenClient> {
    const { tokenEndpointUrl } = await testConfig();
    client = createTokenClient({
      endpoint: tokenEndpointUrl,
      allowedRightsHosts: ['127.0.0.1'],
      preconnect: false,
      retry: { baseDelayMs: 20 },
      ...options,
    });
    return client;
  }

  async function tokensIssued(): Promise<number> {
    const s = await emulatorStats();
    return Object.values(s.tokensIssued ?? {}).reduce((a, b) => a + b, 0);
  }

  it('timeout: -9011 within the per-request timeout, nothing left running', async () => {
    await setFaults({ token: { latencyMs: 2000 } });
    const c = await make({ timeoutMs: 300, retry: { maxAttempts: 1 } });
    await expectTypedError(c.getRightsUrl(CTX), -9011, 1000);
    c.dispose();
    await expectClean(scope);
  });

  it('500 then success: retried once, one token issued', async () => {
    await setFaults({ token: { failNext: 1, status: 500 } });
    const c = await make();
    const { value } = await expectWithin(c.getRightsUrl(CTX), 3000);
    expect(value.rightsUrl).to.match(/\/hms\/wv\/rights\/\?ExpressPlayToken=/);
    expect(await tokensIssued()).to.equal(1);
    c.dispose();
    await expectClean(scope);
  });

  it('503 with Retry-After: 1 → waits about a second, then succeeds', async () => {
    await setFaults({ token: { failNext: 1, status: 503, retryAfter: 1 } });
    const c = await make();
    const { elapsedMs } = await expectWithin(c.getRightsUrl(CTX), 4000);
    expect(elapsedMs, 'Retry-After honoured').to.be.at.least(900);
    c.dispose();
    await expectClean(scope);
  });

  it('malformed 200 body: -9004, not retried', async () => {
    const c = await make({ endpoint: `${FIXTURES}/token-malformed.json` });
    await expectTypedError(c.getRightsUrl(CTX), -9004, 2000);
    c.dispose();
    await expectClean(scope);
  });

  it("HTML error (ExpressPlay's own error page relayed): the seed code from the page (-2017), status 401", async () => {
    const { emulatorUrl } = await testConfig();
    // The service's HTML error format, asked of the emulator's token route without an authenticator.
    const c = await make({
      endpoint: () => ({
        url: `${emulatorUrl}/hms/wv/token?errorFormat=html&kid=86bf0cec3721064d624f22d25849c816`,
        method: 'GET',
      }),
    });
    const err = await expectTypedError(c.getRightsUrl(CTX), -2017, 2000);
    expect(err.httpStatus).to.equal(401);
    c.dispose();
    await expectClean(scope);
  });

  it('JSON error with a seed code (-2019 not enough tokens): typed, not retried', async () => {
    await setFaults({ token: { failNext: 5, status: 400, code: -2019 } });
    const c = await make();
    const err = await expectTypedError(c.getRightsUrl(CTX), -2019, 2000);
    expect(err.httpStatus).to.equal(400);
    const s = await emulatorStats();
    expect(s.faultsInjected, 'one request: a 4xx is final').to.equal(1);
    c.dispose();
    await expectClean(scope);
  });

  it('rights URL off the allowlist: -9021, never handed out', async () => {
    // The default allowlist (*.expressplay.com) does not hold the emulator's 127.0.0.1.
    const c = await make({ allowedRightsHosts: undefined });
    await expectTypedError(c.getRightsUrl(CTX), -9021, 2000);
    c.dispose();
    await expectClean(scope);
  });

  it('non-https rights URL on an allowed host: -9022', async () => {
    const c = await make({ endpoint: `${FIXTURES}/token-insecure.json`, allowedRightsHosts: undefined });
    await expectTypedError(c.getRightsUrl(CTX), -9022, 2000);
    c.dispose();
    await expectClean(scope);
  });

  it('network failure (nothing listening): -9010 after the bounded retries', async () => {
    const c = await make({ endpoint: 'http://127.0.0.1:9/token', retry: { maxAttempts: 2, baseDelayMs: 20 } });
    await expectTypedError(c.getRightsUrl(CTX), -9010, 3000);
    c.dispose();
    await expectClean(scope);
  });

  it('prefetch of a failing endpoint: resolves undefined, no unhandled rejection', async () => {
    await setFaults({ token: { failRate: 1, status: 500 } });
    const c = await make({ retry: { maxAttempts: 2, baseDelayMs: 10 } });
    expect(await c.prefetch(CTX)).to.equal(undefined);
    c.dispose();
    await expectClean(scope);
  });
});
