/**
 * The retention job alone in a process of its own (the benchmark measures its peak memory):
 * runs `runRetention` with tuki's adapters (BulkWriters unthrottled, as the baseline's) and
 * prints `{seconds, deleted, maxRssMb}` as its last line.
 */
import { FirestoreRetentionStore } from '../../functions/src/adapters/firestore-retention';
import { runRetention } from '../../functions/src/application/retention/run-retention';
import { services } from '../../functions/src/wiring';

async function main(): Promise<void> {
  const s = await services();
  const retentionStore = new FirestoreRetentionStore(s.db, s.db, { throttling: false });
  const started = performance.now();
  const summary = await runRetention({ ...s, retentionStore });
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ seconds, deleted: summary.deleted, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
