// http.ts: timeout, abort, network errors and the retry schedule. The schedule is
// timed against a scripted fetch (the honest way to pin exact delays); the
// network error is a real one (a closed loopback port).
import { expect } from 'chai';
import { ExpressPlayError } from '../../../src/core/index.js';
import { backoffDelay, DEFAULT_RETRY, fetchOnce, fetchWithRetry, sleep } from '../../../src/browser/http.js';
import { rejection } from './fixtures.js';

type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'hang' | 'network';

/** A fetch that plays a script of answers and records when each call came. */
function scriptedFetch(answers: Answer[]) {
  const calls: number[] = [];
  const fn = (_url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    calls.push(performance.now());
    const a = answers.shift() ?? { status: 200, body: 'ok' };
    if (a === 'network') return Promise.reject(new TypeError('Failed to fetch'));
    if (a === 'hang') {
      return new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      );
    }
    return Promise.resolve(new Response(a.body ?? '', { status: a.status, headers: a.headers }));
  };
  return { fetch: fn as typeof fetch, calls };
}

describe('fetchOnce', () => {
  it('times out with -9011', async () => {
    const { fetch } = scriptedFetch(['hang']);
    const t0 = performance.now();
    const err = await rejection(fetchOnce('https://x.test/a', {}, { fetch, timeoutMs: 60 }));
    expect(err.code).to.equal(-9011);
    expect(err.category).to.equal('timeout');
    expect(performance.now() - t0).to.be.within(50, 1000);
  });

  it("maps the caller's abort to -9012, and passes a typed abort reason on", async () => {
    const { fetch } = scriptedFetch(['hang', 'hang']);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    expect((await rejection(fetchOnce('https://x.test/a', {}, { fetch, signal: ac.signal }))).code).to.equal(-9012);
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(new ExpressPlayError(-9050)), 20);
    expect((await rejection(fetchOnce('https://x.test/a', {}, { fetch, signal: ac2.signal }))).code).to.equal(-9050);
    const pre = AbortSignal.abort();
    expect((await rejection(fetchOnce('https://x.test/a', {}, { fetch, signal: pre }))).code).to.equal(-9012);
  });

  it('reports a real network failure as -9010 without echoing the URL token', async () => {
    const err = await rejection(
      fetchOnce('http://127.0.0.1:9/hms/wv/rights/?ExpressPlayToken=SECRETSECRET', {}, { timeoutMs: 5000 }),
    );
    expect(err.code).to.equal(-9010);
    expect(err.retryable).to.equal(true);
    expect(err.message).to.not.contain('SECRETSECRET');
  });
});

describe('fetchWithRetry', () => {
  it('full jitter: delays in [0, min(cap, base·2^(n-1))]', () => {
    const r = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 350 };
    expect(backoffDelay(1, r, () => 0.999999)).to.equal(99);
    expect(backoffDelay(2, r, () => 0.999999)).to.equal(199);
    expect(backoffDelay(3, r, () => 0.999999)).to.equal(349);
    expect(backoffDelay(9, r, () => 0.5)).to.equal(175);
    expect(backoffDelay(3, r, () => 0)).to.equal(0);
  });

  it('retries 5xx and network errors on an exponential schedule, then succeeds', async () => {
    const { fetch, calls } = scriptedFetch([{ status: 503 }, 'network', { status: 502 }, { status: 200, body: 'yes' }]);
    const retries: Array<{ attempt: number; delayMs: number; code: number }> = [];
    const res = await fetchWithRetry(
      'https://x.test/t',
      {},
      {
        fetch,
        retry: { maxAttempts: 5, baseDelayMs: 60, maxDelayMs: 1000 },
        random: () => 0.999999,
        onRetry: ({ attempt, delayMs, error }) => retries.push({ attempt, delayMs, code: error.code }),
      },
    );
    expect(res.text()).to.equal('yes');
    expect(retries.map((r) => r.delayMs)).to.deep.equal([59, 119, 239]);
    expect(retries.map((r) => r.code)).to.deep.equal([-9015, -9010, -9015]);
    const gaps = calls.slice(1).map((t, i) => t - calls[i]!);
    [59, 119, 239].forEach((d, i) => expect(gaps[i]).to.be.within(d - 5, d + 150));
  });

  it('fails fast on a 4xx with the typed error (one request)', async () => {
    const { fetch, calls } = scriptedFetch([
      {
        status: 400,
        body: '{"errorCode":-2019,"errorMessage":"not enough tokens"}',
        headers: { 'content-type': 'application/json' },
      },
    ]);
    const err = await rejection(fetchWithRetry('https://x.test/t', {}, { fetch, retry: { baseDelayMs: 1 } }));
    expect(err.code).to.equal(-2019);
    expect(err.httpStatus).to.equal(400);
    expect(calls).to.have.length(1);
  });

  it('honours Retry-After on 429', async () => {
    const { fetch, calls } = scriptedFetch([
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 200, body: 'ok' },
    ]);
    await fetchWithRetry('https://x.test/t', {}, { fetch, retry: { baseDelayMs: 1 } });
    expect(calls[1]! - calls[0]!).to.be.within(990, 1500);
  });

  it('gives up at once when Retry-After exceeds the total budget', async () => {
    const { fetch, calls } = scriptedFetch([{ status: 503, headers: { 'retry-after': '60' } }]);
    const t0 = performance.now();
    const err = await rejection(fetchWithRetry('https://x.test/t', {}, { fetch, retry: { maxTotalMs: 2000 } }));
    expect(err.code).to.equal(-9015);
    expect(err.retryAfterMs).to.equal(60000);
    expect(calls).to.have.length(1);
    expect(performance.now() - t0).to.be.below(500);
  });

  it('stops after maxAttempts with the last error', async () => {
    const { fetch, calls } = scriptedFetch([{ status: 500 }, { status: 500 }, { status: 500 }, { status: 200 }]);
    const err = await rejection(
      fetchWithRetry('https://x.test/t', {}, { fetch, retry: { maxAttempts: 3, baseDelayMs: 5 } }),
    );
    expect(err.code).to.equal(-9015);
    expect(calls).to.have.length(3);
  });

  it('bounds the whole operation by maxTotalMs (timeouts shrink to what is left)', async () => {
    const { fetch, calls } = scriptedFetch(['hang', 'hang', 'hang', 'hang']);
    const t0 = performance.now();
    const err = await rejection(
      fetchWithRetry(
        'https://x.test/t',
        {},
        { fetch, timeoutMs: 10_000, retry: { maxAttempts: 10, maxTotalMs: 300, baseDelayMs: 10 } },
      ),
    );
    expect(err.code).to.equal(-9011);
    expect(performance.now() - t0).to.be.below(1200);
    expect(calls.length).to.be.at.least(1);
  });

  it('an abort during the backoff wait ends it at once (timer cleared)', async () => {
    const { fetch, calls } = scriptedFetch([{ status: 503 }, { status: 200 }]);
    const ac = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ac.abort(), 50);
    const err = await rejection(
      fetchWithRetry(
        'https://x.test/t',
        {},
        { fetch, signal: ac.signal, retry: { baseDelayMs: 5000, maxDelayMs: 5000 }, random: () => 0.99 },
      ),
    );
    expect(err.code).to.equal(-9012);
    expect(performance.now() - t0).to.be.below(1000);
    expect(calls).to.have.length(1);
  });

  it('sleep rejects when already aborted', async () => {
    expect((await rejection(sleep(1000, AbortSignal.abort()))).code).to.equal(-9012);
  });
});
