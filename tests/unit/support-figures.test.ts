/** Satisfaction (CSAT) and the support figures: domain rules, and the use cases on fakes end to end. */
import fc from 'fast-check';
import { SupportFiguresQuerySchema } from '../../functions/src/application/contracts';
import { assessSeverity } from '../../functions/src/application/escalation/assess-severity';
import { escalateByHand } from '../../functions/src/application/escalation/escalate-by-hand';
import { runEscalationSweep } from '../../functions/src/application/escalation/run-escalation-sweep';
import { readSupportFigures } from '../../functions/src/application/support/read-support-figures';
import { recordSupportFigures } from '../../functions/src/application/support/record-support-figures';
import { submitCsat } from '../../functions/src/application/support/submit-csat';
import { addMessage } from '../../functions/src/application/tickets/add-message';
import { changeStatus } from '../../functions/src/application/tickets/change-status';
import { createTicket } from '../../functions/src/application/tickets/create-ticket';
import { acceptCsat, CSAT_WINDOW_DAYS } from '../../functions/src/domain/csat';
import { ERROR_CODES } from '../../functions/src/domain/errors';
import {
  bucketBounds,
  FIGURE_SHARDS,
  histogramBucket,
  histogramMedian,
  LifecycleEventSchema,
  shardFor,
  supportFigures,
  utcDay,
} from '../../functions/src/domain/support-figures';
import type { Principal } from '../../functions/src/domain/access';
import { fakeWorld, InMemorySupportFigures, PRINCIPALS, shortTargets, type FakeWorld } from './fakes';

const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;

async function newTicket(world: FakeWorld, principal: Principal = PRINCIPALS.customer, severity: 1 | 2 | 3 | 4 = 3, extra: Record<string, unknown> = {}) {
  const input = { product: 'online', language: 'en', channel: 'portal' as const, category: 'general', subject: 'Invoices stuck', description: 'Queue', severity, ...extra };
  return (await createTicket(world, principal, input, null)).ticket;
}

describe('CSAT rules', () => {
  const resolved = { status: 'resolved' as const, resolvedAt: '2026-03-01T10:00:00.000Z', closedAt: null, csat: null };

  it('when the ticket is resolved and unrated, then the answer is taken until 28 days after resolution', () => {
    const last = Date.parse(resolved.resolvedAt) + CSAT_WINDOW_DAYS * DAY;
    expect(acceptCsat(resolved, 5, 'great', last)).toEqual({ rating: 5, comment: 'great', at: new Date(last).toISOString() });
    expect(() => acceptCsat(resolved, 5, null, last + 1)).toThrow(expect.objectContaining({ code: ERROR_CODES.csatWindowClosed }));
  });

  it('when the ticket is still open or already rated, then it is a conflict', () => {
    expect(() => acceptCsat({ ...resolved, status: 'open', resolvedAt: null }, 4, null, 0)).toThrow(expect.objectContaining({ code: ERROR_CODES.csatNotResolved }));
    const rated = { ...resolved, csat: { rating: 3, comment: null, at: '2026-03-02T00:00:00.000Z' } };
    expect(() => acceptCsat(rated, 4, null, Date.parse('2026-03-03T00:00:00.000Z'))).toThrow(expect.objectContaining({ code: ERROR_CODES.csatAlreadyAnswered }));
  });

  it('when a ticket was closed without being resolved, then the window runs from closing', () => {
    const closed = { status: 'closed' as const, resolvedAt: null, closedAt: '2026-03-01T10:00:00.000Z', csat: null };
    expect(acceptCsat(closed, 2, null, Date.parse('2026-03-20T00:00:00.000Z')).rating).toBe(2);
  });
});

