/**
 * Backups on the emulators: consistent snapshots taken while writes go on, exact restores into
 * another database, verification that catches one altered byte or a missing file, refusal of a
 * non-empty target, the restore drill with its measured times and its crypto-shredding proof,
 * pruning past the retention, one snapshot per day however often the job runs, and a stalled Firestore failing
 * a snapshot or a restore in bounded time.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PubSub } from '@google-cloud/pubsub';
import { Firestore, GeoPoint, Timestamp } from '@google-cloud/firestore';
import type { SnapshotManifest } from '../../functions/src/domain/backups';
import { backupFolder, useBackupAdapters } from './backup-adapters';
import { call, eventually, portalTicket, testClock, useHarness } from './harness';

const BACKUP_DIR = backupFolder('tuki-backups');
process.env['TUKI_DRILL_DATABASE'] = 'drill-scratch';
const RESTORE_DB = 'restore-target';

const h = useHarness('backups');
const backups = useBackupAdapters(h, BACKUP_DIR, [RESTORE_DB]);

/** Every document of a database as `path → canonical line`, read at one read time (now unless given). */
async function contents(databaseId: string, readTime?: string): Promise<Map<string, string>> {
  const db = backups.adapters.database(databaseId);
  const out = new Map<string, string>();
  for await (const doc of db.documents(readTime ?? (await db.readTime()), ['dataKeys'])) out.set(doc.path, doc.line);
  return out;
}

/** The lines of a snapshot, as `path → line`. */
async function snapshotLines(manifest: SnapshotManifest): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of manifest.collections) {
    for await (const line of backups.adapters.store.lines(manifest.id, file.file)) out.set((JSON.parse(line) as { p: string }).p, line);
  }
  return out;
}

