/**
 * `drill failover …`: the failover drills.
 *
 * - `drill failover --stack <name> [--stay] [--dry-run] [--require-serving-region]`: against a
 *   deployed Pulumi stack (`scripts/drill/failover.ts`). It talks to the real project, so it runs
 *   only with `TUKI_MODE=production` (and a Pulumi CLI and Application Default Credentials);
 *   otherwise the emulator variables of local mode would point its Firestore reads at the emulator.
 * - `drill failover --local [--seconds N] [--clients N]`: on the emulators
 *   (`scripts/drill/local-failover.ts`). It uses emulators that already answer (`npm start`) or
 *   starts its own inside `firebase emulators:exec`, as `npm run bench` does.
 * Both write a report to `drill-reports/` and exit with status 1 when the drill failed.
 * - `drill restore [--snapshot <id>]`: the restore drill (`scripts/commands/backups.ts`), whose
 *   report goes to `drills/` in Firestore and next to the snapshots; exit status 1 when it failed.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './command';

const USAGE = `drill failover --stack <name> [--stay] [--dry-run]   switch the active region of a stack and back, with a report
  drill failover --local [--seconds N] [--clients N]  kill one of two local regions under load, with a report
  drill restore [--snapshot <id>]                     restore the latest snapshot into the scratch database and verify it, with a report`;

/** Set inside the `firebase emulators:exec` this command starts, so it does not start another. */
const INSIDE_EMULATORS = 'TUKI_DRILL_INSIDE_EMULATORS';

export const drillCommand: Command = {
  name: 'drill',
  usage: USAGE,
  async run(args) {
    const [kind, ...rest] = args;
    if (kind === 'restore') {
      await (await import('./backups')).restoreDrill(rest);
      return;
    }
    if (kind !== 'failover') throw new Error(`Usage:\n  ${USAGE}`);
    const { values } = parseArgs({
      args: rest,
      options: {
        stack: { type: 'string' },
        stay: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        'require-serving-region': { type: 'boolean', default: false },
        local: { type: 'boolean', default: false },
        seconds: { type: 'string' },
        clients: { type: 'string' },
      },
    });
    if (values.local === (values.stack !== undefined)) throw new Error(`Give either --stack <name> or --local.\nUsage:\n  ${USAGE}`);
    if (values.local) {
      await localDrill(rest, positiveInt(values.seconds, 'seconds', 20), positiveInt(values.clients, 'clients', 4));
      return;
    }
    await stackDrill(values.stack ?? '', { stay: values.stay, dryRun: values['dry-run'], requireServingRegion: values['require-serving-region'] });
  },
};

function positiveInt(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number of at least 1`);
  return value;
}

async function stackDrill(stackName: string, flags: { stay: boolean; dryRun: boolean; requireServingRegion: boolean }): Promise<void> {
  if (process.env['TUKI_MODE'] !== 'production') {
    throw new Error('drill failover --stack works on a real project: run it with TUKI_MODE=production (and Application Default Credentials)');
  }
  const { repoRoot } = await import('../lib/emulators');
  const drill = await import('../drill/failover');
  const adapters = await import('../drill/failover-adapters');
  const log = (line: string): void => console.log(line);
  const stack = await adapters.AutomationStackDriver.select(stackName, repoRoot(), log);
  const project = await stack.getConfig('gcp:project');
  if (project === undefined) throw new Error(`Stack ${stackName} has no gcp:project`);
  // Firestore is opened only when first needed, so a dry run on a never-deployed stack works.
  let db: Promise<import('@google-cloud/firestore').Firestore> | undefined;
  const firestore = (): Promise<import('@google-cloud/firestore').Firestore> => {
    db ??= stack.outputs().then((outputs) => {
      const database = typeof outputs['firestoreDatabase'] === 'string' ? outputs['firestoreDatabase'] : '(default)';
      return adapters.openFirestore(project, database);
    });
    return db;
  };
  const report = await drill.runFailoverDrill(
    {
      stack,
      http: new adapters.FetchHttpProbe(),
      jobs: new adapters.CloudSchedulerJobRunner(project),
      heartbeats: { latest: async () => new adapters.FirestoreHeartbeatReader(await firestore()).latest() },
      sink: new adapters.FileAndFirestoreReportSink(join(repoRoot(), 'drill-reports'), firestore),
      clock: adapters.systemClock,
      log,
    },
    { stackName, ...flags },
  );
  if (db !== undefined) await (await db).terminate();
  console.log(drill.renderFailoverMarkdown(report));
  if (report.status === 'failed') process.exitCode = 1;
}

async function localDrill(rawArgs: readonly string[], loadSeconds: number, clients: number): Promise<void> {
  const { EMULATOR_HOSTS, emulatorBinaryEnv, firebaseArgs, firebaseBin, repoRoot } = await import('../lib/emulators');
  if (!(await emulatorsAnswer(Object.values(EMULATOR_HOSTS)))) {
    if (process.env[INSIDE_EMULATORS] === '1') throw new Error('The emulators that firebase emulators:exec started do not answer');
    console.log('No emulators answer; starting them for the drill (firebase emulators:exec) …');
    const quote = (a: string): string => `'${a.replace(/'/g, "'\\''")}'`;
    const inner = [process.execPath, join(repoRoot(), 'dist/scripts/tuki.js'), 'drill', 'failover', ...rawArgs].map(quote).join(' ');
    const result = spawnSync(firebaseBin(), firebaseArgs('emulators:exec', inner), {
      cwd: repoRoot(),
      env: { ...process.env, ...emulatorBinaryEnv(), [INSIDE_EMULATORS]: '1' },
      stdio: 'inherit',
    });
    process.exitCode = result.status ?? 1;
    return;
  }
  const { runLocalFailoverDrill } = await import('../drill/local-failover');
  const { renderLocalMarkdown } = await import('../drill/local/report');
  const report = await runLocalFailoverDrill({ loadSeconds, clients, log: (line) => console.log(line) });
  console.log(`\n${renderLocalMarkdown(report)}`);
  console.log(`Report: ${report.reportFiles.join(', ')}`);
  if (report.status === 'failed') process.exitCode = 1;
}

/** Whether every emulator answers HTTP on its host. */
async function emulatorsAnswer(hosts: readonly string[]): Promise<boolean> {
  const answers = await Promise.all(
    hosts.map((host) =>
      fetch(`http://${host}/`, { signal: AbortSignal.timeout(1000) }).then(
        () => true,
        () => false,
      ),
    ),
  );
  return answers.every(Boolean);
}
