/**
 * A snapshot or a restore against a Firestore that stops answering, in a process of its own
 * (spawned by `backups.test.ts` through `runStalledBackup`).
 *
 * In the test process, a stream that the stall watch cancelled answers after the emulator
 * comes back, and google-gax decodes that late answer after jest has torn the file's modules
 * down, failing whichever test file runs next. Here it can only reach a process that has
 * exited. The emulator is never frozen either: this process reaches it through a TCP proxy of
 * its own that forwards `STALL_AFTER_BYTES` bytes of answers and then stops passing anything in
 * either direction, holding every connection open — what a frozen process or a black-holed
 * network looks like to the client, mid-stream.
 *
 * argv: `snapshot` or `restore <snapshotId> <targetDatabase>`. Env: the harness's local env
 * (`TUKI_BACKUP_DIR` the store), `STALL_AFTER_BYTES`, `STALL_MS` (the stall watch's limit).
 * Prints one JSON line `{ outcome, name, message, ms }` (`ms` from the start of the use case to
 * its end) and exits 1 when the work failed, 0 when it completed.
 */
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

/** Listens on a free port and forwards to `upstream` until `budget` bytes of answers have passed. */
async function stallingProxy(upstream: string, budget: number): Promise<string> {
  const [host, port] = upstream.split(':');
  const sockets: Socket[] = [];
  let answered = 0;
  let stalled = budget <= 0;
  // Paused sockets keep their data in the kernel's buffers, unread and unanswered.
  const stall = (): void => {
    stalled = true;
    for (const socket of sockets) socket.pause();
  };
  const proxy = createServer((client) => {
    sockets.push(client);
    if (stalled) return void client.pause();
    const emulator = createConnection({ host, port: Number(port) });
    sockets.push(emulator);
    client.on('data', (chunk: Buffer) => void (stalled || emulator.write(chunk)));
    emulator.on('data', (chunk: Buffer) => {
      if (stalled) return;
      client.write(chunk);
      answered += chunk.length;
      if (answered >= budget) stall();
    });
    client.on('error', () => undefined);
    emulator.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

async function main(): Promise<Error | undefined> {
  const [mode, snapshotId, targetDatabase] = process.argv.slice(2);
  const real = process.env['FIRESTORE_EMULATOR_HOST'] ?? '';
  const proxied = await stallingProxy(real, Number(process.env['STALL_AFTER_BYTES'] ?? '0'));
  // Every client of this process (the Node client reads the variable itself) goes through the proxy.
  process.env['FIRESTORE_EMULATOR_HOST'] = proxied;
  const [{ Firestore }, { FirestoreSnapshotDatabase, firestoreApiClient }, { buildBackupAdapters }, wiring, { CloudLoggingLogger }] = await Promise.all([
    import('@google-cloud/firestore'),
    import('../../../functions/src/adapters/firestore-snapshot-database'),
    import('../../../functions/src/wiring-backups'),
    import('../../../functions/src/wiring'),
    import('../../../functions/src/adapters/cloud-logging'),
  ]);
  const config = wiring.instanceConfig();
  const adapters = await buildBackupAdapters(config, { clock: wiring.systemClock, ids: wiring.randomIds, logger: new CloudLoggingLogger('ERROR') });
  const watched = (databaseId: string) =>
    new FirestoreSnapshotDatabase(firestoreApiClient(config.GOOGLE_CLOUD_PROJECT, proxied), new Firestore({ projectId: config.GOOGLE_CLOUD_PROJECT, databaseId }), config.GOOGLE_CLOUD_PROJECT, databaseId, true, {
      stallMs: Number(process.env['STALL_MS'] ?? '1500'),
    });
  const started = performance.now();
  const work =
    mode === 'snapshot'
      ? (await import('../../../functions/src/application/backups/take-snapshot')).takeSnapshot({ ...adapters.snapshotDeps(), reader: watched('(default)') })
      : (await import('../../../functions/src/application/backups/restore-snapshot')).restoreSnapshot(
          { ...adapters.restoreDeps(targetDatabase ?? ''), target: watched(targetDatabase ?? '') },
          { snapshotId: snapshotId ?? '', force: false },
        );
  const failure = await work.then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  const ms = performance.now() - started;
  console.log(JSON.stringify({ outcome: failure === undefined ? 'completed' : 'failed', name: failure?.name, message: failure?.message, ms }));
  return failure;
}

main().then(
  // Exit at once: the stalled connections would keep the process alive.
  (failure) => process.exit(failure === undefined ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
