/**
 * One measured side of the backup benchmark in a process of its own, so that its peak memory
 * (`maxRSS`) belongs to that side alone: `snapshot` (tuki's snapshot use case into a local
 * store) or `raw-read` (the Node client streaming the same collections). Prints one JSON line:
 * documents, seconds (from the creation of its clients, without the process start and module
 * loading) and maxRSS in MiB.
 */
import { Firestore } from '@google-cloud/firestore';

async function rawRead(started: (at: number) => void): Promise<number> {
  started(performance.now());
  const db = new Firestore({ projectId: process.env['GOOGLE_CLOUD_PROJECT'] });
  let documents = 0;
  for (const query of [db.collection('tickets'), db.collectionGroup('messages')]) {
    for await (const doc of query.stream() as AsyncIterable<FirebaseFirestore.QueryDocumentSnapshot>) {
      if (doc.data() !== undefined) documents++;
    }
  }
  await db.terminate();
  return documents;
}

async function snapshot(started: (at: number) => void): Promise<number> {
  const [{ buildBackupAdapters }, { takeSnapshot }, { instanceConfig, randomIds, systemClock }, { CloudLoggingLogger }] = await Promise.all([
    import('../../functions/src/wiring-backups'),
    import('../../functions/src/application/backups/take-snapshot'),
    import('../../functions/src/wiring'),
    import('../../functions/src/adapters/cloud-logging'),
    // What buildBackupAdapters loads on first use: the raw side has its client library loaded before its clock starts too.
    import('../../functions/src/adapters/firestore-snapshot-database'),
    import('../../functions/src/adapters/firestore-shredding-probe'),
    import('../../functions/src/adapters/local-snapshot-store'),
  ]);
  // Both sides are timed from the creation of their clients; loading tuki's modules is not reading.
  started(performance.now());
  const adapters = await buildBackupAdapters(instanceConfig(), { clock: systemClock, ids: randomIds, logger: new CloudLoggingLogger('ERROR') });
  const { manifest } = await takeSnapshot(adapters.snapshotDeps());
  await adapters.close();
  return manifest.documents;
}

const mode = process.argv[2];
let startedAt = performance.now();
const start = (at: number): void => {
  startedAt = at;
};
(mode === 'snapshot' ? snapshot(start) : mode === 'raw-read' ? rawRead(start) : Promise.reject(new Error(`unknown mode ${String(mode)}`))).then(
  (documents) => {
    const seconds = (performance.now() - startedAt) / 1000;
    console.log(JSON.stringify({ documents, seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
