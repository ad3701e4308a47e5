/** `restoreDrill`: the weekly Cloud Scheduler tick that restores the latest snapshot into the scratch database and verifies it. */
import { z } from 'zod';
import { backupAdapters, type BackupFunctionDeps } from './backup-adapters';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

pubsubFunction({
  name: 'restoreDrill',
  payload: z.object({ job: z.string() }).loose(),
  maxAgeMs: 24 * 60 * 60 * 1000,
  // A failed drill is logged as an error by the use case (production alerts on it) and acknowledged:
  // running it again at once would fail the same way.
  handle: async (_tick, { deps }: DeliveryContext<BackupFunctionDeps>) => {
    const [{ runRestoreDrill }, adapters] = await Promise.all([import('../../application/backups/run-restore-drill'), backupAdapters(deps)]);
    const { report } = await runRestoreDrill(adapters.drillDeps(deps.vault));
    return `restore drill ${report.id} ${report.result}: snapshot ${report.snapshotId}, ${report.documents} documents in ${report.restoreMs + report.verifyMs} ms`;
  },
});
