// Issue #11 item 7: the emulator CLI takes authenticators (and the token secret) from
// the environment or a file, where `ps` does not show them; given as arguments they
// still work, with a warning on stderr.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeForm } from '../../../src/core/index.js';
import { KEY, KID } from '../server/helpers.js';
import { gatherSecrets } from '../../../src/server/cli-secrets.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Run {
  url: string;
  stderr: string;
  stop(): void;
}

/** Starts the CLI on a free port and resolves once it prints its URL. */
function startCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', '--port', '0', '--quiet', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      EXPRESSPLAY_TEST_KEYS: '',
      EXPRESSPLAY_PRODUCTION_KEYS: '',
      EXPRESSPLAY_TOKEN_SECRET: '',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no URL within 20 s; stderr: ${stderr}`));
    }, 20_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        // stderr warnings are written before the listening line.
        resolve({ url: m[1]!, stderr, stop: () => child.kill() });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}; stderr: ${stderr}`));
    });
  });
}

async function tokenStatus(url: string, authenticator: string): Promise<number> {
  const q = encodeForm([
    ['customerAuthenticator', authenticator],
    ['kid', KID],
    ['contentKey', KEY],
    ['securityLevel', '1'],
    ['hdcpOutputControl', '0'],
  ]);
  return (await fetch(`${url}/hms/wv/token?${q}`)).status;
}

describe('security: emulator CLI secrets off the command line', { timeout: 120_000 }, () => {
  it('reads authenticators from EXPRESSPLAY_TEST_KEYS, without a warning', async () => {
    const run = await startCli([], { EXPRESSPLAY_TEST_KEYS: 'env-key-1,env-key-2' });
    try {
      assert.equal(await tokenStatus(run.url, 'env-key-2'), 200);
      assert.equal(await tokenStatus(run.url, 'test-key'), 401);
      assert.doesNotMatch(run.stderr, /warning/i);
    } finally {
      run.stop();
    }
  });

  it('reads authenticators from --keys-file (JSON)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ep-keys-'));
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify({ test: ['file-key'], production: ['file-prod'] }), { mode: 0o600 });
    const run = await startCli(['--keys-file', file]);
    try {
      assert.equal(await tokenStatus(run.url, 'file-key'), 200);
      assert.doesNotMatch(run.stderr, /warning/i);
    } finally {
      run.stop();
    }
  });

  it('--test-key still works but warns that arguments are visible in ps', async () => {
    const run = await startCli(['--test-key', 'arg-key']);
    try {
      assert.equal(await tokenStatus(run.url, 'arg-key'), 200);
      assert.match(run.stderr, /warning.*(ps|command line)/i);
      assert.ok(!run.stderr.includes('arg-key'), 'the warning does not repeat the key');
    } finally {
      run.stop();
    }
  });
});

describe('security: where gatherSecrets takes the token secret and production keys from', () => {
  const secret = 't'.repeat(32);

  it('EXPRESSPLAY_TOKEN_SECRET and EXPRESSPLAY_PRODUCTION_KEYS are read, without a warning', () => {
    const got = gatherSecrets({}, { EXPRESSPLAY_TOKEN_SECRET: secret, EXPRESSPLAY_PRODUCTION_KEYS: 'p-1\np-2' });
    assert.equal(got.tokenSecret, secret);
    assert.deepEqual(got.production, ['p-1', 'p-2']);
    assert.deepEqual(got.warnings, []);
  });

  it('tokenSecret from --keys-file is read', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ep-keys-')), 'keys.json');
    writeFileSync(file, JSON.stringify({ test: ['k'], tokenSecret: secret }), { mode: 0o600 });
    assert.equal(gatherSecrets({ 'keys-file': file }, {}).tokenSecret, secret);
  });

  it('--token-secret still works, with a warning that does not repeat it', () => {
    const got = gatherSecrets({ 'token-secret': secret }, {});
    assert.equal(got.tokenSecret, secret);
    assert.equal(got.warnings.length, 1);
    assert.match(got.warnings[0]!, /--token-secret.*ps/);
    assert.ok(!got.warnings[0]!.includes(secret));
  });
});
