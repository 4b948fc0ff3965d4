// Where the emulator CLI takes its secrets from. Command-line arguments are visible
// to every user of the machine (`ps`, /proc/<pid>/cmdline) and land in shell
// history, so authenticators and the token secret are read from the environment or
// a file; arguments still work for quick local runs, with a warning.

import { readFileSync } from 'node:fs';

/** The secrets the CLI was given, and warnings to print (never containing a secret). */
export interface CliSecrets {
  test: string[];
  production: string[];
  tokenSecret?: string;
  warnings: string[];
  /** True when no authenticator came from anywhere. */
  none: boolean;
}

/** What the CLI parsed: the argument values that may hold secrets. */
export interface SecretArgs {
  'test-key'?: string[];
  'production-key'?: string[];
  'token-secret'?: string;
  'keys-file'?: string;
}

/** Environment variables read (comma- or newline-separated lists). */
export const SECRET_ENV = {
  test: 'EXPRESSPLAY_TEST_KEYS',
  production: 'EXPRESSPLAY_PRODUCTION_KEYS',
  tokenSecret: 'EXPRESSPLAY_TOKEN_SECRET',
} as const;

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== ''))
    throw new Error(`${where} must be an array of non-empty strings`);
  return value as string[];
}

/** `--keys-file`: JSON `{ "test": [...], "production": [...], "tokenSecret": "..." }`. */
function readKeysFile(path: string): { test: string[]; production: string[]; tokenSecret?: string } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`--keys-file ${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error(`--keys-file ${path}: expected a JSON object`);
  const o = json as Record<string, unknown>;
  if (o['tokenSecret'] !== undefined && typeof o['tokenSecret'] !== 'string')
    throw new Error(`--keys-file ${path}: tokenSecret must be a string`);
  return {
    test: stringList(o['test'], `--keys-file ${path}: test`),
    production: stringList(o['production'], `--keys-file ${path}: production`),
    tokenSecret: o['tokenSecret'] as string | undefined,
  };
}

/** Gathers the secrets from arguments, the environment and the keys file (all of them add up). */
export function gatherSecrets(args: SecretArgs, env: NodeJS.ProcessEnv = process.env): CliSecrets {
  const file = args['keys-file'] ? readKeysFile(args['keys-file']) : { test: [], production: [] };
  const warnings: string[] = [];
  if (args['test-key'] || args['production-key']) {
    warnings.push(
      `warning: authenticators given on the command line are visible to other users (ps) and kept in shell history; use ${SECRET_ENV.test} / ${SECRET_ENV.production} or --keys-file`,
    );
  }
  if (args['token-secret'] !== undefined)
    warnings.push(
      `warning: --token-secret on the command line is visible to other users (ps); use ${SECRET_ENV.tokenSecret} or --keys-file`,
    );
  const test = [...(args['test-key'] ?? []), ...list(env[SECRET_ENV.test]), ...file.test];
  const production = [...(args['production-key'] ?? []), ...list(env[SECRET_ENV.production]), ...file.production];
  const tokenSecret = args['token-secret'] ?? (env[SECRET_ENV.tokenSecret] || undefined) ?? file.tokenSecret;
  return {
    test,
    production,
    ...(tokenSecret === undefined ? {} : { tokenSecret }),
    warnings,
    none: test.length === 0 && production.length === 0,
  };
}
