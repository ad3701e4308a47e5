/**
 * A Firestore database as a snapshot source and a restore target.
 *
 * Reading goes through the Firestore API's own `RunQuery` (the `v1.FirestoreClient` that the
 * Node client is built on): one kindless query over every document of the database, its
 * subcollections and documents under missing parents included, ordered by name, at one
 * `readTime`. That is a consistent read of the whole database at one instant, streamed with
 * backpressure, on the wire values (see `firestore-value-codec.ts`). It is one stream, not
 * pages: the emulator answers every query by scanning from the start, so each further page
 * (even an empty last one) costs a scan of everything before it. A stream that breaks with a
 * transient error after some progress (gax ends streams after 300 s with DEADLINE_EXCEEDED) is
 * resumed after its last document at the same read time, so the read stays consistent.
 *
 * Every read and write is watched for stalls (`firestore-stall-watch.ts`): Firestore leaving
 * one unanswered for `stallMs` fails the job with `FirestoreStalledError`.
 *
 * Writing a restore is `firestore-restore-writes.ts`: parallel commits of exact wire values, each
 * chunk read back once committed. Emptying a target goes through the Node client's BulkWriter.
 */
import * as grpc from '@grpc/grpc-js';
import { v1, type BulkWriter, type BulkWriterOptions, type Firestore } from '@google-cloud/firestore';
import type { DatabaseReader, DatabaseWriter, SnapshotDocument } from '../application/backups/ports';
import type { RestoredDocument } from '../domain/backups';
import { BACKUP_STALL_MS, firestoreStallWatch } from './firestore-stall-watch';
import type { StallWatch } from './stall-watch';
import { cancelStream, FirestoreRestoreWrites } from './firestore-restore-writes';
import { documentLine, type WireFields, type WireValue } from './firestore-value-codec';

type GapicClient = InstanceType<typeof v1.FirestoreClient>;

/** gRPC codes after which a read stream that made progress is resumed: DEADLINE_EXCEEDED, INTERNAL, UNAVAILABLE. */
const RESUMABLE_READ_CODES = new Set<unknown>([4, 13, 14]);

/** How a database is read and written. */
export interface SnapshotDatabaseOptions {
  readonly bulkWriter?: BulkWriterOptions;
  /** Documents per query (tests: many queries at one read time); by default one stream. */
  readonly pageSize?: number;
  /** How long Firestore may leave a read or write unanswered (`BACKUP_STALL_MS`). */
  readonly stallMs?: number;
}

interface RunQueryResponse {
  readonly document?: { readonly name?: string | null; readonly fields?: WireFields | null } | null;
  readonly readTime?: { readonly seconds?: string | number | null; readonly nanos?: number | null } | null;
}

/** A `v1.FirestoreClient` for the project: on the emulator when `emulatorHost` is set. */
export function firestoreApiClient(projectId: string, emulatorHost: string | undefined): GapicClient {
  if (emulatorHost === undefined) return new v1.FirestoreClient({ projectId });
  const [host, port] = emulatorHost.split(':');
  return new v1.FirestoreClient({ projectId, servicePath: host, port: Number(port), sslCreds: grpc.credentials.createInsecure() });
}

/** RFC 3339 with nanoseconds, from the API's `{seconds, nanos}`. */
function formatReadTime(time: { seconds?: string | number | null; nanos?: number | null }): string {
  const seconds = Number(time.seconds ?? 0);
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  return `${iso}.${String(time.nanos ?? 0).padStart(9, '0')}Z`;
}

/** The API's `{seconds, nanos}`, from RFC 3339 with up to nine fractional digits. */
function parseReadTime(value: string): { seconds: string; nanos: number } {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(value);
  if (match === null) throw new Error(`Not an RFC 3339 UTC time: ${value}`);
  const seconds = Date.parse(`${match[1] ?? ''}Z`) / 1000;
  return { seconds: String(seconds), nanos: Number((match[2] ?? '').padEnd(9, '0')) };
}


export class FirestoreSnapshotDatabase implements DatabaseReader, DatabaseWriter {
  readonly name: string;
  private readonly root: string;
  private readonly headers: Record<string, string>;
  private readonly stallMs: number;
  private readonly writes: FirestoreRestoreWrites;

  /**
   * @param api the Firestore API client (`firestoreApiClient`)
   * @param db the Node client on the same database (writes, deletes)
   */
  constructor(
    private readonly api: GapicClient,
    private readonly db: Firestore,
    projectId: string,
    databaseId: string,
    emulated: boolean,
    private readonly options: SnapshotDatabaseOptions = {},
  ) {
    this.stallMs = options.stallMs ?? BACKUP_STALL_MS;
    this.name = `projects/${projectId}/databases/${databaseId}`;
    this.root = `${this.name}/documents`;
    // As the Node client does: the resource prefix, and admin access on the emulator.
    this.headers = { 'google-cloud-resource-prefix': this.name, ...(emulated ? { Authorization: 'Bearer owner' } : {}) };
    // Real Firestore ramps up as it advises for a new database; the emulator has no key ranges to split.
    this.writes = new FirestoreRestoreWrites(api, this.name, this.headers, this.stallMs, !emulated);
  }

  async readTime(): Promise<string> {
    for await (const response of this.query({ limit: 1 })) {
      if (response.readTime) return formatReadTime(response.readTime);
    }
    throw new Error(`${this.name}: the query answered without a read time`);
  }

