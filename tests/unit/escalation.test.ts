/** The escalation ladder (domain) and the sweep, manual escalation and severity assessment (application, on fakes). */
import { assessSeverity } from '../../functions/src/application/escalation/assess-severity';
import { escalateByHand } from '../../functions/src/application/escalation/escalate-by-hand';
import { runEscalationSweep } from '../../functions/src/application/escalation/run-escalation-sweep';
import { sweepDecision } from '../../functions/src/domain/sweep-decision';
import { changeStatus } from '../../functions/src/application/tickets/change-status';
import { createTicket } from '../../functions/src/application/tickets/create-ticket';
import { escalateTicket, ladderStepForBreach, manualEscalationTarget } from '../../functions/src/domain/escalation';
import { DomainError, ERROR_CODES } from '../../functions/src/domain/errors';
import { TWENTY_FOUR_SEVEN_UTC } from '../../functions/src/domain/calendar';
import { resolveSlaTarget } from '../../functions/src/domain/sla';
import type { Ticket, Tier } from '../../functions/src/domain/ticket';
import { fakeWorld, PRINCIPALS, shortTargets, type FakeWorld } from './fakes';

const SECOND = 1000;

async function newTicket(world: FakeWorld, overrides: Record<string, unknown> = {}): Promise<Ticket> {
  const created = await createTicket(
    world,
    PRINCIPALS.customer,
    { product: 'online', language: 'en', channel: 'portal', category: 'general', subject: 'Invoices stuck', description: 'They stay in the queue.', severity: 3, ...overrides },
    null,
  );
  return created.ticket;
}

async function stored(world: FakeWorld, id: string): Promise<Ticket> {
  const ticket = await world.tickets.get(id);
  if (ticket === null) throw new Error('ticket gone');
  return ticket;
}

/** The sweep's decision for a stored ticket at the world's clock, with the product's targets. */
async function decide(world: FakeWorld, ticket: Ticket) {
  const target = resolveSlaTarget(await world.configuration.slaTargets(ticket.product), ticket.severity);
  return sweepDecision(world, ticket, target, TWENTY_FOUR_SEVEN_UTC, world.clock.now());
}

function expectDomainError(action: () => unknown, code: string): void {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
    return;
  }
  throw new Error(`expected a ${code} error`);
}

describe('the ladder', () => {
  it.each<[Tier, boolean, ReturnType<typeof ladderStepForBreach>]>([
    ['L1', false, { kind: 'escalate', to: 'L2' }],
    ['L2', false, { kind: 'flag-management-review' }],
    ['L2', true, { kind: 'escalate', to: 'L3' }],
    ['L3', true, { kind: 'escalate', to: 'MANAGEMENT' }],
    ['MANAGEMENT', true, { kind: 'end-of-ladder' }],
  ])('when a ticket at %s (review flagged: %s) breaches, then the step is %j', (tier, managementReview, step) => {
    expect(ladderStepForBreach({ tier, managementReview })).toEqual(step);
  });

  it('when a ticket is escalated, then who, when, why and the severity then are recorded and it is unassigned', async () => {
    const world = fakeWorld();
    const ticket = { ...(await newTicket(world)), assigneeUid: 'agent-l1' };
    const escalated = escalateTicket(ticket, 'L2', 'needs a specialist', 'agent-l1', '2026-03-02T10:05:00.000Z');
    expect(escalated).toMatchObject({ tier: 'L2', assigneeUid: null, managementReview: false, updatedAt: '2026-03-02T10:05:00.000Z' });
    expect(escalated.escalations).toEqual([
      { from: 'L1', to: 'L2', at: '2026-03-02T10:05:00.000Z', reason: 'needs a specialist', by: 'agent-l1', severity: 3 },
    ]);
    expect(escalateTicket(escalated, 'L3', 'deeper', 'system', '2026-03-02T10:06:00.000Z').managementReview).toBe(true);
  });

  it('when staff escalate by hand, then the target is the next rung or a higher tier they name, never lower or sideways', () => {
    const open = { tier: 'L1' as const, status: 'open' as const };
    expect(manualEscalationTarget(open, undefined)).toBe('L2');
    expect(manualEscalationTarget(open, 'L3')).toBe('L3');
    expect(manualEscalationTarget({ tier: 'L3', status: 'open' }, undefined)).toBe('MANAGEMENT');
    expectDomainError(() => manualEscalationTarget(open, 'L1'), ERROR_CODES.illegalTransition);
    expectDomainError(() => manualEscalationTarget({ tier: 'L2', status: 'open' }, 'L1'), ERROR_CODES.illegalTransition);
    expectDomainError(() => manualEscalationTarget({ tier: 'MANAGEMENT', status: 'open' }, undefined), ERROR_CODES.illegalTransition);
    expectDomainError(() => manualEscalationTarget({ tier: 'L1', status: 'resolved' }, 'L2'), ERROR_CODES.illegalTransition);
    expectDomainError(() => manualEscalationTarget({ tier: 'L1', status: 'closed' }, undefined), ERROR_CODES.illegalTransition);
  });
});

