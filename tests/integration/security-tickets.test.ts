/**
 * Issue 15, findings 2, 5, 8 and 9: what customers and agents tried against the ticket API,
 * through the real HTTP server on the emulators.
 */
import { getApps } from 'firebase-admin/app';
import { FirebaseIdentityAdmin } from '../../functions/src/adapters/firebase-identity-admin';
import { TOPICS } from '../../functions/src/manifest';
import { DEMO_PASSWORD, signIn } from '../../scripts/lib/demo';
import { call, callAsClient, eventually, outboxEvents, portalTicket, testClock, useHarness, type ApiResult } from './harness';

const h = useHarness('security-tickets');

const DAY = 24 * 60 * 60 * 1000;
const TRAINED = '2026-01-05T09:00:00.000Z';

/** Another customer of demo-org, with an account to sign in with. */
async function colleague(): Promise<string> {
  const app = getApps()[0];
  if (app === undefined) throw new Error('firebase-admin is not initialised');
  await new FirebaseIdentityAdmin(app).ensureDemoUser('demo-colleague', 'colleague@demo-org.example', DEMO_PASSWORD, 'Colleague');
  await h.services.principals.putCustomer('demo-colleague', 'demo-org', TRAINED);
  return signIn('colleague@demo-org.example');
}

async function create(token: string, body: Record<string, unknown> = portalTicket(), headers: Record<string, string> = {}): Promise<ApiResult> {
  return call(h.api, 'POST', '/v1/tickets', { token, body, headers });
}

async function createdId(token: string, body?: Record<string, unknown>): Promise<string> {
  const created = await create(token, body);
  expect(created.status).toBe(201);
  return created.body.id as string;
}

const moveTo = (id: string, status: string, token: string) => call(h.api, 'POST', `/v1/tickets/${id}/status`, { token, body: { status } });

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

describe('finding 9: agent-created tickets', () => {
  const forOrg = (overrides: Record<string, unknown>) => ({ ...portalTicket(), orgId: 'demo-org', ...overrides });

  it('when an agent creates a ticket for an organisation that does not exist, then it is 422 and nothing is written', async () => {
    const answer = await create(h.tokens.l1, forOrg({ orgId: 'no-such-org' }));
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ code: 'INTAKE.UNKNOWN_ORGANISATION', status: 422 });
    expect(await ticketCount()).toBe(0);
  });

  it("when an agent creates a ticket for another organisation's customer or an unknown one, then it is 422 and nothing is written", async () => {
    for (const customerUid of ['other-customer', 'nobody-at-all', 'demo-agent-l2']) {
      const answer = await create(h.tokens.l1, forOrg({ customerUid }));
      expect([customerUid, answer.status, answer.body.code]).toEqual([customerUid, 422, 'INTAKE.CUSTOMER_NOT_IN_ORGANISATION']);
    }
    expect(await ticketCount()).toBe(0);
    // No CSAT invitation can reach another organisation's customer: nothing went to the outbox.
    expect((await h.services.db.collection('outbox').count().get()).data().count).toBe(0);
  });

  it('when an agent creates a ticket outside their product, language or tier, then it is 403 and nothing is written', async () => {
    const narrowed = await call(h.api, 'PUT', '/v1/admin/staff/demo-agent-l1', {
      token: h.tokens.admin,
      body: { role: 'agent', tier: 'L1', languages: ['fi', 'en'], products: ['online'], trainedAt: TRAINED, active: true },
    });
    expect(narrowed.status).toBe(200);
    expect((await create(h.tokens.l1, forOrg({ language: 'sv' }))).status).toBe(403);
    expect((await create(h.tokens.l1, forOrg({ language: 'en', product: 'tms' }))).status).toBe(403);
    // New tickets start at L1: an L2 agent could not see what they created.
    expect((await create(h.tokens.l2, forOrg({}))).status).toBe(403);
    expect(await ticketCount()).toBe(0);

    const inScope = await create(h.tokens.l1, forOrg({ language: 'fi', customerUid: 'demo-customer' }));
    expect(inScope.status).toBe(201);
    expect(inScope.body).toMatchObject({ orgId: 'demo-org', customerUid: 'demo-customer', language: 'fi', tier: 'L1' });
  });

  it('when a client reads the OpenAPI document, then it describes the agent create body and the 202 of a privacy-officer grant', async () => {
    const document = (await call(h.api, 'GET', '/v1/openapi.json')).body;
    const body = document.paths['/v1/tickets'].post.requestBody.content['application/json'].schema;
    const alternatives = body.oneOf ?? body.anyOf;
    expect(alternatives).toEqual(
      expect.arrayContaining([{ $ref: '#/components/schemas/CustomerTicketCreate' }, { $ref: '#/components/schemas/AgentTicketCreate' }]),
    );
    expect(document.components.schemas.AgentTicketCreate.required).toEqual(expect.arrayContaining(['orgId']));
    expect(Object.keys(document.components.schemas.AgentTicketCreate.properties)).toEqual(expect.arrayContaining(['orgId', 'customerUid']));
    const putStaff = document.paths['/v1/admin/staff/{uid}'].put;
    expect(Object.keys(putStaff.responses)).toEqual(expect.arrayContaining(['200', '202']));
    expect(document.paths['/v1/admin/staff-grants'].get).toBeDefined();
    expect(document.paths['/v1/admin/staff-grants/{grantId}/approve'].post).toBeDefined();
  });
});