  async *documents(readTime: string, excludedCollections: readonly string[]): AsyncIterable<SnapshotDocument> {
    const excluded = new Set(excludedCollections);
    const at = parseReadTime(readTime);
    const limit = this.options.pageSize;
    let after: string | undefined;
    for (;;) {
      let count = 0;
      try {
        for await (const response of this.query({ limit, after, readTime: at })) {
          const name = response.document?.name;
          if (!name) continue;
          count++;
          after = name;
          const path = name.slice(this.root.length + 1);
          const slash = path.indexOf('/');
          if (excluded.has(slash === -1 ? path : path.slice(0, slash))) continue;
          yield { path, line: documentLine(path, response.document?.fields ?? {}, this.root) };
        }
      } catch (error) {
        if (count === 0 || !RESUMABLE_READ_CODES.has((error as { code?: unknown }).code)) throw error;
        continue;
      }
      if (limit === undefined || count < limit) return;
    }
  }

  async isEmpty(preserved: readonly string[]): Promise<boolean> {
    // The kindless query finds documents under missing parents too (`originals/{id}/texts`).
    const documents = this.documents(await this.readTime(), preserved)[Symbol.asyncIterator]();
    const first = await documents.next();
    await documents.return?.();
    return first.done === true;
  }

  async clear(preserved: readonly string[]): Promise<void> {
    const kept = new Set(preserved);
    const watch = firestoreStallWatch(`emptying ${this.name}`, this.stallMs);
    const writer = this.bulkWriter(watch);
    try {
      watch.waiting();
      for (const collection of await watch.race(this.db.listCollections())) {
        if (!kept.has(collection.id)) await watch.race(this.db.recursiveDelete(collection, writer));
      }
      watch.answered(false);
      await watch.race(writer.close());
    } finally {
      watch.stop();
    }
  }

  write(lines: AsyncIterable<string>, onWritten: (count: number) => void, onReadBack: (chunk: readonly RestoredDocument[]) => void, onCommitted?: () => void): Promise<number> {
    return this.writes.write(lines, onWritten, onReadBack, onCommitted);
  }

  async count(preserved: readonly string[]): Promise<number> {
    let count = await this.countQuery({ allDescendants: true });
    // The preserved collections (the wrapped data keys) hold no subcollections: their own documents are all they add.
    for (const collection of preserved) count -= await this.countQuery({ collectionId: collection });
    return count;
  }

  /** One count aggregation over the root's documents, watched for stalls. */
  private async countQuery(from: { allDescendants: true } | { collectionId: string }): Promise<number> {
    const stream = this.api.runAggregationQuery(
      { parent: this.root, structuredAggregationQuery: { structuredQuery: { from: [from] }, aggregations: [{ alias: 'documents', count: {} }] } },
      { otherArgs: { headers: this.headers } },
    );
    for await (const response of this.watched<{ result?: { aggregateFields?: Record<string, WireValue> | null } | null }>(`counting ${this.name}`, stream)) {
      const value = response.result?.aggregateFields?.['documents']?.integerValue;
      if (value !== undefined && value !== null) return Number(value);
    }
    throw new Error(`${this.name}: the count query answered without a count`);
  }

  /** A BulkWriter whose every answer counts as progress for `watch`. */
  private bulkWriter(watch: StallWatch): BulkWriter {
    const writer = this.db.bulkWriter(this.options.bulkWriter ?? {});
    writer.onWriteResult(() => watch.answered(true));
    writer.onWriteError((error) => {
      watch.answered(true);
      // BulkWriter's own rule (RESOURCE_EXHAUSTED, ABORTED, UNAVAILABLE; at most 10 attempts), until the job stalled.
      return watch.stalled === undefined && error.failedAttempts < 10 && [8, 10, 14].includes(error.code);
    });
    return writer;
  }

  /** One RunQuery stream, watched for stalls. */
  private async *query(options: {
    limit: number | undefined;
    after?: string | undefined;
    readTime?: { seconds: string; nanos: number };
  }): AsyncIterable<RunQueryResponse> {
    const stream = this.api.runQuery(
      {
        parent: this.root,
        structuredQuery: {
          from: [{ allDescendants: true }],
          orderBy: [{ field: { fieldPath: '__name__' }, direction: 'ASCENDING' }],
          ...(options.limit === undefined ? {} : { limit: { value: options.limit } }),
          ...(options.after === undefined ? {} : { startAt: { before: false, values: [{ referenceValue: options.after }] } }),
        },
        ...(options.readTime === undefined ? {} : { readTime: options.readTime }),
      },
      { otherArgs: { headers: this.headers } },
    );
    yield* this.watched<RunQueryResponse>(`reading ${this.name}`, stream);
  }

  /** A stream's responses, watched for stalls: the stream is cancelled when Firestore stops answering. */
  private async *watched<T>(what: string, stream: AsyncIterable<unknown> & { cancel(): void; destroy(): void }): AsyncIterable<T> {
    const watch = firestoreStallWatch(what, this.stallMs, () => cancelStream(stream));
    watch.waiting();
    try {
      for await (const response of stream as AsyncIterable<T>) {
        watch.answered(false);
        yield response;
        watch.waiting();
      }
    } catch (error) {
      watch.check();
      throw error;
    } finally {
      watch.stop();
    }
    // A cancelled stream may just end: that is no complete read.
    watch.check();
  }
}
