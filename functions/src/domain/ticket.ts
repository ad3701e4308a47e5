/**
 * Tickets: the vocabulary (tiers, statuses, channels, severities), the status state machine,
 * and the severity rule at intake. Pure: no I/O, no clock.
 */
import { DomainError, ERROR_CODES } from './errors';
import type { FindingCount } from './redaction';
import type { SlaState, Severity } from './sla';

export const TIERS = ['L1', 'L2', 'L3', 'MANAGEMENT'] as const;
export type Tier = (typeof TIERS)[number];

export const AGENT_TIERS = ['L1', 'L2', 'L3'] as const;
export type AgentTier = (typeof AGENT_TIERS)[number];

export const TICKET_STATUSES = ['new', 'open', 'pending_customer', 'on_hold', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Channels a ticket can arrive over. `guides` is a channel of the catalog but takes no tickets. */
export const TICKET_CHANNELS = ['portal', 'chat', 'phone', 'email'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

export const MESSAGE_VISIBILITIES = ['public', 'internal'] as const;
export type MessageVisibility = (typeof MESSAGE_VISIBILITIES)[number];

/** One step on the escalation ladder, with who, when, why and the severity at that moment. */
export interface Escalation {
  readonly from: Tier;
  readonly to: Tier;
  readonly at: string;
  readonly reason: string;
  /** `system` for the escalation sweep, else the staff member's uid. */
  readonly by: string;
  readonly severity: Severity;
}

/** A staff assessment of severity: who, when, why. */
export interface SeverityAssessment {
  readonly severity: Severity;
  readonly previous: Severity;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

/** The customer's satisfaction answer, given once after resolution. */
export interface CsatAnswer {
  readonly rating: number;
  readonly comment: string | null;
  readonly at: string;
}

/** A legal hold on a ticket: who placed it, when and why (the reason is stored redacted). */
export interface LegalHold {
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

/** How many values of one kind automatic or manual redaction hid. */
export type RedactionCount = FindingCount;

/** The ticket as stored (text fields are already redacted). */
export interface Ticket {
  readonly id: string;
  readonly orgId: string;
  /** The customer user the ticket is for (null when staff opened it for an organisation). */
  readonly customerUid: string | null;
  readonly createdBy: string;
  readonly product: string;
  readonly language: string;
  readonly channel: TicketChannel;
  readonly category: string;
  readonly subject: string;
  readonly description: string;
  readonly requestedSeverity: Severity;
  readonly severity: Severity;
  /** False while a requested severity 1 waits for staff to confirm it. */
  readonly severityConfirmed: boolean;
  readonly tier: Tier;
  readonly status: TicketStatus;
  readonly assigneeUid: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly sla: SlaState;
  readonly escalations: readonly Escalation[];
  readonly severityAssessments: readonly SeverityAssessment[];
  readonly csat: CsatAnswer | null;
  /** Set before any move to L3: managers review the ticket. */
  readonly managementReview: boolean;
  /** What automatic redaction hid in subject and description at intake. */
  readonly redactions: readonly RedactionCount[];
  readonly resolvedAt: string | null;
  readonly closedAt: string | null;
  /** The ticket's one resolution: its first move into a done status (`domain/resolution.ts`). */
  readonly firstResolvedAt?: string | null;
  /** Retention facts (`domain/retention.ts`): a hold stops every deletion until lifted. */
  readonly legalHold?: LegalHold | null;
  /** The ticket's own expiry: deleted on this instant even if the product's rule is later. */
  readonly deleteAfter?: string | null;
  /** When an erasure request anonymised this held ticket. */
  readonly anonymisedAt?: string;
}

/**
 * Legal status moves. `closed` is final; `resolved` may be reopened. Every other move is a
 * `409` at the edge.
 */
const TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['open', 'pending_customer', 'on_hold', 'resolved', 'closed'],
  open: ['pending_customer', 'on_hold', 'resolved'],
  pending_customer: ['open', 'on_hold', 'resolved'],
  on_hold: ['open', 'pending_customer', 'resolved'],
  resolved: ['open', 'closed'],
  closed: [],
};

/**
 * Moves a customer may make on their own ticket: mark it solved, answer a question asked of
 * them, reopen a resolved ticket or confirm it closed. Holding a ticket is staff's decision.
 */
const CUSTOMER_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['resolved'],
  open: ['resolved'],
  pending_customer: ['open', 'resolved'],
  on_hold: [],
  resolved: ['open', 'closed'],
  closed: [],
};

/** Statuses in which the SLA business clock is paused. */
export const PAUSED_STATUSES: readonly TicketStatus[] = ['pending_customer', 'on_hold'];

/** Statuses in which the ticket is done and its clocks stopped. */
export const DONE_STATUSES: readonly TicketStatus[] = ['resolved', 'closed'];

/** Throws `409` (illegal transition) unless `from → to` is legal for this kind of actor. */
export function assertStatusTransition(from: TicketStatus, to: TicketStatus, actor: 'customer' | 'staff'): void {
  const allowed = actor === 'staff' ? TRANSITIONS[from] : CUSTOMER_TRANSITIONS[from];
  const legal = allowed.includes(to);
  if (!legal) {
    throw new DomainError(ERROR_CODES.illegalTransition, `A ticket cannot move from ${from} to ${to}`, {
      from,
      to,
      allowed,
    });
  }
}

/**
 * The severity a new ticket starts at. Only staff assess severity: a customer's requested
 * severity 1 starts as 2 until staff confirm it.
 */
export function initialSeverity(
  requested: Severity,
  requestedBy: 'customer' | 'staff',
): { severity: Severity; severityConfirmed: boolean } {
  if (requestedBy === 'customer' && requested === 1) return { severity: 2, severityConfirmed: false };
  return { severity: requested, severityConfirmed: requestedBy === 'staff' };
}
