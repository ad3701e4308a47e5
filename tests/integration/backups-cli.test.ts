/**
 * The backup operator commands as an operator runs them (`node dist/scripts/tuki.js …`, stdout
 * not a terminal): `snapshots`, `restore` with its plain progress lines and its refusal of a
 * non-empty target, and `drill restore` with its exit status.
 */
import { spawn } from 'node:child_process';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/emulators';
import { backupFolder, useBackupAdapters } from './backup-adapters';
import { useHarness } from './harness';

const BACKUP_DIR = backupFolder('tuki-backups-cli');

const h = useHarness('backups-cli');
const backups = useBackupAdapters(h, BACKUP_DIR, ['cli-restore']);

function tuki(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot(), 'dist/scripts/tuki.js'), ...args], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function snapshot(): Promise<import('../../functions/src/domain/backups').SnapshotManifest> {
  const { takeSnapshot } = await import('../../functions/src/application/backups/take-snapshot');
  return (await takeSnapshot(backups.adapters.snapshotDeps())).manifest;
}

describe('backup commands', () => {
  it('snapshots lists each snapshot with its age, size and counts', async () => {
    const manifest = await snapshot();
    const listed = await tuki('snapshots');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`1 snapshots in ${BACKUP_DIR}`);
    expect(listed.stdout).toMatch(new RegExp(`${manifest.id}  age +\\d+\\.\\d h +\\d+\\.\\d\\d MB +${manifest.documents} documents  \\(.*principals \\d+`));
  });

  it('restore writes into an empty database with plain progress lines, and refuses it once it holds data', async () => {
    const manifest = await snapshot();
    const restored = await tuki('restore', '--snapshot', manifest.id, '--target', 'cli-restore');
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(new RegExp(`restore ${manifest.id}: ${manifest.documents}/${manifest.documents} documents \\(100%\\), \\d+/s, 0 s left`));
    expect(restored.stdout).toContain(`Restored ${manifest.documents} documents of ${manifest.id} into projects/demo-tuki/databases/cli-restore`);

    const refused = await tuki('restore', '--snapshot', manifest.id, '--target', 'cli-restore');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('projects/demo-tuki/databases/cli-restore is not empty');
    const forced = await tuki('restore', '--snapshot', manifest.id, '--target', 'demo-tuki/cli-restore', '--force');
    expect(forced.code).toBe(0);
  });

  it('drill restore passes on a sound snapshot and exits 1 on a damaged one', async () => {
    const manifest = await snapshot();
    const passed = await tuki('drill', 'restore');
    expect(passed.code).toBe(0);
    expect(passed.stdout).toContain(`Restore drill restore-`);
    expect(passed.stdout).toContain('PASSED');

    unlinkSync(join(BACKUP_DIR, 'snapshots', manifest.id, manifest.collections[0]?.file ?? ''));
    const failed = await tuki('drill', 'restore', '--snapshot', manifest.id);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('FAILED');
    expect(failed.stdout).toContain('is missing');
  });
});
