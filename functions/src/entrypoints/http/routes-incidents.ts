/** Incident routes (staff): open, update, list and read incidents and planned maintenance. */
import type { IncidentDeps } from '../../application/incidents/deps';
import { IncidentCreateSchema, IncidentListQuerySchema, IncidentUpdateSchema } from '../../application/incidents/contracts';
import { openIncidentByStaff } from '../../application/incidents/open-incident';
import { postIncidentUpdate } from '../../application/incidents/post-update';
import { getIncident, listIncidents } from '../../application/incidents/read-incidents';
import { STAFF_ROLES, type Callers } from '../../domain/access';
import { incidentImpact, type Incident } from '../../domain/incident';
import { parseInput } from './problem';
import { param, principalOf, type DepsProvider, type Route } from './router';

/** Who runs incidents; the use cases check the same roles. */
const INCIDENT_STAFF: Callers = { customers: 'forbidden', staff: ['agent', 'manager'] };
/** Who reads incidents: every staff role. */
const INCIDENT_READERS: Callers = { customers: 'forbidden', staff: STAFF_ROLES };

/** An incident as staff see it: everything stored, with its impact. */
function incidentJson(incident: Incident): Record<string, unknown> {
  return { ...incident, impact: incidentImpact(incident) };
}

/** The ports of the incident routes' use cases. */
export type IncidentRouteDeps = IncidentDeps;

export const incidentRoutes = (deps: DepsProvider<IncidentRouteDeps>): readonly Route[] => [
  {
    method: 'POST',
    pattern: '/v1/incidents',
    summary:
      'Open an incident (or plan maintenance, kind maintenance with a window) with its first public update; 409 when an affected product has an open incident',
    auth: true,
    who: 'agent, manager',
    callers: INCIDENT_STAFF,
    body: IncidentCreateSchema,
    successStatus: 201,
    handle: async (request) => {
      const input = parseInput(IncidentCreateSchema, request.body, 'incident');
      const incident = await openIncidentByStaff(await deps(), principalOf(request), input);
      return { status: 201, body: incidentJson(incident), headers: { Location: `/v1/incidents/${incident.id}` } };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/incidents',
    summary: 'Incidents, newest first (filters state open or resolved, product; cursor paging)',
    auth: true,
    who: 'staff',
    callers: INCIDENT_READERS,
    query: IncidentListQuerySchema,
    successStatus: 200,
    handle: async (request) => {
      const query = parseInput(IncidentListQuerySchema, request.query, 'query', ['query']);
      const page = await listIncidents(await deps(), principalOf(request), query);
      return { status: 200, body: { items: page.incidents.map(incidentJson), nextCursor: page.nextCursor } };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/incidents/:id',
    summary: 'One incident with its updates and linked tickets',
    auth: true,
    who: 'staff',
    callers: INCIDENT_READERS,
    successStatus: 200,
    handle: async (request) => ({ status: 200, body: incidentJson(await getIncident(await deps(), principalOf(request), param(request, 'id'))) }),
  },
  {
    method: 'POST',
    pattern: '/v1/incidents/:id/updates',
    summary:
      'Add an update {status, message, publish} (message redacted); may change component statuses and the notice mode; 409 on an illegal status move',
    auth: true,
    who: 'agent, manager',
    callers: INCIDENT_STAFF,
    body: IncidentUpdateSchema,
    successStatus: 201,
    handle: async (request) => {
      const input = parseInput(IncidentUpdateSchema, request.body, 'incident update');
      const { incident, update } = await postIncidentUpdate(await deps(), principalOf(request), param(request, 'id'), input);
      return { status: 201, body: { update, incident: incidentJson(incident) } };
    },
  },
];
