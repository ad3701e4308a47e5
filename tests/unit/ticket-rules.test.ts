/** The ticket rules that moved into the domain: the factory, status moves, scope keys, routing, manual masks. */
import { agentScopeKeys, scopeKey, type StaffPrincipal } from '../../functions/src/domain/access';
import { TWENTY_FOUR_SEVEN_UTC } from '../../functions/src/domain/calendar';
import { applyMask, combineMasks, countMasked } from '../../functions/src/domain/manual-redaction';
import { pickAgent } from '../../functions/src/domain/routing';
import { DEFAULT_SLA_TARGETS, resolveSlaTarget } from '../../functions/src/domain/sla';
import { slaForStatus } from '../../functions/src/domain/status-change';
import { openTicket, type TicketRequest } from '../../functions/src/domain/ticket-factory';
import { SequentialIds, shortTargets } from './fakes';

const NOW = Date.parse('2026-03-02T10:00:00.000Z');
const request: TicketRequest = {
  id: 'ticket-1',
  orgId: 'org-1',
  customerUid: 'customer-1',
  createdBy: 'customer-1',
  requestedBy: 'customer',
  product: 'online',
  language: 'en',
  channel: 'portal',
  category: 'general',
  subject: 'Invoices stuck',
  description: 'Card **** was charged',
  requestedSeverity: 3,
  redactions: [{ kind: 'payment_card', count: 1 }],
};
const open = (overrides: Partial<TicketRequest> = {}, targets = shortTargets(60)) =>
  openTicket({ ids: new SequentialIds() }, { ...request, ...overrides }, { targets, calendar: TWENTY_FOUR_SEVEN_UTC }, NOW);

function agent(uid: string, overrides: Partial<StaffPrincipal> = {}): StaffPrincipal {
  return { kind: 'staff', uid, role: 'agent', tier: 'L1', languages: ['en'], products: ['online'], trainedAt: '2026-01-01T00:00:00.000Z', active: true, ...overrides };
}

