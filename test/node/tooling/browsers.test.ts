// scripts/browsers.mjs: how `npm test` finds (or installs) Chromium and Firefox
// before any test starts, exercised with a fake file system and a fake host, so
// "neither browser installed" is tested without removing anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
// @ts-expect-error -- scripts/*.mjs are plain JavaScript without type declarations.
import * as browsersUntyped from '../../../scripts/browsers.mjs';

type Engine = 'chromium' | 'firefox';
interface Host {
  isRoot: boolean;
  hasApt: boolean;
  run(cmd: string, args: string[]): void;
}
interface Options {
  env?: Record<string, string | undefined>;
  exists?: (path: string) => boolean;
  host?: Host;
  install?: boolean;
  hasLib?: (name: string) => boolean;
}
const browsers = browsersUntyped as {
  ensureBrowsers(engines: Engine[], options?: Options): Partial<Record<Engine, string>>;
  selectedEngines(env?: Record<string, string | undefined>): Engine[];
  installCommand(engines: Engine[]): string;
};

/** A machine whose file system holds `files`; apt-get "installs" by adding files. */
function machine(
  files: string[],
  { isRoot = true, hasApt = true, installs = {} as Record<string, string>, libs = ['libavcodec'] } = {},
) {
  const fs = new Set(files);
  const libraries = new Set(libs);
  const calls: string[] = [];
  const host: Host = {
    isRoot,
    hasApt,
    run(cmd, args) {
      calls.push([cmd, ...args].join(' '));
      if (args[0] !== 'install') return;
      for (const pkg of args.slice(1)) {
        if (installs[pkg]) fs.add(installs[pkg]);
        if (pkg === 'libavcodec-extra') libraries.add('libavcodec');
      }
    },
  };
  return {
    exists: (p: string) => fs.has(p),
    hasLib: (name: string) => libraries.has(name),
    host,
    calls,
    env: {} as Record<string, string | undefined>,
  };
}

test('browsers: both found on the Debian paths, nothing installed', () => {
  const m = machine(['/usr/bin/chromium', '/usr/bin/firefox-esr']);
  assert.deepEqual(browsers.ensureBrowsers(['chromium', 'firefox'], m), {
    chromium: '/usr/bin/chromium',
    firefox: '/usr/bin/firefox-esr',
  });
  assert.deepEqual(m.calls, []);
});

test('browsers: neither installed, root with apt-get → one apt-get update, one install of both packages, then found', () => {
  const m = machine([], { installs: { chromium: '/usr/bin/chromium', 'firefox-esr': '/usr/bin/firefox-esr' } });
  const paths = browsers.ensureBrowsers(['chromium', 'firefox'], m);
  assert.deepEqual(paths, { chromium: '/usr/bin/chromium', firefox: '/usr/bin/firefox-esr' });
  assert.deepEqual(m.calls, ['apt-get update', 'apt-get install -y --no-install-recommends chromium firefox-esr']);
});

test('browsers: only Firefox missing → only firefox-esr is installed', () => {
  const m = machine(['/usr/bin/chromium'], { installs: { 'firefox-esr': '/usr/bin/firefox-esr' } });
  browsers.ensureBrowsers(['chromium', 'firefox'], m);
  assert.deepEqual(m.calls, ['apt-get update', 'apt-get install -y --no-install-recommends firefox-esr']);
});

test('browsers: not root → fails at once with the exact command, installs nothing', () => {
  const m = machine([], { isRoot: false });
  assert.throws(
    () => browsers.ensureBrowsers(['chromium', 'firefox'], m),
    (err: Error) => {
      assert.match(err.message, /No Chromium and Firefox found/);
      assert.ok(
        err.message.includes(
          'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium firefox-esr',
        ),
        err.message,
      );
      return true;
    },
  );
  assert.deepEqual(m.calls, []);
});

test('browsers: nothing installed, not root → the one command printed installs FFmpeg too, not only the browsers', () => {
  const m = machine([], { isRoot: false, libs: [] });
  assert.throws(
    () => browsers.ensureBrowsers(['chromium', 'firefox'], m),
    (err: Error) => {
      assert.ok(
        err.message.includes(
          'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium firefox-esr libavcodec-extra',
        ),
        err.message,
      );
      return true;
    },
  );
  assert.deepEqual(m.calls, []);
});

