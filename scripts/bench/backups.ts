/**
 * Backups on the emulators, each against a raw-client baseline in the same run.
 *
 * For each size (20,000 and 100,000 documents by default; `--backup-sizes=2000,10000` for a
 * quick run), the live database is filled with ticket-like documents, four in five in
 * `tickets` and one in five a `messages` document under a ticket (about 1 KiB each), then:
 *
 * - Snapshot: tuki's snapshot use case (a consistent read at one read time, exact encoding,
 *   gzip, SHA-256, into a local store) against the Node client streaming the same collections
 *   (`tickets` and the `messages` collection group, `doc.data()` of each). Each side runs in a
 *   process of its own, so its peak memory (maxRSS) is its own. Targets: throughput at least
 *   0.7× the raw read; tuki's peak memory at the largest size at most 1.2× the smallest.
 * - Restore: tuki's restore of that snapshot into an empty database (files checked, parallel
 *   commits of 500 creates with exact wire values, each chunk read back and checked as soon as it
 *   is committed, a count at the end) against two raw clients writing the same documents as plain
 *   objects into another empty database: a BulkWriter (the baseline; target: tuki's
 *   restore, verification included, at least 0.7× it), and the Node client committing batches
 *   the way the restore does, without verification (the ratio to it is tuki's own overhead).
 *
 * Each side runs `ROUNDS` times, alternating, and the best round counts (the machine is shared).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Firestore, Timestamp } from '@google-cloud/firestore';
import { EMULATOR_HOSTS, PROJECT_ID } from '../lib/emulators';
import { fmt } from './stats';

const DEFAULT_SIZES = [20_000, 100_000];
const ROUNDS = 2;
const RAW_DB = 'bench-raw';
const RESTORE_DB = 'bench-restore';

function sizesFromArgs(): number[] {
  const flag = process.argv.find((a) => a.startsWith('--backup-sizes='));
  if (flag === undefined) return DEFAULT_SIZES;
  const sizes = flag.slice('--backup-sizes='.length).split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 10)) throw new Error('--backup-sizes must list whole numbers of documents (at least 10)');
  return sizes;
}

/** The path and data of document `i`: a ticket, or every fifth a message under the ticket before it. */
function document(i: number): { path: string; data: Record<string, unknown> } {
  const ticket = `t${String(i % 5 === 4 ? i - 1 : i).padStart(7, '0')}`;
  const base = {
    createdAt: new Timestamp(1_790_000_000 + i, (i * 7919) % 1_000_000_000 - ((i * 7919) % 1000)),
    text: `Our invoices of batch ${i} stay in the outgoing queue; the customer asked twice and expects an answer today. `.repeat(5),
    visibility: i % 2 === 0 ? 'public' : 'internal',
  };
  if (i % 5 === 4) return { path: `tickets/${ticket}/messages/m${i}`, data: { ...base, authorUid: `agent-${i % 17}` } };
  return {
    path: `tickets/${ticket}`,
    data: {
      ...base,
      orgId: `org-${i % 50}`,
      severity: 1 + (i % 4),
      score: i / 7,
      tags: ['billing', `t${i % 9}`],
      sla: { firstResponseDueAt: new Timestamp(1_790_003_600 + i, 0), paused: false, breached: [] },
    },
  };
}

async function fill(db: Firestore, count: number): Promise<void> {
  const writer = db.bulkWriter({ throttling: false });
  for (let i = 0; i < count; i++) {
    const { path, data } = document(i);
    void writer.set(db.doc(path), data);
    if (i % 5_000 === 4_999) await writer.flush();
  }
  await writer.close();
}

/** Empties a database of the emulator (its own endpoint: far faster than deleting documents). */
async function clear(databaseId: string): Promise<void> {
  const url = `http://${EMULATOR_HOSTS.FIRESTORE_EMULATOR_HOST}/emulator/v1/projects/${PROJECT_ID}/databases/${databaseId}/documents`;
  const response = await fetch(url, { method: 'DELETE' });
  if (!response.ok) throw new Error(`Clearing ${databaseId} failed: ${response.status}`);
}

