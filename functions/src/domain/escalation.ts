/**
 * The escalation ladder: L1 → L2 → (management review flag, managers notified) → L3 →
 * MANAGEMENT. A breached SLA target climbs one rung; agents and managers may also escalate
 * by hand with a reason. Every tier change records who, when, why and the severity then.
 */
import { DomainError, ERROR_CODES } from './errors';
import { TIERS, type Ticket, type Tier } from './ticket';

/** What one breach does to a ticket at its current tier. */
export type LadderStep =
  | { readonly kind: 'escalate'; readonly to: Tier }
  /** At L2, before any move to L3: flag the ticket for management review and notify managers. */
  | { readonly kind: 'flag-management-review' }
  /** At MANAGEMENT the ladder ends: the breach is recorded and managers are told again. */
  | { readonly kind: 'end-of-ladder' };

/**
 * The rung a breach climbs. At L2 the first breach flags the ticket for management review
 * (managers get a window to act); the next breach moves it to L3.
 */
export function ladderStepForBreach(ticket: Pick<Ticket, 'tier' | 'managementReview'>): LadderStep {
  switch (ticket.tier) {
    case 'L1':
      return { kind: 'escalate', to: 'L2' };
    case 'L2':
      return ticket.managementReview ? { kind: 'escalate', to: 'L3' } : { kind: 'flag-management-review' };
    case 'L3':
      return { kind: 'escalate', to: 'MANAGEMENT' };
    case 'MANAGEMENT':
      return { kind: 'end-of-ladder' };
  }
}

/** The ticket moved to `to`: recorded, unassigned (the new tier routes it), review flag kept. */
export function escalateTicket(ticket: Ticket, to: Tier, reason: string, by: string, at: string): Ticket {
  return {
    ...ticket,
    tier: to,
    assigneeUid: null,
    // Moving to L3 or above always happens under management review.
    managementReview: ticket.managementReview || TIERS.indexOf(to) >= TIERS.indexOf('L3'),
    escalations: [...ticket.escalations, { from: ticket.tier, to, at, reason, by, severity: ticket.severity }],
    updatedAt: at,
  };
}

/** The tier a manual escalation goes to: the requested one if higher, else the next rung. */
export function manualEscalationTarget(ticket: Pick<Ticket, 'tier' | 'status'>, toTier: Tier | undefined): Tier {
  if (ticket.status === 'closed' || ticket.status === 'resolved') {
    throw new DomainError(ERROR_CODES.illegalTransition, `A ${ticket.status} ticket cannot be escalated`, { ticketStatus: ticket.status });
  }
  const current = TIERS.indexOf(ticket.tier);
  const target = toTier === undefined ? current + 1 : TIERS.indexOf(toTier);
  const tier = TIERS[target];
  if (tier === undefined || target <= current) {
    throw new DomainError(ERROR_CODES.illegalTransition, `A ticket at ${ticket.tier} cannot be escalated to ${toTier ?? 'a higher tier'}`, {
      from: ticket.tier,
      to: toTier ?? null,
    });
  }
  return tier;
}
