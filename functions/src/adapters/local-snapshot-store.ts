/**
 * Snapshots in a local folder (local mode): `<dir>/snapshots/<id>/manifest.json` and
 * `<dir>/snapshots/<id>/<runId>/<collection>.ndjson.gz`; drill reports in `<dir>/drills/`.
 * The manifest is written to a temporary file and linked into place, which fails if another run
 * linked its manifest first: the first complete run of a day wins.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotFileWriter, SnapshotStore } from '../application/backups/ports';
import { isSnapshotId, SnapshotManifestSchema, type RestoreDrillReport, type SnapshotManifest } from '../domain/backups';
import { collectionFileName, gzipLineWriter, gzipLines, hashStream } from './snapshot-files';

const MANIFEST = 'manifest.json';

const isMissing = (error: unknown): boolean => (error as { code?: unknown }).code === 'ENOENT';

export class LocalSnapshotStore implements SnapshotStore {
  readonly location: string;
  private readonly snapshots: string;

  constructor(private readonly dir: string) {
    this.location = dir;
    this.snapshots = join(dir, 'snapshots');
  }

  async ids(): Promise<string[]> {
    try {
      const entries = await readdir(this.snapshots, { withFileTypes: true });
      return entries.filter((e) => e.isDirectory() && isSnapshotId(e.name)).map((e) => e.name);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  async manifest(id: string): Promise<SnapshotManifest | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.snapshots, id, MANIFEST), 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    return SnapshotManifestSchema.parse(JSON.parse(text));
  }

  createFile(id: string, runId: string, collection: string): SnapshotFileWriter {
    const file = collectionFileName(runId, collection);
    const opened = mkdir(join(this.snapshots, id, runId), { recursive: true }).then(() =>
      gzipLineWriter(file, createWriteStream(join(this.snapshots, id, file))),
    );
    // A failure to open surfaces in the first write; it must not go unhandled before that.
    opened.catch(() => undefined);
    return {
      write: async (line) => (await opened).write(line),
      finish: async () => (await opened).finish(),
    };
  }

  async createManifest(manifest: SnapshotManifest): Promise<boolean> {
    const folder = join(this.snapshots, manifest.id);
    const temporary = join(folder, manifest.runId, MANIFEST);
    await mkdir(join(folder, manifest.runId), { recursive: true });
    await writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
    try {
      await link(temporary, join(folder, MANIFEST));
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EEXIST') return false;
      throw error;
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
  }

  async deleteRun(id: string, runId: string): Promise<void> {
    await rm(join(this.snapshots, id, runId), { recursive: true, force: true });
  }

  async delete(id: string): Promise<void> {
    await rm(join(this.snapshots, id), { recursive: true, force: true });
  }

  async checksum(id: string, file: string): Promise<{ sha256: string; bytes: number } | undefined> {
    try {
      return await hashStream(createReadStream(join(this.snapshots, id, file)));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  lines(id: string, file: string): AsyncIterable<string> {
    return gzipLines(createReadStream(join(this.snapshots, id, file)));
  }

  async putReport(report: RestoreDrillReport, markdown: string): Promise<string[]> {
    const folder = join(this.dir, 'drills');
    await mkdir(folder, { recursive: true });
    const files = [join(folder, `${report.id}.json`), join(folder, `${report.id}.md`)];
    await writeFile(files[0] as string, `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(files[1] as string, markdown);
    return files;
  }
}
