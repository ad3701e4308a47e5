/**
 * Writing a restore into Firestore, and reading every written document back.
 *
 * The snapshot lines are committed in chunks of up to 500 creates (Firestore's most per commit),
 * a few commits in flight at once, each through the Firestore API's own `Commit` with the exact
 * wire values of the snapshot (a double 2.0 stays a double, an int64 beyond 2^53 stays exact;
 * no client-side serialization in between). One commit of 500 writes costs Firestore and the
 * emulator far less than the same writes sent 20 at a time by a BulkWriter.
 *
 * Each write is a create (the document must not exist), so a document that appeared in the
 * target fails its commit and the restore. As soon as a chunk's commit is acknowledged, the chunk
 * is read back (one `BatchGetDocuments`) while the next chunks are being committed, and handed to
 * the caller in the order written, every document as read back, canonical: the caller compares
 * it byte for byte with the line written and hashes it into its collection's checksum.
 *
 * Production keeps to Firestore's 500/50/5 ramp-up for a new database (`firestore-ramp-up.ts`),
 * the rate BulkWriter would throttle to; the emulator has no key ranges to split and is not
 * throttled. `Commit` is retried by the client on RESOURCE_EXHAUSTED and UNAVAILABLE, and here
 * on ABORTED, with backoff.
 */
import type { v1 } from '@google-cloud/firestore';
import type { RestoredDocument } from '../domain/backups';
import { GRPC_STATUS } from './firestore-names';
import { WriteRampUp } from './firestore-ramp-up';
import { firestoreStallWatch } from './firestore-stall-watch';
import type { StallWatch } from './stall-watch';
import { decodeFields, documentLine, parseDocumentLine, type WireFields } from './firestore-value-codec';

type GapicClient = InstanceType<typeof v1.FirestoreClient>;
type Cancellable = { cancel(): void; destroy(): void };
type CommitRequest = NonNullable<Parameters<GapicClient['commit']>[0]>;

/** Creates per commit, and documents per read-back: Firestore's most writes in one commit. */
const CHUNK = 500;
/**
 * Characters of snapshot lines per commit, at most: a commit request may hold 10 MiB, and 500
 * documents near the 1 MiB limit would hold far more. A line's JSON is no smaller than its wire
 * encoding for most values (type keys, quotes, base64 for bytes), and 4 MiB leaves room for the rest.
 */
const CHUNK_CHARACTERS = 4 * 1024 * 1024;
/** Commits in flight at once: enough to keep Firestore busy while chunks are read back. */
const COMMITS_IN_FLIGHT = 4;
/** Chunks committed or being read back, not yet handed over: what the restore holds in memory (5,000 documents). */
const CHUNKS_HELD = 10;
/** How a restore writes, for the benchmark's baseline of the same strategy without verification. */
export const RESTORE_WRITE_STRATEGY = { documentsPerCommit: CHUNK, commitsInFlight: COMMITS_IN_FLIGHT } as const;
/** Attempts of a commit that Firestore aborted (contention), as BulkWriter allows. */
const COMMIT_ATTEMPTS = 10;

interface PendingDocument {
  readonly path: string;
  readonly line: string;
  readonly fields: WireFields;
}

