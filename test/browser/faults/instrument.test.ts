// The instrumentation itself: it must see what it is meant to catch, or the
// fault matrix's "nothing left behind" assertions prove nothing.
import { expect } from 'chai';
import { settle, startScope } from './instrument.js';

describe('fault matrix: instrumentation self-check', () => {
  it('reports a pending timeout and interval until cleared, and forgets fired ones', async () => {
    const scope = startScope();
    const fired = setTimeout(() => undefined, 0);
    const t = setTimeout(() => undefined, 60_000);
    const i = setInterval(() => undefined, 60_000);
    await settle(20);
    expect(
      scope
        .report()
        .timers.map((x) => x.kind)
        .sort(),
    ).to.deep.equal(['interval', 'timeout']);
    clearTimeout(t);
    clearInterval(i);
    clearTimeout(fired);
    expect(scope.report().timers).to.have.length(0);
    scope.close();
  });

  it('counts a fetch as pending until it settles (aborted included)', async () => {
    const scope = startScope();
    const controller = new AbortController();
    const p = fetch('/__expressplay/config.json?slow', { signal: controller.signal }).catch(() => undefined);
    expect(scope.report().requests).to.have.length(1);
    controller.abort();
    await p;
    expect(scope.report().requests).to.have.length(0);
    scope.close();
  });

  it('reports listeners left on a tracked object, not removed ones', () => {
    const scope = startScope();
    const target = new EventTarget();
    scope.track(target, 'target');
    const a = () => undefined;
    const b = () => undefined;
    target.addEventListener('x', a);
    target.addEventListener('y', b);
    target.removeEventListener('x', a);
    expect(scope.report().listeners.map((l) => l.detail)).to.deep.equal(['target: y']);
    target.removeEventListener('y', b);
    scope.close();
  });

  it('records unhandled rejections', async () => {
    const scope = startScope();
    // Mocha would fail the test on it too: swallow it on the window after the scope saw it.
    const swallow = (e: PromiseRejectionEvent) => e.preventDefault();
    window.addEventListener('unhandledrejection', swallow);
    void Promise.reject(new Error('left alone'));
    await settle(20);
    window.removeEventListener('unhandledrejection', swallow);
    expect(scope.report().unhandledRejections.map(String)).to.deep.equal(['Error: left alone']);
    scope.close();
  });
});
