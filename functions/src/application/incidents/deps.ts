/** What the incident use cases work with, and the helpers they share. */
import type { Principal, StaffPrincipal } from '../../domain/access';
import { requireStaffRole } from '../../domain/access';
import { InvalidInputError, NotFoundError } from '../../domain/errors';
import type { Incident } from '../../domain/incident';
import { dispatchQuietly, type TicketDeps } from '../tickets/ticket-mutation';
import type { IncidentChange, IncidentOutcome, IncidentRepository, OrganisationDirectory, StatusSummaryStore } from './ports';

/**
 * The incident ports, with the ticket ports they share (tickets, catalog, outbox, time, ids,
 * logs, and the redactor every free text passes through).
 */
export interface IncidentDeps extends Pick<TicketDeps, 'tickets' | 'configuration' | 'outbox' | 'clock' | 'ids' | 'logger' | 'redactor'> {
  readonly incidents: IncidentRepository;
  readonly statusSummary: StatusSummaryStore;
  readonly organisations: OrganisationDirectory;
}

/** Staff who run incidents: agents and managers (`403` for anyone else). */
export function incidentStaff(principal: Principal): StaffPrincipal {
  return requireStaffRole(principal, ['agent', 'manager']);
}

/** Staff who may read incidents: every staff role. */
export function incidentReader(principal: Principal): StaffPrincipal {
  return requireStaffRole(principal, ['agent', 'manager', 'admin', 'privacy_officer']);
}

/**
 * Public text (titles, update messages, maintenance notes): it belongs to no organisation and
 * anyone may read it, so every kind is masked, contact data included.
 */
export function redactPublic(deps: Pick<IncidentDeps, 'redactor'>, text: string): string {
  return deps.redactor.forEveryone(text).text;
}

/** `400` unless every product is in the catalog. */
export async function assertKnownProducts(deps: Pick<IncidentDeps, 'configuration'>, products: readonly string[], path: string): Promise<void> {
  const catalog = await deps.configuration.catalog();
  const known = new Set(catalog.products.map((p) => p.id));
  const unknown = products.map((product, index) => ({ product, index })).filter(({ product }) => !known.has(product));
  if (unknown.length > 0) {
    throw new InvalidInputError(
      'The incident names products that are not in the catalog',
      unknown.map(({ index }) => ({ path: `${path}.${index}.product`, message: 'is not a product of the catalog' })),
    );
  }
}

/** Runs an incident decision in one transaction and dispatches what it committed; `404` when the incident is unknown. */
export async function mutateIncident<R>(
  deps: Pick<IncidentDeps, 'incidents' | 'outbox' | 'logger'>,
  id: string,
  decide: (incident: Incident) => IncidentChange<R> | null,
  idempotencyKey?: string,
): Promise<IncidentOutcome<R>> {
  const outcome = await deps.incidents.mutate(id, decide, idempotencyKey);
  if (outcome.applied) await dispatchQuietly(deps, outcome.events);
  return outcome;
}

/** The incident, or `404`. */
export async function existingIncident(deps: Pick<IncidentDeps, 'incidents'>, id: string): Promise<Incident> {
  const incident = await deps.incidents.get(id);
  if (incident === null) throw new NotFoundError('The incident');
  return incident;
}
