/**
 * The status summary: one document that the status page, its JSON, its Atom feed and the
 * Statuspage-format API are all read from, so that no view queries incidents. Incident
 * changes are projected into it (idempotently: each incident's newest revision wins); what a
 * view shows — component statuses, the page indicator, 90 days of daily uptime — is computed
 * from it here. Pure: times come in as arguments.
 */
import {
  incidentImpact,
  isOpen,
  isPublic,
  worstComponentStatus,
  type AffectedComponent,
  type ComponentStatus,
  type Impact,
  type Incident,
  type IncidentKind,
  type IncidentStatus,
  type MaintenanceWindow,
} from './incident';

/** How many days of history the page shows. */
export const HISTORY_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A published update as the public sees it. */
export interface PublicUpdate {
  readonly id: string;
  readonly status: IncidentStatus;
  readonly message: string;
  readonly at: string;
  readonly affected: readonly AffectedComponent[];
}

/** An incident as the public sees it: no linked tickets, owners or staff notes. */
export interface PublicIncident {
  readonly id: string;
  readonly kind: IncidentKind;
  readonly title: string;
  readonly status: IncidentStatus;
  readonly impact: Impact;
  readonly affected: readonly AffectedComponent[];
  readonly window: MaintenanceWindow | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly resolvedAt: string | null;
  /** Published updates, oldest first. */
  readonly updates: readonly PublicUpdate[];
}

/** A product shown on the page. */
export interface SummaryComponent {
  readonly id: string;
  readonly name: string;
}

export interface StatusSummary {
  /** Counts every write; views use it as their version (ETag). */
  readonly revision: number;
  readonly updatedAt: string;
  /** Public incidents that are open or closed within the history window, by id. */
  readonly incidents: Readonly<Record<string, PublicIncident>>;
  /** The newest revision projected of every incident seen (public or not), by id. */
  readonly seen: Readonly<Record<string, number>>;
}

/** The summary before any incident. */
export function emptySummary(at: string): StatusSummary {
  return { revision: 0, updatedAt: at, incidents: {}, seen: {} };
}

function toPublic(incident: Incident): PublicIncident {
  return {
    id: incident.id,
    kind: incident.kind,
    title: incident.title,
    status: incident.status,
    impact: incidentImpact(incident),
    affected: incident.affected,
    window: incident.window,
    createdAt: incident.createdAt,
    updatedAt: incident.updatedAt,
    resolvedAt: incident.resolvedAt,
    updates: incident.updates.filter((u) => u.publish).map(({ id, status, message, at, affected }) => ({ id, status, message, at, affected })),
  };
}

/** Whether a closed incident has left the history window at `nowMs`. */
function expired(incident: Pick<PublicIncident, 'resolvedAt'>, nowMs: number): boolean {
  return incident.resolvedAt !== null && Date.parse(incident.resolvedAt) < nowMs - HISTORY_DAYS * DAY_MS;
}

/**
 * The summary with an incident's change projected in, or null when this revision (or a newer
 * one) is in already — a redelivered or late event changes nothing. An incident shown on the
 * page appears with its published updates; one told directly (or no longer public) is taken off.
 */
export function projectIncident(summary: StatusSummary, incident: Incident, at: string, nowMs: number): StatusSummary | null {
  if ((summary.seen[incident.id] ?? 0) >= incident.revision) return null;
  const incidents: Record<string, PublicIncident> = { ...summary.incidents };
  if (isPublic(incident)) incidents[incident.id] = toPublic(incident);
  else delete incidents[incident.id];
  const seen: Record<string, number> = { ...summary.seen, [incident.id]: incident.revision };
  for (const [id, shown] of Object.entries(incidents)) {
    if (expired(shown, nowMs)) {
      delete incidents[id];
      delete seen[id];
    }
  }
  return { ...summary, revision: summary.revision + 1, updatedAt: at, incidents, seen };
}

/** Open public incidents and maintenance, newest first. */
function openIncidents(summary: StatusSummary): PublicIncident[] {
  return Object.values(summary.incidents)
    .filter((i) => isOpen(i))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
}

/** Open unplanned incidents, newest first. */
function unresolvedIncidents(summary: StatusSummary): PublicIncident[] {
  return openIncidents(summary).filter((i) => i.kind === 'incident');
}

/** Maintenance not yet started, soonest first. */
export function upcomingMaintenance(summary: StatusSummary): PublicIncident[] {
  return openIncidents(summary)
    .filter((i) => i.kind === 'maintenance' && i.status === 'scheduled')
    .sort((a, b) => ((a.window?.startsAt ?? '') < (b.window?.startsAt ?? '') ? -1 : 1));
}

/** Maintenance in progress or being verified. */
export function activeMaintenance(summary: StatusSummary): PublicIncident[] {
  return openIncidents(summary).filter((i) => i.kind === 'maintenance' && i.status !== 'scheduled');
}

/** Every public incident and maintenance, newest first (at most `limit`). */
export function recentIncidents(summary: StatusSummary, kind: IncidentKind, limit: number): PublicIncident[] {
  return Object.values(summary.incidents)
    .filter((i) => i.kind === kind)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
    .slice(0, limit);
}