describe('submitting CSAT', () => {
  let world: FakeWorld;
  beforeEach(() => {
    world = fakeWorld();
  });

  it("when the ticket's customer rates a resolved ticket, then the rating and the redacted comment are stored once, with a lifecycle event", async () => {
    const ticket = await newTicket(world);
    await changeStatus(world, PRINCIPALS.l1, ticket.id, 'resolved');
    const answered = await submitCsat(world, PRINCIPALS.customer, ticket.id, { rating: 4, comment: 'Fine, my card 4111 1111 1111 1111 was not needed' });
    expect(answered.csat).toMatchObject({ rating: 4, comment: 'Fine, my card **** **** **** 1111 was not needed' });
    expect(answered.redactions).toEqual([{ kind: 'payment_card', count: 1 }]);
    expect(world.tickets.originals.at(-1)?.texts).toEqual([
      expect.objectContaining({ source: 'csat_comment', sealed: 'sealed:Fine, my card 4111 1111 1111 1111 was not needed' }),
    ]);
    expect((await world.tickets.get(ticket.id))?.csat).toEqual(answered.csat);
    expect(world.tickets.events('ticket.csat', ticket.id).map((e) => e.data)).toEqual([{ ticketId: ticket.id, rating: 4 }]);
    await expect(submitCsat(world, PRINCIPALS.customer, ticket.id, { rating: 1 })).rejects.toMatchObject({ code: ERROR_CODES.csatAlreadyAnswered });
    expect((await world.tickets.get(ticket.id))?.csat?.rating).toBe(4);
  });

  it('when anyone but the ticket customer answers, then staff get 403 and other customers 404, also of the same organisation', async () => {
    const ticket = await newTicket(world);
    await changeStatus(world, PRINCIPALS.l1, ticket.id, 'resolved');
    await expect(submitCsat(world, PRINCIPALS.l1, ticket.id, { rating: 5 })).rejects.toMatchObject({ code: ERROR_CODES.forbidden });
    await expect(submitCsat(world, PRINCIPALS.manager, ticket.id, { rating: 5 })).rejects.toMatchObject({ code: ERROR_CODES.forbidden });
    await expect(submitCsat(world, PRINCIPALS.colleague, ticket.id, { rating: 5 })).rejects.toMatchObject({ code: ERROR_CODES.notFound });
    await expect(submitCsat(world, PRINCIPALS.otherOrg, ticket.id, { rating: 5 })).rejects.toMatchObject({ code: ERROR_CODES.notFound });
    const forOrg = await newTicket(world, PRINCIPALS.l1, 3, { orgId: 'org-1' });
    await changeStatus(world, PRINCIPALS.l1, forOrg.id, 'resolved');
    await expect(submitCsat(world, PRINCIPALS.customer, forOrg.id, { rating: 5 })).rejects.toMatchObject({ code: ERROR_CODES.notFound });
  });

  it('when the ticket is not resolved, or the window has passed, then it is refused', async () => {
    const ticket = await newTicket(world);
    await expect(submitCsat(world, PRINCIPALS.customer, ticket.id, { rating: 5 })).rejects.toMatchObject({ code: ERROR_CODES.csatNotResolved });
    await changeStatus(world, PRINCIPALS.l1, ticket.id, 'resolved');
    world.clock.advance(29 * DAY);
    await expect(submitCsat(world, PRINCIPALS.customer, ticket.id, { rating: 5 })).rejects.toMatchObject({ code: ERROR_CODES.csatWindowClosed });
  });
});