describe('finding 8: customer status moves', () => {
  it("when another customer of the organisation resolves and closes someone's ticket, then it is refused and the owner keeps control", async () => {
    const id = await createdId(h.tokens.customer);
    const other = await colleague();
    expect((await call(h.api, 'GET', `/v1/tickets/${id}`, { token: other })).status).toBe(200);

    const resolve = await moveTo(id, 'resolved', other);
    expect(resolve.status).toBe(403);
    expect(resolve.headers.get('content-type')).toContain('application/problem+json');
    expect((await moveTo(id, 'closed', other)).status).toBe(403);
    expect((await call(h.api, 'GET', `/v1/tickets/${id}`, { token: h.tokens.customer })).body.status).toBe('new');

    expect((await moveTo(id, 'resolved', h.tokens.customer)).status).toBe(200);
    expect((await moveTo(id, 'closed', other)).status).toBe(403);
    expect((await moveTo(id, 'open', other)).status).toBe(403);
    expect((await moveTo(id, 'open', h.tokens.customer)).status).toBe(200);
    // Staff in scope still move it.
    expect((await moveTo(id, 'resolved', h.tokens.l1)).status).toBe(200);
  });

  it('when a customer loops reopen → resolve, then the resolution is counted once and the CSAT window stays from the first resolution', async () => {
    // A day of its own for the figures (inside the consumer's 7-day maximum age).
    testClock.offsetMs += 3 * DAY;
    const day = new Date(testClock.now()).toISOString().slice(0, 10);
    const id = await createdId(h.tokens.customer);
    const firstResolution = await moveTo(id, 'resolved', h.tokens.customer);
    expect(firstResolution.status).toBe(200);
    const firstResolvedAt = Date.parse(firstResolution.body.resolvedAt);
    for (let loop = 0; loop < 3; loop++) {
      expect((await moveTo(id, 'open', h.tokens.customer)).status).toBe(200);
      expect((await moveTo(id, 'resolved', h.tokens.customer)).status).toBe(200);
    }

    expect(await outboxEvents(h.services, TOPICS.ticketLifecycle, 'ticket.reopened', id)).toHaveLength(3);
    expect(await outboxEvents(h.services, TOPICS.ticketLifecycle, 'ticket.resolved', id)).toHaveLength(1);
    expect(await outboxEvents(h.services, TOPICS.notifications, 'csat.invitation', id)).toHaveLength(1);
    const figures = await eventually(
      async () => {
        const read = await call(h.api, 'GET', `/v1/metrics/support?from=${day}&to=${day}`, { token: h.tokens.manager });
        return read.body.tickets?.reopened === 3 ? read.body : undefined;
      },
      30_000,
      'the three reopenings to be counted',
    );
    expect(figures.tickets).toMatchObject({ created: 1, resolved: 1, reopened: 3 });
    expect(figures.firstLevelResolution).toMatchObject({ resolvedAtL1WithoutEscalation: 1, resolved: 1 });

    // Twenty days later one more loop: the window still ends 28 days after the first resolution.
    testClock.offsetMs += 20 * DAY;
    expect((await moveTo(id, 'open', h.tokens.customer)).status).toBe(200);
    expect((await moveTo(id, 'resolved', h.tokens.customer)).status).toBe(200);
    testClock.offsetMs += 10 * DAY;
    const late = await call(h.api, 'POST', `/v1/tickets/${id}/csat`, { token: h.tokens.customer, body: { rating: 5 } });
    expect(late.status).toBe(422);
    expect(late.body).toMatchObject({ code: 'CSAT.WINDOW_CLOSED', answerableUntil: new Date(firstResolvedAt + 28 * DAY).toISOString() });
  });
});

describe('finding 2: authorization checked outside the transaction', () => {
  it('when one L1 agent sends five escalations of a new ticket at once, then it moves one tier and the rest are refused', async () => {
    for (let round = 0; round < 3; round++) {
      const id = await createdId(h.tokens.customer);
      // A 503 (the emulator's lock on the ticket outlasting the request deadline) is retried, as a client would.
      const answers = await Promise.all(
        Array.from({ length: 5 }, async (_, i) =>
          callAsClient(h.api, 'POST', `/v1/tickets/${id}/escalate`, { token: h.tokens.l1, body: { reason: `attempt ${round}.${i}` } }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      // One moves it (a request cut at its deadline may have committed unanswered: then its retry is the 404 too).
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(1);
      expect(statuses.filter((s) => s !== 200 && s !== 404)).toEqual([]);
      const ticket = (await call(h.api, 'GET', `/v1/tickets/${id}`, { token: h.tokens.manager })).body;
      expect(ticket.tier).toBe('L2');
      expect(ticket.escalations).toEqual([expect.objectContaining({ from: 'L1', to: 'L2', by: 'demo-agent-l1' })]);
    }
  });
});
