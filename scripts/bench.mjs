// `npm run bench`: runs bench/run.ts under tsx (the harness imports the
// emulator and the token handler from src/ directly) and passes its exit code on.
// Options are passed through: --quick, --runs N, --sweep-runs N, --only shaka|videojs|hlsjs|dashjs, --multikey.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
