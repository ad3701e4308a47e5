/**
 * `npm test` (after lint and build): the unit and infra jest projects, then, inside
 * `firebase emulators:exec` (which starts the Firestore, Pub/Sub and Auth emulators before and
 * stops them after), the integration project and after it the e2e project (pages in Chromium)
 * on the same emulators. Integration and e2e test files share the emulators and clear them
 * between tests, so they run one at a time; `--forceExit` keeps a failed test's open client
 * from holding CI. The e2e project runs even when an integration test failed, and the run fails
 * if either did. Extra arguments go to every jest run; `--integration` or `--e2e` first runs
 * that project alone (for example `node dist/scripts/test.js --integration
 * tests/integration/intake.test.ts`).
 */
import { spawnSync } from 'node:child_process';
import { emulatorBinaryEnv, firebaseArgs, firebaseBin, repoRoot } from './lib/emulators';

const only = process.argv[2] === '--integration' || process.argv[2] === '--e2e' ? process.argv[2].slice(2) : undefined;
const extra = process.argv.slice(only === undefined ? 2 : 3);
const quote = (a: string): string => `'${a.replace(/'/g, "'\\''")}'`;
const jest = ['node_modules/jest/bin/jest.js', '--ci'];

if (only === undefined) {
  const pure = spawnSync(process.execPath, [...jest, '--selectProjects', 'unit', 'infra', ...extra], { cwd: repoRoot(), stdio: 'inherit' });
  if (pure.status !== 0) process.exit(pure.status ?? 1);
}

const onEmulators = (project: string): string => ['node', ...jest, '--selectProjects', project, '--runInBand', '--forceExit', ...extra].map(quote).join(' ');
// One shell line for emulators:exec: both projects run; the exit status is the first failure's.
const script =
  only === undefined ? `${onEmulators('integration')}; integration=$?; ${onEmulators('e2e')} || exit 1; exit $integration` : onEmulators(only);
const run = spawnSync(firebaseBin(), firebaseArgs('emulators:exec', script), {
  cwd: repoRoot(),
  env: { ...process.env, ...emulatorBinaryEnv() },
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
