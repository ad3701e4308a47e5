/**
 * Incidents end to end on the emulators, through the real HTTP server and Pub/Sub push:
 * severity-1 tickets open one incident per product (also when the event is delivered twice or
 * two tickets arrive together), staff updates with their notices and status-page events,
 * resolution of the linked tickets, and bad input.
 */
import { PubSub } from '@google-cloud/pubsub';
import { StatusUpdatePublishedEventSchema } from '../../functions/src/application/incidents/status-update-event';
import { TOPICS } from '../../functions/src/manifest';
import { call, eventually, outboxEvents, portalTicket, useHarness } from './harness';

const h = useHarness('incidents');

/** An agent's severity-1 ticket for an organisation's customer. */
async function severityOneTicket(orgId = 'demo-org', customerUid = 'demo-customer', product = 'online'): Promise<string> {
  const created = await call(h.api, 'POST', '/v1/tickets', {
    token: h.tokens.l1,
    body: portalTicket({ orgId, customerUid, product, severity: 1, subject: 'Nothing works', description: 'All invoices fail since 9:00.' }),
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function incidentsOf(product: string): Promise<any[]> {
  const listed = await call(h.api, 'GET', `/v1/incidents?product=${product}`, { token: h.tokens.manager });
  expect(listed.status).toBe(200);
  return listed.body.items as any[];
}

/** The product's incident once it links every one of `ticketIds`. */
async function incidentLinking(product: string, ticketIds: readonly string[]): Promise<any> {
  return eventually(
    async () => {
      const [incident, ...others] = await incidentsOf(product);
      if (others.length > 0) throw new Error(`more than one incident for ${product}: ${others.length + 1}`);
      const linked = new Set((incident?.linkedTickets ?? []).map((t: { ticketId: string }) => t.ticketId));
      return ticketIds.every((id) => linked.has(id)) ? incident : undefined;
    },
    20_000,
    `an incident linking ${ticketIds.join(', ')}`,
  );
}

async function notices(incidentId: string): Promise<any[]> {
  const snapshot = await h.services.db.collection('notifications').where('type', '==', 'incident.notice').get();
  return snapshot.docs.map((d) => d.data()).filter((n) => n['data']['incidentId'] === incidentId);
}

describe('severity-1 tickets open incidents', () => {
  it('when a severity-1 ticket arrives and its event is delivered twice, then one incident links it once and its reporter is told once', async () => {
    const ticketId = await severityOneTicket();
    const incident = await incidentLinking('online', [ticketId]);
    expect(incident).toMatchObject({ kind: 'incident', status: 'investigating', noticeMode: 'direct', affected: [{ product: 'online', status: 'major_outage' }] });

    const [event] = await outboxEvents(h.services, TOPICS.ticketSeverityOne, 'ticket.severity_one', ticketId);
    const pubsub = new PubSub({ projectId: h.services.config.GOOGLE_CLOUD_PROJECT });
    try {
      await pubsub.topic(TOPICS.ticketSeverityOne).publishMessage({ json: event, attributes: { eventId: event!.id } });
    } finally {
      await pubsub.close();
    }
    await eventually(async () => ((await notices(incident.id)).length > 0 ? true : undefined), 15_000, 'the first notice');
    // Give the redelivery time to be handled, then check nothing doubled.
    await new Promise((r) => setTimeout(r, 3_000));
    const after = await incidentsOf('online');
    expect(after).toHaveLength(1);
    expect(after[0].linkedTickets).toHaveLength(1);
    expect(after[0].revision).toBe(incident.revision);
    const told = await notices(incident.id);
    expect(told).toHaveLength(1);
    expect(told[0].data).toMatchObject({ recipientUid: 'demo-customer', status: 'investigating' });
  });

  it('when a second severity-1 ticket of another organisation arrives for the same product, then it links to the open incident, which goes on the status page', async () => {
    const first = await severityOneTicket();
    await incidentLinking('online', [first]);
    const second = await severityOneTicket('other-org', 'other-customer');
    const incident = await incidentLinking('online', [first, second]);
    expect(incident.noticeMode).toBe('status_page');
    const published = await eventually(
      async () => {
        const events = await outboxEvents(h.services, TOPICS.statusUpdates, 'status.update_published');
        return events.length > 0 ? events : undefined;
      },
      10_000,
      'the status-page publication',
    );
    expect(published).toHaveLength(1);
    expect(StatusUpdatePublishedEventSchema.parse(published[0]).data).toMatchObject({ incidentId: incident.id, products: ['online'], status: 'investigating', impact: 'critical' });
  });

  it('when two severity-1 tickets for one product arrive together, then one incident links both', async () => {
    const [a, b] = await Promise.all([severityOneTicket(), severityOneTicket('other-org', 'other-customer')]);
    await incidentLinking('online', [a, b]);
    const snapshot = await h.services.db.collection('incidents').get();
    expect(snapshot.size).toBe(1);
  });
});

describe('staff updates', () => {
  it('when staff resolve the incident, then its linked tickets are resolved with a message to their customers and the product can open a new incident', async () => {
    const ticketId = await severityOneTicket();
    const incident = await incidentLinking('online', [ticketId]);
    const resolved = await call(h.api, 'POST', `/v1/incidents/${incident.id}/updates`, {
      token: h.tokens.l2,
      body: { status: 'resolved', message: 'Fixed. The password was Hunter2Secret! for the record.', publish: true },
    });
    expect(resolved.status).toBe(201);
    expect(resolved.body.incident).toMatchObject({ status: 'resolved', affected: [{ product: 'online', status: 'operational' }], ownerUid: 'demo-agent-l2' });
    expect(resolved.body.update.message).not.toContain('Hunter2Secret!');

    const ticket = await eventually(
      async () => {
        const read = await call(h.api, 'GET', `/v1/tickets/${ticketId}`, { token: h.tokens.customer });
        return read.body.status === 'resolved' ? read.body : undefined;
      },
      15_000,
      'the linked ticket resolved',
    );
    expect(ticket.messages.some((m: { body: string }) => m.body.includes('has been resolved'))).toBe(true);
    const told = await eventually(async () => ((await notices(incident.id)).length === 2 ? await notices(incident.id) : undefined), 10_000, 'two notices');
    expect(told.map((n) => n.data.status).sort()).toEqual(['investigating', 'resolved']);

    const again = await call(h.api, 'POST', '/v1/incidents', {
      token: h.tokens.manager,
      body: { title: 'Slow sending', affected: [{ product: 'online', status: 'degraded_performance' }], message: 'Sending is slow.' },
    });
    expect(again.status).toBe(201);
  });

  it('when staff open an incident for a product that has one open, then it is a 409 naming the open incident', async () => {
    const body = { title: 'Outage', affected: [{ product: 'tms', status: 'partial_outage' }], message: 'Looking into it.', noticeMode: 'status_page' };
    const first = await call(h.api, 'POST', '/v1/incidents', { token: h.tokens.manager, body });
    expect(first.status).toBe(201);
    const second = await call(h.api, 'POST', '/v1/incidents', { token: h.tokens.l1, body });
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    expect(second.body.openIncidentId).toBe(first.body.id);
  });
});

describe('bad input changes nothing', () => {
  it('when the incident is unknown, the status move illegal, a product unknown or the caller a customer, then problem+json and the incident is unchanged', async () => {
    const opened = await call(h.api, 'POST', '/v1/incidents', {
      token: h.tokens.manager,
      body: { title: 'Outage', affected: [{ product: 'health', status: 'major_outage' }], message: 'Looking into it.' },
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    const resolve = await call(h.api, 'POST', `/v1/incidents/${id}/updates`, { token: h.tokens.manager, body: { status: 'resolved', message: 'Fixed.', publish: true } });
    expect(resolve.status).toBe(201);
    const before = (await call(h.api, 'GET', `/v1/incidents/${id}`, { token: h.tokens.manager })).body;

    const unknown = await call(h.api, 'POST', '/v1/incidents/no-such-incident/updates', { token: h.tokens.manager, body: { status: 'identified', message: 'x', publish: false } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect((await call(h.api, 'GET', '/v1/incidents/no-such-incident', { token: h.tokens.manager })).status).toBe(404);

    const illegal = await call(h.api, 'POST', `/v1/incidents/${id}/updates`, { token: h.tokens.manager, body: { status: 'investigating', message: 'Again?', publish: true } });
    expect(illegal.status).toBe(409);
    expect(illegal.body).toMatchObject({ from: 'resolved', to: 'investigating', status: 409 });
    const tmsIncident = await call(h.api, 'POST', '/v1/incidents', {
      token: h.tokens.manager,
      body: { title: 'Outage', affected: [{ product: 'tms', status: 'major_outage' }], message: 'x' },
    });
    const wrongKind = await call(h.api, 'POST', `/v1/incidents/${tmsIncident.body.id}/updates`, { token: h.tokens.manager, body: { status: 'in_progress', message: 'x', publish: true } });
    expect(wrongKind.status).toBe(409);

    const unknownProduct = await call(h.api, 'POST', '/v1/incidents', { token: h.tokens.manager, body: { title: 'x', affected: [{ product: 'nope', status: 'major_outage' }], message: 'x' } });
    expect(unknownProduct.status).toBe(400);
    expect(unknownProduct.body.errors).toEqual([{ path: 'affected.0.product', message: 'is not a product of the catalog' }]);
    const extraField = await call(h.api, 'POST', `/v1/incidents/${id}/updates`, { token: h.tokens.manager, body: { status: 'resolved', message: 'x', publish: true, linkedTickets: [] } });
    expect(extraField.status).toBe(400);
    const customer = await call(h.api, 'POST', '/v1/incidents', { token: h.tokens.customer, body: { title: 'x', affected: [{ product: 'online', status: 'major_outage' }], message: 'x' } });
    expect(customer.status).toBe(403);
    expect((await call(h.api, 'GET', '/v1/incidents', { token: h.tokens.customer })).status).toBe(403);

    const after = (await call(h.api, 'GET', `/v1/incidents/${id}`, { token: h.tokens.manager })).body;
    expect(after).toEqual(before);
    const listed = await call(h.api, 'GET', '/v1/incidents?state=resolved', { token: h.tokens.l3 });
    expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([id]);
  });
});
