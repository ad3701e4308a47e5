/**
 * The ports of the backup use cases: a database read at one instant and written in bulk, the
 * store that keeps snapshots (a folder locally, Cloud Storage in production), the managed export
 * of production, and the check that destroyed data keys stay destroyed in a restored copy.
 */
import type { CryptoShreddingCheck, RestoreDrillReport, RestoredDocument, SnapshotFile, SnapshotManifest } from '../../domain/backups';

/** One document as a snapshot line: its path relative to the database and the canonical NDJSON line. */
export interface SnapshotDocument {
  readonly path: string;
  readonly line: string;
}

/** A database read as a whole at one read time. */
export interface DatabaseReader {
  /** The database, for reports (`projects/p/databases/d`). */
  readonly name: string;
  /** The instant to read at: now, as the database sees it (RFC 3339). */
  readTime(): Promise<string>;
  /** Every document at `readTime`, ordered by path, except those under the excluded root collections. */
  documents(readTime: string, excludedCollections: readonly string[]): AsyncIterable<SnapshotDocument>;
}

/** A database written from snapshot lines (the restore target). */
export interface DatabaseWriter {
  readonly name: string;
  /** Whether the database holds no document outside the `preserved` root collections. */
  isEmpty(preserved: readonly string[]): Promise<boolean>;
  /** Deletes every document except those under `preserved` root collections (a forced restore, the drill's scratch database). */
  clear(preserved: readonly string[]): Promise<void>;
  /**
   * Writes every line; `onWritten` hears how many documents have been written so far. The
   * documents are read back in chunks, each as soon as all of its writes were acknowledged, and
   * handed to `onReadBack` in the order they were written (the verification goes on while the
   * writing does, instead of a second pass over the target). `onCommitted`, when given, hears
   * once that every write was acknowledged, while the last chunks may still be read back.
   */
  write(
    lines: AsyncIterable<string>,
    onWritten: (count: number) => void,
    onReadBack: (chunk: readonly RestoredDocument[]) => void,
    onCommitted?: () => void,
  ): Promise<number>;
  /** How many documents the database holds outside the `preserved` root collections (a count query). */
  count(preserved: readonly string[]): Promise<number>;
}

/** Where one snapshot file is being written. */
export interface SnapshotFileWriter {
  write(line: string): Promise<void>;
  /** Closes the file; the returned entry still lacks the content checksum and count, which the caller kept. */
  finish(): Promise<Pick<SnapshotFile, 'file' | 'bytes' | 'sha256'>>;
}

/** Snapshots, each a folder of compressed NDJSON files and a manifest, plus drill reports. */
export interface SnapshotStore {
  /** Where the store is, for reports and logs. */
  readonly location: string;
  /** Ids of every snapshot folder, complete or not. */
  ids(): Promise<string[]>;
  /** The manifest of a complete snapshot, or undefined. Throws if it is not a valid manifest. */
  manifest(id: string): Promise<SnapshotManifest | undefined>;
  /** Starts a file of a run (`runId` keeps two concurrent runs of one day apart). */
  createFile(id: string, runId: string, collection: string): SnapshotFileWriter;
  /** Writes the manifest unless one exists: false when another run finished first. */
  createManifest(manifest: SnapshotManifest): Promise<boolean>;
  /** Deletes the files a run wrote (a run that lost the race). */
  deleteRun(id: string, runId: string): Promise<void>;
  /** Deletes a snapshot and everything under it. */
  delete(id: string): Promise<void>;
  /** SHA-256 and size of a stored file, or undefined when it is missing. */
  checksum(id: string, file: string): Promise<{ sha256: string; bytes: number } | undefined>;
  /** The decompressed lines of a stored file. */
  lines(id: string, file: string): AsyncIterable<string>;
  /** Stores a drill report next to the snapshots (`drills/<id>.json` and `.md`). */
  putReport(report: RestoreDrillReport, markdown: string): Promise<string[]>;
}

/** Firestore's own managed export (production): started with each snapshot, its operation recorded. */
export interface ManagedExporter {
  start(snapshotId: string, runId: string): Promise<{ operation: string; outputUriPrefix: string }>;
}

/** Whether sealed originals in a restored copy open with the live data keys. */
export interface ShreddingProbe {
  check(): Promise<CryptoShreddingCheck>;
}

/** Where drill reports are recorded in the live database (`drills/`). */
export interface DrillReportLog {
  record(report: RestoreDrillReport): Promise<void>;
}