test('browsers: no apt-get → fails with the command and the env variables to set', () => {
  const m = machine(['/usr/bin/chromium'], { hasApt: false });
  assert.throws(
    () => browsers.ensureBrowsers(['chromium', 'firefox'], m),
    /No Firefox found[\s\S]*firefox-esr[\s\S]*FIREFOX_PATH/,
  );
  assert.deepEqual(m.calls, []);
});

test('browsers: the install ran but the browser is still missing → fails, naming only what is missing', () => {
  const m = machine(['/usr/bin/chromium'], { installs: {} });
  assert.throws(
    () => browsers.ensureBrowsers(['chromium', 'firefox'], m),
    (err: Error) => !/Chromium/.test(err.message) && /No Firefox found/.test(err.message),
  );
});

test('browsers: CHROME_PATH / FIREFOX_PATH win; one that names a missing file is an error, not a fallback', () => {
  const m = machine(['/usr/bin/chromium', '/usr/bin/firefox-esr', '/opt/chrome/chrome']);
  m.env = { CHROME_PATH: '/opt/chrome/chrome' };
  assert.equal(browsers.ensureBrowsers(['chromium'], m).chromium, '/opt/chrome/chrome');
  m.env = { FIREFOX_PATH: '/nonexistent/firefox' };
  assert.throws(
    () => browsers.ensureBrowsers(['firefox'], m),
    /FIREFOX_PATH is set to \/nonexistent\/firefox, which does not exist/,
  );
  assert.deepEqual(m.calls, []);
});

test('browsers: the real module against the real machine with FIREFOX_PATH at a missing file fails before doing anything', () => {
  assert.throws(
    () => browsers.ensureBrowsers(['firefox'], { env: { FIREFOX_PATH: '/nonexistent/firefox-esr' } }),
    /does not exist/,
  );
});

test('browsers: TEST_ENGINES selects engines; an unknown one is an error', () => {
  assert.deepEqual(browsers.selectedEngines({}), ['chromium', 'firefox']);
  assert.deepEqual(browsers.selectedEngines({ TEST_ENGINES: 'firefox' }), ['firefox']);
  assert.throws(() => browsers.selectedEngines({ TEST_ENGINES: 'webkit' }), /unknown engine\(s\) webkit/);
});

test('npm test: a missing browser stops it before any test runs, with the reason', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const started = Date.now();
  const r = spawnSync(process.execPath, ['scripts/test.mjs'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TEST_ENGINES: 'chromium,firefox', FIREFOX_PATH: '/nonexistent/firefox-esr' },
    timeout: 60_000,
  });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /FIREFOX_PATH is set to \/nonexistent\/firefox-esr, which does not exist/);
  // Nothing ran: no runner started, no count line.
  assert.doesNotMatch(r.stdout + r.stderr, /\[test\] (node|chromium|firefox)\b|passed/);
  assert.ok(Date.now() - started < 60_000);
});

test('browsers: Firefox without FFmpeg (libavcodec), root with apt-get → libavcodec-extra is installed too', () => {
  const m = machine([], {
    libs: [],
    installs: { chromium: '/usr/bin/chromium', 'firefox-esr': '/usr/bin/firefox-esr' },
  });
  browsers.ensureBrowsers(['chromium', 'firefox'], m);
  assert.deepEqual(m.calls, [
    'apt-get update',
    'apt-get install -y --no-install-recommends chromium firefox-esr libavcodec-extra',
  ]);
});

test('browsers: Firefox there but no libavcodec, not root → fails at once naming the package, installs nothing', () => {
  const m = machine(['/usr/bin/chromium', '/usr/bin/firefox-esr'], { isRoot: false, libs: [] });
  assert.throws(
    () => browsers.ensureBrowsers(['chromium', 'firefox'], m),
    (err: Error) => {
      assert.match(err.message, /libavcodec/);
      assert.ok(err.message.includes('sudo apt-get install -y --no-install-recommends libavcodec-extra'), err.message);
      return true;
    },
  );
  assert.deepEqual(m.calls, []);
});

test('browsers: Chromium alone needs no libavcodec (it carries its own decoders)', () => {
  const m = machine(['/usr/bin/chromium'], { libs: [] });
  assert.deepEqual(browsers.ensureBrowsers(['chromium'], m), { chromium: '/usr/bin/chromium' });
  assert.deepEqual(m.calls, []);
});