describe('histogram and median', () => {
  it('when a duration falls in a bucket, then the bucket bounds hold it', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), (seconds) => {
        const { low, high } = bucketBounds(histogramBucket(seconds));
        expect(seconds).toBeGreaterThanOrEqual(low * (1 - 1e-12));
        expect(seconds).toBeLessThan(high * (1 + 1e-12));
      }),
    );
    expect(histogramBucket(0)).toBe(0);
    expect(histogramBucket(1)).toBe(1);
    expect(histogramBucket(16)).toBe(17);
    expect(histogramBucket(1e12)).toBe(histogramBucket(1e9));
  });

  it('when durations are summarised, then the median is within 9.1 % of the true lower median', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 200 }), (seconds) => {
        const counters: Record<string, number> = {};
        for (const s of seconds) {
          const key = `firstResponseBucket${histogramBucket(s)}`;
          counters[key] = (counters[key] ?? 0) + 1;
        }
        const sorted = [...seconds].sort((a, b) => a - b);
        const lowerMedian = sorted[Math.ceil(sorted.length / 2) - 1]!;
        const median = histogramMedian(counters)!;
        expect(lowerMedian).toBeGreaterThanOrEqual(median.low);
        expect(lowerMedian).toBeLessThan(median.high);
        expect(Math.abs(median.seconds - lowerMedian) / lowerMedian).toBeLessThan(0.0906);
      }),
    );
    expect(histogramMedian({})).toBeNull();
  });

  it('when events are sharded, then each event id always goes to the same one of the day\'s shards', () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        expect(shardFor(id)).toBe(shardFor(id));
        expect(shardFor(id)).toBeGreaterThanOrEqual(0);
        expect(shardFor(id)).toBeLessThan(FIGURE_SHARDS);
      }),
    );
    const used = new Set(Array.from({ length: 200 }, (_, i) => shardFor(`event-${i}`)));
    expect(used.size).toBe(FIGURE_SHARDS);
    expect(utcDay('2026-03-01T23:30:00.000-02:00')).toBe('2026-03-02');
  });
});

describe('the period query', () => {
  it('when from and to are valid days in order and at most 366 days apart, then they are accepted', () => {
    expect(SupportFiguresQuerySchema.parse({ from: '2026-01-01', to: '2026-12-31' })).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(SupportFiguresQuerySchema.safeParse({ from: '2024-01-01', to: '2024-12-31' }).success).toBe(true); // 366 days
  });

  it.each([
    [{ from: '2026-02-01', to: '2026-01-01' }, ['to']],
    [{ from: '2024-01-01', to: '2025-01-01' }, ['to']],
    [{ from: '2026-13-01', to: 'yesterday' }, ['from', 'to']],
    [{ to: '2026-01-01' }, ['from']],
    [{ from: '2026-01-01', to: '2026-01-02', tier: 'L1' }, ['']],
  ])('when the query is %j, then it is refused at %j', (query, paths) => {
    const result = SupportFiguresQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(paths);
  });
});

