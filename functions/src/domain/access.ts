/**
 * Who may do what. A principal is loaded from Firestore on every request, so a deactivated
 * or untrained staff member is refused on their very next request.
 */
import { ForbiddenError, NotFoundError } from './errors';
import type { AgentTier, Ticket } from './ticket';

export const STAFF_ROLES = ['agent', 'manager', 'admin', 'privacy_officer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface CustomerPrincipal {
  readonly kind: 'customer';
  readonly uid: string;
  readonly orgId: string;
}

export interface StaffPrincipal {
  readonly kind: 'staff';
  readonly uid: string;
  readonly role: StaffRole;
  /** Agents only. */
  readonly tier: AgentTier | null;
  readonly languages: readonly string[];
  readonly products: readonly string[];
  /** When the staff member's training was recorded; null until it is. */
  readonly trainedAt: string | null;
  readonly active: boolean;
}

export type Principal = CustomerPrincipal | StaffPrincipal;

/** A staff member may act only after their training is recorded and while their account is active. */
export function assertStaffMayAct(staff: StaffPrincipal): void {
  if (!staff.active) throw new ForbiddenError('This staff account is deactivated');
  if (staff.trainedAt === null) throw new ForbiddenError('This staff member has no recorded training yet');
}

/** The staff principal if it has one of `roles`; throws `403` otherwise (customers included). */
export function requireStaffRole(principal: Principal, roles: readonly StaffRole[]): StaffPrincipal {
  if (principal.kind !== 'staff' || !roles.includes(principal.role)) {
    throw new ForbiddenError(`This action needs one of the roles: ${roles.join(', ')}`);
  }
  return principal;
}

/**
 * Who may call an operation at all, checked before anything the caller sent is read, so that a
 * refused caller learns nothing from validation errors. Which tickets they may touch is decided
 * later, by scope (`canSeeTicket`).
 */
export interface Callers {
  /**
   * Customers: allowed, refused (`403`), or told that the thing named does not exist (`404`,
   * `{ notFound: 'The ticket' }`), where a refusal would confirm to a customer that it exists.
   */
  readonly customers: 'allowed' | 'forbidden' | { readonly notFound: string };
  /** The staff roles allowed; the other roles are refused (`403`). */
  readonly staff: readonly StaffRole[];
}

/** Every signed-in caller: what each may see is narrowed by scope afterwards. */
export const EVERY_CALLER: Callers = { customers: 'allowed', staff: STAFF_ROLES };

/** Throws `403` (or `404`, see `Callers`) unless `principal` is one of `callers`. */
export function assertMayCall(principal: Principal, callers: Callers): void {
  if (principal.kind === 'customer') {
    if (callers.customers === 'allowed') return;
    if (callers.customers === 'forbidden') throw new ForbiddenError('This action is not open to customers');
    throw new NotFoundError(callers.customers.notFound);
  }
  if (callers.staff.length === 0) throw new ForbiddenError('This action is open to customers only');
  requireStaffRole(principal, callers.staff);
}

/**
 * The key an agent's scope is matched on, `tier|language|product`: the one owner of its
 * format. Tickets store theirs (`scopeKey`), and an agent's list query asks for the keys of
 * their tier and every language and product they cover.
 */
export function scopeKey(ticket: Pick<Ticket, 'tier' | 'language' | 'product'>): string {
  return `${ticket.tier}|${ticket.language}|${ticket.product}`;
}

/** An agent's scope keys: one per language and product they cover, at their tier (none without a tier). */
export function agentScopeKeys(agent: StaffPrincipal): string[] {
  const { tier } = agent;
  if (tier === null) return [];
  const keys = agent.languages.flatMap((language) => agent.products.map((product) => scopeKey({ tier, language, product })));
  return [...new Set(keys)];
}

/** Whether an agent's tier, languages and products cover a ticket. */
export function agentCovers(agent: StaffPrincipal, ticket: Pick<Ticket, 'tier' | 'language' | 'product'>): boolean {
  return agent.tier === ticket.tier && agent.languages.includes(ticket.language) && agent.products.includes(ticket.product);
}

/**
 * Ticket visibility: customers see their organisation's tickets; agents the tickets of their
 * tier, languages and products; managers and privacy officers all tickets; admins none (they
 * manage staff, policies and the catalog, not tickets). A ticket that is not visible is a 404.
 */
export function canSeeTicket(principal: Principal, ticket: Pick<Ticket, 'orgId' | 'tier' | 'language' | 'product'>): boolean {
  if (principal.kind === 'customer') return principal.orgId === ticket.orgId;
  switch (principal.role) {
    case 'agent':
      return agentCovers(principal, ticket);
    case 'manager':
    case 'privacy_officer':
      return true;
    case 'admin':
      return false;
  }
}
