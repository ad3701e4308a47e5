/**
 * The file format of snapshots, shared by every store: gzip-compressed NDJSON, one document per
 * line, written with backpressure and hashed (SHA-256 of the compressed bytes) as it is stored.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { PassThrough, Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createGunzip, createGzip } from 'node:zlib';
import type { SnapshotFileWriter } from '../application/backups/ports';

/** Lines are handed to gzip in chunks of about this many characters. */
const CHUNK_CHARS = 256 * 1024;

/** The file name of a collection's NDJSON inside a run's folder (collection ids may hold any character but `/`). */
export function collectionFileName(runId: string, collection: string): string {
  return `${runId}/${encodeURIComponent(collection)}.ndjson.gz`;
}

/** Writes lines through gzip into `destination`, counting and hashing the compressed bytes. */
export function gzipLineWriter(file: string, destination: Writable): SnapshotFileWriter {
  // Speed over the last percent of size: JSON compresses well at a low level too.
  const gzip = createGzip({ level: constants.Z_BEST_SPEED + 2 });
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const done = pipeline(gzip, tap, destination);
  // A failure is reported by the next write or by finish; until then it must not go unhandled.
  done.catch(() => undefined);
  let buffer = '';
  const flush = async (): Promise<void> => {
    const chunk = buffer;
    buffer = '';
    if (!gzip.write(chunk)) await Promise.race([once(gzip, 'drain'), done]);
  };
  return {
    async write(line) {
      buffer += `${line}\n`;
      if (buffer.length >= CHUNK_CHARS) await flush();
    },
    async finish() {
      if (buffer.length > 0) await flush();
      gzip.end();
      await done;
      return { file, bytes, sha256: hash.digest('hex') };
    },
  };
}

/** The decompressed lines of a gzip NDJSON stream. */
export async function* gzipLines(source: Readable): AsyncIterable<string> {
  const text = new PassThrough();
  const done = pipeline(source, createGunzip(), text);
  done.catch((error: unknown) => text.destroy(error instanceof Error ? error : new Error(String(error))));
  for await (const line of createInterface({ input: text, crlfDelay: Infinity })) {
    if (line !== '') yield line;
  }
  await done;
}

/** SHA-256 and size of a stream's bytes. */
export async function hashStream(source: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
