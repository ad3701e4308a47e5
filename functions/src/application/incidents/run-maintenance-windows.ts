/**
 * The maintenance job (every minute): planned maintenance whose window has started goes in
 * progress (its products under maintenance), and maintenance whose window has ended is
 * completed (its products back to operational), each with a published update. Safe to run
 * twice or at once: the move is decided inside each incident's transaction from its state.
 */
import { iso } from '../../domain/instant';
import { applyUpdate, maintenanceStatusDue, type IncidentStatus, type IncidentUpdate } from '../../domain/incident';
import { mutateIncident, type IncidentDeps } from './deps';
import { incidentChangeEvents } from './incident-events';

const BATCH = 100;

const MESSAGES: Partial<Record<IncidentStatus, string>> = {
  in_progress: 'The scheduled maintenance is in progress.',
  completed: 'The scheduled maintenance has been completed.',
};

/** Moves every due maintenance; returns how many moved. */
export async function runMaintenanceWindows(deps: IncidentDeps): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.incidents.dueMaintenance(iso(now), BATCH);
  let moved = 0;
  for (const { id } of due) {
    const updateId = deps.ids.newId();
    const outcome = await mutateIncident(deps, id, (incident) => {
      const status = maintenanceStatusDue(incident, now);
      if (status === null) return null;
      const after = applyUpdate(incident, { id: updateId, status, message: MESSAGES[status] ?? status, publish: true, at: iso(now), byUid: null });
      const update = after.updates[after.updates.length - 1] as IncidentUpdate;
      return { incident: after, events: incidentChangeEvents(deps, incident, after, iso(now), update, []), result: status };
    });
    if (outcome.applied) moved += 1;
  }
  return moved;
}
