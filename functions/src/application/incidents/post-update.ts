/** `POST /v1/incidents/{id}/updates`: a status move with a message, public or a staff note. */
import { iso } from '../../domain/instant';
import type { Principal } from '../../domain/access';
import { applyUpdate, noticeRecipients, productsOf, type Incident, type IncidentUpdate } from '../../domain/incident';
import type { IncidentUpdateInput } from './contracts';
import { assertKnownProducts, existingIncident, incidentStaff, mutateIncident, redactPublic, type IncidentDeps } from './deps';
import { incidentChangeEvents } from './incident-events';

/**
 * Adds the update (`409` for an illegal status move, `404` for an unknown incident; either
 * changes nothing). Its notices, its status-page publication and, when it resolves the
 * incident, the resolution of the linked tickets are committed with it.
 */
export async function postIncidentUpdate(
  deps: IncidentDeps,
  principal: Principal,
  id: string,
  input: IncidentUpdateInput,
): Promise<{ incident: Incident; update: IncidentUpdate }> {
  const staff = incidentStaff(principal);
  if (input.affected !== undefined) await assertKnownProducts(deps, input.affected.map((a) => a.product), 'affected');
  const current = await existingIncident(deps, id);
  const willNotifyAll = current.notifyAllOrganisations && (input.noticeMode ?? current.noticeMode) === 'direct' && input.publish;
  const organisations = willNotifyAll ? await deps.organisations.usingProducts(productsOf({ affected: input.affected ?? current.affected })) : [];
  const at = iso(deps.clock.now());
  const updateId = deps.ids.newId();
  const message = redactPublic(deps, input.message);
  const outcome = await mutateIncident(deps, id, (incident) => {
    const after = applyUpdate(incident, {
      id: updateId,
      status: input.status,
      message,
      publish: input.publish,
      at,
      byUid: staff.uid,
      ...(input.affected === undefined ? {} : { affected: input.affected }),
      ...(input.noticeMode === undefined ? {} : { noticeMode: input.noticeMode }),
    });
    const update = after.updates[after.updates.length - 1] as IncidentUpdate;
    const notices = [{ update, recipients: noticeRecipients(after, update, organisations) }];
    return { incident: after, events: incidentChangeEvents(deps, incident, after, at, update, notices), result: update };
  });
  // Without an idempotency key, and with a decision that always changes something, mutate always applies.
  if (!outcome.applied) throw new Error('an incident update was not applied');
  deps.logger.info('incident updated', { incidentId: id, status: input.status, publish: input.publish });
  return { incident: outcome.incident, update: outcome.result };
}
