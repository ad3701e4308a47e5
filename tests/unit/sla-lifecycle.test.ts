/** SLA clocks across a ticket's whole life: reopening, settling outcomes for the figures, first-response time. */
import { Temporal } from 'temporal-polyfill';
import { calendarFromCatalogEntry } from '../../functions/src/domain/calendar';
import {
  evaluateSla,
  firstResponseBusinessMs,
  pauseSla,
  recordPublicStaffResponse,
  reopenSla,
  resolveSlaTarget,
  restartAfterEscalation,
  resumeSla,
  settleSla,
  SLA_TARGET_NAMES,
  startSla,
  stopSla,
  type SlaState,
} from '../../functions/src/domain/sla';
import { addMessage } from '../../functions/src/application/tickets/add-message';
import { changeStatus } from '../../functions/src/application/tickets/change-status';
import { createTicket } from '../../functions/src/application/tickets/create-ticket';
import { fakeWorld, PRINCIPALS } from './fakes';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ZONE = 'Europe/Stockholm';
const stockholm = calendarFromCatalogEntry({ timeZone: ZONE, hours: { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], open: '08:00', close: '17:00' } });
const sto = (local: string): number => Temporal.PlainDateTime.from(local).toZonedDateTime(ZONE).epochMilliseconds;
const wall = (at: number | null | undefined): string | null =>
  at === null || at === undefined ? null : Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(ZONE).toPlainDateTime().toString({ smallestUnit: 'minute' });
const sev2 = resolveSlaTarget(undefined, 2);

describe('reopening a resolved ticket', () => {
  it('when a resolved ticket is reopened, then resolution and next update restart with full targets from the reopening', () => {
    const created = sto('2026-11-23T09:00'); // Monday
    let sla = startSla(sev2, stockholm, created);
    sla = recordPublicStaffResponse(sla, sev2, stockholm, sto('2026-11-23T10:00'));
    sla = stopSla(sla);
    expect(evaluateSla(sla, sto('2027-01-01T12:00'))).toEqual({ warnings: [], breaches: [] });

    const reopenedAt = sto('2026-11-26T15:00'); // Thursday
    const reopened = reopenSla(sla, sev2, stockholm, reopenedAt);
    expect(reopened).toMatchObject({ stopped: false, paused: false, firstRespondedAt: sla.firstRespondedAt });
    // 4 h next update from Thursday 15:00: 2 h on Thursday, 2 h on Friday from 08:00.
    expect(wall(reopened.clocks.nextUpdate?.dueAt)).toBe('2026-11-27T10:00');
    // 16 h resolution: 2 h Thursday, 9 h Friday, 5 h Monday.
    expect(wall(reopened.clocks.resolution?.dueAt)).toBe('2026-11-30T13:00');
    expect(wall(reopened.nextCheckAt)).toBe('2026-11-27T09:00'); // the 75 % mark of next update
    // The first-response promise was met in the earlier life and stays met.
    expect(reopened.clocks.firstResponse?.dueAt).toBe(sla.clocks.firstResponse?.dueAt);
  });

  it('when a ticket nobody answered is reopened, then the first-response clock restarts instead of next update', () => {
    const sla = stopSla(startSla(sev2, stockholm, sto('2026-11-23T09:00')));
    const reopened = reopenSla(sla, sev2, stockholm, sto('2026-11-24T09:00'));
    expect(wall(reopened.clocks.firstResponse?.dueAt)).toBe('2026-11-24T11:00');
    expect(reopened.clocks.nextUpdate).toBeNull();
  });

  it('when breaches were acted on before resolution, then the reopened clocks are live again and can breach anew', () => {
    const start = sto('2026-11-23T09:00');
    let sla = startSla(sev2, stockholm, start);
    sla = restartAfterEscalation(sla, ['firstResponse'], sev2, stockholm, start + 3 * HOUR);
    sla = stopSla(sla);
    const reopened = reopenSla(sla, sev2, stockholm, sto('2026-11-24T09:00'));
    expect(reopened.breached).toEqual([]);
    expect(evaluateSla(reopened, sto('2026-11-24T11:00')).breaches).toEqual(['firstResponse']);
  });

  it('when a running ticket is "reopened", then nothing changes', () => {
    const sla = startSla(sev2, stockholm, sto('2026-11-23T09:00'));
    expect(reopenSla(sla, sev2, stockholm, sto('2026-11-23T10:00'))).toBe(sla);
  });

  it('when staff reopen a resolved ticket or the customer answers on it, then its clocks run again and a lifecycle event reports it', async () => {
    const world = fakeWorld('2026-11-23T08:00:00.000Z');
    const { ticket } = await createTicket(
      world,
      PRINCIPALS.customer,
      { product: 'online', language: 'sv', channel: 'portal', category: 'general', subject: 'Stuck', description: 'Invoices stuck', severity: 2 },
      null,
    );
    await changeStatus(world, PRINCIPALS.l1, ticket.id, 'resolved');
    world.clock.advance(HOUR);
    const reopened = await changeStatus(world, PRINCIPALS.l1, ticket.id, 'open');
    expect(reopened).toMatchObject({ status: 'open', resolvedAt: null, sla: expect.objectContaining({ stopped: false }) });
    expect(reopened.sla.nextCheckAt).not.toBeNull();
    await changeStatus(world, PRINCIPALS.l1, ticket.id, 'resolved');
    await addMessage(world, PRINCIPALS.customer, ticket.id, { body: 'Still broken', visibility: 'public' });
    const again = await world.tickets.get(ticket.id);
    expect(again).toMatchObject({ status: 'open', resolvedAt: null, sla: expect.objectContaining({ stopped: false }) });
    expect(world.tickets.events('ticket.reopened', ticket.id)).toHaveLength(2);
    // The ticket's one resolution is the first: resolving it again after a reopening counts nothing more.
    expect(world.tickets.events('ticket.resolved', ticket.id)).toHaveLength(1);
    expect(again?.firstResolvedAt).toBe('2026-11-23T08:00:00.000Z');
  });
});

