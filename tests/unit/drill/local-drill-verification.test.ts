/** What the local drill requires after the failover, judged from the clients' record and the stored tickets. */
import { FrontUnhealthyError, PrimaryNeverEjectedWarning, UntaggedTicketsWarning } from '../../../scripts/drill/local/errors';
import { newLocalReport, type DrillCheck } from '../../../scripts/drill/local/report';
import { drillStatus, failoverChecks, heartbeatAtMs, tallyTickets, type ClientRecord } from '../../../scripts/drill/local/verification';
import { anAttempt } from './fakes';

const subject = (key: string): string => `Failover drill [${key}]`;
const acknowledged = (entries: Record<string, string[]>): Map<string, Set<string>> => new Map(Object.entries(entries).map(([k, ids]) => [k, new Set(ids)]));
const record = (overrides: Partial<ClientRecord> = {}): ClientRecord => ({ sentKeys: ['drill-a', 'drill-b'], acknowledged: acknowledged({ 'drill-a': ['t-a'], 'drill-b': ['t-b'] }), attempts: [], ...overrides });

describe('tallying the drill tickets against what the clients were told', () => {
  it('when every acknowledged ticket is stored once, then nothing is lost or duplicated', () => {
    const tally = tallyTickets(record(), [
      { id: 't-a', subject: subject('drill-a') },
      { id: 't-b', subject: subject('drill-b') },
    ]);
    expect(tally.tickets).toEqual({
      attempted: 2,
      acknowledged: 2,
      replayed: 0,
      inFirestore: 2,
      lost: [],
      duplicated: [],
      unacknowledged: [],
      storedWithoutAcknowledgement: 0,
    });
    expect(tally.keysInFirestore).toBe(2);
    expect(tally.warning).toBeNull();
  });

  it('when an acknowledged ticket id is missing from Firestore, then its key is lost', () => {
    const tally = tallyTickets(record(), [{ id: 't-a', subject: subject('drill-a') }]);
    expect(tally.tickets.lost).toEqual(['drill-b']);
  });

  it('when Firestore holds two tickets for one key, then the key is duplicated', () => {
    const tally = tallyTickets(record(), [
      { id: 't-a', subject: subject('drill-a') },
      { id: 't-a2', subject: subject('drill-a') },
      { id: 't-b', subject: subject('drill-b') },
    ]);
    expect(tally.tickets.duplicated).toEqual(['drill-a']);
    expect(tally.keysInFirestore).toBe(2);
  });

  it('when one key was acknowledged with two different ids, then it is duplicated (once) even if only one is stored twice', () => {
    const clients = record({ acknowledged: acknowledged({ 'drill-a': ['t-a', 't-a2'], 'drill-b': ['t-b'] }) });
    const tally = tallyTickets(clients, [
      { id: 't-a', subject: subject('drill-a') },
      { id: 't-a2', subject: subject('drill-a') },
      { id: 't-b', subject: subject('drill-b') },
    ]);
    expect(tally.tickets.duplicated).toEqual(['drill-a']);
  });

  it('when a client gave up on a key whose ticket was stored anyway, then it counts as stored without acknowledgement', () => {
    const clients = record({ sentKeys: ['drill-a', 'drill-b', 'drill-c'], acknowledged: acknowledged({ 'drill-a': ['t-a'] }) });
    const tally = tallyTickets(clients, [
      { id: 't-a', subject: subject('drill-a') },
      { id: 't-b', subject: subject('drill-b') },
    ]);
    expect(tally.tickets.unacknowledged).toEqual(['drill-b', 'drill-c']);
    expect(tally.tickets.storedWithoutAcknowledgement).toBe(1);
    expect(tally.tickets.inFirestore).toBe(2);
  });

  it('counts the attempts the API answered by replaying an earlier ticket', () => {
    const clients = record({ attempts: [anAttempt(), anAttempt({ key: 'drill-b', replayed: true })] });
    expect(tallyTickets(clients, []).tickets.replayed).toBe(1);
  });

  it('when drill tickets carry no key in their subject, then they are counted apart and a warning says so', () => {
    const tally = tallyTickets(record(), [
      { id: 't-a', subject: subject('drill-a') },
      { id: 't-x', subject: 'a ticket someone else wrote' },
      { id: 't-y', subject: undefined },
    ]);
    expect(tally.keysInFirestore).toBe(1);
    expect(tally.tickets.inFirestore).toBe(3);
    expect(tally.warning).toBeInstanceOf(UntaggedTicketsWarning);
    expect(tally.warning?.message).toBe('2 drill tickets had no key in their subject; the duplicate count may be incomplete');
  });
});

