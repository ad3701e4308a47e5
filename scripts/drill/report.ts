/**
 * Drill reports on disk: every drill leaves `drill-reports/<id>.json` (the full record, for
 * tools) and `drill-reports/<id>.md` (for the people who read the on-call log), plus
 * `latest-<kind>.json` so a script can find the last one without listing the directory.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The directory drill reports go to, under the repository root. */
export const DRILL_REPORTS_DIR = 'drill-reports';

/** How a report names itself: its id and its kind (`failover`, `local-failover`, …). */
export interface ReportIdentity {
  readonly id: string;
  readonly kind: string;
}

/** Writes a report as JSON and Markdown into `dir`; returns the paths written. */
export async function writeReportFiles(dir: string, report: ReportIdentity, markdown: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const paths = [join(dir, `${report.id}.json`), join(dir, `${report.id}.md`), join(dir, `latest-${report.kind}.json`)];
  await Promise.all([writeFile(paths[0] as string, json), writeFile(paths[1] as string, markdown), writeFile(paths[2] as string, json)]);
  return paths.slice(0, 2);
}

/** A report id: kind, optional subject and the start time, safe as a file name and a Firestore document id. */
export function reportId(kind: string, startedAtMs: number, subject?: string): string {
  const stamp = new Date(startedAtMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  const parts = [kind, ...(subject === undefined ? [] : [subject]), stamp];
  return parts.join('-').replace(/[^A-Za-z0-9_.-]+/g, '-');
}

/** Milliseconds as seconds with one decimal, for Markdown tables. */
export function seconds(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`;
}

/** A Markdown table from a header and rows (cells are escaped for `|`). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}
