/** An in-memory status summary store for the status views' unit tests. */
import type { StatusSummaryStore } from '../../functions/src/application/incidents/ports';
import { emptySummary, type StatusSummary } from '../../functions/src/domain/status-summary';

/** Keeps the summary in memory; its version counts the writes. Counts the summary reads. */
export class InMemoryStatusSummaryStore implements StatusSummaryStore {
  reads = 0;
  private summary: StatusSummary | undefined;
  private writes = 0;

  async read(): Promise<StatusSummary> {
    this.reads += 1;
    return this.summary ?? emptySummary('1970-01-01T00:00:00.000Z');
  }

  async version(): Promise<string> {
    return `write-${this.writes}`;
  }

  async update(change: (summary: StatusSummary) => StatusSummary | null): Promise<boolean> {
    const next = change(this.summary ?? emptySummary('1970-01-01T00:00:00.000Z'));
    if (next === null) return false;
    this.summary = next;
    this.writes += 1;
    return true;
  }
}