describe('the checks after the failover', () => {
  const passingReport = () => {
    const report = newLocalReport({ loadSeconds: 9, killAfterSeconds: 4, clients: 4, thinkMs: 100, requestDeadlineMs: 20_000 }, 0);
    report.timeline.killedAtMs = 4_000;
    report.timeToRecoverMs = 1_200;
    report.requests.succeededBy = { primary: { beforeKill: 30, afterKill: 0 }, secondary: { beforeKill: 0, afterKill: 25 } };
    report.heartbeat = { before: 'local-primary', after: 'local-secondary', eventId: 'm-2' };
    report.tickets = { ...report.tickets, acknowledged: 55, inFirestore: 55 };
    return report;
  };
  const results = (checks: DrillCheck[]) => Object.fromEntries(checks.map((c) => [c.name, c.passed]));

  it('when the primary was killed and everything held, then every check passes, in the report order', () => {
    const checks = failoverChecks(passingReport(), { primaryKilled: true, keysInFirestore: 55 });
    expect(checks.map((c) => c.name)).toEqual([
      'primary killed',
      'requests go on through the secondary',
      'scheduled jobs moved to the secondary',
      'no acknowledged ticket lost',
      'no ticket created twice',
    ]);
    expect(checks.every((c) => c.passed)).toBe(true);
    expect(checks[0]?.detail).toBe('SIGKILL at 4.0 s');
    expect(checks[1]?.detail).toBe('25 successful requests through the secondary after the kill; recovered in 1.2 s');
    expect(checks[4]?.detail).toBe('55 tickets in Firestore for 55 keys; 0 keys with more than one');
  });

  it('when the primary did not die by SIGKILL, then the kill check fails', () => {
    const checks = failoverChecks(passingReport(), { primaryKilled: false, keysInFirestore: 55 });
    expect(results(checks)['primary killed']).toBe(false);
    expect(checks[0]?.detail).toBe('the primary was not killed');
  });

  it('when nothing succeeded through the secondary after the kill, then the traffic check fails', () => {
    const report = passingReport();
    report.requests.succeededBy = { primary: { beforeKill: 30, afterKill: 0 }, secondary: { beforeKill: 3, afterKill: 0 } };
    expect(results(failoverChecks(report, { primaryKilled: true, keysInFirestore: 55 }))['requests go on through the secondary']).toBe(false);
  });

  it('when the heartbeat still names the primary, then the scheduler check fails', () => {
    const report = passingReport();
    report.heartbeat.after = 'local-primary';
    expect(results(failoverChecks(report, { primaryKilled: true, keysInFirestore: 55 }))['scheduled jobs moved to the secondary']).toBe(false);
  });

  it('when a ticket was lost, or none was acknowledged at all, then the lost-ticket check fails', () => {
    const lost = passingReport();
    lost.tickets.lost = ['drill-a'];
    expect(results(failoverChecks(lost, { primaryKilled: true, keysInFirestore: 55 }))['no acknowledged ticket lost']).toBe(false);
    const none = passingReport();
    none.tickets.acknowledged = 0;
    expect(results(failoverChecks(none, { primaryKilled: true, keysInFirestore: 0 }))['no acknowledged ticket lost']).toBe(false);
  });

  it('when a key has two tickets, then the duplicate check fails', () => {
    const report = passingReport();
    report.tickets.duplicated = ['drill-a'];
    expect(results(failoverChecks(report, { primaryKilled: true, keysInFirestore: 55 }))['no ticket created twice']).toBe(false);
  });
});

describe('the drill status', () => {
  const pass: DrillCheck = { name: 'primary killed', passed: true, detail: '' };
  const fail: DrillCheck = { name: 'no ticket created twice', passed: false, detail: '' };

  it('passes when every check passed and the only problems are warnings', () => {
    expect(drillStatus([pass], [])).toBe('passed');
    expect(drillStatus([pass], [new PrimaryNeverEjectedWarning(), new UntaggedTicketsWarning(1)])).toBe('passed');
  });

  it('fails on a failed check, on a fatal problem, and when there are no checks (the drill stopped early)', () => {
    expect(drillStatus([pass, fail], [])).toBe('failed');
    expect(drillStatus([pass], [new FrontUnhealthyError(503)])).toBe('failed');
    expect(drillStatus([], [])).toBe('failed');
  });
});

describe('when the secondary recorded its heartbeat', () => {
  it('is the time the function wrote it, relative to the load start', () => {
    expect(heartbeatAtMs({ at: '1970-01-01T00:00:07.500Z' }, 9_000, 2_000)).toBe(5_500);
  });

  it('falls back to when the drill saw it when the recorded time is unreadable', () => {
    expect(heartbeatAtMs({ at: '' }, 9_000, 2_000)).toBe(7_000);
  });
});