describe('the sweep decision', () => {
  let world: FakeWorld;
  beforeEach(async () => {
    world = fakeWorld();
    await world.configuration.putSlaTargets('online', shortTargets(15));
  });

  it('when nothing is due, then the decision is to do nothing', async () => {
    const ticket = await newTicket(world);
    world.clock.advance(5 * SECOND);
    expect(await decide(world, ticket)).toBeNull();
  });

  it('when 75 % of the first-response target has passed, then the tier is warned once', async () => {
    const ticket = await newTicket(world);
    world.clock.advance(12 * SECOND);
    const change = await decide(world, ticket);
    expect(change?.result).toEqual({ escalated: false, flagged: false, warned: 1 });
    expect(change?.events?.map((e) => [e.kind, e.type, e.data['audience']])).toEqual([['notification', 'sla.warning', 'tier:L1']]);
    expect(change?.ticket.sla.warned).toEqual(['firstResponse']);
    expect(await decide(world, change!.ticket)).toBeNull();
  });

  it('when a severity-3 ticket breaches its first response at L1, then it moves to L2 once, by the system, with routing, notification and a lifecycle event', async () => {
    const ticket = await newTicket(world);
    world.clock.advance(16 * SECOND);
    const change = await decide(world, ticket);
    expect(change?.result).toEqual({ escalated: true, flagged: false, warned: 0 });
    const next = change!.ticket;
    expect(next.tier).toBe('L2');
    expect(next.escalations).toEqual([
      { from: 'L1', to: 'L2', at: new Date(world.clock.now()).toISOString(), reason: 'SLA breach: firstResponse', by: 'system', severity: 3 },
    ]);
    expect(change?.events?.map((e) => [e.kind, e.type])).toEqual([
      ['notification', 'ticket.escalated'],
      ['ticket.needs_agent', 'ticket.escalated'],
      ['ticket.lifecycle', 'ticket.escalated'],
    ]);
    expect(change?.events?.[2]?.data).toEqual({
      ticketId: ticket.id,
      from: 'L1',
      to: 'L2',
      severity: 3,
      manual: false,
      reviewFlagged: false,
      outcomes: { firstResponse: 'breached' },
    });
    // The restarted clock gives L2 its own full target: nothing more to do now.
    expect(next.sla.nextCheckAt!).toBeGreaterThan(world.clock.now());
    expect(await decide(world, next)).toBeNull();
    expect(next.sla.settled).toEqual(['firstResponse']);
  });

  it('when an L2 ticket breaches, then it is flagged for management review and managers are notified before any move to L3', async () => {
    let ticket = await newTicket(world);
    const steps: string[] = [];
    for (let i = 0; i < 4; i++) {
      world.clock.advance(16 * SECOND);
      const change = await decide(world, ticket);
      ticket = change!.ticket;
      steps.push(`${ticket.tier}${ticket.managementReview ? '+review' : ''}:${change!.events.map((e) => e.type).join(',')}`);
    }
    expect(steps).toEqual([
      'L2:ticket.escalated,ticket.escalated,ticket.escalated',
      'L2+review:ticket.management_review,ticket.management_review',
      'L3+review:ticket.escalated,ticket.escalated,ticket.escalated',
      'MANAGEMENT+review:ticket.escalated,ticket.escalated',
    ]);
    // The first-response target was settled at its first breach only.
    world.clock.advance(16 * SECOND);
    const end = await decide(world, ticket);
    expect(end?.ticket.tier).toBe('MANAGEMENT');
    expect(end?.events?.map((e) => e.type)).toEqual(['sla.breached']);
    expect(end?.ticket.sla.breached).toEqual(['firstResponse']);
    expect(end?.ticket.sla.nextCheckAt).not.toBe(ticket.sla.nextCheckAt);
  });

  it('when a paused ticket is long past its due time, then it is not due', async () => {
    const ticket = await newTicket(world);
    await changeStatus(world, PRINCIPALS.l1, ticket.id, 'pending_customer');
    world.clock.advance(60 * 60 * SECOND);
    const paused = await stored(world, ticket.id);
    expect(paused.sla.nextCheckAt).toBeNull();
    expect(await decide(world, paused)).toBeNull();
    expect((await runEscalationSweep(world)).due).toBe(0);
  });
});

