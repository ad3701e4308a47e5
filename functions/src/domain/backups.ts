/**
 * Backups: what a logical snapshot is (its id, its manifest), when one has outlived the backup
 * retention, how a snapshot or a restored copy is checked against its manifest, and what a
 * restore drill reports. Pure: time comes in as epoch milliseconds, hashing is computation.
 */
import { createHash, type Hash } from 'node:crypto';
import { z } from 'zod';

/** The manifest format; a reader refuses any other. */
export const SNAPSHOT_FORMAT = 'tuki-snapshot/1';

/** Days a snapshot is kept unless configured otherwise: erased data leaves the backups within this time. */
export const DEFAULT_BACKUP_RETENTION_DAYS = 35;

const DAY_MS = 24 * 60 * 60 * 1000;
const SNAPSHOT_ID = /^\d{4}-\d{2}-\d{2}$/;
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** One compressed NDJSON file of a snapshot: every document of one root collection and its subcollections. */
const SnapshotFileSchema = z.object({
  collection: z.string().min(1),
  file: z.string().min(1),
  documents: z.number().int().nonnegative(),
  /** Size of the compressed file. */
  bytes: z.number().int().nonnegative(),
  /** SHA-256 of the compressed file as stored. */
  sha256: sha256Hex,
  /** SHA-256 of the uncompressed NDJSON: the same for the snapshot and for a restored copy read back. */
  contentSha256: sha256Hex,
});
export type SnapshotFile = z.infer<typeof SnapshotFileSchema>;

export const SnapshotManifestSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  id: z.string().regex(SNAPSHOT_ID),
  runId: z.string().min(1),
  database: z.string().min(1),
  /** The one instant at which every document was read (RFC 3339 with nanoseconds). */
  readTime: z.string().min(1),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number().nonnegative(),
  collections: z.array(SnapshotFileSchema),
  documents: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** SHA-256 over the files' names, counts and checksums: one value that names the whole snapshot. */
  sha256: sha256Hex,
  /** The Firestore managed export started with the snapshot (production only). */
  managedExport: z.object({ operation: z.string(), outputUriPrefix: z.string() }).optional(),
});
export type SnapshotManifest = z.infer<typeof SnapshotManifestSchema>;