async function ticketWithCard(): Promise<string> {
  const created = await call(h.api, 'POST', '/v1/tickets', {
    token: h.tokens.customer,
    body: portalTicket({ description: 'Card 4111 1111 1111 1111 was charged twice.' }),
    headers: { 'Idempotency-Key': `backup-${Math.random()}` },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function destroyKey(ticketId: string): Promise<void> {
  const destroyed = await call(h.api, 'DELETE', `/v1/tickets/${ticketId}/originals?reason=erasure`, { token: h.tokens.privacy });
  expect(destroyed.status).toBe(200);
}

/** Writes wire values the Node client cannot express (a double 2.0, an int64 beyond 2^53, -0.0) through the Firestore API. */
async function writeWireDocument(path: string): Promise<void> {
  const { firestoreApiClient } = await import('../../functions/src/adapters/firestore-snapshot-database');
  const api = firestoreApiClient('demo-tuki', process.env['FIRESTORE_EMULATOR_HOST']);
  const root = 'projects/demo-tuki/databases/(default)/documents';
  await api.commit(
    {
      database: 'projects/demo-tuki/databases/(default)',
      writes: [
        {
          update: {
            name: `${root}/${path}`,
            fields: {
              integralDouble: { doubleValue: 2 },
              negativeZero: { doubleValue: -0 },
              notANumber: { doubleValue: NaN },
              bigInteger: { integerValue: '9007199254740993' },
              nested: { mapValue: { fields: { list: { arrayValue: { values: [{ doubleValue: 3 }, { integerValue: '3' }, { nullValue: 'NULL_VALUE' }] } } } } },
            },
          },
        },
      ],
    },
    { otherArgs: { headers: { Authorization: 'Bearer owner' } } },
  );
  await api.close();
}

describe('snapshots', () => {
  it('a snapshot taken while writes go on matches the data at its read time exactly', async () => {
    const db = h.services.db;
    let running = true;
    let version = 0;
    const writer = (async () => {
      while (running) {
        version++;
        const batch = db.batch();
        for (let i = 0; i < 20; i++) {
          batch.set(db.doc(`counters/c${i}`), { version, at: Timestamp.now() });
          batch.set(db.doc(`counters/c${i}/history/v${version}`), { version });
        }
        await batch.commit();
      }
    })();
    await eventually(async () => (version >= 3 ? true : undefined));
    // Pages of 7 documents: many queries, all at the snapshot's one read time.
    const { FirestoreSnapshotDatabase, firestoreApiClient } = await import('../../functions/src/adapters/firestore-snapshot-database');
    const api = firestoreApiClient('demo-tuki', process.env['FIRESTORE_EMULATOR_HOST']);
    const smallPages = new FirestoreSnapshotDatabase(api, db, 'demo-tuki', '(default)', true, { pageSize: 7 });
    const { takeSnapshot } = await import('../../functions/src/application/backups/take-snapshot');
    const { manifest } = await takeSnapshot({ ...backups.adapters.snapshotDeps(), reader: smallPages });
    await api.close();
    await eventually(async () => (version >= manifest.documents / 20 + 3 ? true : undefined), 20_000, 'writes after the snapshot');
    running = false;
    await writer;

    // What Firestore itself returns at the snapshot's read time (read-only transaction).
    const [seconds, fraction] = manifest.readTime.replace('Z', '').split('.');
    const readTime = new Timestamp(Date.parse(`${seconds ?? ''}Z`) / 1000, Number(fraction));
    const atReadTime = await db.runTransaction(
      async (tx) => Promise.all([tx.get(db.collection('counters')), tx.get(db.collectionGroup('history'))]),
      { readOnly: true, readTime },
    );
    const expected = new Map(atReadTime.flatMap((s) => s.docs).map((d) => [d.ref.path, d.get('version') as number]));
    const lines = await snapshotLines(manifest);
    const inSnapshot = new Map(
      [...lines].filter(([path]) => path.startsWith('counters/')).map(([path, line]) => [path, Number((JSON.parse(line) as { f: { version: { i: string } } }).f.version.i)]),
    );
    expect(inSnapshot.size).toBeGreaterThan(20);
    expect(inSnapshot).toEqual(expected);
    expect(new Set([...inSnapshot.values()]).size).toBeGreaterThan(1); // the history grew while it was read
    expect(Math.max(...[...inSnapshot.values()])).toBeLessThan(version);
  });

  it('the key material is never snapshotted, and a snapshot job run twice on one day leaves one snapshot', async () => {
    await ticketWithCard();
    const pubsub = new PubSub({ projectId: 'demo-tuki' });
    const { runJobNow } = await import('../../scripts/lib/local-scheduler');
    await Promise.all([runJobNow(pubsub, 'backup-snapshot'), runJobNow(pubsub, 'backup-snapshot')]);
    await pubsub.close();
    const manifest = await eventually(async () => backups.adapters.store.manifest(new Date(testClock.now()).toISOString().slice(0, 10)), 30_000, 'the snapshot');
    const { takeSnapshot } = await import('../../functions/src/application/backups/take-snapshot');
    const again = await takeSnapshot(backups.adapters.snapshotDeps());

    expect(again.outcome).toBe('exists');
    expect(again.manifest.runId).toBe(manifest.runId);
    expect(await backups.adapters.store.ids()).toEqual([manifest.id]);
    const folder = join(BACKUP_DIR, 'snapshots', manifest.id);
    // The losing run deletes its files once it sees the winner's manifest.
    await eventually(async () => (readdirSync(folder).sort().join() === ['manifest.json', manifest.runId].sort().join() ? true : undefined), 30_000, 'one run left');
    const collections = manifest.collections.map((c) => c.collection);
    expect(collections).toEqual(expect.arrayContaining(['tickets', 'originals', 'principals']));
    expect(collections).not.toContain('dataKeys');
  });

  it('snapshots older than the retention are pruned by the job', async () => {
    const { takeSnapshot } = await import('../../functions/src/application/backups/take-snapshot');
    testClock.set(new Date(Date.now() - 40 * 86_400_000).toISOString());
    const old = await takeSnapshot(backups.adapters.snapshotDeps());
    testClock.set(new Date(Date.now() - 20 * 86_400_000).toISOString());
    const recent = await takeSnapshot(backups.adapters.snapshotDeps());
    testClock.reset();
    const today = await takeSnapshot(backups.adapters.snapshotDeps());

    expect(today.pruned).toEqual([old.manifest.id]);
    expect((await backups.adapters.store.ids()).sort()).toEqual([recent.manifest.id, today.manifest.id].sort());
  });
});

describe('restore', () => {
  it('a restore reproduces every document byte for byte, every value type included', async () => {
    const db = h.services.db;
    await ticketWithCard();
    await db.doc('kinds/all').set({
      // Firestore keeps timestamps to the microsecond.
      at: new Timestamp(1_700_000_000, 123_456_000),
      where: new GeoPoint(60.1699, 24.9384),
      ref: db.doc('tickets/some-ticket'),
      bytes: Buffer.from([0, 1, 2, 254, 255]),
      nested: { deeper: { list: [1, 'two', null, true, { three: 3.5 }], empty: {} }, emptyList: [] },
      unicode: 'ääkköset ✓ \u0000 \n "quoted"',
    });
    await db.doc('orphans/missing-parent/children/child').set({ n: 1 });
    await writeWireDocument('kinds/wire');
    const { takeSnapshot } = await import('../../functions/src/application/backups/take-snapshot');
    const { restoreSnapshot } = await import('../../functions/src/application/backups/restore-snapshot');
    const { manifest } = await takeSnapshot(backups.adapters.snapshotDeps());
    const progress: number[] = [];
    const result = await restoreSnapshot(backups.adapters.restoreDeps(RESTORE_DB), { snapshotId: manifest.id, force: false, onProgress: (n) => progress.push(n) });

    expect(result.problems).toEqual([]);
    expect(result.written).toBe(manifest.documents);
    expect(progress[progress.length - 1]).toBe(manifest.documents);
    // The live database moves on (the ticket gets routed); compare with it as it was at the read time.
    const [source, restored] = await Promise.all([contents('(default)', manifest.readTime), contents(RESTORE_DB)]);
    expect(source.size).toBe(manifest.documents);
    expect([...restored.entries()].sort()).toEqual([...source.entries()].sort());
    // The wire types survive: a double stays a double, a big integer stays exact, -0 keeps its sign.
    expect(JSON.parse(restored.get('kinds/wire') ?? '{}').f).toMatchObject({
      integralDouble: { d: 2 },
      negativeZero: { d: '-0' },
      notANumber: { d: 'NaN' },
      bigInteger: { i: '9007199254740993' },
    });
    const target = new Firestore({ projectId: 'demo-tuki', databaseId: RESTORE_DB });
    const kinds = (await target.doc('kinds/all').get()).data() ?? {};
    await target.terminate();
    expect((kinds['at'] as Timestamp).nanoseconds).toBe(123_456_000);
    expect(kinds['ref'].path).toBe('tickets/some-ticket');
  });

  it('restores documents near the 1 MiB limit, more of them than one commit may carry', async () => {
    // Twelve documents of 900,000 characters: over 10 MiB, more than one commit request may hold (one at a time here:
    // a BulkWriter's batch of them is refused too).
    for (let i = 0; i < 12; i++) await h.services.db.doc(`large/d${i}`).set({ text: String(i % 10).repeat(900_000) });
    const { takeSnapshot } = await import('../../functions/src/application/backups/take-snapshot');
    const { restoreSnapshot } = await import('../../functions/src/application/backups/restore-snapshot');
    const { manifest } = await takeSnapshot(backups.adapters.snapshotDeps());
    const result = await restoreSnapshot(backups.adapters.restoreDeps(RESTORE_DB), { snapshotId: manifest.id, force: false });

    expect(result.problems).toEqual([]);
    expect(result.collections).toEqual(expect.arrayContaining([{ collection: 'large', expected: 12, restored: 12 }]));
  });

  it('a non-empty target is refused unless forced, and a forced restore leaves only the snapshot', async () => {
    const { takeSnapshot } = await import('../../functions/src/application/backups/take-snapshot');
    const { restoreSnapshot, TargetNotEmptyError } = await import('../../functions/src/application/backups/restore-snapshot');
    const { manifest } = await takeSnapshot(backups.adapters.snapshotDeps());
    const target = new Firestore({ projectId: 'demo-tuki', databaseId: RESTORE_DB });
    await target.doc('stray/document').set({ left: 'over' });

    await expect(restoreSnapshot(backups.adapters.restoreDeps(RESTORE_DB), { snapshotId: manifest.id, force: false })).rejects.toBeInstanceOf(TargetNotEmptyError);
    expect((await target.doc('stray/document').get()).exists).toBe(true);
    const forced = await restoreSnapshot(backups.adapters.restoreDeps(RESTORE_DB), { snapshotId: manifest.id, force: true });
    expect(forced.problems).toEqual([]);
    expect((await target.doc('stray/document').get()).exists).toBe(false);
    await target.terminate();
  });

  it('a document that appears in the target while the restore writes fails the verification', async () => {
    await ticketWithCard();
    const { takeSnapshot } = await import('../../functions/src/application/backups/take-snapshot');
    const { restoreSnapshot } = await import('../../functions/src/application/backups/restore-snapshot');
    const { manifest } = await takeSnapshot(backups.adapters.snapshotDeps());
    const target = new Firestore({ projectId: 'demo-tuki', databaseId: RESTORE_DB });
    let stray: Promise<unknown> | undefined;
    const result = await restoreSnapshot(backups.adapters.restoreDeps(RESTORE_DB), {
      snapshotId: manifest.id,
      force: false,
      onProgress: () => void (stray ??= target.doc('stray/document').set({ written: 'by someone else' })),
    });
    await stray;
    await target.terminate();

    expect(result.written).toBe(manifest.documents);
    expect(result.problems).toEqual([`projects/demo-tuki/databases/${RESTORE_DB} holds ${manifest.documents + 1} documents after the restore, the snapshot ${manifest.documents}`]);
  });

  it('a snapshot with one altered byte or one missing file fails verification and writes nothing', async () => {
    await ticketWithCard();
    const { takeSnapshot } = await import('../../functions/src/application/backups/take-snapshot');
    const { restoreSnapshot } = await import('../../functions/src/application/backups/restore-snapshot');
    const { manifest } = await takeSnapshot(backups.adapters.snapshotDeps());
    const tickets = manifest.collections.find((c) => c.collection === 'tickets');
    const principals = manifest.collections.find((c) => c.collection === 'principals');
    if (tickets === undefined || principals === undefined) throw new Error('the snapshot lacks tickets or principals');
    const ticketsFile = join(BACKUP_DIR, 'snapshots', manifest.id, tickets.file);
    const bytes = readFileSync(ticketsFile);
    bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0x01;
    writeFileSync(ticketsFile, bytes);

    const altered = await restoreSnapshot(backups.adapters.restoreDeps(RESTORE_DB), { snapshotId: manifest.id, force: false });
    expect(altered.problems).toEqual([expect.stringContaining('tickets: file')]);
    expect(await backups.adapters.database(RESTORE_DB).isEmpty([])).toBe(true);

    unlinkSync(join(BACKUP_DIR, 'snapshots', manifest.id, principals.file));
    const missing = await restoreSnapshot(backups.adapters.restoreDeps(RESTORE_DB), { snapshotId: manifest.id, force: false });
    expect(missing.problems).toEqual(expect.arrayContaining([expect.stringContaining('principals: file'), expect.stringContaining('is missing')]));
    expect(await backups.adapters.database(RESTORE_DB).isEmpty([])).toBe(true);
  });
});

describe('restore drill', () => {
  it('the weekly drill restores the latest snapshot, reports its measured times and proves that destroyed keys stay destroyed', async () => {
    const destroyedBefore = await ticketWithCard();
    const destroyedAfter = await ticketWithCard();
    await ticketWithCard(); // its key stays: its originals must open in the restored copy
    await destroyKey(destroyedBefore);
    const { takeSnapshot } = await import('../../functions/src/application/backups/take-snapshot');
    const { manifest } = await takeSnapshot(backups.adapters.snapshotDeps());
    // Destroyed after the snapshot: the snapshot still holds its sealed texts.
    await destroyKey(destroyedAfter);

    const pubsub = new PubSub({ projectId: 'demo-tuki' });
    const { runJobNow } = await import('../../scripts/lib/local-scheduler');
    await runJobNow(pubsub, 'restore-drill');
    await pubsub.close();
    const report = await eventually(async () => (await h.services.db.collection('drills').limit(1).get()).docs[0]?.data(), 60_000, 'the drill report');

    expect(report).toMatchObject({ result: 'passed', snapshotId: manifest.id, documents: manifest.documents, problems: [] });
    expect(report['restoreMs']).toBeGreaterThan(0);
    expect(report['verifyMs']).toBeGreaterThan(0);
    expect(report['snapshotAgeMs']).toBeGreaterThan(0);
    expect(report['collections']).toEqual(expect.arrayContaining([{ collection: 'tickets', expected: 3, restored: 3 }]));
    expect(report['cryptoShredding']).toEqual({ destroyedKeysChecked: 2, destroyedKeysUnreadable: 2, liveKeysChecked: 1, liveKeysReadable: 1 });
    const files = readdirSync(join(BACKUP_DIR, 'drills'));
    expect(files.sort()).toEqual([`${report['id'] as string}.json`, `${report['id'] as string}.md`]);
    expect(readFileSync(join(BACKUP_DIR, 'drills', `${report['id'] as string}.md`), 'utf8')).toContain('Recovery time');
    expect(await backups.adapters.database('drill-scratch').isEmpty([])).toBe(true);
  });

  it('a drill over a corrupted snapshot fails loudly', async () => {
    await ticketWithCard();
    const { takeSnapshot } = await import('../../functions/src/application/backups/take-snapshot');
    const { runRestoreDrill } = await import('../../functions/src/application/backups/run-restore-drill');
    const { manifest } = await takeSnapshot(backups.adapters.snapshotDeps());
    const file = manifest.collections.find((c) => c.collection === 'tickets')?.file ?? '';
    unlinkSync(join(BACKUP_DIR, 'snapshots', manifest.id, file));
    const logged: string[] = [];
    const deps = backups.adapters.drillDeps(h.services.vault);
    const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (message: string) => void logged.push(message) };
    const { report } = await runRestoreDrill({ ...deps, logger });

    expect(report.result).toBe('failed');
    expect(report.problems).toEqual([expect.stringContaining('tickets: file')]);
    expect(logged).toEqual(['restore drill FAILED']);
  });
});

/** What a backup run in a child process against a stalling Firestore did (`support/stalled-backup.ts`). */
interface StalledRun {
  readonly exitCode: number | null;
  readonly outcome: string;
  readonly name?: string;
  readonly message?: string;
  /** From the start of the use case to its end, as the child measured it. */
  readonly ms: number;
  /** From the spawn to the exit, as this process measured it (module loading included). */
  readonly wallMs: number;
}

/** Runs `support/stalled-backup.ts` with the harness's environment; Firestore stops answering after `stallAfterBytes` bytes. */
function runStalledBackup(args: readonly string[], stallAfterBytes: number): Promise<StalledRun> {
  const support = join(__dirname, 'support');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', join(support, 'transpile-ts.js'), join(support, 'stalled-backup.ts'), ...args], {
      env: { ...process.env, STALL_AFTER_BYTES: String(stallAfterBytes), STALL_MS: '1500' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (!last.startsWith('{')) return reject(new Error(`the stalled backup printed no result (exit ${String(exitCode)}): ${err}`));
      resolve({ ...(JSON.parse(last) as Omit<StalledRun, 'exitCode' | 'wallMs'>), exitCode, wallMs: performance.now() - started });
    });
  });
}

