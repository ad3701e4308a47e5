/** The Cloud Storage snapshot store, with the bucket replaced by an in-memory fake at its boundary. */
import { PassThrough, Readable, Writable } from 'node:stream';
import type { Bucket } from '@google-cloud/storage';
import { GcsSnapshotStore } from '../../../functions/src/adapters/gcs-snapshot-store';
import { snapshotDigest, SNAPSHOT_FORMAT, type SnapshotManifest } from '../../../functions/src/domain/backups';

const notFound = (): Error => Object.assign(new Error('No such object'), { code: 404 });

/** The part of a Cloud Storage bucket the store uses, in memory; listing pages hold two prefixes. */
class FakeBucket {
  readonly name = 'p-tuki-backups';
  readonly objects = new Map<string, Buffer>();

  file(name: string) {
    const objects = this.objects;
    return {
      download: async (): Promise<[Buffer]> => {
        const content = objects.get(name);
        if (content === undefined) throw notFound();
        return [content];
      },
      save: async (content: string, options: { preconditionOpts?: { ifGenerationMatch?: number } } = {}): Promise<void> => {
        if (options.preconditionOpts?.ifGenerationMatch === 0 && objects.has(name)) throw Object.assign(new Error('conditionNotMet'), { code: 412 });
        objects.set(name, Buffer.from(content));
      },
      exists: async (): Promise<[boolean]> => [objects.has(name)],
      createReadStream: (): Readable => {
        const content = objects.get(name);
        if (content === undefined) return new Readable({ read() { this.destroy(notFound()); } });
        return Readable.from([content]);
      },
      createWriteStream: (): Writable => {
        const chunks: Buffer[] = [];
        const stream = new PassThrough();
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => objects.set(name, Buffer.concat(chunks)));
        return stream;
      },
    };
  }

  async getFiles(query: { prefix: string; delimiter: string; pageToken?: string }): Promise<[unknown[], { pageToken: string } | null, { prefixes: string[] }]> {
    const prefixes = [...new Set([...this.objects.keys()].filter((k) => k.startsWith(query.prefix)).map((k) => `${query.prefix}${k.slice(query.prefix.length).split(query.delimiter)[0] ?? ''}/`))].sort();
    const start = Number(query.pageToken ?? 0);
    const next = start + 2 < prefixes.length ? { pageToken: String(start + 2) } : null;
    return [[], next, { prefixes: prefixes.slice(start, start + 2) }];
  }

  async deleteFiles(query: { prefix: string }): Promise<void> {
    for (const key of [...this.objects.keys()]) if (key.startsWith(query.prefix)) this.objects.delete(key);
  }
}

function manifestOf(id: string, runId: string, file: { file: string; bytes: number; sha256: string }): SnapshotManifest {
  const files = [{ collection: 'tickets', ...file, documents: 2, contentSha256: 'c'.repeat(64) }];
  return {
    format: SNAPSHOT_FORMAT,
    id,
    runId,
    database: 'projects/p/databases/(default)',
    readTime: `${id}T02:30:00.000000000Z`,
    startedAt: `${id}T02:30:00.000Z`,
    finishedAt: `${id}T02:30:01.000Z`,
    durationMs: 1000,
    collections: files,
    documents: 2,
    bytes: file.bytes,
    sha256: snapshotDigest(files),
  };
}

describe('the Cloud Storage snapshot store', () => {
  it('a written file reads back line for line with the checksum it was stored with, and the first manifest of a day wins', async () => {
    const bucket = new FakeBucket();
    const store = new GcsSnapshotStore(bucket as unknown as Bucket);
    const writer = store.createFile('2026-12-01', 'run-a', 'tickets');
    await writer.write('{"p":"tickets/a","f":{}}');
    await writer.write('{"p":"tickets/a/messages/m","f":{}}');
    const stored = await writer.finish();

    expect(stored.file).toBe('run-a/tickets.ndjson.gz');
    expect([...bucket.objects.keys()]).toEqual(['snapshots/2026-12-01/run-a/tickets.ndjson.gz']);
    await expect(store.checksum('2026-12-01', stored.file)).resolves.toEqual({ sha256: stored.sha256, bytes: stored.bytes });
    const lines: string[] = [];
    for await (const line of store.lines('2026-12-01', stored.file)) lines.push(line);
    expect(lines).toEqual(['{"p":"tickets/a","f":{}}', '{"p":"tickets/a/messages/m","f":{}}']);

    await expect(store.createManifest(manifestOf('2026-12-01', 'run-a', stored))).resolves.toBe(true);
    await expect(store.createManifest(manifestOf('2026-12-01', 'run-b', stored))).resolves.toBe(false);
    expect((await store.manifest('2026-12-01'))?.runId).toBe('run-a');
    await expect(store.manifest('2026-11-30')).resolves.toBeUndefined();
    await expect(store.checksum('2026-12-01', 'run-b/tickets.ndjson.gz')).resolves.toBeUndefined();
  });

  it('lists every snapshot folder across pages, and deleting one removes its files and its managed export', async () => {
    const bucket = new FakeBucket();
    for (const key of ['snapshots/2026-11-29/manifest.json', 'snapshots/2026-11-30/run/x.ndjson.gz', 'snapshots/2026-12-01/manifest.json', 'exports/2026-11-29/run/all.export_metadata', 'drills/r.json']) {
      bucket.objects.set(key, Buffer.from('x'));
    }
    const store = new GcsSnapshotStore(bucket as unknown as Bucket);
    expect((await store.ids()).sort()).toEqual(['2026-11-29', '2026-11-30', '2026-12-01']);

    await store.delete('2026-11-29');
    expect([...bucket.objects.keys()].sort()).toEqual(['drills/r.json', 'snapshots/2026-11-30/run/x.ndjson.gz', 'snapshots/2026-12-01/manifest.json']);
  });
});
