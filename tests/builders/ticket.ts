/**
 * Test data for tickets (an Object Mother with defaults): `aTicket().atTier('L2').build()` is
 * an open severity-3 portal ticket of `demo-org`'s customer about `online` in English, at the
 * tier asked for, with its SLA clocks started at its creation. Tests say only what matters to
 * them; nothing here runs a use case.
 */
import { type BusinessCalendar, TWENTY_FOUR_SEVEN_UTC } from '../../functions/src/domain/calendar';
import { resolveSlaTarget, type Severity, type SlaState, type SlaTarget, startSla } from '../../functions/src/domain/sla';
import type { Ticket, TicketStatus, Tier } from '../../functions/src/domain/ticket';

/** The instant every builder's data is created at unless a test says otherwise. */
export const BUILT_AT = '2026-03-02T10:00:00.000Z';

let counter = 0;

/** A new ticket id, unique within the test run. */
export function aTicketId(): string {
  counter += 1;
  return `ticket-${String(counter).padStart(4, '0')}`;
}

/** Builds a {@link Ticket}; every method returns the builder, `build()` the ticket. */
export class TicketBuilder {
  private ticket: Omit<Ticket, 'sla'>;
  private sla: SlaState | null = null;
  private target: SlaTarget | null = null;
  private calendar: BusinessCalendar = TWENTY_FOUR_SEVEN_UTC;

  constructor() {
    this.ticket = {
      id: aTicketId(),
      orgId: 'demo-org',
      customerUid: 'demo-customer',
      createdBy: 'demo-customer',
      product: 'online',
      language: 'en',
      channel: 'portal',
      category: 'general',
      subject: 'Invoices are not delivered',
      description: 'Our outgoing invoices stay in the queue since this morning.',
      requestedSeverity: 3,
      severity: 3,
      severityConfirmed: false,
      tier: 'L1',
      status: 'new',
      assigneeUid: null,
      createdAt: BUILT_AT,
      updatedAt: BUILT_AT,
      escalations: [],
      severityAssessments: [],
      csat: null,
      managementReview: false,
      redactions: [],
      resolvedAt: null,
      closedAt: null,
    };
  }

  /** Any other field, for the rare test that needs one no method names. */
  with(fields: Partial<Omit<Ticket, 'sla'>>): this {
    this.ticket = { ...this.ticket, ...fields };
    return this;
  }

  withId(id: string): this {
    return this.with({ id });
  }

  /** The ticket of `customerUid` in `orgId`. */
  ofCustomer(customerUid: string, orgId = this.ticket.orgId): this {
    return this.with({ customerUid, createdBy: customerUid, orgId });
  }

  about(product: string, language = this.ticket.language): this {
    return this.with({ product, language });
  }

  atTier(tier: Tier): this {
    return this.with({ tier });
  }

  withStatus(status: TicketStatus): this {
    return this.with({ status });
  }

  assignedTo(assigneeUid: string | null): this {
    return this.with({ assigneeUid });
  }

  /** Requested and current severity; a requested 1 waits for staff to confirm it. */
  ofSeverity(severity: Severity): this {
    return this.with({ severity, requestedSeverity: severity, severityConfirmed: severity !== 1 });
  }

  createdAt(at: string): this {
    return this.with({ createdAt: at, updatedAt: at });
  }

  /** Clocks started with this target (instead of the default of the ticket's severity). */
  withSlaTarget(target: SlaTarget, calendar: BusinessCalendar = this.calendar): this {
    this.target = target;
    this.calendar = calendar;
    return this;
  }

  /** Exactly these clocks. */
  withSla(sla: SlaState): this {
    this.sla = sla;
    return this;
  }

  build(): Ticket {
    const target = this.target ?? resolveSlaTarget(undefined, this.ticket.severity);
    const sla = this.sla ?? startSla(target, this.calendar, Date.parse(this.ticket.createdAt));
    return { ...this.ticket, sla };
  }
}

/** A ticket with defaults; see {@link TicketBuilder}. */
export function aTicket(): TicketBuilder {
  return new TicketBuilder();
}
