/** The Cloud Storage snapshot store, with the bucket replaced by an in-memory fake (or one that never answers) at its boundary. */
import { randomBytes } from 'node:crypto';
import { PassThrough, Readable, Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { Bucket } from '@google-cloud/storage';
import { GcsSnapshotStore, StorageStalledError } from '../../../functions/src/adapters/gcs-snapshot-store';
import { DependencyUnavailableError } from '../../../functions/src/domain/errors';
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

/** A bucket that accepts every call and never answers: no promise settles, no stream moves. */
class SilentBucket {
  readonly name = 'p-tuki-backups';
  file() {
    const never = (): Promise<never> => new Promise<never>(() => undefined);
    return {
      download: never,
      save: never,
      exists: never,
      createReadStream: (): Readable => new Readable({ read: () => undefined }),
      createWriteStream: (): Writable => new Writable({ write: () => undefined }),
    };
  }
  getFiles = (): Promise<never> => new Promise<never>(() => undefined);
  deleteFiles = (): Promise<never> => new Promise<never>(() => undefined);
}

const drain = async (lines: AsyncIterable<string>): Promise<number> => {
  let count = 0;
  for await (const line of lines) count += line === '' ? 0 : 1;
  return count;
};

describe('the Cloud Storage snapshot store when Cloud Storage stops answering', () => {
  const store = new GcsSnapshotStore(new SilentBucket() as unknown as Bucket, { stallMs: 100 });
  const report = { id: 'drill-1' } as unknown as Parameters<GcsSnapshotStore['putReport']>[0];
  const calls: [string, () => Promise<unknown>, string][] = [
    ['listing snapshots', () => store.ids(), 'listing gs://p-tuki-backups/snapshots/'],
    ['reading a manifest', () => store.manifest('2026-12-01'), 'reading gs://p-tuki-backups/snapshots/2026-12-01/manifest.json'],
    ['creating a manifest', () => store.createManifest(manifestOf('2026-12-01', 'run-a', { file: 'f', bytes: 1, sha256: 'a'.repeat(64) })), 'writing gs://p-tuki-backups/snapshots/2026-12-01/manifest.json'],
    ['checking a file', () => store.checksum('2026-12-01', 'run-a/tickets.ndjson.gz'), 'looking up gs://p-tuki-backups/snapshots/2026-12-01/run-a/tickets.ndjson.gz'],
    ['reading a file', () => drain(store.lines('2026-12-01', 'run-a/tickets.ndjson.gz')), 'reading gs://p-tuki-backups/snapshots/2026-12-01/run-a/tickets.ndjson.gz'],
    ['writing a file', async () => {
      const writer = store.createFile('2026-12-01', 'run-a', 'tickets');
      await writer.write('{"p":"tickets/a","f":{}}');
      return writer.finish();
    }, 'writing gs://p-tuki-backups/snapshots/2026-12-01/run-a/tickets.ndjson.gz'],
    ['deleting a failed run', () => store.deleteRun('2026-12-01', 'run-a'), 'deleting gs://p-tuki-backups/snapshots/2026-12-01/run-a/'],
    ['pruning a snapshot', () => store.delete('2026-12-01'), 'deleting gs://p-tuki-backups/snapshots/2026-12-01/'],
    ['storing a drill report', () => store.putReport(report, '# drill'), 'writing gs://p-tuki-backups/drills/drill-1.json'],
  ];

  it.each(calls)('%s fails within the bound with a retryable StorageStalledError that names the object', async (_what, call, named) => {
    const started = performance.now();
    const failure = await call().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(StorageStalledError);
    expect(failure).toBeInstanceOf(DependencyUnavailableError); // transient: the job's delivery is retried
    expect((failure as Error).message).toBe(`Cloud Storage did not answer for 0.1 s while ${named}: the backup job failed and will be retried`);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('a reader slower than the bound is no stall: a paused download waits on its reader, not on Cloud Storage', async () => {
    const lines = Array.from({ length: 2_000 }, (_, i) => JSON.stringify({ p: `tickets/t${i}`, f: { s: { s: randomBytes(200).toString('hex') } } }));
    const compressed = gzipSync(`${lines.join('\n')}\n`);
    const bucket = new FakeBucket();
    bucket.objects.set('snapshots/2026-12-01/run-a/tickets.ndjson.gz', compressed);
    const slowReader = new GcsSnapshotStore(bucket as unknown as Bucket, { stallMs: 100 });
    let read = 0;
    for await (const line of slowReader.lines('2026-12-01', 'run-a/tickets.ndjson.gz')) {
      if (read++ === 0) await new Promise((resolve) => setTimeout(resolve, 400)); // busy writing elsewhere
      expect(line).toBe(lines[read - 1]);
    }
    expect(read).toBe(lines.length);
  });
});
