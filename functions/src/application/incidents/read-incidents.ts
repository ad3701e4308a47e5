/** `GET /v1/incidents` and `GET /v1/incidents/{id}`: staff read incidents with their linked tickets and staff notes. */
import type { Principal } from '../../domain/access';
import type { Incident } from '../../domain/incident';
import type { IncidentListQuery } from './contracts';
import { existingIncident, incidentReader, type IncidentDeps } from './deps';
import type { IncidentPage } from './ports';

/** Newest first; filter by state (open, resolved) and product. */
export async function listIncidents(deps: Pick<IncidentDeps, 'incidents'>, principal: Principal, query: IncidentListQuery): Promise<IncidentPage> {
  incidentReader(principal);
  const filter = { ...(query.state === undefined ? {} : { state: query.state }), ...(query.product === undefined ? {} : { product: query.product }) };
  return deps.incidents.list(filter, query.limit, query.cursor ?? null);
}

/** One incident, or `404`. */
export async function getIncident(deps: Pick<IncidentDeps, 'incidents'>, principal: Principal, id: string): Promise<Incident> {
  incidentReader(principal);
  return existingIncident(deps, id);
}