interface ChildResult {
  readonly documents: number;
  readonly seconds: number;
  readonly maxRssMiB: number;
}

function child(mode: 'snapshot' | 'raw-read', env: Record<string, string>): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [join(__dirname, 'backup-child.js'), mode], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as ChildResult) : reject(new Error(`${mode} exited with ${code}`))));
  });
}

/** The baseline: a raw BulkWriter creating the documents as plain objects. */
async function rawBulkWriter(db: Firestore, count: number): Promise<number> {
  const started = performance.now();
  const writer = db.bulkWriter({ throttling: false });
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const { path, data } = document(i);
    pending.push(writer.create(db.doc(path), data));
    if (pending.length >= 5_000) await Promise.all(pending.splice(0));
  }
  await writer.close();
  await Promise.all(pending);
  return (performance.now() - started) / 1000;
}

/** The restore's own write strategy without its verification: the Node client committing batches of creates, as many in flight. */
async function rawBatches(db: Firestore, count: number, strategy: { documentsPerCommit: number; commitsInFlight: number }): Promise<number> {
  const started = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  for (let from = 0; from < count; from += strategy.documentsPerCommit) {
    const batch = db.batch();
    for (let i = from; i < Math.min(count, from + strategy.documentsPerCommit); i++) {
      const { path, data } = document(i);
      batch.create(db.doc(path), data);
    }
    const commit = batch.commit().finally(() => inFlight.delete(commit));
    inFlight.add(commit);
    if (inFlight.size >= strategy.commitsInFlight) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return (performance.now() - started) / 1000;
}

/** Runs the backup benchmark; returns the figures for bench-results/latest.json. */
export async function benchBackups(log: (line: string) => void): Promise<Record<string, number>> {
  const sizes = sizesFromArgs();
  const live = new Firestore({ projectId: PROJECT_ID });
  const raw = new Firestore({ projectId: PROJECT_ID, databaseId: RAW_DB });
  const [{ buildBackupAdapters }, { restoreSnapshot }, { instanceConfig, randomIds, systemClock }, { CloudLoggingLogger }, { RESTORE_WRITE_STRATEGY }] = await Promise.all([
    import('../../functions/src/wiring-backups'),
    import('../../functions/src/application/backups/restore-snapshot'),
    import('../../functions/src/wiring'),
    import('../../functions/src/adapters/cloud-logging'),
    import('../../functions/src/adapters/firestore-restore-writes'),
  ]);
  const results: Record<string, number> = {};
  const rssBySize: number[] = [];
  for (const size of sizes) {
    await Promise.all([clear('(default)'), clear(RAW_DB), clear(RESTORE_DB)]);
    const filled = performance.now();
    await fill(live, size);
    log(`${size} documents: filled in ${fmt((performance.now() - filled) / 1000)} s`);
    await child('raw-read', {}); // warm-up: a cold emulator JVM is several times slower

    const reads = { raw: [] as number[], tuki: [] as number[], rss: [] as number[] };
    let dir = '';
    for (let round = 0; round < ROUNDS; round++) {
      const rawRun = await child('raw-read', {});
      if (dir !== '') rmSync(dir, { recursive: true, force: true });
      dir = mkdtempSync(join(tmpdir(), 'tuki-bench-backups-'));
      const tukiRun = await child('snapshot', { TUKI_BACKUP_DIR: dir });
      if (rawRun.documents !== size || tukiRun.documents !== size) throw new Error(`read ${rawRun.documents} raw and ${tukiRun.documents} by the snapshot, expected ${size}`);
      reads.raw.push(size / rawRun.seconds);
      reads.tuki.push(size / tukiRun.seconds);
      reads.rss.push(tukiRun.maxRssMiB);
    }
    const snapshotRatio = Math.max(...reads.tuki) / Math.max(...reads.raw);
    const rss = Math.min(...reads.rss);
    rssBySize.push(rss);
    log(`  snapshot: tuki ${fmt(Math.max(...reads.tuki), 0)} docs/s [${reads.tuki.map((t) => fmt(t, 0)).join(', ')}], raw stream ${fmt(Math.max(...reads.raw), 0)} docs/s [${reads.raw.map((t) => fmt(t, 0)).join(', ')}], ratio ${fmt(snapshotRatio, 2)} (target >= 0.7); peak RSS ${fmt(rss)} MiB`);

    const adapters = await buildBackupAdapters({ ...instanceConfig(), TUKI_BACKUP_DIR: dir }, { clock: systemClock, ids: randomIds, logger: new CloudLoggingLogger('ERROR') });
    const [manifest] = await (await import('../../functions/src/application/backups/take-snapshot')).listSnapshots(adapters.store);
    if (manifest === undefined) throw new Error('the benchmark snapshot is missing');
    const writes = { bulkWriter: [] as number[], batches: [] as number[], tuki: [] as number[], total: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      await clear(RAW_DB);
      writes.bulkWriter.push(size / (await rawBulkWriter(raw, size)));
      await clear(RAW_DB);
      writes.batches.push(size / (await rawBatches(raw, size, RESTORE_WRITE_STRATEGY)));
      await clear(RESTORE_DB);
      const result = await restoreSnapshot(adapters.restoreDeps(RESTORE_DB), { snapshotId: manifest.id, force: false });
      if (result.problems.length > 0 || result.written !== size) throw new Error(`restore failed: ${result.problems.join('; ')}`);
      writes.tuki.push(size / (result.writeMs / 1000));
      writes.total.push(size / ((result.writeMs + result.verifyMs) / 1000));
    }
    await adapters.close();
    rmSync(dir, { recursive: true, force: true });
    // The target counts the verification: tuki's restore is done once the final count agrees.
    const best = (runs: number[]): number => Math.max(...runs);
    const rates = (runs: number[]): string => `${fmt(best(runs), 0)} docs/s [${runs.map((t) => fmt(t, 0)).join(', ')}]`;
    const restoreRatio = best(writes.total) / best(writes.bulkWriter);
    const overheadRatio = best(writes.total) / best(writes.batches);
    log(
      `  restore, verification included: tuki ${rates(writes.total)}; raw BulkWriter ${rates(writes.bulkWriter)}, ratio ${fmt(restoreRatio, 2)} (target >= 0.7); ` +
        `raw batches of ${RESTORE_WRITE_STRATEGY.documentsPerCommit}, ${RESTORE_WRITE_STRATEGY.commitsInFlight} in flight, unverified ${rates(writes.batches)}, ratio ${fmt(overheadRatio, 2)} (tuki's verification overhead); ` +
        `tuki until its last commit was acknowledged (the read-backs alongside) ${fmt(best(writes.tuki), 0)} docs/s`,
    );
    Object.assign(results, {
      [`snapshotDocsPerSecond_${size}`]: Math.max(...reads.tuki),
      [`rawReadDocsPerSecond_${size}`]: Math.max(...reads.raw),
      [`snapshotRatio_${size}`]: snapshotRatio,
      [`snapshotPeakRssMiB_${size}`]: rss,
      [`restoreWriteDocsPerSecond_${size}`]: Math.max(...writes.tuki),
      [`rawBulkWriterDocsPerSecond_${size}`]: best(writes.bulkWriter),
      [`rawBatchesDocsPerSecond_${size}`]: best(writes.batches),
      [`restoreRatio_${size}`]: restoreRatio,
      [`restoreVsRawBatchesRatio_${size}`]: overheadRatio,
      [`restoreWithVerifyDocsPerSecond_${size}`]: Math.max(...writes.total),
    });
  }
  await Promise.all([clear('(default)'), clear(RAW_DB), clear(RESTORE_DB), live.terminate(), raw.terminate()]);
  if (rssBySize.length > 1) {
    const memoryRatio = (rssBySize[rssBySize.length - 1] ?? 0) / (rssBySize[0] ?? 1);
    log(`peak memory of the snapshot, ${sizes[sizes.length - 1]} vs ${sizes[0]} documents: ratio ${fmt(memoryRatio, 2)} (target <= 1.2)`);
    results['snapshotMemoryRatio'] = memoryRatio;
  }
  return results;
}
