// Runs one hostile input through a parser in a worker thread and reports whether it
// finished within a watchdog budget. The budget is hundreds of times what a linear
// scan needs, so it only catches hangs (super-linear work), not slow machines; a
// timing claim belongs in `npm run bench`.
import { Worker } from 'node:worker_threads';

const WORKER_URL = new URL('./parse-worker.ts', import.meta.url).href;

export type ParserName = 'parseErrorResponse' | 'parseTokenResponse' | 'redactTokens';

export interface WatchdogResult {
  /** False when the worker was still busy at the deadline (and was terminated). */
  finished: boolean;
}

export function finishesWithin(parser: ParserName, input: unknown, budgetMs: number): Promise<WatchdogResult> {
  // Workers do not inherit the test runner's TypeScript loader: register tsx first.
  const code = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL)}); });`;
  const worker = new Worker(code, { eval: true, workerData: { parser, input } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({ finished: false });
    }, budgetMs);
    worker.once('message', () => {
      clearTimeout(timer);
      void worker.terminate();
      resolve({ finished: true });
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
