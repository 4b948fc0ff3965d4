// expressplay-emulator: run the ExpressPlay emulator from a shell.
//   EXPRESSPLAY_TEST_KEYS=K expressplay-emulator --port 8787 --host 127.0.0.1 --control
// Logs one JSON line per token/license event on stdout (never the authenticator).

import { parseArgs } from 'node:util';
import { gatherSecrets, SECRET_ENV } from './cli-secrets.js';
import { startEmulator } from './emulator/index.js';

const USAGE = `usage: expressplay-emulator [--port 8787] [--host 127.0.0.1] [--keys-file FILE]
                            [--service test|production] [--public-url URL] [--control] [--quiet]
  authenticators: ${SECRET_ENV.test}=K1,K2  ${SECRET_ENV.production}=K  (token secret: ${SECRET_ENV.tokenSecret})
                  or --keys-file FILE with {"test":[…],"production":[…],"tokenSecret":"…"}
                  (--test-key K / --production-key K / --token-secret S work too, but are visible in ps)`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        'test-key': { type: 'string', multiple: true },
        'production-key': { type: 'string', multiple: true },
        service: { type: 'string', default: 'test' },
        'public-url': { type: 'string' },
        'token-secret': { type: 'string' },
        'keys-file': { type: 'string' },
        control: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`bad --port ${values.port}\n${USAGE}`);
    process.exit(2);
  }
  if (values.service !== 'test' && values.service !== 'production') {
    console.error(`--service is test or production\n${USAGE}`);
    process.exit(2);
  }
  let secrets;
  try {
    secrets = gatherSecrets(values);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  for (const warning of secrets.warnings) console.error(warning);
  // With no key at all, accept the obvious development key so `npm run emulator` just works.
  const testKeys = secrets.none ? ['test-key'] : secrets.test;
  const emulator = await startEmulator({
    port,
    host: values.host,
    service: values.service,
    authenticators: { test: testKeys, production: secrets.production },
    publicUrl: values['public-url'],
    tokenSecret: secrets.tokenSecret,
    control: values.control,
    log: values.quiet ? undefined : (entry) => console.log(JSON.stringify(entry)),
  });
  console.log(
    `ExpressPlay emulator (${values.service} service) listening on ${emulator.url}${values.control ? ' (control routes on)' : ''}`,
  );
  if (secrets.none) console.log('No keys given: the test authenticator is "test-key".');
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