// The stalled calls run in a child process: in this one, a stream cancelled by the stall watch would answer late and
// fail the next test file (google-gax decoding after jest tore this file's modules down).
describe('a stalled Firestore', () => {
  /** Documents enough that a snapshot's stream is cut in the middle (about 1 KiB each). */
  async function someDocuments(count: number): Promise<void> {
    const writer = h.services.db.bulkWriter();
    for (let i = 0; i < count; i++) void writer.set(h.services.db.doc(`bulk/d${String(i).padStart(4, '0')}`), { text: 'x'.repeat(1_000), i });
    await writer.close();
  }

  it('fails a snapshot within seconds when Firestore stops answering in the middle of the read, naming what stalled', async () => {
    await someDocuments(300);
    const run = await runStalledBackup(['snapshot'], 40_000);

    expect(run).toMatchObject({ exitCode: 1, outcome: 'failed', name: 'FirestoreStalledError' });
    expect(run.message).toContain('Firestore did not answer for 1.5 s while reading projects/demo-tuki/databases/(default)');
    expect(run.ms).toBeLessThan(10_000);
    expect(run.wallMs).toBeLessThan(45_000);
    const { listSnapshots } = await import('../../functions/src/application/backups/take-snapshot');
    expect(await listSnapshots(backups.adapters.store)).toEqual([]); // no snapshot came of it
  });

  it('fails a restore within seconds when Firestore stops answering, naming the target', async () => {
    await someDocuments(300);
    const { takeSnapshot } = await import('../../functions/src/application/backups/take-snapshot');
    const { manifest } = await takeSnapshot(backups.adapters.snapshotDeps());
    const run = await runStalledBackup(['restore', manifest.id, RESTORE_DB], 2_000);

    expect(run).toMatchObject({ exitCode: 1, outcome: 'failed', name: 'FirestoreStalledError' });
    expect(run.message).toMatch(/Firestore did not answer for 1.5 s while (reading|writing) projects\/demo-tuki\/databases\/restore-target/);
    expect(run.ms).toBeLessThan(10_000);
    expect(run.wallMs).toBeLessThan(45_000);
  });
});
