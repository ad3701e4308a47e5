/**
 * The local failover drill's report: its shape (written as JSON to `drill-reports/`), the
 * request figures drawn from the clients' attempts, and the Markdown for the on-call log.
 */
import { markdownTable, reportId, seconds } from '../report';

/** The two local "regions": child processes with their own ports on the shared emulators. */
export const LOCAL_REGIONS = { primary: 'local-primary', secondary: 'local-secondary' } as const;
export type RegionRole = keyof typeof LOCAL_REGIONS;

/** One HTTP attempt of a client. */
export interface RequestAttempt {
  readonly client: number;
  readonly key: string;
  readonly attempt: number;
  /** Milliseconds since the load started. */
  readonly startMs: number;
  readonly durationMs: number;
  /** HTTP status, or null for a network error. */
  readonly status: number | null;
  readonly error?: string;
  /** The backend the front used (`x-tuki-backend`). */
  readonly backend: string | null;
  readonly ticketId?: string;
  /** The API answered with the ticket an earlier attempt had created (`Idempotent-Replayed`). */
  readonly replayed?: boolean;
}

export interface DrillCheck {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

export interface LocalDrillSettings {
  readonly loadSeconds: number;
  readonly killAfterSeconds: number;
  readonly clients: number;
  readonly thinkMs: number;
  readonly requestDeadlineMs: number;
}

/** Milliseconds since the load started; null when it did not happen. */
export interface LocalDrillTimeline {
  killedAtMs: number | null;
  primaryEjectedAtMs: number | null;
  schedulerMovedAtMs: number | null;
  heartbeatFromSecondaryAtMs: number | null;
  firstSuccessViaSecondaryAtMs: number | null;
  loadEndedAtMs: number | null;
}

/** What the clients' attempts add up to. */
export interface RequestFigures {
  attempts: number;
  succeeded: number;
  failed: number;
  /** Successful attempts per backend, before and after the kill. */
  succeededBy: Record<string, { beforeKill: number; afterKill: number }>;
  /** Failed attempts by cause (`502`, `ECONNRESET`, …). */
  failedBy: Record<string, number>;
}

export interface TicketFigures {
  /** Distinct keys the clients sent. */
  attempted: number;
  acknowledged: number;
  /** Acknowledged tickets missing from Firestore (keys). Must be empty. */
  lost: string[];
  /** Keys with more than one ticket in Firestore, or acknowledged with two different ids. Must be empty. */
  duplicated: string[];
  /** Acknowledged by replaying a ticket that an earlier, failed attempt had stored (the idempotency key at work). */
  replayed: number;
  /** Keys the client gave up on. */
  unacknowledged: string[];
  /** Tickets in Firestore whose request was never acknowledged (the client gave up after it was stored). */
  storedWithoutAcknowledgement: number;
  inFirestore: number;
}

export interface LocalFailoverReport {
  readonly id: string;
  readonly kind: 'local-failover';
  status: 'passed' | 'failed';
  readonly startedAt: string;
  finishedAt: string;
  readonly settings: LocalDrillSettings;
  readonly regions: typeof LOCAL_REGIONS;
  readonly timeline: LocalDrillTimeline;
  /** Kill → first successful request through the secondary. */
  timeToRecoverMs: number | null;
  /** Kill → the heartbeat recorded the secondary's scheduler. */
  timeToMoveJobsMs: number | null;
  /** Longest time without any successful request, around the kill. */
  longestGapMs: number | null;
  requests: RequestFigures;
  /** Every failed attempt (at most 200; `requests.failed` has the count). */
  failedRequests: RequestAttempt[];
  tickets: TicketFigures;
  heartbeat: { before: string | null; after: string | null; eventId: string | null };
  checks: DrillCheck[];
  errors: string[];
  reportFiles: string[];
}

/** How many failed attempts the report lists one by one. */
const LISTED_FAILURES = 200;

/** A report with nothing measured yet. */
export function newLocalReport(settings: LocalDrillSettings, startedAtMs: number): LocalFailoverReport {
  return {
    id: reportId('local-failover', startedAtMs),
    kind: 'local-failover',
    status: 'passed',
    startedAt: new Date(startedAtMs).toISOString(),
    finishedAt: '',
    settings,
    regions: LOCAL_REGIONS,
    timeline: {
      killedAtMs: null,
      primaryEjectedAtMs: null,
      schedulerMovedAtMs: null,
      heartbeatFromSecondaryAtMs: null,
      firstSuccessViaSecondaryAtMs: null,
      loadEndedAtMs: null,
    },
    timeToRecoverMs: null,
    timeToMoveJobsMs: null,
    longestGapMs: null,
    requests: { attempts: 0, succeeded: 0, failed: 0, succeededBy: {}, failedBy: {} },
    failedRequests: [],
    tickets: { attempted: 0, acknowledged: 0, replayed: 0, lost: [], duplicated: [], unacknowledged: [], storedWithoutAcknowledgement: 0, inFirestore: 0 },
    heartbeat: { before: null, after: null, eventId: null },
    checks: [],
    errors: [],
    reportFiles: [],
  };
}

/** The request figures and times the attempts give, relative to the kill. */
export interface RequestSummary {
  readonly requests: RequestFigures;
  readonly failedRequests: RequestAttempt[];
  readonly firstSuccessViaSecondaryAtMs: number | null;
  readonly timeToRecoverMs: number | null;
  readonly timeToMoveJobsMs: number | null;
  readonly longestGapMs: number | null;
}

const succeeded = (a: RequestAttempt): boolean => a.status !== null && a.status >= 200 && a.status < 300;
const endOf = (a: RequestAttempt): number => a.startMs + a.durationMs;

/**
 * Counts the attempts by outcome and backend, and measures the time to recover (kill → the
 * first success through the secondary to end), the time to move the jobs and the longest gap
 * between two successes. An attempt started at or after the kill counts as after it.
 */
export function summariseRequests(attempts: readonly RequestAttempt[], timeline: Pick<LocalDrillTimeline, 'killedAtMs' | 'heartbeatFromSecondaryAtMs'>): RequestSummary {
  const killedAt = timeline.killedAtMs ?? Number.POSITIVE_INFINITY;
  const requests: RequestFigures = { attempts: attempts.length, succeeded: 0, failed: 0, succeededBy: {}, failedBy: {} };
  const failedRequests: RequestAttempt[] = [];
  for (const attempt of attempts) {
    if (succeeded(attempt)) {
      requests.succeeded += 1;
      const counts = (requests.succeededBy[attempt.backend ?? 'unknown'] ??= { beforeKill: 0, afterKill: 0 });
      if (attempt.startMs >= killedAt) counts.afterKill += 1;
      else counts.beforeKill += 1;
    } else {
      requests.failed += 1;
      const cause = attempt.status === null ? (attempt.error ?? 'network error') : String(attempt.status);
      requests.failedBy[cause] = (requests.failedBy[cause] ?? 0) + 1;
      if (failedRequests.length < LISTED_FAILURES) failedRequests.push(attempt);
    }
  }
  const recovered = attempts
    .filter((a) => succeeded(a) && a.backend === 'secondary' && endOf(a) >= killedAt)
    .map(endOf)
    .sort((a, b) => a - b)[0];
  const successEnds = attempts.filter(succeeded).map(endOf).sort((a, b) => a - b);
  let gap = 0;
  for (let i = 1; i < successEnds.length; i += 1) gap = Math.max(gap, (successEnds[i] as number) - (successEnds[i - 1] as number));
  return {
    requests,
    failedRequests,
    firstSuccessViaSecondaryAtMs: recovered ?? null,
    timeToRecoverMs: recovered === undefined ? null : recovered - killedAt,
    timeToMoveJobsMs:
      timeline.heartbeatFromSecondaryAtMs !== null && Number.isFinite(killedAt) ? timeline.heartbeatFromSecondaryAtMs - killedAt : null,
    longestGapMs: successEnds.length > 1 ? gap : null,
  };
}

/** The Markdown version of a local drill report. */
export function renderLocalMarkdown(report: LocalFailoverReport): string {
  const t = report.timeline;
  const rows = Object.entries(report.requests.succeededBy).map(([backend, c]) => [backend, String(c.beforeKill), String(c.afterKill)]);
  const lines = [
    `# Local failover drill ${report.id}`,
    '',
    `- Status: **${report.status}**`,
    `- Regions: ${report.regions.primary} (killed) → ${report.regions.secondary}`,
    `- Load: ${report.settings.clients} clients for ${report.settings.loadSeconds} s, primary killed after ${report.settings.killAfterSeconds} s`,
    `- **Time to recover** (kill → first successful request through the secondary): ${seconds(report.timeToRecoverMs)} (${report.timeToRecoverMs ?? '—'} ms)`,
    `- Time to move the scheduled jobs (kill → heartbeat from the secondary): ${seconds(report.timeToMoveJobsMs)}`,
    `- Longest time without a successful request: ${seconds(report.longestGapMs)}`,
    '',
    '## Checks',
    '',
    markdownTable(['check', 'result', 'detail'], report.checks.map((c) => [c.name, c.passed ? 'pass' : '**FAIL**', c.detail])),
    '',
    '## Timeline (since the load started)',
    '',
    markdownTable(
      ['event', 'at'],
      (
        [
          ['primary killed', t.killedAtMs],
          ['front ejected the primary', t.primaryEjectedAtMs],
          ['first success through the secondary', t.firstSuccessViaSecondaryAtMs],
          ['scheduler active in the secondary', t.schedulerMovedAtMs],
          ['heartbeat from the secondary recorded', t.heartbeatFromSecondaryAtMs],
          ['load ended', t.loadEndedAtMs],
        ] as const
      )
        .slice()
        .sort((a, b) => (a[1] ?? Number.POSITIVE_INFINITY) - (b[1] ?? Number.POSITIVE_INFINITY))
        .map(([event, at]) => [event, seconds(at)]),
    ),
    '',
    '## Requests',
    '',
    `${report.requests.attempts} attempts: ${report.requests.succeeded} succeeded, ${report.requests.failed} failed` +
      (report.requests.failed > 0 ? ` (${Object.entries(report.requests.failedBy).map(([k, v]) => `${k}: ${v}`).join(', ')})` : '') +
      '.',
    '',
    markdownTable(['backend', 'succeeded before the kill', 'after the kill'], rows),
    '',
    '## Tickets',
    '',
    markdownTable(
      ['keys sent', 'acknowledged (201)', 'of them replayed', 'lost', 'duplicated', 'gave up', 'stored without acknowledgement', 'in Firestore'],
      [
        [
          String(report.tickets.attempted),
          String(report.tickets.acknowledged),
          String(report.tickets.replayed),
          String(report.tickets.lost.length),
          String(report.tickets.duplicated.length),
          String(report.tickets.unacknowledged.length),
          String(report.tickets.storedWithoutAcknowledgement),
          String(report.tickets.inFirestore),
        ],
      ],
    ),
  ];
  if (report.failedRequests.length > 0) {
    lines.push(
      '',
      '## Failed requests',
      '',
      markdownTable(
        ['at', 'client', 'key', 'attempt', 'status', 'backend', 'error'],
        report.failedRequests.map((a) => [seconds(a.startMs), String(a.client), a.key, String(a.attempt), a.status === null ? '—' : String(a.status), a.backend ?? '—', a.error ?? '']),
      ),
    );
  }
  if (report.errors.length > 0) lines.push('', '## Errors', '', ...report.errors.map((e) => `- ${e}`));
  return `${lines.join('\n')}\n`;
}
