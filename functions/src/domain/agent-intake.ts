/**
 * Tickets an agent opens for a customer organisation (taken over the phone, say). Pure rules:
 * the ticket must be one the agent could then see — new tickets start at `L1`, so its tier,
 * language and product must be in the agent's scope (`403` otherwise) — and it must be for an
 * organisation that exists and, when a customer is named, for a customer of that organisation
 * (`422` otherwise: the CSAT invitation and every notice go to that customer).
 */
import { agentCovers, type Principal, type StaffPrincipal } from './access';
import { DomainError, ERROR_CODES, ForbiddenError } from './errors';
import type { Ticket } from './ticket';

/** `403` unless the new ticket is inside the agent's tier, languages and products. */
export function assertInAgentScope(agent: StaffPrincipal, ticket: Pick<Ticket, 'tier' | 'language' | 'product'>): void {
  if (!agentCovers(agent, ticket)) {
    throw new ForbiddenError(`Agents open tickets only in their own scope (tier ${ticket.tier}, ${ticket.language}, ${ticket.product} is not in it)`);
  }
}

/** `422` unless the organisation exists. */
export function assertOrganisationExists(orgId: string, exists: boolean): void {
  if (!exists) throw new DomainError(ERROR_CODES.unknownOrganisation, `There is no organisation ${orgId}`, { orgId });
}

/**
 * `422` unless `customer` (the principal the body's `customerUid` names, or null) is a
 * customer of `orgId`. An unknown uid, staff, and another organisation's customer get the
 * same answer.
 */
export function assertCustomerOf(customer: Principal | null, orgId: string): void {
  if (customer?.kind !== 'customer' || customer.orgId !== orgId) {
    throw new DomainError(ERROR_CODES.customerNotInOrganisation, `customerUid does not name a customer of ${orgId}`, { orgId });
  }
}
