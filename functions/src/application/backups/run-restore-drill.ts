/**
 * The restore drill (weekly, and `npm run tuki -- drill restore`): the latest snapshot (one is
 * taken first if there is none) restored into a scratch database, verified, and checked for
 * crypto-shredding (originals whose data key was destroyed do not open in the restored copy, the
 * others do). The report — recovery point (snapshot age), recovery time (restore and verify),
 * counts per collection, result — goes to `drills/` in the database and next to the snapshots.
 * A failed drill is logged as an error (production alerts on it); the scratch database is
 * emptied afterwards, so restored personal data does not linger there.
 */
import { renderRestoreDrillMarkdown, shreddingProblems, type CryptoShreddingCheck, type RestoreDrillReport } from '../../domain/backups';
import type { Clock, IdGenerator, Logger } from '../ports';
import type { DatabaseWriter, DrillReportLog, ShreddingProbe, SnapshotStore } from './ports';
import { restoreSnapshot, type RestoreResult } from './restore-snapshot';
import { listSnapshots, takeSnapshot, type SnapshotDeps } from './take-snapshot';

export interface DrillDeps {
  readonly store: SnapshotStore;
  /** Takes a snapshot when the store has none. */
  readonly snapshot: SnapshotDeps;
  readonly scratch: DatabaseWriter;
  readonly shredding: ShreddingProbe;
  readonly reports: DrillReportLog;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

export interface DrillOutcome {
  readonly report: RestoreDrillReport;
  readonly files: readonly string[];
}

const NOT_CHECKED: CryptoShreddingCheck = { destroyedKeysChecked: 0, destroyedKeysUnreadable: 0, liveKeysChecked: 0, liveKeysReadable: 0 };

/** Runs one restore drill and records its report. */
export async function runRestoreDrill(deps: DrillDeps, options: { readonly snapshotId?: string } = {}): Promise<DrillOutcome> {
  const startedMs = deps.clock.now();
  const id = `restore-${new Date(startedMs).toISOString().replace(/[:.]/g, '-')}-${deps.ids.newId().slice(0, 8)}`;
  const snapshotId = options.snapshotId ?? (await listSnapshots(deps.store))[0]?.id ?? (await takeSnapshot(deps.snapshot)).manifest.id;

  let result: RestoreResult | undefined;
  let shredding = NOT_CHECKED;
  const problems: string[] = [];
  try {
    result = await restoreSnapshot({ store: deps.store, target: deps.scratch, clock: deps.clock, preserved: [] }, { snapshotId, force: true });
    problems.push(...result.problems);
    if (result.problems.length === 0) {
      shredding = await deps.shredding.check();
      problems.push(...shreddingProblems(shredding));
    }
  } catch (error) {
    problems.push(`the restore failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await deps.scratch.clear([]).catch((error: unknown) => deps.logger.warn('restore drill could not empty its scratch database', { error: String(error) }));
  }

  const finishedMs = deps.clock.now();
  const manifest = result?.manifest;
  const report: RestoreDrillReport = {
    id,
    kind: 'restore',
    result: problems.length === 0 ? 'passed' : 'failed',
    snapshotId,
    snapshotSha256: manifest?.sha256 ?? '',
    target: deps.scratch.name,
    startedAt: new Date(startedMs).toISOString(),
    finishedAt: new Date(finishedMs).toISOString(),
    snapshotAgeMs: manifest === undefined ? 0 : Math.max(0, startedMs - Date.parse(manifest.readTime)),
    restoreMs: result?.writeMs ?? 0,
    verifyMs: result?.verifyMs ?? 0,
    documents: result?.written ?? 0,
    collections: result?.collections ?? [],
    cryptoShredding: shredding,
    problems,
  };
  // Files first: the record in `drills/` is what monitoring and operators read as "the drill ran", so it comes last.
  const files = await deps.store.putReport(report, renderRestoreDrillMarkdown(report));
  await deps.reports.record(report);
  const fields = { drillId: id, snapshotId, restoreMs: report.restoreMs, verifyMs: report.verifyMs, snapshotAgeMs: report.snapshotAgeMs, documents: report.documents };
  if (report.result === 'passed') deps.logger.info('restore drill passed', { event: 'backup.drill.succeeded', ...fields });
  else deps.logger.error('restore drill FAILED', { event: 'backup.drill.failed', ...fields, problems: problems.slice(0, 20) });
  return { report, files };
}
