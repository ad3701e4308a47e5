/** Retention rules with a fixed clock: which tickets are due, auto-close, legal hold, anonymisation, receipts. */
import {
  anonymiseMessage,
  anonymiseTicket,
  autoCloseDue,
  canonicalJson,
  contentHash,
  customerInactive,
  DEFAULT_PEOPLE_POLICY,
  DEFAULT_RETENTION_POLICY,
  deletionDue,
  deletionReceipt,
  fallbackActivityDay,
  ERASED_AUTHOR,
  ERASED_TEXT,
  liftLegalHold,
  placeLegalHold,
  RETENTION_RULES,
} from '../../functions/src/domain/retention';
import { DomainError } from '../../functions/src/domain/errors';
import type { Ticket } from '../../functions/src/domain/ticket';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number): string => new Date(NOW - days * DAY).toISOString();

function aTicket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 't-1',
    orgId: 'org',
    customerUid: 'cust-1',
    createdBy: 'cust-1',
    product: 'online',
    language: 'en',
    channel: 'portal',
    category: 'general',
    subject: 'Invoice for Maija Meikäläinen',
    description: 'Please mail maija@example.com',
    requestedSeverity: 3,
    severity: 3,
    severityConfirmed: false,
    tier: 'L1',
    status: 'closed',
    assigneeUid: 'agent-1',
    createdAt: daysAgo(500),
    updatedAt: daysAgo(400),
    sla: {} as Ticket['sla'],
    escalations: [],
    severityAssessments: [],
    csat: { rating: 5, comment: 'Thanks, Maija', at: daysAgo(401) },
    managementReview: false,
    redactions: [{ kind: 'payment_card', count: 1 }],
    resolvedAt: daysAgo(401),
    closedAt: daysAgo(400),
    ...overrides,
  };
}

describe('which tickets are due for deletion', () => {
  it('when a ticket was closed more than the product days ago, then it is due under the closed rule; one day inside, it is not', () => {
    expect(deletionDue(aTicket({ closedAt: daysAgo(366) }), DEFAULT_RETENTION_POLICY, NOW)).toBe(RETENTION_RULES.closedExpired);
    expect(deletionDue(aTicket({ closedAt: daysAgo(364) }), DEFAULT_RETENTION_POLICY, NOW)).toBeNull();
    expect(deletionDue(aTicket({ closedAt: daysAgo(31) }), { ...DEFAULT_RETENTION_POLICY, deleteClosedAfterDays: 30 }, NOW)).toBe(RETENTION_RULES.closedExpired);
  });

  it('when a ticket is not closed, then only its own deleteAfter date makes it due', () => {
    const open = aTicket({ status: 'open', closedAt: null });
    expect(deletionDue(open, DEFAULT_RETENTION_POLICY, NOW)).toBeNull();
    expect(deletionDue({ ...open, deleteAfter: daysAgo(1) }, DEFAULT_RETENTION_POLICY, NOW)).toBe(RETENTION_RULES.deleteAfter);
    expect(deletionDue({ ...open, deleteAfter: daysAgo(-1) }, DEFAULT_RETENTION_POLICY, NOW)).toBeNull();
  });
});

describe('auto-close', () => {
  it('when a resolved ticket has had no customer reply for M days, then it is due to close; a reopened one (no resolvedAt) is not', () => {
    const resolved = aTicket({ status: 'resolved', closedAt: null, resolvedAt: daysAgo(8) });
    expect(autoCloseDue(resolved, DEFAULT_RETENTION_POLICY, NOW)).toBe(true);
    expect(autoCloseDue({ ...resolved, resolvedAt: daysAgo(6) }, DEFAULT_RETENTION_POLICY, NOW)).toBe(false);
    expect(autoCloseDue({ ...resolved, status: 'open', resolvedAt: null }, DEFAULT_RETENTION_POLICY, NOW)).toBe(false);
  });
});

