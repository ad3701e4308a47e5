/**
 * The events an incident change writes to the outbox with it, in the same transaction: that
 * it changed (the status summary projects it), the public update (status-page subscribers),
 * the direct notices (one per recipient per update) and, when it is resolved, the hand-off
 * that resolves its tickets.
 */
import {
  incidentImpact,
  isOpen,
  isPublic,
  latestPublished,
  productsOf,
  type Incident,
  type IncidentUpdate,
  type NoticeRecipient,
} from '../../domain/incident';
import { newEvent, notificationEvent, type EventDeps } from '../../domain/events';
import type { DomainEvent } from '../../domain/events';
import { STATUS_UPDATE_PUBLISHED, type StatusUpdatePublishedData } from './status-update-event';

/** Direct notices of one update. */
export interface Notices {
  readonly update: IncidentUpdate;
  readonly recipients: readonly NoticeRecipient[];
}

function published(deps: EventDeps, incident: Incident, update: IncidentUpdate): DomainEvent {
  const data: StatusUpdatePublishedData = {
    incidentId: incident.id,
    updateId: update.id,
    kind: incident.kind,
    products: productsOf(incident),
    status: update.status,
    impact: incidentImpact(incident),
    title: incident.title,
    message: update.message,
    publishedAt: update.at,
  };
  return newEvent(deps, 'status.update_published', STATUS_UPDATE_PUBLISHED, update.at, { ...data });
}

function notice(deps: EventDeps, incident: Incident, update: IncidentUpdate, recipient: NoticeRecipient): DomainEvent {
  return notificationEvent(deps, 'incident.notice', update.at, {
    incidentId: incident.id,
    updateId: update.id,
    ...(recipient.kind === 'customer' ? { recipientUid: recipient.uid } : { recipientOrgId: recipient.orgId }),
    title: incident.title,
    status: update.status,
    message: update.message,
  });
}

/**
 * The events of a change from `before` (null for a new incident) to `after` at `at`. An
 * update shown on the status page is published once; an incident that becomes public
 * publishes its newest published update, so subscribers hear of it.
 */
export function incidentChangeEvents(
  deps: EventDeps,
  before: Incident | null,
  after: Incident,
  at: string,
  update: IncidentUpdate | null,
  notices: readonly Notices[],
): DomainEvent[] {
  const events = [newEvent(deps, 'incident.changed', 'incident.changed', at, { incidentId: after.id, revision: after.revision })];
  if (isPublic(after)) {
    const becamePublic = before !== null && !isPublic(before);
    const shown = update?.publish === true ? update : becamePublic ? latestPublished(after) : undefined;
    if (shown !== undefined) events.push(published(deps, after, shown));
  }
  for (const { update: noticed, recipients } of notices) {
    for (const recipient of recipients) events.push(notice(deps, after, noticed, recipient));
  }
  if (after.kind === 'incident' && (before === null || isOpen(before)) && !isOpen(after)) {
    events.push(
      newEvent(deps, 'incident.resolved', 'incident.resolved', at, {
        incidentId: after.id,
        title: after.title,
        ticketIds: after.linkedTickets.map((t) => t.ticketId),
      }),
    );
  }
  return events;
}
