/**
 * Snapshots in Cloud Storage (production), in the backup bucket of another region:
 * `snapshots/<id>/manifest.json`, `snapshots/<id>/<runId>/<collection>.ndjson.gz`, and drill
 * reports under `drills/`. The manifest is created with `ifGenerationMatch: 0`, so of two runs
 * of one day the first to finish wins. The bucket is versioned: a deleted snapshot lives on as a
 * noncurrent version until the bucket's lifecycle rule removes it (see `infra/components/backup-bucket.ts`).
 */
import type { Bucket } from '@google-cloud/storage';
import type { SnapshotFileWriter, SnapshotStore } from '../application/backups/ports';
import { isSnapshotId, SnapshotManifestSchema, type RestoreDrillReport, type SnapshotManifest } from '../domain/backups';
import { collectionFileName, gzipLineWriter, gzipLines, hashStream } from './snapshot-files';

const PREFIX = 'snapshots/';
const PRECONDITION_FAILED = 412;
const NOT_FOUND = 404;

const codeOf = (error: unknown): unknown => (error as { code?: unknown }).code;

export class GcsSnapshotStore implements SnapshotStore {
  readonly location: string;

  constructor(private readonly bucket: Bucket) {
    this.location = `gs://${bucket.name}/${PREFIX}`;
  }

  async ids(): Promise<string[]> {
    const ids: string[] = [];
    let pageToken: string | undefined;
    do {
      const [, next, response] = await this.bucket.getFiles({ prefix: PREFIX, delimiter: '/', autoPaginate: false, ...(pageToken ? { pageToken } : {}) });
      const prefixes = (response as { prefixes?: string[] } | undefined)?.prefixes ?? [];
      ids.push(...prefixes.map((p) => p.slice(PREFIX.length, -1)).filter(isSnapshotId));
      pageToken = (next as { pageToken?: string } | null | undefined)?.pageToken;
    } while (pageToken);
    return ids;
  }

  async manifest(id: string): Promise<SnapshotManifest | undefined> {
    try {
      const [content] = await this.bucket.file(`${PREFIX}${id}/manifest.json`).download();
      return SnapshotManifestSchema.parse(JSON.parse(content.toString('utf8')));
    } catch (error) {
      if (codeOf(error) === NOT_FOUND) return undefined;
      throw error;
    }
  }

  createFile(id: string, runId: string, collection: string): SnapshotFileWriter {
    const file = collectionFileName(runId, collection);
    return gzipLineWriter(file, this.bucket.file(`${PREFIX}${id}/${file}`).createWriteStream({ resumable: false, contentType: 'application/gzip' }));
  }

  async createManifest(manifest: SnapshotManifest): Promise<boolean> {
    try {
      await this.bucket.file(`${PREFIX}${manifest.id}/manifest.json`).save(`${JSON.stringify(manifest, null, 2)}\n`, {
        resumable: false,
        contentType: 'application/json',
        preconditionOpts: { ifGenerationMatch: 0 },
      });
      return true;
    } catch (error) {
      if (codeOf(error) === PRECONDITION_FAILED) return false;
      throw error;
    }
  }

  async deleteRun(id: string, runId: string): Promise<void> {
    await this.bucket.deleteFiles({ prefix: `${PREFIX}${id}/${runId}/` });
  }

  /** Deletes the snapshot and the managed export started with it. */
  async delete(id: string): Promise<void> {
    await this.bucket.deleteFiles({ prefix: `${PREFIX}${id}/` });
    await this.bucket.deleteFiles({ prefix: `exports/${id}/` });
  }

  async checksum(id: string, file: string): Promise<{ sha256: string; bytes: number } | undefined> {
    const object = this.bucket.file(`${PREFIX}${id}/${file}`);
    const [exists] = await object.exists();
    return exists ? hashStream(object.createReadStream()) : undefined;
  }

  lines(id: string, file: string): AsyncIterable<string> {
    return gzipLines(this.bucket.file(`${PREFIX}${id}/${file}`).createReadStream());
  }

  async putReport(report: RestoreDrillReport, markdown: string): Promise<string[]> {
    const names = [`drills/${report.id}.json`, `drills/${report.id}.md`];
    await this.bucket.file(names[0] as string).save(`${JSON.stringify(report, null, 2)}\n`, { resumable: false, contentType: 'application/json' });
    await this.bucket.file(names[1] as string).save(markdown, { resumable: false, contentType: 'text/markdown' });
    return names.map((name) => `gs://${this.bucket.name}/${name}`);
  }
}
