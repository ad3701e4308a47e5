/**
 * `npm test` (after lint and build): the unit and infra jest projects, then the integration
 * project inside `firebase emulators:exec`, which starts the Firestore, Pub/Sub and Auth
 * emulators before and stops them after. Integration test files share the emulators and clear
 * them between tests, so they run one at a time; `--forceExit` keeps a failed test's open
 * client from holding CI. Extra arguments go to both jest runs; `--integration` first runs
 * the integration project alone (for example `node dist/scripts/test.js --integration
 * tests/integration/intake.test.ts`).
 */
import { spawnSync } from 'node:child_process';
import { emulatorBinaryEnv, firebaseArgs, firebaseBin, repoRoot } from './lib/emulators';

const integrationOnly = process.argv[2] === '--integration';
const extra = process.argv.slice(integrationOnly ? 3 : 2);
const quote = (a: string): string => `'${a.replace(/'/g, "'\\''")}'`;
const jest = ['node_modules/jest/bin/jest.js', '--ci'];

if (!integrationOnly) {
  const pure = spawnSync(process.execPath, [...jest, '--selectProjects', 'unit', 'infra', ...extra], { cwd: repoRoot(), stdio: 'inherit' });
  if (pure.status !== 0) process.exit(pure.status ?? 1);
}

const integration = spawnSync(
  firebaseBin(),
  firebaseArgs('emulators:exec', ['node', ...jest, '--selectProjects', 'integration', '--runInBand', '--forceExit', ...extra].map(quote).join(' ')),
  { cwd: repoRoot(), env: { ...process.env, ...emulatorBinaryEnv() }, stdio: 'inherit' },
);
process.exit(integration.status ?? 1);
