// Which browser engine runs this page, and how a test declares that it cannot
// run in an engine (docs/architecture.md, "Engines"): `itIn` registers the test
// as skipped in the other engines with the reason in its title, and the runner's
// count reporter prints every skipped test with that reason. Keep such skips for
// what an engine really lacks (a Chromium-only API); fix what an engine shows.

/** The engines `npm test` runs the browser tests in. */
export type Engine = 'chromium' | 'firefox';

/** The engine of this page. */
export const engine: Engine = /\bFirefox\//.test(navigator.userAgent) ? 'firefox' : 'chromium';

/** `it` in the engines listed; elsewhere a skipped test titled with `reason`. */
export function itIn(
  engines: readonly Engine[],
  reason: string,
  title: string,
  fn: Mocha.Func | Mocha.AsyncFunc,
): Mocha.Test {
  if (engines.includes(engine)) return it(title, fn);
  return it.skip(`${title} [skipped in ${engine}: ${reason}]`, fn);
}
