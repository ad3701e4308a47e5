/**
 * Snapshots in Cloud Storage (production), in the backup bucket of another region:
 * `snapshots/<id>/manifest.json`, `snapshots/<id>/<runId>/<collection>.ndjson.gz`, and drill
 * reports under `drills/`. The manifest is created with `ifGenerationMatch: 0`, so of two runs
 * of one day the first to finish wins. The bucket is versioned: a deleted snapshot lives on as a
 * noncurrent version until the bucket's lifecycle rule removes it (see `infra/components/backup-bucket.ts`).
 *
 * Every call is bounded like the Firestore side (`stall-watch.ts`): a call that Cloud Storage
 * leaves unanswered for `stallMs` (60 s), or a read or upload stream that waits that long for
 * its next chunk while its consumer is ready, fails the job with `StorageStalledError`. A stalled
 * stream is destroyed (its request cancelled); a stalled single call cannot be cancelled through
 * the library and is left to its own retry deadline, but the job no longer waits for it.
 */
import { pipeline, Transform, type Readable } from 'node:stream';
import type { Bucket } from '@google-cloud/storage';
import type { SnapshotFileWriter, SnapshotStore } from '../application/backups/ports';
import { isSnapshotId, SnapshotManifestSchema, type RestoreDrillReport, type SnapshotManifest } from '../domain/backups';
import { DependencyUnavailableError } from '../domain/errors';
import { collectionFileName, gzipLineWriter, gzipLines, hashStream } from './snapshot-files';
import { BACKUP_STALL_MS, StallWatch } from './stall-watch';

const PREFIX = 'snapshots/';
const PRECONDITION_FAILED = 412;
const NOT_FOUND = 404;

const codeOf = (error: unknown): unknown => (error as { code?: unknown }).code;

/** Cloud Storage did not answer a backup's call, or its next chunk, for `stallMs`. */
export class StorageStalledError extends DependencyUnavailableError {
  constructor(what: string, stallMs: number) {
    super('storage');
    this.message = `Cloud Storage did not answer for ${stallMs / 1000} s while ${what}: the backup job failed and will be retried`;
    this.name = 'StorageStalledError';
  }
}

export interface GcsSnapshotStoreOptions {
  /** How long Cloud Storage may leave a call or a stream unanswered (`BACKUP_STALL_MS`). */
  readonly stallMs?: number;
}

export class GcsSnapshotStore implements SnapshotStore {
  readonly location: string;
  private readonly stallMs: number;

  constructor(
    private readonly bucket: Bucket,
    options: GcsSnapshotStoreOptions = {},
  ) {
    this.location = `gs://${bucket.name}/${PREFIX}`;
    this.stallMs = options.stallMs ?? BACKUP_STALL_MS;
  }

  async ids(): Promise<string[]> {
    const ids: string[] = [];
    let pageToken: string | undefined;
    do {
      const query = { prefix: PREFIX, delimiter: '/', autoPaginate: false, ...(pageToken ? { pageToken } : {}) };
      const [, next, response] = await this.bounded(`listing ${this.location}`, () => this.bucket.getFiles(query));
      const prefixes = (response as { prefixes?: string[] } | undefined)?.prefixes ?? [];
      ids.push(...prefixes.map((p) => p.slice(PREFIX.length, -1)).filter(isSnapshotId));
      pageToken = (next as { pageToken?: string } | null | undefined)?.pageToken;
    } while (pageToken);
    return ids;
  }

  async manifest(id: string): Promise<SnapshotManifest | undefined> {
    try {
      const name = `${PREFIX}${id}/manifest.json`;
      const [content] = await this.bounded(`reading ${this.url(name)}`, () => this.bucket.file(name).download());
      return SnapshotManifestSchema.parse(JSON.parse(content.toString('utf8')));
    } catch (error) {
      if (codeOf(error) === NOT_FOUND) return undefined;
      throw error;
    }
  }

