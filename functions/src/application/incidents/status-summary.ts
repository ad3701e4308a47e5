/**
 * The status summary: kept up to date by incident events, read by every public view. Views
 * never query incidents; they read this one document (and cache it for a few seconds).
 */
import { iso } from '../../domain/instant';
import { projectIncident, statusView, type StatusSummary, type StatusView } from '../../domain/status-summary';
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

/**
 * How often the clock alone makes a view be computed again. While an incident is open, today's
 * uptime moves with the clock; computed on every refresh, the page changed every few seconds
 * and each refresh read and parsed the whole summary, computed 90 days per product, rendered
 * and compressed every form — some 40 ms of the event loop that requests queued behind.
 */
export const VIEW_CLOCK_STEP_MS = 60_000;

/** A view of the status page and what it was computed from. */
export interface StatusViewRead {
  readonly view: StatusView;
  /** The summary's version (its store's token) and the summary read at it. */
  readonly version: string;
  readonly summary: StatusSummary;
  /** The catalog's products as shown (ids and names), as one string to compare. */
  readonly products: string;
  /** The minute (`VIEW_CLOCK_STEP_MS`) the view was computed in. */
  readonly step: number;
}

/**
 * What the status page shows now, for every product of the catalog. Given the previous read, it
 * asks only for the summary's version and reads the summary again when that changed; it computes
 * the view again when the summary or the catalog's products changed (at once: a published update
 * is in the next read) or a new minute began, and otherwise returns the previous read itself.
 */
export async function readStatusView(
  deps: Pick<IncidentDeps, 'statusSummary' | 'configuration' | 'clock'>,
  previous?: StatusViewRead,
): Promise<StatusViewRead> {
  const [version, catalog] = await Promise.all([deps.statusSummary.version(), deps.configuration.catalog()]);
  const components = catalog.products.map((p) => ({ id: p.id, name: p.name }));
  const products = JSON.stringify(components);
  const now = deps.clock.now();
  const step = Math.floor(now / VIEW_CLOCK_STEP_MS);
  if (previous !== undefined && previous.version === version && previous.products === products && previous.step === step) return previous;
  // A write between the two reads leaves a summary newer than its version: the next read sees
  // another version and reads it again, so nothing is missed.
  const summary = previous?.version === version ? previous.summary : await deps.statusSummary.read();
  return { view: statusView(summary, components, now), version, summary, products, step };
}
