// Finds a Chromium for the browser tests, the demo check and the benchmarks.
// Order: $CHROME_PATH, then the usual Debian/Ubuntu paths. When none is found and
// we are root on a Debian-like machine, installs Debian's `chromium`; otherwise
// stops with the exact command to run. No browser is ever downloaded from elsewhere.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
const INSTALL = 'sudo apt-get update && sudo apt-get install -y chromium';

/** Flags that headless Chromium needs on this kind of machine (see ../shared/notes/toolchain.md). */
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

function found() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROME_PATH is set to ${fromEnv}, which does not exist.`);
  }
  return CANDIDATES.find((p) => existsSync(p));
}

export function findChrome({ install = true } = {}) {
  const path = found();
  if (path) return path;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (install && isRoot && hasApt) {
    console.error('[expressplay-eme] No Chromium found: installing Debian\'s chromium (apt-get install -y chromium)…');
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    const after = found();
    if (after) return after;
  }
  throw new Error(`No Chromium found. Install it with:\n  ${INSTALL}\nor point CHROME_PATH at a Chromium/Chrome binary.`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(findChrome());
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