describe('the ticket factory', () => {
  it('opens a ticket at L1, new and unassigned, with its clocks started on the product target of its severity', () => {
    const { ticket } = open();
    expect(ticket).toMatchObject({
      id: 'ticket-1',
      tier: 'L1',
      status: 'new',
      assigneeUid: null,
      severity: 3,
      severityConfirmed: false,
      createdAt: '2026-03-02T10:00:00.000Z',
      updatedAt: '2026-03-02T10:00:00.000Z',
      escalations: [],
      severityAssessments: [],
      csat: null,
      managementReview: false,
      redactions: [{ kind: 'payment_card', count: 1 }],
      resolvedAt: null,
      closedAt: null,
    });
    expect(ticket.sla.clocks.firstResponse?.dueAt).toBe(Date.parse('2026-03-02T10:01:00.000Z'));
  });

  it('falls back to the default target when the product has no override', () => {
    const { ticket } = open({ requestedBy: 'staff', requestedSeverity: 1 }, []);
    const firstResponseMs = resolveSlaTarget(DEFAULT_SLA_TARGETS, 1).firstResponseSeconds * 1000;
    expect(ticket.sla.clocks.firstResponse?.dueAt).toBe(NOW + firstResponseMs);
  });

  it('records a routing request and the lifecycle fact; no incident hand-off below severity 1', () => {
    const { events } = open();
    expect(events.map((e) => [e.kind, e.type])).toEqual([
      ['ticket.needs_agent', 'ticket.created'],
      ['ticket.lifecycle', 'ticket.created'],
    ]);
    expect(events[0]?.data).toEqual({ ticketId: 'ticket-1', product: 'online', language: 'en', tier: 'L1', severity: 3 });
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it("starts a customer's severity 1 as an unconfirmed 2, and a staff member's as a confirmed 1 with the incident hand-off", () => {
    const customer = open({ requestedSeverity: 1 });
    expect(customer.ticket).toMatchObject({ requestedSeverity: 1, severity: 2, severityConfirmed: false });
    expect(customer.events.some((e) => e.kind === 'ticket.severity_one')).toBe(false);
    const staff = open({ requestedBy: 'staff', createdBy: 'agent-l1', requestedSeverity: 1 });
    expect(staff.ticket).toMatchObject({ severity: 1, severityConfirmed: true });
    expect(staff.events.map((e) => e.kind)).toEqual(['ticket.needs_agent', 'ticket.severity_one', 'ticket.lifecycle']);
  });
});

describe('the SLA of a status move', () => {
  const target = shortTargets(60)[2]!;
  const ids = { ids: new SequentialIds() };

  it('when a ticket is first resolved, its clocks stop and every started target is settled once, in one lifecycle fact', () => {
    const { ticket } = open();
    const resolved = slaForStatus(ids, ticket, 'resolved', target, TWENTY_FOUR_SEVEN_UTC, NOW + 30_000);
    expect(resolved.sla.stopped).toBe(true);
    expect(resolved.events.map((e) => e.type)).toEqual(['ticket.resolved']);
    expect(resolved.events[0]?.data).toMatchObject({ ticketId: 'ticket-1', outcomes: { firstResponse: 'met', resolution: 'met' } });
    const closed = slaForStatus(ids, { ...ticket, status: 'resolved', sla: resolved.sla }, 'closed', target, TWENTY_FOUR_SEVEN_UTC, NOW + 60_000);
    expect(closed.events).toEqual([]);
  });

  it('when a resolved ticket is reopened, its clocks restart and the figures hear of it', () => {
    const { ticket } = open();
    const resolved = slaForStatus(ids, ticket, 'resolved', target, TWENTY_FOUR_SEVEN_UTC, NOW);
    const reopened = slaForStatus(ids, { ...ticket, status: 'resolved', sla: resolved.sla }, 'open', target, TWENTY_FOUR_SEVEN_UTC, NOW + 1000);
    expect(reopened.sla.stopped).toBe(false);
    expect(reopened.events.map((e) => e.type)).toEqual(['ticket.reopened']);
  });

  it('waiting for the customer pauses the clocks and going back to work resumes them, without events', () => {
    const { ticket } = open();
    const paused = slaForStatus(ids, ticket, 'pending_customer', target, TWENTY_FOUR_SEVEN_UTC, NOW + 1000);
    expect(paused).toMatchObject({ sla: { paused: true, nextCheckAt: null }, events: [] });
    const resumed = slaForStatus(ids, { ...ticket, status: 'pending_customer', sla: paused.sla }, 'open', target, TWENTY_FOUR_SEVEN_UTC, NOW + 5000);
    expect(resumed.sla.paused).toBe(false);
    expect(resumed.sla.clocks.firstResponse?.dueAt).toBe(Date.parse('2026-03-02T10:01:04.000Z'));
    expect(resumed.events).toEqual([]);
  });
});

describe('scope keys', () => {
  it('a ticket is matched on tier|language|product', () => {
    expect(scopeKey({ tier: 'L2', language: 'fi', product: 'online' })).toBe('L2|fi|online');
  });

  it('an agent has one key per language and product at their tier, without duplicates', () => {
    expect(agentScopeKeys(agent('a', { tier: 'L2', languages: ['en', 'fi', 'en'], products: ['online', 'health'] }))).toEqual([
      'L2|en|online',
      'L2|en|health',
      'L2|fi|online',
      'L2|fi|health',
    ]);
  });

  it('staff without a tier have no scope keys', () => {
    expect(agentScopeKeys(agent('m', { role: 'manager', tier: null }))).toEqual([]);
  });
});

describe('picking an agent', () => {
  it('the least-loaded candidate takes the ticket', () => {
    const picked = pickAgent([agent('a'), agent('b'), agent('c')], new Map([['a', 3], ['b', 1], ['c', 2]]));
    expect(picked?.uid).toBe('b');
  });

  it('on a tie the smaller uid wins, so that a redelivery picks the same agent; an agent without tickets has load 0', () => {
    expect(pickAgent([agent('z'), agent('m'), agent('q')], new Map([['z', 0], ['q', 1]]))?.uid).toBe('m');
  });

  it('no candidates, no agent', () => {
    expect(pickAgent([], new Map())).toBeNull();
  });
});

describe('manual masks', () => {
  it('masks every occurrence of an exact text, or a span by offsets', () => {
    expect(applyMask('call 555 or 555', { text: '555' })).toBe('call *** or ***');
    expect(applyMask('call 555 now', { start: 5, end: 8 })).toBe('call *** now');
  });

  it('two masks of the same text combine: what either hid stays hidden', () => {
    expect(combineMasks('ab** ef', 'ab cd**')).toBe('ab** **');
  });

  it('a text that changed length meanwhile is left as stored', () => {
    expect(combineMasks('abc', '****')).toBe('abc');
  });

  it('counts the characters a mask hid', () => {
    expect(countMasked('call 555 now', 'call *** now')).toBe(3);
  });
});