/** A product's status now: the worst over the open public incidents that affect it. */
function componentStatus(summary: StatusSummary, product: string): ComponentStatus {
  return worstComponentStatus(openIncidents(summary).flatMap((i) => i.affected.filter((a) => a.product === product).map((a) => a.status)));
}

/** The page's indicator (Statuspage's values) and its words. */
export interface PageStatus {
  readonly indicator: 'none' | 'minor' | 'major' | 'critical' | 'maintenance';
  readonly description: string;
}

/** The page status blended from the component statuses, as Statuspage words it. */
export function pageStatus(statuses: readonly ComponentStatus[]): PageStatus {
  switch (worstComponentStatus(statuses)) {
    case 'operational':
      return { indicator: 'none', description: 'All Systems Operational' };
    case 'under_maintenance':
      return { indicator: 'maintenance', description: 'Service Under Maintenance' };
    case 'degraded_performance':
      return { indicator: 'minor', description: 'Partially Degraded Service' };
    case 'partial_outage':
      return { indicator: 'major', description: 'Partial System Outage' };
    case 'major_outage':
      return { indicator: 'critical', description: 'Major System Outage' };
  }
}

/**
 * How much of a day an outage costs: a major outage all of its time, a partial outage half;
 * degraded performance and planned maintenance count as up (they are shown, not counted).
 */
const DOWNTIME_WEIGHT: Readonly<Record<ComponentStatus, number>> = {
  operational: 0,
  under_maintenance: 0,
  degraded_performance: 0,
  partial_outage: 0.5,
  major_outage: 1,
};

/** One day of a product's history. */
export interface HistoryDay {
  /** `YYYY-MM-DD`, UTC. */
  readonly date: string;
  /** Share of the day the product was up, 0..1. */
  readonly uptime: number;
  /** The worst status the product had that day. */
  readonly worst: ComponentStatus;
}

/** The intervals a product spent in each status during an unplanned incident. */
function intervals(incident: PublicIncident, product: string, nowMs: number): { from: number; to: number; status: ComponentStatus }[] {
  const end = incident.resolvedAt === null ? nowMs : Date.parse(incident.resolvedAt);
  return incident.updates.flatMap((update, i) => {
    const status = update.affected.find((a) => a.product === product)?.status;
    if (status === undefined) return [];
    const next = incident.updates[i + 1];
    return [{ from: Date.parse(update.at), to: next === undefined ? end : Math.min(Date.parse(next.at), end), status }];
  });
}

/** The last `HISTORY_DAYS` UTC days of a product, oldest first, ending with today. */
export function productHistory(summary: StatusSummary, product: string, nowMs: number): HistoryDay[] {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const spans = Object.values(summary.incidents)
    .filter((i) => i.kind === 'incident')
    .flatMap((i) => intervals(i, product, nowMs));
  return Array.from({ length: HISTORY_DAYS }, (_, k) => {
    const start = today - (HISTORY_DAYS - 1 - k) * DAY_MS;
    const end = start + DAY_MS;
    let down = 0;
    const statuses: ComponentStatus[] = [];
    for (const span of spans) {
      const overlap = Math.min(span.to, end) - Math.max(span.from, start);
      if (overlap <= 0) continue;
      down += overlap * DOWNTIME_WEIGHT[span.status];
      statuses.push(span.status);
    }
    return { date: new Date(start).toISOString().slice(0, 10), uptime: Math.max(0, 1 - down / DAY_MS), worst: worstComponentStatus(statuses) };
  });
}

/** The mean uptime of some days (1 for none). */
function meanUptime(days: readonly HistoryDay[]): number {
  return days.length === 0 ? 1 : days.reduce((sum, d) => sum + d.uptime, 0) / days.length;
}

/** A product on the page: its status now and its history. */
export interface ComponentView extends SummaryComponent {
  readonly status: ComponentStatus;
  readonly uptime: number;
  readonly days: readonly HistoryDay[];
}

/** Everything a view of the status page shows, computed once per summary revision. */
export interface StatusView {
  readonly revision: number;
  readonly updatedAt: string;
  readonly status: PageStatus;
  readonly components: readonly ComponentView[];
  readonly unresolved: readonly PublicIncident[];
  readonly upcomingMaintenance: readonly PublicIncident[];
  readonly activeMaintenance: readonly PublicIncident[];
  /** The most recent incidents, open or resolved (at most 50, as Statuspage lists). */
  readonly recentIncidents: readonly PublicIncident[];
  readonly recentMaintenance: readonly PublicIncident[];
}

/** The status page's content at `nowMs`, for the products of the catalog. */
export function statusView(summary: StatusSummary, products: readonly SummaryComponent[], nowMs: number): StatusView {
  const components = products.map((c) => {
    const days = productHistory(summary, c.id, nowMs);
    return { ...c, status: componentStatus(summary, c.id), uptime: meanUptime(days), days };
  });
  return {
    revision: summary.revision,
    updatedAt: summary.updatedAt,
    status: pageStatus(components.map((c) => c.status)),
    components,
    unresolved: unresolvedIncidents(summary),
    upcomingMaintenance: upcomingMaintenance(summary),
    activeMaintenance: activeMaintenance(summary),
    recentIncidents: recentIncidents(summary, 'incident', 50),
    recentMaintenance: recentIncidents(summary, 'maintenance', 50),
  };
}
