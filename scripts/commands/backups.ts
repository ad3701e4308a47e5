/**
 * The backup commands: `snapshots` (list them), `restore --snapshot <id> --target <database>`
 * and, under `drill restore`, the restore drill. Local mode reads the snapshots of
 * `.tuki/backups/` and the emulators; `TUKI_MODE=production` the backup bucket and the project.
 */
import { parseArgs } from 'node:util';
import type { Config } from '../../functions/src/config';
import type { BackupAdapters } from '../../functions/src/wiring-backups';
import type { Command } from './command';

/** A restore target: `<database>` in the configured project, or `<project>/<database>`. */
function parseTarget(raw: string, defaultProject: string): { project: string; database: string } {
  const match = /^(?:projects\/)?(?:([a-z][a-z0-9-]{4,28}[a-z0-9])(?:\/databases)?\/)?(\(default\)|[a-z][a-z0-9-]{3,62})$/.exec(raw);
  if (match === null) throw new Error(`--target must be a database id (restore-2026-12-01) or <project>/<database>, not "${raw}"`);
  return { project: match[1] ?? defaultProject, database: match[2] ?? '' };
}

async function withAdapters<T>(project: string | undefined, use: (adapters: BackupAdapters, config: Config) => Promise<T>): Promise<T> {
  const [{ parseConfig }, { buildBackupAdapters }, { loggerAt, systemClock, randomIds }] = await Promise.all([
    import('../../functions/src/config'),
    import('../../functions/src/wiring-backups'),
    import('../../functions/src/wiring'),
  ]);
  const parsed = parseConfig();
  const config = project === undefined ? parsed : { ...parsed, GOOGLE_CLOUD_PROJECT: project };
  const adapters = await buildBackupAdapters(config, { clock: systemClock, ids: randomIds, logger: loggerAt('WARNING') });
  try {
    return await use(adapters, config);
  } finally {
    await adapters.close();
  }
}

function age(ms: number): string {
  const hours = ms / 3_600_000;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} d`;
}

const megabytes = (bytes: number): string => `${(bytes / 1_048_576).toFixed(2)} MB`;

export const snapshotsCommand: Command = {
  name: 'snapshots',
  usage: 'snapshots [--json]                  list backup snapshots with age, size and document counts',
  async run(args) {
    const { values } = parseArgs({ args: [...args], options: { json: { type: 'boolean', default: false } } });
    const { listSnapshots } = await import('../../functions/src/application/backups/take-snapshot');
    await withAdapters(undefined, async (adapters) => {
      const manifests = await listSnapshots(adapters.store);
      if (values.json) {
        console.log(JSON.stringify(manifests, null, 2));
        return;
      }
      console.log(`${manifests.length} snapshots in ${adapters.store.location}`);
      for (const m of manifests) {
        const counts = m.collections.map((c) => `${c.collection} ${c.documents}`).join(', ');
        console.log(`  ${m.id}  age ${age(Date.now() - Date.parse(m.readTime)).padStart(7)}  ${megabytes(m.bytes).padStart(10)}  ${String(m.documents).padStart(8)} documents  (${counts})`);
      }
    });
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  usage: 'restore --snapshot <id> --target <database | project/database> [--force]   restore a snapshot into an empty database and verify it',
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: { snapshot: { type: 'string' }, target: { type: 'string' }, force: { type: 'boolean', default: false } },
    });
    if (values.snapshot === undefined || values.target === undefined) throw new Error(`Usage: ${restoreCommand.usage}`);
    const { parseConfig } = await import('../../functions/src/config');
    const target = parseTarget(values.target, parseConfig().GOOGLE_CLOUD_PROJECT);
    const [{ restoreSnapshot }, { startProgress }] = await Promise.all([import('../../functions/src/application/backups/restore-snapshot'), import('../lib/progress')]);
    await withAdapters(target.project, async (adapters) => {
      const snapshotId = values.snapshot ?? '';
      const manifest = await adapters.store.manifest(snapshotId);
      const progress = startProgress(`restore ${snapshotId}`, manifest?.documents ?? 0, 'documents');
      const result = await restoreSnapshot(adapters.restoreDeps(target.database), {
        snapshotId,
        force: values.force,
        onProgress: (written) => progress.update(written),
      }).finally(() => progress.stop());
      const where = `projects/${target.project}/databases/${target.database}`;
      if (result.problems.length > 0) {
        console.error(`Restore of ${snapshotId} into ${where} FAILED verification:\n${result.problems.map((p) => `  - ${p}`).join('\n')}`);
        process.exitCode = 1;
        return;
      }
      const rate = Math.round(result.written / Math.max(0.001, result.writeMs / 1000));
      console.log(
        `Restored ${result.written} documents of ${snapshotId} into ${where} in ${(result.writeMs / 1000).toFixed(1)} s (${rate}/s); ` +
          `verified counts and checksums of ${result.collections.length} collections in ${(result.verifyMs / 1000).toFixed(1)} s.`,
      );
    });
  },
};

/** `drill restore [--snapshot <id>]`: the restore drill now; exit 1 when it failed. */
export async function restoreDrill(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...args], options: { snapshot: { type: 'string' } } });
  const [{ runRestoreDrill }, { renderRestoreDrillMarkdown }, { buildServices, instanceConfig }] = await Promise.all([
    import('../../functions/src/application/backups/run-restore-drill'),
    import('../../functions/src/domain/backups'),
    import('../../functions/src/wiring'),
  ]);
  const services = await buildServices(instanceConfig());
  try {
    await withAdapters(undefined, async (adapters) => {
      const { report, files } = await runRestoreDrill(adapters.drillDeps(services.vault), values.snapshot === undefined ? {} : { snapshotId: values.snapshot });
      console.log(renderRestoreDrillMarkdown(report));
      console.log(`Report: ${files.join(', ')} and drills/${report.id} in Firestore`);
      if (report.result === 'failed') process.exitCode = 1;
    });
  } finally {
    await Promise.all([services.db.terminate(), services.pubsub.close()]);
  }
}
