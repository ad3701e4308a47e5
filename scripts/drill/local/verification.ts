/**
 * What must hold after the local failover: the primary was really killed, requests went on
 * through the secondary, the scheduled jobs moved, no acknowledged ticket was lost and no
 * request created two tickets. Pure: it judges what the load client saw against what
 * Firestore holds, so its unit tests need no emulator.
 */
import { seconds } from '../report';
import { UntaggedTicketsWarning, type LocalDrillProblem } from './errors';
import { LOCAL_REGIONS, type DrillCheck, type LocalFailoverReport, type RequestAttempt, type TicketFigures } from './report';

/** A drill ticket as Firestore holds it: the subject carries the client's key (`Failover drill [<key>]`). */
export interface StoredDrillTicket {
  readonly id: string;
  readonly subject: unknown;
}

/** What the clients sent and were told. */
export interface ClientRecord {
  /** Every key sent, in order (a key is sent once, then retried under the same key). */
  readonly sentKeys: readonly string[];
  /** The ticket ids each key was acknowledged with (two distinct ids would be a duplicate). */
  readonly acknowledged: ReadonlyMap<string, ReadonlySet<string>>;
  readonly attempts: readonly RequestAttempt[];
}

export interface TicketTally {
  readonly tickets: TicketFigures;
  /** Distinct keys found in Firestore. */
  readonly keysInFirestore: number;
  /** Set when some drill tickets carried no key. */
  readonly warning: UntaggedTicketsWarning | null;
}

const KEY_IN_SUBJECT = /\[(drill-[^\]]+)\]/;

/** Compares what the clients were told with the tickets Firestore holds for the drill's organisation. */
export function tallyTickets(clients: ClientRecord, stored: readonly StoredDrillTicket[]): TicketTally {
  const ticketsByKey = new Map<string, string[]>();
  let untagged = 0;
  for (const ticket of stored) {
    const key = typeof ticket.subject === 'string' ? KEY_IN_SUBJECT.exec(ticket.subject)?.[1] : undefined;
    if (key === undefined) {
      untagged += 1;
      continue;
    }
    ticketsByKey.set(key, [...(ticketsByKey.get(key) ?? []), ticket.id]);
  }
  const storedIds = new Set(stored.map((t) => t.id));
  const acknowledged = [...clients.acknowledged];
  const unacknowledged = clients.sentKeys.filter((key) => !clients.acknowledged.has(key));
  return {
    tickets: {
      attempted: new Set(clients.sentKeys).size,
      acknowledged: clients.acknowledged.size,
      replayed: clients.attempts.filter((a) => a.replayed === true).length,
      inFirestore: stored.length,
      lost: acknowledged.filter(([, ids]) => [...ids].some((id) => !storedIds.has(id))).map(([key]) => key),
      duplicated: [
        ...new Set([
          ...[...ticketsByKey].filter(([, ids]) => ids.length > 1).map(([key]) => key),
          ...acknowledged.filter(([, ids]) => ids.size > 1).map(([key]) => key),
        ]),
      ],
      unacknowledged,
      storedWithoutAcknowledgement: unacknowledged.filter((key) => ticketsByKey.has(key)).length,
    },
    keysInFirestore: ticketsByKey.size,
    warning: untagged > 0 ? new UntaggedTicketsWarning(untagged) : null,
  };
}

/** The drill's checks, in the order the report lists them, from a report whose figures are filled in. */
export function failoverChecks(
  report: Pick<LocalFailoverReport, 'timeline' | 'requests' | 'timeToRecoverMs' | 'heartbeat' | 'tickets'>,
  facts: { readonly primaryKilled: boolean; readonly keysInFirestore: number },
): DrillCheck[] {
  const afterKill = report.requests.succeededBy['secondary']?.afterKill ?? 0;
  return [
    {
      name: 'primary killed',
      passed: facts.primaryKilled,
      detail: facts.primaryKilled ? `SIGKILL at ${seconds(report.timeline.killedAtMs)}` : 'the primary was not killed',
    },
    {
      name: 'requests go on through the secondary',
      passed: afterKill > 0,
      detail: `${afterKill} successful requests through the secondary after the kill; recovered in ${seconds(report.timeToRecoverMs)}`,
    },
    {
      name: 'scheduled jobs moved to the secondary',
      passed: report.heartbeat.after === LOCAL_REGIONS.secondary,
      detail: `heartbeat recorded ${report.heartbeat.before ?? '—'} before, ${report.heartbeat.after ?? '—'} after`,
    },
    {
      name: 'no acknowledged ticket lost',
      passed: report.tickets.lost.length === 0 && report.tickets.acknowledged > 0,
      detail: `${report.tickets.acknowledged} acknowledged, ${report.tickets.lost.length} missing from Firestore`,
    },
    {
      name: 'no ticket created twice',
      passed: report.tickets.duplicated.length === 0,
      detail: `${report.tickets.inFirestore} tickets in Firestore for ${facts.keysInFirestore} keys; ${report.tickets.duplicated.length} keys with more than one`,
    },
  ];
}

/** Passed when there are checks, every one passed, and no problem stopped the drill. */
export function drillStatus(checks: readonly DrillCheck[], problems: readonly LocalDrillProblem[]): 'passed' | 'failed' {
  return checks.length > 0 && checks.every((c) => c.passed) && !problems.some((p) => p.fatal) ? 'passed' : 'failed';
}

/**
 * When the secondary recorded its heartbeat, in ms since the load started: the time the
 * function wrote it (its clock is this machine's), or when the drill saw it if that is unreadable.
 */
export function heartbeatAtMs(heartbeat: { readonly at: string }, seenAtMs: number, loadStartMs: number): number {
  const at = Date.parse(heartbeat.at);
  return (Number.isFinite(at) ? at : seenAtMs) - loadStartMs;
}
