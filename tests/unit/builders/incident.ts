/** Test data for incidents: an open unplanned incident on `online`, told directly, changed by small steps. */
import { openIncident, type AffectedComponent, type Incident, type IncidentOpening, type LinkedTicket } from '../../../functions/src/domain/incident';

export const AT = '2026-11-30T10:00:00.000Z';

/** A linked ticket of `orgId`'s customer. */
export function aLinkedTicket(ticketId: string, orgId = 'org-a', customerUid: string | null = `${orgId}-customer`): LinkedTicket {
  return { ticketId, orgId, customerUid, linkedAt: AT };
}

/** Builds an incident from an opening with defaults. */
export class IncidentBuilder {
  private opening: IncidentOpening = {
    id: 'inc-1',
    kind: 'incident',
    title: 'Invoices are not delivered',
    affected: [{ product: 'online', status: 'major_outage' }],
    message: 'We are investigating.',
    updateId: 'upd-1',
    at: AT,
    byUid: 'agent-1',
  };

  withId(id: string): this {
    this.opening = { ...this.opening, id };
    return this;
  }

  affecting(...affected: AffectedComponent[]): this {
    this.opening = { ...this.opening, affected };
    return this;
  }

  openedAt(at: string): this {
    this.opening = { ...this.opening, at };
    return this;
  }

  linking(ticket: LinkedTicket): this {
    this.opening = { ...this.opening, linkedTicket: ticket };
    return this;
  }

  onTheStatusPage(): this {
    this.opening = { ...this.opening, noticeMode: 'status_page' };
    return this;
  }

  maintenance(startsAt: string, endsAt: string): this {
    this.opening = { ...this.opening, kind: 'maintenance', window: { startsAt, endsAt } };
    return this;
  }

  build(): Incident {
    return openIncident(this.opening);
  }
}

export const anIncident = (): IncidentBuilder => new IncidentBuilder();