describe('legal hold', () => {
  it('when a hold is placed twice or lifted when there is none, then 409; otherwise it is set and cleared', () => {
    const hold = { reason: 'Court order', by: 'po-1', at: daysAgo(0) };
    const held = placeLegalHold(aTicket(), hold);
    expect(held.legalHold).toEqual(hold);
    expect(() => placeLegalHold(held, hold)).toThrow(DomainError);
    expect(liftLegalHold(held, daysAgo(0)).legalHold).toBeNull();
    expect(() => liftLegalHold(aTicket(), daysAgo(0))).toThrow(DomainError);
  });
});

describe('anonymising a held ticket', () => {
  it("when the customer is erased, then none of their text or uid remains, and the structure and staff's work stay", () => {
    const ticket = aTicket({ legalHold: { reason: 'x', by: 'po', at: daysAgo(1) } });
    const anonymised = anonymiseTicket(ticket, 'cust-1', daysAgo(0));
    const json = JSON.stringify(anonymised);
    for (const personal of ['Maija', 'maija@example.com', 'cust-1']) expect(json).not.toContain(personal);
    expect(anonymised).toMatchObject({ subject: ERASED_TEXT, description: ERASED_TEXT, customerUid: null, status: 'closed', assigneeUid: 'agent-1', createdAt: ticket.createdAt });
    expect(anonymised.csat).toEqual({ rating: 5, comment: ERASED_TEXT, at: ticket.csat?.at });
    const theirs = { id: 'm1', authorUid: 'cust-1', body: 'I am Maija', redactions: [] };
    const staff = { id: 'm2', authorUid: 'agent-1', body: 'Hello', redactions: [] };
    expect(anonymiseMessage(theirs, 'cust-1')).toEqual({ id: 'm1', authorUid: ERASED_AUTHOR, body: ERASED_TEXT, redactions: [] });
    expect(anonymiseMessage(staff, 'cust-1')).toBe(staff);
  });
});

describe('receipts', () => {
  const records = [
    { kind: 'ticket', id: 'tickets/t-1', content: { b: 1, a: [2, { d: 3, c: 4 }] } },
    { kind: 'message', id: 'tickets/t-1/messages/m2', content: { body: 'two' } },
    { kind: 'message', id: 'tickets/t-1/messages/m1', content: { body: 'one' } },
  ];

  it('when the same content is hashed in another order or key order, then the hash is the same; any change alters it', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    const hash = contentHash(records);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash([...records].reverse())).toBe(hash);
    expect(contentHash([{ ...records[0]!, content: { a: [2, { c: 4, d: 3 }], b: 1 } }, records[1]!, records[2]!])).toBe(hash);
    expect(contentHash([records[0]!, records[1]!, { ...records[2]!, content: { body: 'One' } }])).not.toBe(hash);
  });

  it('when a ticket is deleted, then its receipt has a stable id, the counts per kind and no content', () => {
    const receipt = deletionReceipt({ subject: 'ticket', subjectId: 't-1', action: 'deleted', at: daysAgo(0), rule: RETENTION_RULES.erasure, requestId: 'r-1', records });
    expect(receipt).toEqual({
      id: 'ticket-deleted-t-1',
      subject: 'ticket',
      subjectId: 't-1',
      action: 'deleted',
      at: daysAgo(0),
      rule: 'erasure_request',
      requestId: 'r-1',
      counts: { ticket: 1, message: 2 },
      sha256: contentHash(records),
    });
    expect(JSON.stringify(receipt)).not.toMatch(/one|two/);
  });
});

describe('inactive customers', () => {
  it('when a customer was last active 24 months and a day ago, then they are due; a day later than that, not', () => {
    expect(customerInactive('2024-11-30', DEFAULT_PEOPLE_POLICY, NOW)).toBe(true);
    expect(customerInactive('2024-12-02', DEFAULT_PEOPLE_POLICY, NOW)).toBe(false);
  });

  it('when a profile has no activity day, then the latest known fact of the person gives it; with none (or only future ones), today', () => {
    expect(fallbackActivityDay([daysAgo(900), daysAgo(800), null, 'not a date'], NOW)).toBe('2024-09-22');
    expect(fallbackActivityDay([null, null], NOW)).toBe('2026-12-01');
    expect(fallbackActivityDay([new Date(NOW + DAY).toISOString()], NOW)).toBe('2026-12-01');
  });
});