describe('support figures from lifecycle events', () => {
  it('when tickets live through intake, answers, escalation, resolution and ratings, then the figures count each fact once', async () => {
    const world = fakeWorld('2026-03-02T10:00:00.000Z');
    await world.configuration.putSlaTargets('online', shortTargets(60, 3600, 7200));
    const figures = new InMemorySupportFigures();
    const deps = { supportFigures: figures, logger: world.logger };

    // A: answered after 30 s, resolved at L1, rated 5.
    const a = await newTicket(world, PRINCIPALS.customer, 3);
    world.clock.advance(30 * SECOND);
    await addMessage(world, PRINCIPALS.l1, a.id, { body: 'Looking', visibility: 'public' });
    await changeStatus(world, PRINCIPALS.l1, a.id, 'resolved');
    await submitCsat(world, PRINCIPALS.customer, a.id, { rating: 5 });
    // B: breaches first response, escalated by the sweep to L2, answered there after 90 s, resolved, rated 2.
    const b = await newTicket(world, PRINCIPALS.customer, 2);
    world.clock.advance(61 * SECOND);
    expect((await runEscalationSweep(world)).escalated).toBe(1);
    world.clock.advance(29 * SECOND);
    await addMessage(world, PRINCIPALS.l2, b.id, { body: 'On it', visibility: 'public' });
    await changeStatus(world, PRINCIPALS.l2, b.id, 'resolved');
    await submitCsat(world, PRINCIPALS.customer, b.id, { rating: 2 });
    // C: escalated by hand to L2 then answered at 10 s, assessed severity 4, still open.
    const c = await newTicket(world, PRINCIPALS.customer, 3);
    await escalateByHand(world, PRINCIPALS.l1, c.id, { reason: 'Needs L2' });
    world.clock.advance(10 * SECOND);
    await addMessage(world, PRINCIPALS.l2, c.id, { body: 'Hello', visibility: 'public' });
    await assessSeverity(world, PRINCIPALS.l2, c.id, { severity: 4, reason: 'minor' });
    // D: next day, resolved at L1 without any answer, then reopened.
    world.clock.advance(DAY);
    const d = await newTicket(world, PRINCIPALS.customer, 4);
    await changeStatus(world, PRINCIPALS.l1, d.id, 'resolved');
    await changeStatus(world, PRINCIPALS.l1, d.id, 'open');

    const lifecycle = world.tickets.outbox.filter((e) => e.kind === 'ticket.lifecycle');
    for (const record of [...lifecycle, ...lifecycle]) {
      await recordSupportFigures(deps, LifecycleEventSchema.parse(JSON.parse(JSON.stringify(record))));
    }
    expect(figures.processed.size).toBe(lifecycle.length);

    const all = await readSupportFigures(deps, PRINCIPALS.manager, { from: '2026-03-02', to: '2026-03-03' });
    expect(all.period).toEqual({ from: '2026-03-02', to: '2026-03-03', days: 2 });
    expect(all.tickets).toEqual({
      created: 4,
      createdBySeverity: { '1': 0, '2': 1, '3': 2, '4': 1 },
      resolved: 3,
      resolvedByTier: { L1: 2, L2: 1, L3: 0, MANAGEMENT: 0 },
      resolvedBySeverity: { '1': 0, '2': 1, '3': 1, '4': 1 },
      reopened: 1,
    });
    expect(all.firstLevelResolution).toEqual({ resolvedAtL1WithoutEscalation: 2, resolved: 3, share: 2 / 3 });
    expect(all.escalations).toEqual({ total: 2, manual: 1, byTier: { L2: 2, L3: 0, MANAGEMENT: 0 }, managementReviews: 0 });
    expect(all.slaAttainment).toEqual({
      // A met, B breached (at the sweep), C met at L2, D met (resolved before its due time unanswered).
      firstResponse: { met: 3, breached: 1, attainment: 0.75 },
      nextUpdate: { met: 2, breached: 0, attainment: 1 },
      resolution: { met: 3, breached: 0, attainment: 1 },
    });
    expect(all.satisfaction).toEqual({ responses: 2, byRating: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 }, positive: 1, positiveShare: 0.5 });
    // First responses of 10, 30 and 90 s: the median is 30 s, reported as its bucket's middle.
    expect(all.firstResponseTime.responses).toBe(3);
    expect(all.firstResponseTime.medianRangeSeconds!.low).toBeLessThanOrEqual(30);
    expect(all.firstResponseTime.medianRangeSeconds!.high).toBeGreaterThan(30);
    expect(Math.abs(all.firstResponseTime.medianBusinessSeconds! - 30) / 30).toBeLessThan(0.0906);

    const secondDay = await readSupportFigures(deps, PRINCIPALS.manager, { from: '2026-03-03', to: '2026-03-03' });
    expect(secondDay.tickets).toMatchObject({ created: 1, resolved: 1, reopened: 1 });
    expect(secondDay.satisfaction.positiveShare).toBeNull();

    await expect(readSupportFigures(deps, PRINCIPALS.l1, { from: '2026-03-02', to: '2026-03-03' })).rejects.toMatchObject({ code: ERROR_CODES.forbidden });
    await expect(readSupportFigures(deps, PRINCIPALS.customer, { from: '2026-03-02', to: '2026-03-03' })).rejects.toMatchObject({ code: ERROR_CODES.forbidden });
  });

  it('when nothing was counted, then every share is null rather than a division by zero', () => {
    const empty = supportFigures({}, '2026-01-01', '2026-01-01');
    expect(empty.firstLevelResolution.share).toBeNull();
    expect(empty.slaAttainment.firstResponse.attainment).toBeNull();
    expect(empty.firstResponseTime).toMatchObject({ responses: 0, medianBusinessSeconds: null, medianRangeSeconds: null });
  });
});
