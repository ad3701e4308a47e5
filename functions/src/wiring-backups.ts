/**
 * The composition root of the backup capability: the snapshot store (a local folder in local
 * mode, the backup bucket in production), the databases read and written at the wire level, the
 * managed export (production) and the drill's crypto-shredding probe. Built on first use by the
 * backup functions and by the operator commands; the cloud SDKs are loaded only then.
 */
import { resolve } from 'node:path';
import type { BulkWriterOptions, Firestore } from '@google-cloud/firestore';
import type { ManagedExporter, SnapshotStore } from './application/backups/ports';
import type { DrillDeps } from './application/backups/run-restore-drill';
import type { RestoreDeps } from './application/backups/restore-snapshot';
import type { SnapshotDeps } from './application/backups/take-snapshot';
import type { Clock, IdGenerator, KeyVault, Logger } from './application/ports';
import type { FirestoreSnapshotDatabase } from './adapters/firestore-snapshot-database';
import { COLLECTIONS } from './adapters/firestore-names';
import type { Config } from './config';

/** The database the snapshots are taken of. */
const LIVE_DATABASE = '(default)';

export interface BackupContext {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

export interface BackupAdapters {
  readonly store: SnapshotStore;
  /** A database as snapshot source and restore target (one client per database id). */
  database(databaseId: string): FirestoreSnapshotDatabase;
  snapshotDeps(): SnapshotDeps;
  restoreDeps(targetDatabase: string): RestoreDeps;
  drillDeps(vault: KeyVault): DrillDeps;
  close(): Promise<void>;
}

/** Builds the backup adapters; `close` ends every client they opened. */
export async function buildBackupAdapters(config: Config, context: BackupContext): Promise<BackupAdapters> {
  const [{ Firestore: FirestoreClass }, snapshotDb, probe] = await Promise.all([
    import('@google-cloud/firestore'),
    import('./adapters/firestore-snapshot-database'),
    import('./adapters/firestore-shredding-probe'),
  ]);
  const projectId = config.GOOGLE_CLOUD_PROJECT;
  const emulatorHost = config.FIRESTORE_EMULATOR_HOST;
  const api = snapshotDb.firestoreApiClient(projectId, emulatorHost);
  // Emptying a target: in production BulkWriter ramps up as Firestore advises for a new database (500 writes/s,
  // +50 % every 5 minutes; a restore's own commits keep to the same rule); the emulator has no hotspots to spare.
  const bulkWriter: BulkWriterOptions = emulatorHost === undefined ? {} : { throttling: false };
  const clients = new Map<string, Firestore>();
  const client = (databaseId: string): Firestore => {
    let db = clients.get(databaseId);
    if (db === undefined) clients.set(databaseId, (db = new FirestoreClass({ projectId, databaseId, ignoreUndefinedProperties: true })));
    return db;
  };
  const databases = new Map<string, FirestoreSnapshotDatabase>();
  const database = (databaseId: string): FirestoreSnapshotDatabase => {
    let db = databases.get(databaseId);
    if (db === undefined) {
      db = new snapshotDb.FirestoreSnapshotDatabase(api, client(databaseId), projectId, databaseId, emulatorHost !== undefined, { bulkWriter });
      databases.set(databaseId, db);
    }
    return db;
  };
  const store = await snapshotStore(config);
  const exporter =
    config.TUKI_MODE === 'production' && config.TUKI_BACKUP_BUCKET !== undefined
      ? await managedExporter(projectId, config.TUKI_BACKUP_BUCKET)
      : undefined;

  const snapshotDeps = (): SnapshotDeps => ({
    reader: database(LIVE_DATABASE),
    store,
    ...context,
    retentionDays: config.TUKI_BACKUP_RETENTION_DAYS,
    // Wrapped data keys are never in a snapshot, also where they share the database (local mode).
    excludedCollections: [COLLECTIONS.dataKeys],
    ...(exporter === undefined ? {} : { exporter }),
  });
  return {
    store,
    database,
    snapshotDeps,
    restoreDeps: (targetDatabase) => {
      if (targetDatabase === config.TUKI_KEYS_DATABASE && targetDatabase !== LIVE_DATABASE) {
        throw new Error(`${targetDatabase} holds the data keys: nothing is ever restored into it`);
      }
      return { store, target: database(targetDatabase), clock: context.clock, preserved: [COLLECTIONS.dataKeys] };
    },
    drillDeps: (vault) => ({
      store,
      snapshot: snapshotDeps(),
      scratch: database(config.TUKI_DRILL_DATABASE),
      shredding: new probe.FirestoreShreddingProbe(client(config.TUKI_DRILL_DATABASE), client(LIVE_DATABASE), client(config.TUKI_KEYS_DATABASE), vault),
      reports: new probe.FirestoreDrillReportLog(client(LIVE_DATABASE)),
      ...context,
    }),
    close: async () => {
      await Promise.all([api.close(), ...[...clients.values()].map((db) => db.terminate())]);
    },
  };
}

async function snapshotStore(config: Config): Promise<SnapshotStore> {
  if (config.TUKI_BACKUP_BUCKET !== undefined) {
    const [{ Storage }, { GcsSnapshotStore }] = await Promise.all([import('@google-cloud/storage'), import('./adapters/gcs-snapshot-store')]);
    return new GcsSnapshotStore(new Storage({ projectId: config.GOOGLE_CLOUD_PROJECT }).bucket(config.TUKI_BACKUP_BUCKET));
  }
  if (config.TUKI_MODE === 'production') throw new Error('TUKI_BACKUP_BUCKET must be set in production mode (infra sets it on the backup functions)');
  const { LocalSnapshotStore } = await import('./adapters/local-snapshot-store');
  return new LocalSnapshotStore(resolve(config.TUKI_BACKUP_DIR));
}

async function managedExporter(projectId: string, bucket: string): Promise<ManagedExporter> {
  const [{ v1 }, { FirestoreManagedExporter }] = await Promise.all([import('@google-cloud/firestore'), import('./adapters/firestore-managed-export')]);
  const admin = new v1.FirestoreAdminClient({ projectId });
  return new FirestoreManagedExporter(
    { exportDocuments: (request) => admin.exportDocuments(request) },
    `projects/${projectId}/databases/${LIVE_DATABASE}`,
    bucket,
  );
}
