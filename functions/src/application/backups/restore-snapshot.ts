/**
 * Restore: a snapshot written into a target database, checked before and after.
 *
 * Before anything is written, every file of the manifest must exist and match its SHA-256, so a
 * snapshot with one altered byte or a missing file writes nothing. The target must be empty
 * unless the restore is forced (a forced restore empties it first, so that afterwards it holds
 * the snapshot and nothing else). While writing, each chunk of documents is read back once its
 * writes were acknowledged: every document must read back byte for byte as written (canonical
 * JSON), and every collection's count and content checksum of what was read back must equal the
 * manifest's. That read-back alone proves each collection's count: every snapshot document is
 * created once (a create fails on a document that exists, so a duplicated line fails the
 * restore) and found. What it cannot prove is that nothing else is there — a document another
 * writer put into the target meanwhile, under a path the snapshot does not have. So a count of
 * the whole target must still equal the snapshot's; it starts as soon as the last write is
 * acknowledged, alongside the last read-backs. So the restored copy is the snapshot, without a
 * second pass over the target.
 *
 * `writeMs` runs until the last write is acknowledged (the read-backs that overlapped the writes
 * included), `verifyMs` from then until the last read-back and the final count are in.
 */
import { compareWithManifest, RestoredCollectionCheck, type ObservedCollection, type SnapshotManifest } from '../../domain/backups';
import type { Clock } from '../ports';
import type { DatabaseWriter, SnapshotStore } from './ports';

/** The snapshot does not exist (or is incomplete: it has no manifest). */
class SnapshotNotFoundError extends Error {
  constructor(readonly snapshotId: string) {
    super(`No complete snapshot ${snapshotId}`);
    this.name = 'SnapshotNotFoundError';
  }
}

/** The target holds documents and the restore was not forced. */
export class TargetNotEmptyError extends Error {
  constructor(readonly target: string) {
    super(`${target} is not empty: restore into an empty database, or give --force to replace everything in it`);
    this.name = 'TargetNotEmptyError';
  }
}

export interface RestoreDeps {
  readonly store: SnapshotStore;
  readonly target: DatabaseWriter;
  readonly clock: Clock;
  /**
   * Root collections of the target that a restore never touches nor compares: the wrapped data
   * keys, which are in no snapshot (in local mode they share the live database).
   */
  readonly preserved: readonly string[];
}

export interface RestoreOptions {
  readonly snapshotId: string;
  readonly force: boolean;
  /** Hears how many of the snapshot's documents have been written. */
  readonly onProgress?: (written: number, total: number) => void;
}

export interface RestoreResult {
  readonly manifest: SnapshotManifest;
  readonly written: number;
  readonly writeMs: number;
  readonly verifyMs: number;
  readonly collections: readonly { readonly collection: string; readonly expected: number; readonly restored: number }[];
  /** Every verification failure; empty when the restore is complete and exact. */
  readonly problems: readonly string[];
}

/** The problems with a snapshot's stored files (missing, or not matching their checksum). */
async function checkSnapshotFiles(store: SnapshotStore, manifest: SnapshotManifest): Promise<string[]> {
  const problems: string[] = [];
  for (const entry of manifest.collections) {
    const stored = await store.checksum(manifest.id, entry.file);
    if (stored === undefined) problems.push(`${entry.collection}: file ${entry.file} is missing`);
    else if (stored.sha256 !== entry.sha256 || stored.bytes !== entry.bytes) problems.push(`${entry.collection}: file ${entry.file} does not match its checksum`);
  }
  return problems;
}

/** Restores a snapshot into the target and verifies it. */
export async function restoreSnapshot(deps: RestoreDeps, options: RestoreOptions): Promise<RestoreResult> {
  const manifest = await deps.store.manifest(options.snapshotId);
  if (manifest === undefined) throw new SnapshotNotFoundError(options.snapshotId);
  const failed = (problems: string[]): RestoreResult => ({ manifest, written: 0, writeMs: 0, verifyMs: 0, collections: [], problems });

  const fileProblems = await checkSnapshotFiles(deps.store, manifest);
  if (fileProblems.length > 0) return failed(fileProblems);
  if (!(await deps.target.isEmpty(deps.preserved))) {
    if (!options.force) throw new TargetNotEmptyError(deps.target.name);
    await deps.target.clear(deps.preserved);
  }

  const writeStart = deps.clock.now();
  let written = 0;
  const checks: RestoredCollectionCheck[] = [];
  const observed = new Map<string, ObservedCollection>();
  // The final count starts once the last write is acknowledged, while the last chunks are still read back.
  let committedAt: number | undefined;
  let counted: Promise<number> | undefined;
  const countTarget = (): void => {
    committedAt = deps.clock.now();
    counted = deps.target.count(deps.preserved);
    counted.catch(() => undefined); // awaited below; a failed read-back must not leave it unhandled
  };
  const last = manifest.collections.length - 1;
  for (const [index, entry] of manifest.collections.entries()) {
    const before = written;
    const check = new RestoredCollectionCheck(entry.collection);
    written += await deps.target.write(
      deps.store.lines(manifest.id, entry.file),
      (count) => options.onProgress?.(before + count, manifest.documents),
      (chunk) => check.add(chunk),
      index === last ? countTarget : undefined,
    );
    checks.push(check);
    observed.set(entry.collection, check.observed());
  }
  const verifyStart = committedAt ?? deps.clock.now();
  const held = await (counted ?? deps.target.count(deps.preserved));
  const verifyEnd = deps.clock.now();
  return {
    manifest,
    written,
    writeMs: verifyStart - writeStart,
    verifyMs: verifyEnd - verifyStart,
    collections: manifest.collections.map((c) => ({ collection: c.collection, expected: c.documents, restored: observed.get(c.collection)?.documents ?? 0 })),
    problems: [
      ...compareWithManifest(manifest, observed),
      ...checks.flatMap((check) => check.problems()),
      ...(held === manifest.documents ? [] : [`${deps.target.name} holds ${held} documents after the restore, the snapshot ${manifest.documents}`]),
    ],
  };
}