describe('the sweep', () => {
  let world: FakeWorld;
  beforeEach(async () => {
    world = fakeWorld();
    await world.configuration.putSlaTargets('online', shortTargets(15));
  });

  it('when the sweep runs twice, then a breach causes exactly one escalation', async () => {
    const ticket = await newTicket(world);
    world.clock.advance(16 * SECOND);
    expect(await runEscalationSweep(world)).toMatchObject({ due: 1, escalated: 1 });
    expect(await runEscalationSweep(world)).toMatchObject({ due: 0, escalated: 0 });
    expect((await stored(world, ticket.id)).escalations).toHaveLength(1);
    expect(world.outbox.dispatched.filter((e) => e.kind === 'ticket.lifecycle' && e.type === 'ticket.escalated')).toHaveLength(1);
  });

  it('when two sweeps overlap, then the second one conflicts, re-reads, and does not escalate again', async () => {
    const tickets = await Promise.all([newTicket(world), newTicket(world), newTicket(world)]);
    world.clock.advance(16 * SECOND);
    const [a, b] = await Promise.all([runEscalationSweep(world), runEscalationSweep(world)]);
    expect(a.escalated + b.escalated).toBe(3);
    expect(a.conflicts + b.conflicts).toBe(3);
    for (const { id } of tickets) expect((await stored(world, id)).escalations).toHaveLength(1);
  });

  it('when another writer changed a due ticket after the sweep read it, then the sweep decides again on the new state', async () => {
    const ticket = await newTicket(world);
    world.clock.advance(16 * SECOND);
    const commit = world.tickets.commitIfUnchanged.bind(world.tickets);
    let interleaved = false;
    world.tickets.commitIfUnchanged = async (version, change) => {
      if (!interleaved) {
        interleaved = true;
        // Routing assigns an agent between the sweep's read and its write: the write is refused and the decision retaken.
        const current = await stored(world, ticket.id);
        world.tickets.put({ ...current, assigneeUid: 'agent-l1' });
      }
      return commit(version, change);
    };
    const report = await runEscalationSweep(world);
    expect(report).toMatchObject({ due: 1, escalated: 1, conflicts: 1 });
    expect(await stored(world, ticket.id)).toMatchObject({ tier: 'L2', assigneeUid: null });
    expect(world.tickets.reads).toBe(2);
  });

  it('when a sweep reads the due tickets, then it reads one document per due ticket and none of the others', async () => {
    await world.configuration.putSlaTargets('online', shortTargets(15));
    for (let i = 0; i < 5; i++) await newTicket(world);
    world.clock.advance(16 * SECOND);
    await world.configuration.putSlaTargets('online', shortTargets(3600));
    for (let i = 0; i < 20; i++) await newTicket(world);
    world.tickets.reads = 0;
    expect((await runEscalationSweep(world)).due).toBe(5);
    expect(world.tickets.reads).toBe(5);
  });
});

