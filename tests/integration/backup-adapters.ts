/**
 * The backup adapters for a test file: snapshots in a fresh temporary folder, the harness's
 * clock, no snapshot left from the previous test and the given databases emptied before each.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackupAdapters } from '../../functions/src/wiring-backups';
import { testClock, type HarnessContext } from './harness';

export interface BackupTestContext {
  readonly dir: string;
  adapters: BackupAdapters;
}

/** Call at the top of the file, before `useHarness` parses the configuration. */
export function backupFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  process.env['TUKI_BACKUP_DIR'] = dir;
  return dir;
}

/** Registers hooks that build the adapters once and tidy up before each test. */
export function useBackupAdapters(h: HarnessContext, dir: string, databases: readonly string[]): BackupTestContext {
  const context = { dir } as BackupTestContext;
  beforeAll(async () => {
    const [{ buildBackupAdapters }, { instanceConfig }] = await Promise.all([import('../../functions/src/wiring-backups'), import('../../functions/src/wiring')]);
    context.adapters = await buildBackupAdapters(instanceConfig(), { clock: testClock, ids: h.services.ids, logger: h.services.logger });
  });
  afterAll(async () => context.adapters.close());
  beforeEach(async () => {
    for (const id of await context.adapters.store.ids()) await context.adapters.store.delete(id);
    for (const database of databases) await context.adapters.database(database).clear([]);
  });
  return context;
}
