/**
 * Incidents and planned maintenance: the vocabulary (statuses, component statuses, impact
 * levels — Atlassian Statuspage's own values, so the public format needs no translation),
 * the status machine, who is told and how, and the pure changes an incident goes through.
 * Pure: no I/O, no clock, no ids of its own (callers pass times and ids in).
 */
import { DomainError, ERROR_CODES } from './errors';

export const INCIDENT_KINDS = ['incident', 'maintenance'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** An unplanned incident's statuses, in their usual order. */
const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
/** Planned maintenance's statuses (Statuspage's scheduled-maintenance statuses). */
const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number] | (typeof MAINTENANCE_STATUSES)[number];
export const ALL_INCIDENT_STATUSES: readonly IncidentStatus[] = [...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES];

/** A status-page component's (a product's) status, best first. */
export const COMPONENT_STATUSES = ['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** Impact levels of an incident, least first; planned work has the impact `maintenance`. */
export const IMPACTS = ['none', 'maintenance', 'minor', 'major', 'critical'] as const;
export type Impact = (typeof IMPACTS)[number];

/** How affected customers hear of an incident: one by one, or on the public status page. */
export const NOTICE_MODES = ['direct', 'status_page'] as const;
export type NoticeMode = (typeof NOTICE_MODES)[number];

/** Statuses after which an incident is closed for good. */
const FINAL_STATUSES: readonly IncidentStatus[] = ['resolved', 'completed'];

/**
 * Legal moves. An incident may go back (a fix that did not hold sends `monitoring` back to
 * `investigating`) and may post another update in the same status; nothing leaves a final
 * status, and an incident never takes a maintenance status or the other way round.
 */
const TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  investigating: INCIDENT_STATUSES,
  identified: INCIDENT_STATUSES,
  monitoring: INCIDENT_STATUSES,
  resolved: [],
  scheduled: ['scheduled', 'in_progress', 'completed'],
  in_progress: ['in_progress', 'verifying', 'completed'],
  verifying: ['in_progress', 'verifying', 'completed'],
  completed: [],
};

/** A product's component status in an incident. */
export interface AffectedComponent {
  readonly product: string;
  readonly status: ComponentStatus;
}

/** One update: a status, a (redacted) message, and whether customers see it. */
export interface IncidentUpdate {
  readonly id: string;
  readonly status: IncidentStatus;
  readonly message: string;
  /** Published updates reach customers (directly or on the status page); the others are staff notes. */
  readonly publish: boolean;
  readonly at: string;
  /** The staff member who wrote it; null for tuki itself (a severity-1 ticket, the maintenance job). */
  readonly byUid: string | null;
  /** The component statuses from this update on. */
  readonly affected: readonly AffectedComponent[];
}

/** A ticket that belongs to the incident, with who reported it. */
export interface LinkedTicket {
  readonly ticketId: string;
  readonly orgId: string;
  readonly customerUid: string | null;
  readonly linkedAt: string;
}

/** A maintenance's planned window. */
export interface MaintenanceWindow {
  readonly startsAt: string;
  readonly endsAt: string;
}

export interface Incident {
  readonly id: string;
  readonly kind: IncidentKind;
  /** Public title (redacted). */
  readonly title: string;
  readonly status: IncidentStatus;
  readonly affected: readonly AffectedComponent[];
  readonly noticeMode: NoticeMode;
  /** True once staff chose the notice mode; until then the default rule applies as tickets link. */
  readonly noticeModeChosen: boolean;
  /** Direct notices also go to every organisation that uses an affected product. */
  readonly notifyAllOrganisations: boolean;
  /** The staff member who opened it or first took it on; null for one opened by a ticket and not yet taken. */
  readonly ownerUid: string | null;
  readonly linkedTickets: readonly LinkedTicket[];
  /** Oldest first. */
  readonly updates: readonly IncidentUpdate[];
  readonly window: MaintenanceWindow | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly resolvedAt: string | null;
  /** Counts every change; the status summary keeps the newest revision it saw of each incident. */
  readonly revision: number;
}

const rank = <T>(order: readonly T[], value: T): number => order.indexOf(value);

/** Whether an incident is still open (not resolved, not completed). */
export function isOpen(incident: Pick<Incident, 'status'>): boolean {
  return !FINAL_STATUSES.includes(incident.status);
}

/** The status a new incident or maintenance starts in. */
function initialStatus(kind: IncidentKind): IncidentStatus {
  return kind === 'incident' ? 'investigating' : 'scheduled';
}

