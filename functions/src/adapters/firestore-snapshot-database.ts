/**
 * A Firestore database as a snapshot source and a restore target.
 *
 * Reading goes through the Firestore API's own `RunQuery` (the `v1.FirestoreClient` that the
 * Node client is built on): one kindless query over every document of the database, its
 * subcollections and documents under missing parents included, ordered by name, in pages that
 * all read at the same `readTime`. That is a consistent read of the whole database at one
 * instant, streamed with backpressure (never more than a page in flight), on the wire values
 * (see `firestore-value-codec.ts`).
 *
 * Writing goes through the Node client's BulkWriter. Each field is handed over as its exact wire
 * value (a value with `_toProto`, which the client's serializer writes as is), so a double 2.0
 * stays a double and an int64 beyond 2^53 stays exact.
 */
import * as grpc from '@grpc/grpc-js';
import { v1, type BulkWriterOptions, type Firestore } from '@google-cloud/firestore';
import type { DatabaseReader, DatabaseWriter, SnapshotDocument } from '../application/backups/ports';
import { decodeFields, documentLine, parseDocumentLine, type WireFields, type WireValue } from './firestore-value-codec';

type GapicClient = InstanceType<typeof v1.FirestoreClient>;

/**
 * Documents per `RunQuery` page. Memory does not depend on it (each page streams with
 * backpressure). Each page is a new query, and the emulator answers every query by scanning
 * (a 100,000-document snapshot in pages of 25,000 read at well under half the speed of one
 * stream), so pages are large; and small enough that a page stays well inside the client's
 * 300 s stream timeout.
 */
const PAGE_SIZE = 100_000;
/** BulkWriter operations in flight before the next line is read. */
const MAX_PENDING_WRITES = 5_000;

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
export function formatReadTime(time: { seconds?: string | number | null; nanos?: number | null }): string {
  const seconds = Number(time.seconds ?? 0);
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  return `${iso}.${String(time.nanos ?? 0).padStart(9, '0')}Z`;
}

/** The API's `{seconds, nanos}`, from RFC 3339 with up to nine fractional digits. */
export function parseReadTime(value: string): { seconds: string; nanos: number } {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(value);
  if (match === null) throw new Error(`Not an RFC 3339 UTC time: ${value}`);
  const seconds = Date.parse(`${match[1] ?? ''}Z`) / 1000;
  return { seconds: String(seconds), nanos: Number((match[2] ?? '').padEnd(9, '0')) };
}

/** A field value that the Node client's serializer writes exactly as given. */
class ExactValue {
  readonly _protoValueType = 'ProtoValue';
  constructor(private readonly wire: WireValue) {}
  _toProto(): WireValue {
    return this.wire;
  }
}

export class FirestoreSnapshotDatabase implements DatabaseReader, DatabaseWriter {
  readonly name: string;
  private readonly root: string;
  private readonly headers: Record<string, string>;

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
    private readonly bulkWriterOptions: BulkWriterOptions = {},
    private readonly pageSize: number = PAGE_SIZE,
  ) {
    this.name = `projects/${projectId}/databases/${databaseId}`;
    this.root = `${this.name}/documents`;
    // As the Node client does: the resource prefix, and admin access on the emulator.
    this.headers = { 'google-cloud-resource-prefix': this.name, ...(emulated ? { Authorization: 'Bearer owner' } : {}) };
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
    let after: string | undefined;
    for (;;) {
      let count = 0;
      for await (const response of this.query({ limit: this.pageSize, after, readTime: at })) {
        const name = response.document?.name;
        if (!name) continue;
        count++;
        after = name;
        const path = name.slice(this.root.length + 1);
        const slash = path.indexOf('/');
        if (excluded.has(slash === -1 ? path : path.slice(0, slash))) continue;
        yield { path, line: documentLine(path, response.document?.fields ?? {}, this.root) };
      }
      if (count < this.pageSize) return;
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
    for (const collection of await this.db.listCollections()) {
      if (!kept.has(collection.id)) await this.db.recursiveDelete(collection);
    }
  }

  async write(lines: AsyncIterable<string>, onWritten: (count: number) => void): Promise<number> {
    const writer = this.db.bulkWriter(this.bulkWriterOptions);
    const pending = new Set<Promise<unknown>>();
    let written = 0;
    let failure: Error | undefined;
    try {
      for await (const line of lines) {
        if (failure !== undefined) break;
        const { path, fields } = parseDocumentLine(line);
        const data: Record<string, ExactValue> = {};
        for (const [key, value] of Object.entries(decodeFields(fields, this.root))) data[key] = new ExactValue(value);
        const op: Promise<unknown> = writer.create(this.db.doc(path), data).then(
          () => onWritten(++written),
          (error: unknown) => {
            failure ??= error instanceof Error ? error : new Error(`${path}: the write failed`);
          },
        );
        pending.add(op);
        void op.finally(() => pending.delete(op));
        if (pending.size >= MAX_PENDING_WRITES) await Promise.race(pending);
      }
    } finally {
      await writer.close();
    }
    if (failure !== undefined) throw failure;
    return written;
  }

  private async *query(options: {
    limit: number;
    after?: string | undefined;
    readTime?: { seconds: string; nanos: number };
  }): AsyncIterable<RunQueryResponse> {
    const stream = this.api.runQuery(
      {
        parent: this.root,
        structuredQuery: {
          from: [{ allDescendants: true }],
          orderBy: [{ field: { fieldPath: '__name__' }, direction: 'ASCENDING' }],
          limit: { value: options.limit },
          ...(options.after === undefined ? {} : { startAt: { before: false, values: [{ referenceValue: options.after }] } }),
        },
        ...(options.readTime === undefined ? {} : { readTime: options.readTime }),
      },
      { otherArgs: { headers: this.headers } },
    );
    for await (const response of stream as AsyncIterable<RunQueryResponse>) yield response;
  }
}
