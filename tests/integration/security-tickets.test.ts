/**
 * Issue 15, findings 2, 5, 8 and 9: what customers and agents tried against the ticket API,
 * through the real HTTP server on the emulators.
 */
import { call, portalTicket, useHarness, type ApiResult } from './harness';

const h = useHarness('security-tickets');

async function create(token: string, body: Record<string, unknown> = portalTicket(), headers: Record<string, string> = {}): Promise<ApiResult> {
  return call(h.api, 'POST', '/v1/tickets', { token, body, headers });
}

async function ticketCount(): Promise<number> {
  return (await h.services.db.collection('tickets').count().get()).data().count;
}

describe('finding 5: idempotent replay skips the access check', () => {
  it('when a customer moved to another organisation repeats a create with the same key, then the old ticket is not returned', async () => {
    const body = portalTicket({ subject: 'Invoices of the old organisation' });
    const first = await create(h.tokens.customer, body, { 'Idempotency-Key': 'replay-after-move' });
    expect(first.status).toBe(201);
    const moved = await call(h.api, 'PUT', '/v1/admin/customers/demo-customer', { token: h.tokens.admin, body: { orgId: 'other-org' } });
    expect(moved.status).toBe(200);
    expect((await call(h.api, 'GET', `/v1/tickets/${first.body.id}`, { token: h.tokens.customer })).status).toBe(404);

    const replayed = await create(h.tokens.customer, body, { 'Idempotency-Key': 'replay-after-move' });
    expect(replayed.status).toBe(404);
    expect(replayed.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(replayed.body)).not.toContain(first.body.id);
    expect(JSON.stringify(replayed.body)).not.toContain('old organisation');
    expect(replayed.headers.get('idempotent-replayed')).toBeNull();
    expect(await ticketCount()).toBe(1);
  });
});