/** Cancelling alone may leave the iteration waiting for an end that never comes: destroy ends it. */
export function cancelStream(stream: Cancellable): void {
  stream.cancel();
  stream.destroy();
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** The restore writes of one target database. */
export class FirestoreRestoreWrites {
  constructor(
    private readonly api: GapicClient,
    private readonly name: string,
    private readonly headers: Record<string, string>,
    private readonly stallMs: number,
    /** Whether to keep to the 500/50/5 ramp-up (production). */
    private readonly rampUp: boolean,
  ) {}

  private get root(): string {
    return `${this.name}/documents`;
  }

  /**
   * Writes every line; `onWritten` hears how many documents are committed so far, `onReadBack`
   * each chunk as read back after its commit, in the order written, and `onCommitted` that
   * every commit was acknowledged (the last chunks still being read back). Throws the first
   * failed commit or read-back, or `FirestoreStalledError` when Firestore stops answering.
   */
  async write(
    lines: AsyncIterable<string>,
    onWritten: (count: number) => void,
    onReadBack: (chunk: readonly RestoredDocument[]) => void,
    onCommitted?: () => void,
  ): Promise<number> {
    const reads = new Set<Cancellable>();
    const watch = firestoreStallWatch(`writing ${this.name}`, this.stallMs, () => reads.forEach(cancelStream));
    const ramp = this.rampUp ? new WriteRampUp(() => performance.now()) : undefined;
    let written = 0;
    let committing = 0;
    let held = 0;
    let failure: Error | undefined;
    // The one waiter for room: the loop that reads the lines.
    let roomFree: (() => void) | undefined;
    let handedOver = Promise.resolve();
    const commits = new Set<Promise<void>>();
    const settled = (): void => {
      watch.answered(committing + held > 0);
      roomFree?.();
      roomFree = undefined;
    };
    const send = (chunk: readonly PendingDocument[]): void => {
      committing++;
      held++;
      const committed = this.commit(chunk, watch, ramp).finally(() => {
        committing--;
        commits.delete(committed);
        settled();
      });
      commits.add(committed);
      committed.then(
        () => onWritten((written += chunk.length)),
        (error: unknown) => void (failure ??= asError(error)),
      );
      // After a failed commit the restore fails: nothing more to read back.
      const readBack = committed.then(() => (failure === undefined ? this.readBack(chunk, watch, reads) : undefined));
      readBack.catch(() => undefined); // handled in order below; it must not count as unhandled until then
      handedOver = handedOver
        .then(async () => {
          const restored = await readBack;
          if (restored !== undefined) onReadBack(restored);
        })
        .catch((error: unknown) => void (failure ??= asError(error)))
        .finally(() => {
          held--;
          settled();
        });
    };
    const room = async (): Promise<void> => {
      while (committing >= COMMITS_IN_FLIGHT || held >= CHUNKS_HELD) await watch.race(new Promise<void>((resolve) => (roomFree = resolve)));
    };
    try {
      let chunk: PendingDocument[] = [];
      let characters = 0;
      for await (const line of lines) {
        if (failure !== undefined) break;
        if (chunk.length > 0 && characters + line.length > CHUNK_CHARACTERS) {
          await room();
          send(chunk);
          chunk = [];
          characters = 0;
        }
        const { path, fields } = parseDocumentLine(line);
        chunk.push({ path, line, fields: decodeFields(fields, this.root) });
        characters += line.length;
        if (chunk.length < CHUNK) continue;
        await room();
        send(chunk);
        chunk = [];
        characters = 0;
      }
      if (chunk.length > 0 && failure === undefined) {
        await room();
        send(chunk);
      }
      await watch.race(Promise.allSettled(commits));
      if (failure === undefined) onCommitted?.();
      await watch.race(handedOver);
    } finally {
      watch.stop();
    }
    if (failure !== undefined) throw failure;
    return written;
  }

  /** One commit of the chunk's creates, after its turn in the ramp-up; ABORTED is retried with backoff. */
  private async commit(chunk: readonly PendingDocument[], watch: StallWatch, ramp: WriteRampUp | undefined): Promise<void> {
    await ramp?.take(chunk.length);
    // `decodeFields` builds the API's own value messages; `WireValue` is the looser shape values are read into.
    const request = {
      database: this.name,
      writes: chunk.map((d) => ({ update: { name: `${this.root}/${d.path}`, fields: d.fields }, currentDocument: { exists: false } })),
    } as CommitRequest;
    for (let attempt = 1; ; attempt++) {
      watch.waiting();
      try {
        await watch.race(this.api.commit(request, { otherArgs: { headers: this.headers } }));
        return;
      } catch (error) {
        watch.check();
        if ((error as { code?: unknown }).code !== GRPC_STATUS.ABORTED || attempt === COMMIT_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** attempt)));
      }
    }
  }

  /** The documents as they read back now (one BatchGetDocuments), canonical, in the order given. */
  private async readBack(documents: readonly PendingDocument[], watch: StallWatch, reads: Set<Cancellable>): Promise<RestoredDocument[]> {
    const stream = this.api.batchGetDocuments({ database: this.name, documents: documents.map((d) => `${this.root}/${d.path}`) }, { otherArgs: { headers: this.headers } });
    reads.add(stream);
    watch.waiting();
    const found = new Map<string, string>();
    try {
      for await (const response of stream as AsyncIterable<{ found?: { name?: string | null; fields?: WireFields | null } | null }>) {
        watch.answered(true);
        const name = response.found?.name;
        if (!name) continue;
        const path = name.slice(this.root.length + 1);
        found.set(path, documentLine(path, response.found?.fields ?? {}, this.root));
      }
    } catch (error) {
      watch.check();
      throw error;
    } finally {
      reads.delete(stream);
    }
    watch.check();
    return documents.map((d) => ({ path: d.path, line: d.line, restored: found.get(d.path) }));
  }
}
