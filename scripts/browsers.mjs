// The browser engines the tests, the demo check and the benchmarks run in, and how
// they are found: Chromium (Debian's `chromium`) and Firefox (Debian's
// `firefox-esr`), both driven by puppeteer-core (Firefox over WebDriver BiDi) —
// never downloaded from anywhere else.
//
// Each engine: $<ENV> first (an error when it names a missing file), then the
// usual Debian/Ubuntu paths. `ensureBrowsers()` runs before any test starts: when
// an engine is missing and we are root with apt-get, it installs every missing
// Debian package in one `apt-get update && apt-get install`; otherwise it throws
// at once with the exact command to run.
import { existsSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Flags that headless Chromium needs on this kind of machine (see /work/shared/notes/toolchain.md). */
export const CHROME_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
  '--mute-audio',
];

/** Firefox preferences the tests need: EME on (ClearKey), autoplay allowed, no audio device, no update or telemetry traffic. */
export const FIREFOX_PREFS = {
  'media.eme.enabled': true,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  'media.volume_scale': '0.0',
  'media.gmp-manager.updateEnabled': false,
  'app.update.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
};

/** The engines, in the order the tests run them. */
export const ENGINES = {
  chromium: {
    name: 'Chromium',
    env: 'CHROME_PATH',
    candidates: [
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
    ],
    aptPackage: 'chromium',
  },
  firefox: {
    name: 'Firefox',
    env: 'FIREFOX_PATH',
    candidates: ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
    aptPackage: 'firefox-esr',
    // Firefox decodes H.264 and AAC with the system's FFmpeg, which firefox-esr only
    // recommends: without it every H.264 test stream stays at 0 s (Chromium carries its own).
    libraries: [
      { name: 'libavcodec', what: "FFmpeg's libavcodec (H.264/AAC in Firefox)", aptPackage: 'libavcodec-extra' },
    ],
  },
};

/** Engines selected by $TEST_ENGINES (comma-separated; default every engine). */
export function selectedEngines(env = process.env) {
  const raw = env.TEST_ENGINES?.trim();
  if (!raw) return Object.keys(ENGINES);
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = list.filter((e) => !(e in ENGINES));
  if (unknown.length)
    throw new Error(
      `TEST_ENGINES names unknown engine(s) ${unknown.join(', ')}; known: ${Object.keys(ENGINES).join(', ')}.`,
    );
  return list;
}

/** The binary of an engine, or undefined when it is not installed. Throws when its $ENV names a missing file. */
export function locate(engine, { env = process.env, exists = existsSync } = {}) {
  const spec = ENGINES[engine];
  const fromEnv = env[spec.env];
  if (fromEnv) {
    if (exists(fromEnv)) return fromEnv;
    throw new Error(`${spec.env} is set to ${fromEnv}, which does not exist.`);
  }
  return spec.candidates.find((p) => exists(p));
}

/** The exact command that installs the given Debian packages (engine names stand for their browser package). */
export function installCommand(engines) {
  const pkgs = engines.map((e) => ENGINES[e]?.aptPackage ?? e).join(' ');
  return `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${pkgs}`;
}

const LIBRARY_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'];

/** Whether a shared library `lib<name>.so.*` is installed in the usual directories. */
function hasLibrary(name) {
  return LIBRARY_DIRS.some((dir) => {
    try {
      return readdirSync(dir).some((f) => f.startsWith(`${name}.so`));
    } catch {
      return false;
    }
  });
}

function defaultHost() {
  return {
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    hasApt: existsSync('/usr/bin/apt-get'),
    run: (cmd, args) =>
      execFileSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }),
  };
}

/**
 * Makes sure every engine in `engines` is there, installing Debian's packages
 * when root and apt-get are available. Returns `{ chromium: path, firefox: path }`
 * (for the engines asked); throws with the exact install command otherwise.
 */
export function ensureBrowsers(
  engines = selectedEngines(),
  { env = process.env, exists = existsSync, host = defaultHost(), install = true, hasLib = hasLibrary } = {},
) {
  const paths = {};
  /** The Debian packages of the libraries the engines need that are not installed. */
  const missingLibraries = (list) =>
    list.flatMap((e) => (ENGINES[e].libraries ?? []).filter((l) => !hasLib(l.name)).map((l) => l.aptPackage));
  /** Fills `paths` with what is installed; returns the engines still missing. */
  const missingOf = (list) =>
    list.filter((engine) => {
      const path = locate(engine, { env, exists });
      if (path) paths[engine] = path;
      return !path;
    });
  let missing = missingOf(engines);
  let libs = missingLibraries(engines);
  if ((missing.length > 0 || libs.length > 0) && install && host.isRoot && host.hasApt) {
    const pkgs = [...missing.map((e) => ENGINES[e].aptPackage), ...libs];
    const what = [...missing.map((e) => ENGINES[e].name), ...libs].join(' and ');
    console.error(
      `[expressplay-eme] ${what} not found: installing Debian's ${pkgs.join(', ')} (apt-get update; apt-get install -y ${pkgs.join(' ')})…`,
    );
    host.run('apt-get', ['update']);
    host.run('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs]);
    missing = missingOf(missing);
    libs = missingLibraries(engines);
  }
  if (missing.length === 0 && libs.length > 0) {
    const needs = engines.flatMap((e) => (ENGINES[e].libraries ?? []).filter((l) => libs.includes(l.aptPackage)));
    throw new Error(`Missing ${needs.map((l) => l.what).join(', ')}. Install with:\n  ${installCommand(libs)}`);
  }
  if (missing.length === 0) return paths;
  const names = missing.map((e) => ENGINES[e].name).join(' and ');
  const hints = missing.map((e) => ENGINES[e].env).join(' / ');
  // The missing libraries go in the same command: firefox-esr installed without
  // recommends does not bring FFmpeg, and one command should be enough.
  throw new Error(
    `No ${names} found. Install with:\n  ${installCommand([...missing, ...libs])}\nor point ${hints} at the browser binary.`,
  );
}

/** Chromium's binary (installing it when root with apt-get). */
export function findChrome(options) {
  return ensureBrowsers(['chromium'], options).chromium;
}

/** Firefox's binary (installing firefox-esr when root with apt-get). */
export function findFirefox(options) {
  return ensureBrowsers(['firefox'], options).firefox;
}

/** puppeteer-core launch options for an engine's headless browser. */
export function launchOptions(engine, executablePath) {
  if (engine === 'firefox') {
    return {
      browser: 'firefox',
      executablePath,
      headless: true,
      extraPrefsFirefox: FIREFOX_PREFS,
      protocolTimeout: 60_000,
    };
  }
  return { browser: 'chrome', executablePath, headless: true, args: CHROME_ARGS, protocolTimeout: 60_000 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(JSON.stringify(ensureBrowsers(), null, 2));
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
