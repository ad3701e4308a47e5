/** `POST /v1/incidents`: staff open an incident or plan maintenance. */
import { iso } from '../../domain/instant';
import type { Principal } from '../../domain/access';
import { DomainError, ERROR_CODES } from '../../domain/errors';
import { noticeRecipients, openIncident, productsOf, type Incident } from '../../domain/incident';
import { dispatchQuietly } from '../tickets/ticket-mutation';
import type { IncidentCreateInput } from './contracts';
import { assertKnownProducts, incidentStaff, redactPublic, type IncidentDeps } from './deps';
import { incidentChangeEvents } from './incident-events';

/**
 * Opens the incident with its first, published update. A product may have one open incident
 * at a time: a second one is a `409` naming the open incident (add to it instead).
 */
export async function openIncidentByStaff(deps: IncidentDeps, principal: Principal, input: IncidentCreateInput): Promise<Incident> {
  const staff = incidentStaff(principal);
  await assertKnownProducts(deps, input.affected.map((a) => a.product), 'affected');
  const at = iso(deps.clock.now());
  const incident = openIncident({
    id: deps.ids.newId(),
    kind: input.kind,
    title: redactPublic(deps, input.title),
    affected: input.affected,
    message: redactPublic(deps, input.message),
    updateId: deps.ids.newId(),
    at,
    byUid: staff.uid,
    notifyAllOrganisations: input.notifyAllOrganisations,
    ...(input.noticeMode === undefined ? {} : { noticeMode: input.noticeMode }),
    ...(input.window === undefined ? {} : { window: input.window }),
  });
  const [first] = incident.updates;
  const organisations = incident.notifyAllOrganisations ? await deps.organisations.usingProducts(productsOf(incident)) : [];
  const notices = first === undefined ? [] : [{ update: first, recipients: noticeRecipients(incident, first, organisations) }];
  const events = incidentChangeEvents(deps, null, incident, at, first ?? null, notices);
  const outcome = await deps.incidents.create(incident, events);
  if (!outcome.created) {
    throw new DomainError(ERROR_CODES.conflict, 'An affected product has an open incident already: add an update to it', {
      openIncidentId: outcome.openIncidentId,
    });
  }
  await dispatchQuietly(deps, events);
  deps.logger.info('incident opened', { incidentId: incident.id, kind: incident.kind, products: productsOf(incident) });
  return incident;
}
