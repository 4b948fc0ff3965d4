// Worker side of watchdog.ts: waits until the module is loaded, then runs the parser once.
import { parentPort, workerData } from 'node:worker_threads';
import {
  parseErrorResponse,
  parseTokenResponse,
  redactTokens,
  type TokenResponseInput,
} from '../../../src/core/index.js';

const { parser, input } = workerData as { parser: string; input: unknown };
try {
  if (parser === 'redactTokens') redactTokens(input as string);
  else if (parser === 'parseErrorResponse') parseErrorResponse(input as TokenResponseInput);
  else parseTokenResponse(input as TokenResponseInput);
} catch {
  // A typed error is a fine outcome: the watchdog only asks whether the parser returned.
}
parentPort?.postMessage('done');
