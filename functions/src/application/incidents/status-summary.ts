/**
 * The status summary: kept up to date by incident events, read by every public view. Views
 * never query incidents; they read this one document (and cache it for a few seconds).
 */
import { iso } from '../../domain/instant';
import { projectIncident, statusView, type StatusView } from '../../domain/status-summary';
import { type IncidentDeps } from './deps';

/**
 * Projects the incident's current state into the summary (the `incident.changed` event). The
 * newest revision wins, so a redelivered or late event writes nothing.
 */
export async function projectIncidentChange(
  deps: Pick<IncidentDeps, 'incidents' | 'statusSummary' | 'clock'>,
  incidentId: string,
): Promise<'projected' | 'unchanged' | 'unknown incident'> {
  const incident = await deps.incidents.get(incidentId);
  if (incident === null) return 'unknown incident';
  const now = deps.clock.now();
  const written = await deps.statusSummary.update((summary) => projectIncident(summary, incident, iso(now), now));
  return written ? 'projected' : 'unchanged';
}

/** What the status page shows now, for every product of the catalog. */
export async function readStatusView(deps: Pick<IncidentDeps, 'statusSummary' | 'configuration' | 'clock'>): Promise<StatusView> {
  const [summary, catalog] = await Promise.all([deps.statusSummary.read(), deps.configuration.catalog()]);
  return statusView(summary, catalog.products.map((p) => ({ id: p.id, name: p.name })), deps.clock.now());
}