/** Throws `409` unless `from → to` is a legal move for this kind. */
export function assertIncidentTransition(kind: IncidentKind, from: IncidentStatus, to: IncidentStatus): void {
  const allowed = TRANSITIONS[from].filter((s) => (kind === 'incident' ? INCIDENT_STATUSES : MAINTENANCE_STATUSES).includes(s as never));
  if (!allowed.includes(to)) {
    throw new DomainError(ERROR_CODES.illegalTransition, `An ${kind} cannot move from ${from} to ${to}`, { from, to, allowed });
  }
}

/** The impact of one component status (Statuspage's mapping). */
function impactOf(status: ComponentStatus): Impact {
  switch (status) {
    case 'operational':
      return 'none';
    case 'under_maintenance':
      return 'maintenance';
    case 'degraded_performance':
      return 'minor';
    case 'partial_outage':
      return 'major';
    case 'major_outage':
      return 'critical';
  }
}

/** The worst of some impacts (`none` for none). */
function worstImpact(impacts: readonly Impact[]): Impact {
  return impacts.reduce<Impact>((worst, i) => (rank(IMPACTS, i) > rank(IMPACTS, worst) ? i : worst), 'none');
}

/** The worst of some component statuses (`operational` for none). */
export function worstComponentStatus(statuses: readonly ComponentStatus[]): ComponentStatus {
  return statuses.reduce<ComponentStatus>((worst, s) => (rank(COMPONENT_STATUSES, s) > rank(COMPONENT_STATUSES, worst) ? s : worst), 'operational');
}

/** An incident's impact: `maintenance` for planned work, else its worst affected component. */
export function incidentImpact(incident: Pick<Incident, 'kind' | 'affected'>): Impact {
  if (incident.kind === 'maintenance') return 'maintenance';
  return worstImpact(incident.affected.map((a) => impactOf(a.status)));
}

/** The products an incident affects. */
export function productsOf(incident: Pick<Incident, 'affected'>): string[] {
  return incident.affected.map((a) => a.product);
}

/**
 * The default notice mode: an incident that touches more than one organisation is a
 * product-wide outage, told on the status page; one organisation's is told to them directly.
 * Planned maintenance is always announced on the status page.
 */
export function defaultNoticeMode(kind: IncidentKind, linkedOrganisations: number): NoticeMode {
  return kind === 'maintenance' || linkedOrganisations > 1 ? 'status_page' : 'direct';
}

/** Whether the status page shows the incident. */
export function isPublic(incident: Pick<Incident, 'noticeMode'>): boolean {
  return incident.noticeMode === 'status_page';
}

/** The distinct organisations of the linked tickets. */
function linkedOrganisations(incident: Pick<Incident, 'linkedTickets'>): string[] {
  return [...new Set(incident.linkedTickets.map((t) => t.orgId))];
}

/** The newest published update, if any. */
export function latestPublished(incident: Pick<Incident, 'updates'>): IncidentUpdate | undefined {
  return [...incident.updates].reverse().find((u) => u.publish);
}

/** What opening an incident needs to know. */
export interface IncidentOpening {
  readonly id: string;
  readonly kind: IncidentKind;
  readonly title: string;
  readonly affected: readonly AffectedComponent[];
  readonly message: string;
  readonly updateId: string;
  readonly at: string;
  readonly byUid: string | null;
  readonly noticeMode?: NoticeMode;
  readonly notifyAllOrganisations?: boolean;
  readonly window?: MaintenanceWindow;
  readonly linkedTicket?: LinkedTicket;
}

/** A new incident (or maintenance) with its first, published update. */
export function openIncident(opening: IncidentOpening): Incident {
  const status = initialStatus(opening.kind);
  const affected = opening.affected.map((a) => ({ product: a.product, status: componentStatusFor(opening.kind, status, a.status) }));
  const linkedTickets = opening.linkedTicket === undefined ? [] : [opening.linkedTicket];
  return {
    id: opening.id,
    kind: opening.kind,
    title: opening.title,
    status,
    affected,
    noticeMode: opening.noticeMode ?? defaultNoticeMode(opening.kind, linkedTickets.length),
    noticeModeChosen: opening.noticeMode !== undefined,
    notifyAllOrganisations: opening.notifyAllOrganisations ?? false,
    ownerUid: opening.byUid,
    linkedTickets,
    updates: [{ id: opening.updateId, status, message: opening.message, publish: true, at: opening.at, byUid: opening.byUid, affected }],
    window: opening.window ?? null,
    createdAt: opening.at,
    updatedAt: opening.at,
    resolvedAt: null,
    revision: 1,
  };
}

/** What an update changes: the update itself, new component statuses if any, and the notice mode if staff choose one. */
export interface UpdateInput extends Omit<IncidentUpdate, 'affected'> {
  readonly affected?: readonly AffectedComponent[];
  readonly noticeMode?: NoticeMode;
}

