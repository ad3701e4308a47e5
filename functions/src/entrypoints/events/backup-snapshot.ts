/** `backupSnapshot`: the daily Cloud Scheduler tick that takes the backup snapshot and prunes expired ones. */
import { z } from 'zod';
import { backupAdapters, type BackupFunctionDeps } from './backup-adapters';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

pubsubFunction({
  name: 'backupSnapshot',
  payload: z.object({ job: z.string() }).loose(),
  // A tick that waited this long is superseded by the next day's; today's snapshot id is the same either way.
  maxAgeMs: 12 * 60 * 60 * 1000,
  handle: async (_tick, { deps }: DeliveryContext<BackupFunctionDeps>) => {
    const [{ takeSnapshot }, adapters] = await Promise.all([import('../../application/backups/take-snapshot'), backupAdapters(deps)]);
    const { outcome, manifest, pruned } = await takeSnapshot(adapters.snapshotDeps());
    return `snapshot ${manifest.id} ${outcome}: ${manifest.documents} documents; pruned ${pruned.length}`;
  },
});
