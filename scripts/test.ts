/**
 * `npm test` (after lint and build): every jest project — unit, integration and infra — in one
 * run inside `firebase emulators:exec`, which starts the Firestore, Pub/Sub and Auth emulators
 * before and stops them after.
 */
import { spawnSync } from 'node:child_process';
import { emulatorBinaryEnv, firebaseArgs, firebaseBin, repoRoot } from './lib/emulators';

const jestArgs = ['--ci', ...process.argv.slice(2)].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
const result = spawnSync(firebaseBin(), firebaseArgs('emulators:exec', `node node_modules/jest/bin/jest.js ${jestArgs}`), {
  cwd: repoRoot(),
  env: { ...process.env, ...emulatorBinaryEnv() },
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