/**
 * The incident after an update (`409` for an illegal status move or a closed incident).
 * Resolving puts every affected product back to operational; planned work in progress puts
 * them under maintenance.
 */
export function applyUpdate(incident: Incident, input: UpdateInput): Incident {
  assertIncidentTransition(incident.kind, incident.status, input.status);
  const requested = input.affected ?? incident.affected;
  const affected = requested.map((a) => ({ product: a.product, status: componentStatusFor(incident.kind, input.status, a.status) }));
  const noticeMode = input.noticeMode ?? incident.noticeMode;
  return {
    ...incident,
    status: input.status,
    affected,
    noticeMode,
    noticeModeChosen: incident.noticeModeChosen || input.noticeMode !== undefined,
    ownerUid: incident.ownerUid ?? input.byUid,
    updates: [...incident.updates, { id: input.id, status: input.status, message: input.message, publish: input.publish, at: input.at, byUid: input.byUid, affected }],
    updatedAt: input.at,
    resolvedAt: FINAL_STATUSES.includes(input.status) ? input.at : null,
    revision: incident.revision + 1,
  };
}

/** A component's status in an incident of `kind` at `status`, as staff asked it to be. */
function componentStatusFor(kind: IncidentKind, status: IncidentStatus, asked: ComponentStatus): ComponentStatus {
  if (FINAL_STATUSES.includes(status)) return 'operational';
  if (kind === 'maintenance') return status === 'scheduled' ? 'operational' : 'under_maintenance';
  return asked;
}

/**
 * Links a ticket to the incident (nothing changes when it is linked already). Until staff
 * choose the notice mode, the default rule follows the number of linked organisations.
 */
export function linkTicket(incident: Incident, ticket: LinkedTicket): Incident {
  if (incident.linkedTickets.some((t) => t.ticketId === ticket.ticketId)) return incident;
  const linkedTickets = [...incident.linkedTickets, ticket];
  const noticeMode = incident.noticeModeChosen ? incident.noticeMode : defaultNoticeMode(incident.kind, linkedOrganisations({ linkedTickets }).length);
  return { ...incident, linkedTickets, noticeMode, updatedAt: ticket.linkedAt, revision: incident.revision + 1 };
}

/** Who gets a direct notice of an update: each reporting customer once, and each organisation when all are told. */
export type NoticeRecipient = { readonly kind: 'customer'; readonly uid: string } | { readonly kind: 'organisation'; readonly orgId: string };

/**
 * The direct notices one published update causes: none on the status page (subscribers and
 * readers get it there) or for a staff note; otherwise one per reporting customer, plus one
 * per other organisation using the product when all are told.
 */
export function noticeRecipients(
  incident: Pick<Incident, 'noticeMode' | 'notifyAllOrganisations' | 'linkedTickets'>,
  update: Pick<IncidentUpdate, 'publish'>,
  organisationsUsingProducts: readonly string[],
): NoticeRecipient[] {
  if (!update.publish || incident.noticeMode !== 'direct') return [];
  const customers = [...new Set(incident.linkedTickets.flatMap((t) => (t.customerUid === null ? [] : [t.customerUid])))];
  const recipients: NoticeRecipient[] = customers.map((uid) => ({ kind: 'customer', uid }));
  if (incident.notifyAllOrganisations) {
    const reached = new Set(incident.linkedTickets.filter((t) => t.customerUid !== null).map((t) => t.orgId));
    for (const orgId of new Set(organisationsUsingProducts)) if (!reached.has(orgId)) recipients.push({ kind: 'organisation', orgId });
  }
  return recipients;
}

/** Where a maintenance window stands at `nowMs`, as the scheduler moves it. */
export function maintenanceStatusDue(incident: Pick<Incident, 'kind' | 'status' | 'window'>, nowMs: number): IncidentStatus | null {
  if (incident.kind !== 'maintenance' || incident.window === null || !isOpen(incident)) return null;
  if (nowMs >= Date.parse(incident.window.endsAt)) return 'completed';
  if (incident.status === 'scheduled' && nowMs >= Date.parse(incident.window.startsAt)) return 'in_progress';
  return null;
}

/** When the scheduler next has something to do for this maintenance, or null. */
export function nextMaintenanceCheck(incident: Pick<Incident, 'kind' | 'status' | 'window'>): string | null {
  if (incident.kind !== 'maintenance' || incident.window === null || !isOpen(incident)) return null;
  return incident.status === 'scheduled' ? incident.window.startsAt : incident.window.endsAt;
}