/** The snapshot of a UTC day: two runs on one day make one snapshot. */
export function snapshotIdFor(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** Whether a string is a snapshot id (`YYYY-MM-DD`). */
export function isSnapshotId(value: string): boolean {
  return SNAPSHOT_ID.test(value) && Number.isFinite(Date.parse(`${value}T00:00:00Z`));
}

/**
 * The snapshots to delete: those whose day began more than `retentionDays` days before now, so
 * that a document erased today is in no snapshot after `retentionDays` days (plus the day it was
 * taken on). Ids that are not snapshot ids are left alone.
 */
export function expiredSnapshots(ids: readonly string[], nowMs: number, retentionDays: number): string[] {
  const cutoff = nowMs - retentionDays * DAY_MS;
  return ids.filter((id) => isSnapshotId(id) && Date.parse(`${id}T00:00:00Z`) + DAY_MS <= cutoff);
}

/** The SHA-256 that names a snapshot: over each file's collection, name, count and checksums, in order. */
export function snapshotDigest(files: readonly SnapshotFile[]): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f.collection}\t${f.file}\t${f.documents}\t${f.bytes}\t${f.sha256}\t${f.contentSha256}\n`);
  return hash.digest('hex');
}

/** Counts and hashes the canonical NDJSON lines of one collection as they pass. */
export class ContentDigest {
  private readonly hash: Hash = createHash('sha256');
  documents = 0;

  add(line: string): void {
    this.hash.update(line);
    this.hash.update('\n');
    this.documents++;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** One restored document: the line written and the line read back once its write was acknowledged (undefined: not found). */
export interface RestoredDocument {
  readonly path: string;
  readonly line: string;
  readonly restored: string | undefined;
}

/** Restored documents named in a problem, at most (the count says how many there are). */
const NAMED_DIFFERENCES = 5;

/**
 * Checks one collection of a restore as its documents are read back, in the order they were
 * written (the snapshot file's order, by path): counts and hashes the lines read back, so that
 * they can be compared with the manifest like a full read of the target, and names the
 * documents that did not come back byte for byte as written.
 */
export class RestoredCollectionCheck {
  private readonly digest = new ContentDigest();
  private readonly named: string[] = [];
  private differing = 0;

  constructor(readonly collection: string) {}

  add(documents: readonly RestoredDocument[]): void {
    for (const document of documents) {
      if (document.restored !== undefined) this.digest.add(document.restored);
      if (document.restored === document.line) continue;
      this.differing++;
      if (this.named.length < NAMED_DIFFERENCES) this.named.push(`${document.path} ${document.restored === undefined ? 'is missing' : 'differs'}`);
    }
  }

  /** What was read back; call once, when the collection is written. */
  observed(): ObservedCollection {
    return { documents: this.digest.documents, contentSha256: this.digest.digest() };
  }

  /** The documents that did not read back as written; empty when all did. */
  problems(): string[] {
    if (this.differing === 0) return [];
    return [`${this.collection}: ${this.differing} documents did not read back as written (${this.named.join(', ')}${this.differing > this.named.length ? ', …' : ''})`];
  }
}

/** The root collection a document path belongs to (`tickets/a/messages/m` → `tickets`). */
export function rootCollectionOf(path: string): string {
  const slash = path.indexOf('/');
  return slash === -1 ? path : path.slice(0, slash);
}

/** What was found for one collection when a snapshot's files or a restored copy were read. */
export interface ObservedCollection {
  readonly documents: number;
  readonly contentSha256: string;
  /** SHA-256 of the stored file (when the files themselves were checked). */
  readonly sha256?: string;
}

/** Every difference between a manifest and what was read; empty when they agree. */
export function compareWithManifest(manifest: SnapshotManifest, observed: ReadonlyMap<string, ObservedCollection>): string[] {
  const problems: string[] = [];
  for (const expected of manifest.collections) {
    const found = observed.get(expected.collection);
    if (found === undefined) {
      if (expected.documents > 0) problems.push(`${expected.collection}: missing (expected ${expected.documents} documents)`);
      continue;
    }
    if (found.sha256 !== undefined && found.sha256 !== expected.sha256) problems.push(`${expected.collection}: file checksum differs from the manifest`);
    if (found.documents !== expected.documents) problems.push(`${expected.collection}: ${found.documents} documents, the manifest says ${expected.documents}`);
    if (found.contentSha256 !== expected.contentSha256) problems.push(`${expected.collection}: content checksum differs from the manifest`);
  }
  const known = new Set(manifest.collections.map((c) => c.collection));
  for (const [collection, found] of observed) {
    if (!known.has(collection) && found.documents > 0) problems.push(`${collection}: ${found.documents} documents that the snapshot does not have`);
  }
  if (snapshotDigest(manifest.collections) !== manifest.sha256) problems.push('the manifest checksum does not match its files');
  return problems;
}

/** The result of a restore drill, as stored in `drills/` and next to the snapshots. */
export interface RestoreDrillReport {
  readonly id: string;
  readonly kind: 'restore';
  readonly result: 'passed' | 'failed';
  readonly snapshotId: string;
  readonly snapshotSha256: string;
  readonly target: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Recovery point: how old the restored data was when the drill began (now − the snapshot's read time). */
  readonly snapshotAgeMs: number;
  /** Recovery time: writing the snapshot into the target and verifying it. */
  readonly restoreMs: number;
  readonly verifyMs: number;
  readonly documents: number;
  readonly collections: readonly { readonly collection: string; readonly expected: number; readonly restored: number }[];
  readonly cryptoShredding: CryptoShreddingCheck;
  readonly problems: readonly string[];
}

/** Sealed originals in the restored copy whose data key was destroyed must not open; the others must. */
export interface CryptoShreddingCheck {
  readonly destroyedKeysChecked: number;
  readonly destroyedKeysUnreadable: number;
  readonly liveKeysChecked: number;
  readonly liveKeysReadable: number;
}

/** The problems a crypto-shredding check reveals. */
export function shreddingProblems(check: CryptoShreddingCheck): string[] {
  const problems: string[] = [];
  if (check.destroyedKeysUnreadable !== check.destroyedKeysChecked) {
    problems.push(`${check.destroyedKeysChecked - check.destroyedKeysUnreadable} originals with a destroyed key are readable in the restored copy`);
  }
  if (check.liveKeysReadable !== check.liveKeysChecked) {
    problems.push(`${check.liveKeysChecked - check.liveKeysReadable} originals with a live key do not open in the restored copy`);
  }
  return problems;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function duration(ms: number): string {
  if (ms < 2 * 60 * 1000) return seconds(ms);
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.round((ms % 3_600_000) / 60_000);
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
}

/** The drill report as Markdown, for people. */
export function renderRestoreDrillMarkdown(report: RestoreDrillReport): string {
  const c = report.cryptoShredding;
  const lines = [
    `# Restore drill ${report.id}: ${report.result.toUpperCase()}`,
    '',
    `- Snapshot: ${report.snapshotId} (sha256 ${report.snapshotSha256.slice(0, 16)}…), restored into ${report.target}`,
    `- Recovery point (snapshot age at the start): ${duration(report.snapshotAgeMs)}`,
    `- Recovery time (restore and verify): ${seconds(report.restoreMs + report.verifyMs)} (writing ${seconds(report.restoreMs)}, verifying ${seconds(report.verifyMs)})`,
    `- Documents: ${report.documents}`,
    `- Crypto-shredding: ${c.destroyedKeysUnreadable}/${c.destroyedKeysChecked} originals with a destroyed key unreadable, ${c.liveKeysReadable}/${c.liveKeysChecked} with a live key readable`,
    `- Started ${report.startedAt}, finished ${report.finishedAt}`,
    '',
    '| collection | in snapshot | restored |',
    '| --- | ---: | ---: |',
    ...report.collections.map((row) => `| ${row.collection} | ${row.expected} | ${row.restored} |`),
  ];
  if (report.problems.length > 0) lines.push('', '## Problems', '', ...report.problems.map((p) => `- ${p}`));
  return `${lines.join('\n')}\n`;
}
