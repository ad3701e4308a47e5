/**
 * The incident process for a severity-1 ticket (the `ticket-severity-one` event): the ticket
 * opens an incident for its product, or is linked to the product's open incident. One
 * incident per product however often the event is delivered and however many severity-1
 * tickets arrive together: the product's lock, the incident and the event's processed marker
 * are read and written in one transaction.
 */
import { iso } from '../../domain/instant';
import {
  latestPublished,
  linkTicket,
  noticeRecipients,
  openIncident,
  type Incident,
  type LinkedTicket,
} from '../../domain/incident';
import { type IncidentDeps } from './deps';
import { dispatchQuietly } from '../tickets/ticket-mutation';
import { incidentChangeEvents, type Notices } from './incident-events';

export interface SeverityOneTicket {
  readonly ticketId: string;
  readonly product: string;
  readonly orgId: string;
}

/** What the handler did, for its log line. */
export type SeverityOneOutcome = 'opened' | 'linked' | 'already linked' | 'duplicate';

/** Handles one delivery of the event `eventId`. */
export async function handleSeverityOneTicket(deps: IncidentDeps, eventId: string, input: SeverityOneTicket): Promise<SeverityOneOutcome> {
  const ticket = await deps.tickets.get(input.ticketId);
  const at = iso(deps.clock.now());
  const linked: LinkedTicket = { ticketId: input.ticketId, orgId: input.orgId, customerUid: ticket?.customerUid ?? null, linkedAt: at };
  const catalog = await deps.configuration.catalog();
  const productName = catalog.products.find((p) => p.id === input.product)?.name ?? input.product;
  const newId = deps.ids.newId();
  const updateId = deps.ids.newId();
  const outcome = await deps.incidents.openOrLink<SeverityOneOutcome>(`incident-severity-one:${eventId}`, input.product, (open) => {
    if (open === null) {
      const incident = openIncident({
        id: newId,
        kind: 'incident',
        title: `${productName}: service problem`,
        affected: [{ product: input.product, status: 'major_outage' }],
        message: `We are investigating a problem with ${productName}.`,
        updateId,
        at,
        byUid: null,
        linkedTicket: linked,
      });
      const [first] = incident.updates;
      const notices: Notices[] = first === undefined ? [] : [{ update: first, recipients: noticeRecipients(incident, first, []) }];
      return { incident, events: incidentChangeEvents(deps, null, incident, at, first ?? null, notices), result: 'opened' };
    }
    const after = linkTicket(open, linked);
    if (after === open) return { incident: open, events: [], result: 'already linked' };
    return { incident: after, events: incidentChangeEvents(deps, open, after, at, null, noticesForNewReporter(open, after)), result: 'linked' };
  });
  if (!outcome.applied) return 'duplicate';
  await dispatchQuietly(deps, outcome.events);
  deps.logger.info('severity-1 ticket joined the incident process', { ticketId: input.ticketId, incidentId: outcome.incident.id, outcome: outcome.result });
  return outcome.result;
}

/** A newly linked reporter of a directly told incident hears the newest published update. */
function noticesForNewReporter(before: Incident, after: Incident): Notices[] {
  const latest = latestPublished(after);
  if (latest === undefined) return [];
  const earlier = new Set(noticeRecipients(before, latest, []).map((r) => (r.kind === 'customer' ? r.uid : r.orgId)));
  const recipients = noticeRecipients(after, latest, []).filter((r) => r.kind === 'customer' && !earlier.has(r.uid));
  return recipients.length === 0 ? [] : [{ update: latest, recipients }];
}