describe('settling outcomes for the support figures', () => {
  const t0 = Date.parse('2026-03-02T10:00:00.000Z');
  const fast = { severity: 3 as const, firstResponseSeconds: 60, nextUpdateSeconds: 120, resolutionSeconds: 600, clock: 'calendar' as const };
  const start = (): SlaState => startSla(fast, stockholm, t0);

  it('when the first response comes in time, then first response is met once', () => {
    const answered = recordPublicStaffResponse(start(), fast, stockholm, t0 + 30_000);
    const first = settleSla(answered, ['firstResponse'], t0 + 30_000);
    expect(first.outcomes).toEqual({ firstResponse: 'met' });
    expect(settleSla(first.state, ['firstResponse'], t0 + 30_000).outcomes).toEqual({});
  });

  it('when a target is settled at its breach, then resolution does not count it again', () => {
    const breached = settleSla(start(), ['firstResponse'], t0 + 61_000);
    expect(breached.outcomes).toEqual({ firstResponse: 'breached' });
    const resolved = settleSla(breached.state, SLA_TARGET_NAMES, t0 + 100_000);
    // next update never started (nobody answered): not applicable, not counted.
    expect(resolved.outcomes).toEqual({ resolution: 'met' });
  });

  it('when a ticket is resolved after its due time but before a sweep saw it, then the target is breached', () => {
    expect(settleSla(start(), ['resolution'], t0 + 600_000).outcomes).toEqual({ resolution: 'breached' });
    expect(settleSla(start(), ['resolution'], t0 + 599_999).outcomes).toEqual({ resolution: 'met' });
  });

  it('when a paused ticket is resolved, then the paused time does not count against it', () => {
    const paused = pauseSla(start(), t0 + 30_000);
    expect(settleSla(paused, ['firstResponse'], t0 + 3_600_000).outcomes).toEqual({ firstResponse: 'met' });
  });
});

describe('first-response time', () => {
  it('when a business-hours ticket is answered, then its time counts open hours only and leaves out paused time', () => {
    const created = sto('2026-11-27T16:00'); // Friday, one hour before closing
    let sla = startSla(sev2, stockholm, created);
    sla = pauseSla(sla, sto('2026-11-30T08:30')); // 1 h 30 min counted
    sla = resumeSla(sla, stockholm, sto('2026-11-30T09:30')); // 1 h paused
    expect(sla.pausedMs).toBe(HOUR);
    const answeredAt = sto('2026-11-30T10:00');
    sla = recordPublicStaffResponse(sla, sev2, stockholm, answeredAt);
    expect(firstResponseBusinessMs(sla, created, stockholm, answeredAt)).toBe(2 * HOUR);
  });

  it('when answered while paused, then the time stops at the pause', () => {
    const created = sto('2026-11-30T09:00');
    const sla = pauseSla(startSla(sev2, stockholm, created), sto('2026-11-30T09:20'));
    const answered = recordPublicStaffResponse(sla, sev2, stockholm, sto('2026-11-30T11:00'));
    expect(firstResponseBusinessMs(answered, created, stockholm, sto('2026-11-30T11:00'))).toBe(20 * MINUTE);
  });
});