  createFile(id: string, runId: string, collection: string): SnapshotFileWriter {
    const file = collectionFileName(runId, collection);
    const name = `${PREFIX}${id}/${file}`;
    const upload = this.bucket.file(name).createWriteStream({ resumable: false, contentType: 'application/gzip' });
    const writer = gzipLineWriter(file, upload);
    // Writing waits on Cloud Storage only when the upload pushes back (gzip's buffer is full) and while it finishes.
    const watch = this.watch(`writing ${this.url(name)}`, (error) => upload.destroy(error));
    const watched = async <T>(work: Promise<T>): Promise<T> => {
      watch.waiting();
      const result = await watch.race(work);
      watch.answered(false);
      return result;
    };
    return {
      write: (line) => watched(writer.write(line)),
      finish: () => watched(writer.finish()).finally(() => watch.stop()),
    };
  }

  async createManifest(manifest: SnapshotManifest): Promise<boolean> {
    try {
      const name = `${PREFIX}${manifest.id}/manifest.json`;
      await this.bounded(`writing ${this.url(name)}`, () =>
        this.bucket.file(name).save(`${JSON.stringify(manifest, null, 2)}\n`, {
          resumable: false,
          contentType: 'application/json',
          preconditionOpts: { ifGenerationMatch: 0 },
        }),
      );
      return true;
    } catch (error) {
      if (codeOf(error) === PRECONDITION_FAILED) return false;
      throw error;
    }
  }

  async deleteRun(id: string, runId: string): Promise<void> {
    await this.deleteAll(`${PREFIX}${id}/${runId}/`);
  }

  /** Deletes the snapshot and the managed export started with it. */
  async delete(id: string): Promise<void> {
    await this.deleteAll(`${PREFIX}${id}/`);
    await this.deleteAll(`exports/${id}/`);
  }

  async checksum(id: string, file: string): Promise<{ sha256: string; bytes: number } | undefined> {
    const name = `${PREFIX}${id}/${file}`;
    const object = this.bucket.file(name);
    const [exists] = await this.bounded(`looking up ${this.url(name)}`, () => object.exists());
    return exists ? hashStream(this.watchedRead(`reading ${this.url(name)}`, object.createReadStream())) : undefined;
  }

  lines(id: string, file: string): AsyncIterable<string> {
    const name = `${PREFIX}${id}/${file}`;
    return gzipLines(this.watchedRead(`reading ${this.url(name)}`, this.bucket.file(name).createReadStream()));
  }

  async putReport(report: RestoreDrillReport, markdown: string): Promise<string[]> {
    const names = [`drills/${report.id}.json`, `drills/${report.id}.md`];
    const [json, md] = names as [string, string];
    await this.bounded(`writing ${this.url(json)}`, () => this.bucket.file(json).save(`${JSON.stringify(report, null, 2)}\n`, { resumable: false, contentType: 'application/json' }));
    await this.bounded(`writing ${this.url(md)}`, () => this.bucket.file(md).save(markdown, { resumable: false, contentType: 'text/markdown' }));
    return names.map((name) => this.url(name));
  }

  private url(name: string): string {
    return `gs://${this.bucket.name}/${name}`;
  }

  private deleteAll(prefix: string): Promise<void> {
    return this.bounded(`deleting ${this.url(prefix)}`, () => this.bucket.deleteFiles({ prefix }));
  }

  private watch(what: string, onStall?: (error: DependencyUnavailableError) => void): StallWatch {
    return new StallWatch(() => new StorageStalledError(what, this.stallMs), this.stallMs, onStall);
  }

  /** One call, failed with `StorageStalledError` when it has not settled within `stallMs`. */
  private async bounded<T>(what: string, call: () => Promise<T>): Promise<T> {
    const watch = this.watch(what);
    watch.waiting();
    try {
      return await watch.race(call());
    } finally {
      watch.stop();
    }
  }

  /**
   * The stream's chunks, failed with `StorageStalledError` (and the download cancelled) when the
   * next one is `stallMs` late while the reader is ready for it; a reader that is busy pauses the
   * download (backpressure), and that time does not count.
   */
  private watchedRead(what: string, download: Readable): Readable {
    const watch = this.watch(what, (error) => download.destroy(error));
    const chunks = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        watch.answered(!download.isPaused());
        callback(null, chunk);
      },
    });
    download.on('resume', () => watch.waiting());
    download.on('pause', () => watch.answered(false));
    pipeline(download, chunks, () => watch.stop());
    return chunks;
  }
}
