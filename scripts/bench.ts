/**
 * `npm run bench`: every benchmark, inside `firebase emulators:exec` so the emulators are
 * started and stopped by the command itself. Each benchmark measures tuki's path and a
 * baseline in the same run and prints the ratio; results go to bench-results/latest.json.
 * `npm run bench -- intake cold-start` runs a subset; `--name=value` flags go to the benchmarks.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emulatorBinaryEnv, firebaseArgs, firebaseBin, repoRoot } from './lib/emulators';
import { applyLocalEnv } from './lib/local-env';

type Bench = (log: (line: string) => void) => Promise<Record<string, number>>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  'cold-start': async () => (await import('./bench/cold-start')).benchColdStart,
  redaction: async () => (await import('./bench/redaction')).benchRedaction,
  intake: async () => {
    const { benchIntake } = await import('./bench/intake');
    const { services } = await import('../functions/src/wiring');
    return async (log) => benchIntake(log, await services());
  },
  outage: async () => {
    const { benchOutage } = await import('./bench/outage');
    const { services } = await import('../functions/src/wiring');
    return async (log) => benchOutage(log, await services());
  },
  backups: async () => (await import('./bench/backups')).benchBackups,
  retention: async () => {
    const { benchRetention } = await import('./bench/retention');
    const { services } = await import('../functions/src/wiring');
    return async (log) => benchRetention(log, await services());
  },
  status: async () => {
    const { benchStatus } = await import('./bench/status');
    const { services } = await import('../functions/src/wiring');
    return async (log) => benchStatus(log, await services());
  },
  'status-fanout': async () => {
    const { benchStatusFanOut } = await import('./bench/status-fanout');
    const { services } = await import('../functions/src/wiring');
    return async (log) => benchStatusFanOut(log, await services());
  },
  sweep: async () => {
    const { benchSweep } = await import('./bench/sweep');
    const { services } = await import('../functions/src/wiring');
    return async (log) => benchSweep(log, await services());
  },
};

async function runInside(selected: readonly string[]): Promise<void> {
  applyLocalEnv('bench');
  process.env['LOG_LEVEL'] = 'ERROR';
  const results: Record<string, Record<string, number>> = {};
  for (const name of selected) {
    const load = BENCHES[name];
    if (load === undefined) throw new Error(`Unknown benchmark ${name}; known: ${Object.keys(BENCHES).join(', ')}`);
    console.log(`\n== ${name}`);
    results[name] = await (await load())((line) => console.log(line));
  }
  const dir = join(repoRoot(), 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
}

const args = process.argv.slice(2);
if (process.env['FIRESTORE_EMULATOR_HOST'] === undefined) {
  const result = spawnSync(firebaseBin(), firebaseArgs('emulators:exec', `node ${__filename} ${args.join(' ')}`), {
    cwd: repoRoot(),
    env: { ...process.env, ...emulatorBinaryEnv() },
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
} else {
  // `--name=value` flags are options of the benchmarks (`--backup-sizes=2000,10000`), not their names.
  const names = args.filter((arg) => !arg.startsWith('--'));
  runInside(names.length > 0 ? names : Object.keys(BENCHES)).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