describe('manual escalation and severity assessment', () => {
  let world: FakeWorld;
  beforeEach(() => {
    world = fakeWorld();
  });

  it('when an agent escalates by hand with a reason, then who, when, why and severity are recorded, and a move to L3 flags the ticket for review first', async () => {
    const ticket = await newTicket(world);
    world.clock.advance(60 * SECOND);
    const escalated = await escalateByHand(world, PRINCIPALS.l1, ticket.id, { reason: 'Database corruption suspected', toTier: 'L3' });
    expect(escalated).toMatchObject({ tier: 'L3', managementReview: true, assigneeUid: null });
    expect(escalated.escalations).toEqual([
      { from: 'L1', to: 'L3', at: '2026-03-02T10:01:00.000Z', reason: 'Database corruption suspected', by: 'agent-l1', severity: 3 },
    ]);
    expect(world.tickets.outbox.filter((e) => e.data['ticketId'] === ticket.id).map((e) => `${e.kind}/${e.type}`)).toEqual([
      'ticket.needs_agent/ticket.created',
      'ticket.lifecycle/ticket.created',
      'notification/ticket.management_review',
      'notification/ticket.escalated',
      'ticket.needs_agent/ticket.escalated',
      'ticket.lifecycle/ticket.escalated',
    ]);
    expect(world.tickets.events('ticket.escalated').find((e) => e.kind === 'ticket.lifecycle')?.data).toMatchObject({ manual: true, reviewFlagged: true });
  });

  it('when a customer escalates, then it is 403; when an agent of another scope does, 404; an illegal target, 409', async () => {
    const ticket = await newTicket(world);
    await expect(escalateByHand(world, PRINCIPALS.customer, ticket.id, { reason: 'hurry' })).rejects.toMatchObject({ code: ERROR_CODES.forbidden });
    await expect(escalateByHand(world, PRINCIPALS.l2, ticket.id, { reason: 'mine' })).rejects.toMatchObject({ code: ERROR_CODES.notFound });
    await expect(escalateByHand(world, PRINCIPALS.l1, ticket.id, { reason: 'down', toTier: 'L1' })).rejects.toMatchObject({ code: ERROR_CODES.illegalTransition });
    await expect(escalateByHand(world, PRINCIPALS.manager, 'no-such-ticket', { reason: 'x' })).rejects.toMatchObject({ code: ERROR_CODES.notFound });
  });

  it("when another request moved the ticket out of an L1 agent's tier after the agent's read, then the agent's escalation is 404 and writes nothing", async () => {
    const ticket = await newTicket(world);
    const mutate = world.tickets.mutate.bind(world.tickets);
    world.tickets.mutate = async (id, decide, key) => {
      // A concurrent escalation commits between the use case's read and its transaction.
      world.tickets.put(escalateTicket(await stored(world, id), 'L2', 'first', 'agent-l1', '2026-03-02T10:00:30.000Z'));
      return mutate(id, decide, key);
    };
    await expect(escalateByHand(world, PRINCIPALS.l1, ticket.id, { reason: 'again' })).rejects.toMatchObject({ code: ERROR_CODES.notFound });
    expect((await stored(world, ticket.id)).escalations.map((e) => `${e.from}>${e.to}`)).toEqual(['L1>L2']);
    expect(world.tickets.events('ticket.escalated', ticket.id)).toEqual([]);
  });

  it('when staff assess severity, then who, when, why are recorded, the due times are recomputed, and severity 1 starts the incident process', async () => {
    const ticket = await newTicket(world, { severity: 4 });
    world.clock.advance(60 * SECOND);
    const assessed = await assessSeverity(world, PRINCIPALS.l1, ticket.id, { severity: 1, reason: 'All invoices are down' });
    expect(assessed).toMatchObject({ severity: 1, severityConfirmed: true });
    expect(assessed.severityAssessments).toEqual([{ severity: 1, previous: 4, reason: 'All invoices are down', by: 'agent-l1', at: '2026-03-02T10:01:00.000Z' }]);
    // Severity 1 runs 24/7 with a 30-minute first response, counted from creation.
    expect(assessed.sla.clocks.firstResponse?.dueAt).toBe(Date.parse('2026-03-02T10:30:00.000Z'));
    expect(world.tickets.events('ticket.severity_one', ticket.id)).toEqual([
      expect.objectContaining({ kind: 'ticket.severity_one', data: expect.objectContaining({ ticketId: ticket.id, product: 'online' }) }),
    ]);
    await assessSeverity(world, PRINCIPALS.manager, ticket.id, { severity: 1, reason: 'confirmed' });
    expect(world.tickets.events('ticket.severity_one', ticket.id)).toHaveLength(1);
    await expect(assessSeverity(world, PRINCIPALS.customer, ticket.id, { severity: 2, reason: 'x' })).rejects.toMatchObject({ code: ERROR_CODES.forbidden });
  });
});
