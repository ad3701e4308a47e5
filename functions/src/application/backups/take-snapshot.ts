/**
 * The daily snapshot: every document of the database read at one read time, streamed into one
 * compressed NDJSON file per root collection (its subcollections included), then a manifest with
 * counts and checksums. One snapshot per UTC day: a second run that day finds the manifest and
 * stops, and of two concurrent runs the first manifest wins and the other run deletes its files.
 * The same job deletes snapshots older than the backup retention. Wrapped data keys are never
 * read, so a destroyed key is in no snapshot.
 */
import {
  ContentDigest,
  expiredSnapshots,
  rootCollectionOf,
  snapshotDigest,
  snapshotIdFor,
  SNAPSHOT_FORMAT,
  type SnapshotFile,
  type SnapshotManifest,
} from '../../domain/backups';
import type { Clock, IdGenerator, Logger } from '../ports';
import type { DatabaseReader, ManagedExporter, SnapshotFileWriter, SnapshotStore } from './ports';

export interface SnapshotDeps {
  readonly reader: DatabaseReader;
  readonly store: SnapshotStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly retentionDays: number;
  /** Root collections never snapshotted (the wrapped data keys, wherever they live). */
  readonly excludedCollections: readonly string[];
  /** Firestore's managed export, in production only. */
  readonly exporter?: ManagedExporter;
}

export interface SnapshotOutcome {
  /** `taken` by this run, or `exists`: today's snapshot was already there (or another run finished first). */
  readonly outcome: 'taken' | 'exists';
  readonly manifest: SnapshotManifest;
  readonly pruned: readonly string[];
}

/** Takes today's snapshot unless it exists, then prunes the expired ones. */
export async function takeSnapshot(deps: SnapshotDeps): Promise<SnapshotOutcome> {
  const startedMs = deps.clock.now();
  const id = snapshotIdFor(startedMs);
  const existing = await deps.store.manifest(id);
  if (existing !== undefined) return { outcome: 'exists', manifest: existing, pruned: await prune(deps, startedMs) };

  const runId = deps.ids.newId();
  let manifest: SnapshotManifest;
  try {
    manifest = await writeSnapshot(deps, id, runId, startedMs);
  } catch (error) {
    await deps.store.deleteRun(id, runId).catch(() => undefined);
    throw error;
  }
  const created = await deps.store.createManifest(manifest);
  if (!created) {
    await deps.store.deleteRun(id, runId);
    const winner = await deps.store.manifest(id);
    if (winner === undefined) throw new Error(`Snapshot ${id}: the manifest exists but cannot be read`);
    return { outcome: 'exists', manifest: winner, pruned: await prune(deps, startedMs) };
  }
  deps.logger.info('backup snapshot taken', {
    event: 'backup.snapshot.succeeded',
    snapshotId: id,
    documents: manifest.documents,
    bytes: manifest.bytes,
    durationMs: manifest.durationMs,
    readTime: manifest.readTime,
    store: deps.store.location,
  });
  return { outcome: 'taken', manifest, pruned: await prune(deps, startedMs) };
}

async function writeSnapshot(deps: SnapshotDeps, id: string, runId: string, startedMs: number): Promise<SnapshotManifest> {
  const readTime = await deps.reader.readTime();
  const files: SnapshotFile[] = [];
  let current: { collection: string; writer: SnapshotFileWriter; digest: ContentDigest } | undefined;
  const close = async (): Promise<void> => {
    if (current === undefined) return;
    const stored = await current.writer.finish();
    files.push({ collection: current.collection, ...stored, documents: current.digest.documents, contentSha256: current.digest.digest() });
    current = undefined;
  };
  for await (const doc of deps.reader.documents(readTime, deps.excludedCollections)) {
    const collection = rootCollectionOf(doc.path);
    if (current?.collection !== collection) {
      await close();
      current = { collection, writer: deps.store.createFile(id, runId, collection), digest: new ContentDigest() };
    }
    await current.writer.write(doc.line);
    current.digest.add(doc.line);
  }
  await close();
  const managedExport = deps.exporter === undefined ? undefined : await deps.exporter.start(id, runId);
  const finishedMs = deps.clock.now();
  return {
    format: SNAPSHOT_FORMAT,
    id,
    runId,
    database: deps.reader.name,
    readTime,
    startedAt: new Date(startedMs).toISOString(),
    finishedAt: new Date(finishedMs).toISOString(),
    durationMs: finishedMs - startedMs,
    collections: files,
    documents: files.reduce((sum, f) => sum + f.documents, 0),
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    sha256: snapshotDigest(files),
    ...(managedExport === undefined ? {} : { managedExport }),
  };
}

/** Deletes the snapshots older than the retention (never today's). */
async function prune(deps: SnapshotDeps, nowMs: number): Promise<string[]> {
  const expired = expiredSnapshots(await deps.store.ids(), nowMs, deps.retentionDays);
  for (const id of expired) {
    await deps.store.delete(id);
    deps.logger.info('backup snapshot pruned', { snapshotId: id, retentionDays: deps.retentionDays });
  }
  return expired;
}

/** Every complete snapshot, newest first. */
export async function listSnapshots(store: SnapshotStore): Promise<SnapshotManifest[]> {
  const ids = (await store.ids()).sort().reverse();
  const manifests = await Promise.all(ids.map((id) => store.manifest(id)));
  return manifests.filter((m): m is SnapshotManifest => m !== undefined);
}
