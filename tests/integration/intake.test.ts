/** Intake and the ticket API end to end: real HTTP server, emulators, Pub/Sub push. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Firestore, type Timestamp } from '@google-cloud/firestore';
import { PubSub } from '@google-cloud/pubsub';
import { FirestoreTicketRepository } from '../../functions/src/adapters/firestore-tickets';
import type { TicketCreation } from '../../functions/src/application/ports';
import { TOPICS } from '../../functions/src/manifest';
import { call, eventually, outboxEvents, portalTicket, testClock, useHarness } from './harness';

const h = useHarness('intake');
const DAY_MS = 24 * 60 * 60 * 1000;

const create = (token: string, body: unknown, headers?: Record<string, string>) =>
  call(h.api, 'POST', '/v1/tickets', { token, body, ...(headers ? { headers } : {}) });

describe('public endpoints', () => {
  it('health reports status, region, version and that every dependency answers', async () => {
    const health = await call(h.api, 'GET', '/v1/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', region: 'test-region', version: expect.any(String), firestore: 'ok', pubsub: 'ok', auth: 'ok' });
  });

  it('the catalog tells per language and channel whether it is open and when it opens next', async () => {
    testClock.set('2026-11-28T12:00:00.000Z'); // a Saturday
    const catalog = await call(h.api, 'GET', '/v1/catalog');
    expect(catalog.status).toBe(200);
    const online = catalog.body.products.find((p: { id: string }) => p.id === 'online');
    const fi = online.languages.find((l: { language: string }) => l.language === 'fi');
    expect(fi.channels.chat).toEqual({ state: 'yes', available: true, openNow: false, nextOpenAt: '2026-11-30T06:00:00.000Z' });
    expect(fi.channels.portal).toMatchObject({ available: true, openNow: true });
    const sv = online.languages.find((l: { language: string }) => l.language === 'sv');
    expect(sv.channels.guides).toMatchObject({ state: 'soon', available: false, nextOpenAt: null });
    const en = online.languages.find((l: { language: string }) => l.language === 'en');
    expect(en.channels.chat).toMatchObject({ available: true, openNow: true });
  });

  it('the OpenAPI description is generated from the schemas', async () => {
    const doc = await call(h.api, 'GET', '/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    const refs: { $ref: string }[] = doc.body.paths['/v1/tickets'].post.requestBody.content['application/json'].schema.anyOf;
    expect(refs).toEqual([{ $ref: '#/components/schemas/CustomerTicketCreate' }, { $ref: '#/components/schemas/AgentTicketCreate' }]);
    const create = doc.body.components.schemas.CustomerTicketCreate;
    expect(create.properties.channel.enum).toEqual(['portal', 'chat', 'phone', 'email']);
    expect(create.additionalProperties).toBe(false);
    expect(doc.body.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail']);
    expect(doc.body.paths['/v1/tickets/{id}'].get).toBeDefined();
  });

  it('an unknown path is a problem+json 404', async () => {
    const missing = await call(h.api, 'GET', '/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(missing.body).toMatchObject({ status: 404, title: expect.any(String), type: expect.any(String), detail: expect.any(String) });
  });
});

describe('ticket intake', () => {
  it('when a customer creates a ticket, then it is stored at L1 with SLA clocks, notices, and can be read and listed', async () => {
    const created = await create(h.tokens.customer, portalTicket({ severity: 2 }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      orgId: 'demo-org',
      product: 'online',
      language: 'en',
      channel: 'portal',
      requestedSeverity: 2,
      severity: 2,
      tier: 'L1',
      status: 'new',
      escalations: [],
      redactions: [],
      notices: [expect.stringContaining('password')],
    });
    expect(Date.parse(created.body.sla.firstResponseDueAt)).toBeGreaterThan(Date.parse(created.body.createdAt));
    expect(created.body.sla.paused).toBe(false);
    expect(created.headers.get('location')).toBe(`/v1/tickets/${created.body.id}`);

    const read = await call(h.api, 'GET', `/v1/tickets/${created.body.id}`, { token: h.tokens.customer });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.body.id, subject: 'Invoices are not delivered', messages: [] });

    const listed = await call(h.api, 'GET', '/v1/tickets', { token: h.tokens.customer });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((t: { id: string }) => t.id)).toEqual([created.body.id]);
  });

  it('when a customer requests severity 1, then the ticket starts at 2 and keeps the request', async () => {
    const created = await create(h.tokens.customer, portalTicket({ severity: 1 }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ requestedSeverity: 1, severity: 2, severityConfirmed: false });
  });

  it('lists page with a cursor and filter by status and severity', async () => {
    for (const severity of [3, 4, 3]) expect((await create(h.tokens.customer, portalTicket({ severity }))).status).toBe(201);
    const first = await call(h.api, 'GET', '/v1/tickets?limit=2', { token: h.tokens.customer });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await call(h.api, 'GET', `/v1/tickets?limit=2&cursor=${first.body.nextCursor}`, { token: h.tokens.customer });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.items, ...second.body.items].map((t: { id: string }) => t.id);
    expect(new Set(ids).size).toBe(3);
    const severityFour = await call(h.api, 'GET', '/v1/tickets?severity=4', { token: h.tokens.customer });
    expect(severityFour.body.items).toHaveLength(1);
    const badFilter = await call(h.api, 'GET', '/v1/tickets?severity=9&status=nope', { token: h.tokens.customer });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['query.severity', 'query.status']);
    const badCursor = await call(h.api, 'GET', '/v1/tickets?cursor=not-a-cursor', { token: h.tokens.customer });
    expect(badCursor.status).toBe(400);
  });

  it('the same Idempotency-Key and body give the same ticket; a different body is 409', async () => {
    const key = randomUUID();
    const first = await create(h.tokens.customer, portalTicket(), { 'Idempotency-Key': key });
    const again = await create(h.tokens.customer, portalTicket(), { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const conflict = await create(h.tokens.customer, portalTicket({ subject: 'Something else' }), { 'Idempotency-Key': key });
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get('content-type')).toContain('application/problem+json');
    const listed = await call(h.api, 'GET', '/v1/tickets', { token: h.tokens.customer });
    expect(listed.body.items).toHaveLength(1);
  });

  it('concurrent requests with one Idempotency-Key create one ticket', async () => {
    const key = randomUUID();
    const results = await Promise.all([1, 2, 3].map(() => create(h.tokens.customer, portalTicket(), { 'Idempotency-Key': key })));
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const listed = await call(h.api, 'GET', '/v1/tickets', { token: h.tokens.customer });
    expect(listed.body.items).toHaveLength(1);
  });

  it('concurrent requests of several callers each get their own ticket, even when one of them replays an earlier key', async () => {
    const usedKey = randomUUID();
    const earlier = await create(h.tokens.customer, portalTicket({ subject: 'The earlier one' }), { 'Idempotency-Key': usedKey });
    const bodies = [1, 2, 3, 4, 5, 6].map((i) => portalTicket({ subject: `Concurrent ${i}` }));
    const results = await Promise.all([
      ...bodies.map((body, i) => create(i % 2 === 0 ? h.tokens.customer : h.tokens.otherCustomer, body, { 'Idempotency-Key': randomUUID() })),
      create(h.tokens.customer, portalTicket({ subject: 'The earlier one' }), { 'Idempotency-Key': usedKey }),
    ]);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201, 201]);
    const replay = results[6];
    expect(replay?.body.id).toBe(earlier.body.id);
    expect(replay?.headers.get('idempotent-replayed')).toBe('true');
    const fresh = results.slice(0, 6);
    expect(new Set(fresh.map((r) => r.body.id)).size).toBe(6);
    expect(fresh.map((r) => r.headers.get('idempotent-replayed'))).toEqual([null, null, null, null, null, null]);
    for (const [i, result] of fresh.entries()) {
      const token = i % 2 === 0 ? h.tokens.customer : h.tokens.otherCustomer;
      const read = await call(h.api, 'GET', `/v1/tickets/${result.body.id}`, { token });
      expect(read.body.subject).toBe(`Concurrent ${i + 1}`);
    }
  });

  it('a retry with the same Idempotency-Key after the chat closed returns the ticket taken while it was open', async () => {
    const key = randomUUID();
    testClock.set('2026-11-30T08:00:00.000Z'); // Monday 10:00 in Helsinki: Finnish chat is open
    const first = await create(h.tokens.customer, portalTicket({ language: 'fi', channel: 'chat' }), { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    testClock.set('2026-11-30T15:30:00.000Z'); // 17:30 in Helsinki: closed
    const retry = await create(h.tokens.customer, portalTicket({ language: 'fi', channel: 'chat' }), { 'Idempotency-Key': key });
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    const fresh = await create(h.tokens.customer, portalTicket({ language: 'fi', channel: 'chat' }), { 'Idempotency-Key': randomUUID() });
    expect(fresh.status).toBe(422);
  });

  it('a channel the catalog does not offer is 422 with the channels that are available', async () => {
    const refused = await create(h.tokens.customer, portalTicket({ language: 'ar', channel: 'chat' }));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ status: 422, availableChannels: ['portal'] });
  });

  it('a closed chat is 422 with the next opening time and the channels open now', async () => {
    testClock.set('2026-11-28T12:00:00.000Z'); // Saturday: Finnish chat opens Monday 08:00 Helsinki
    const refused = await create(h.tokens.customer, portalTicket({ language: 'fi', channel: 'chat' }));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ nextOpenAt: '2026-11-30T06:00:00.000Z', openChannels: ['portal'] });
    const portal = await create(h.tokens.customer, portalTicket({ language: 'fi', channel: 'portal' }));
    expect(portal.status).toBe(201);
  });
});

describe('bad input', () => {
  it('a malformed body is 400 with the path of every bad field, and nothing is written', async () => {
    const bad = await create(h.tokens.customer, { product: 'online', language: 'english', channel: 'fax', subject: '', severity: 7 });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['channel', 'description', 'language', 'severity', 'subject']);
    expect((await call(h.api, 'GET', '/v1/tickets', { token: h.tokens.customer })).body.items).toHaveLength(0);
  });

  it('invalid JSON is a problem+json 400', async () => {
    const bad = await call(h.api, 'POST', '/v1/tickets', { token: h.tokens.customer, rawBody: '{"product": ' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.detail).toMatch(/not valid JSON/);
  });

  it('a path that is not valid percent-encoding is a problem+json 400', async () => {
    for (const path of ['/v1/tickets/%E0', '/v1/tickets/%zz', '/v1/health%', '/v1/tickets/%E0?status=new']) {
      const result = await call(h.api, 'GET', path, { token: h.tokens.manager });
      expect([path, result.status]).toEqual([path, 400]);
      expect(result.headers.get('content-type')).toContain('application/problem+json');
      expect(result.body.errors).toEqual([{ path: '(path)', message: expect.any(String) }]);
    }
  });

  it('path parameters that are not ids match no route (404), whatever they decode to', async () => {
    for (const path of ['/v1/tickets/a%2Fmessages%2Fb', '/v1/tickets/..', '/v1/tickets/%20x']) {
      const result = await call(h.api, 'GET', path, { token: h.tokens.manager });
      expect([path, result.status, result.body?.detail]).toEqual([path, 404, expect.any(String)]);
      expect(result.headers.get('content-type')).toContain('application/problem+json');
    }
    const admin = await call(h.api, 'PUT', '/v1/admin/staff/a%2Fb', { token: h.tokens.admin, body: { role: 'admin', active: true } });
    expect(admin.status).toBe(404);
  });

  it('a body over 64 KiB is 413', async () => {
    const big = await create(h.tokens.customer, portalTicket({ description: 'x'.repeat(70_000) }));
    expect(big.status).toBe(413);
    expect(big.body.status).toBe(413);
  });

  it('a customer cannot set tier, status or orgId (no mass assignment)', async () => {
    const bad = await create(h.tokens.customer, portalTicket({ tier: 'L3', status: 'closed', orgId: 'other-org' }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['orgId', 'status', 'tier']);
  });
});

describe('access', () => {
  it('no token is 401 and a forged token is 401', async () => {
    expect((await call(h.api, 'GET', '/v1/tickets')).status).toBe(401);
    const forged = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url') + '.' + Buffer.from(JSON.stringify({ sub: 'demo-admin', uid: 'demo-admin' })).toString('base64url') + '.';
    const result = await call(h.api, 'GET', '/v1/tickets', { token: forged });
    expect(result.status).toBe(401);
    expect(result.headers.get('content-type')).toContain('application/problem+json');
  });

  it("another organisation's ticket is 404 for reading, messaging and status changes", async () => {
    const created = await create(h.tokens.customer, portalTicket());
    const id = created.body.id as string;
    expect((await call(h.api, 'GET', `/v1/tickets/${id}`, { token: h.tokens.otherCustomer })).status).toBe(404);
    expect((await call(h.api, 'POST', `/v1/tickets/${id}/messages`, { token: h.tokens.otherCustomer, body: { body: 'hi' } })).status).toBe(404);
    expect((await call(h.api, 'POST', `/v1/tickets/${id}/status`, { token: h.tokens.otherCustomer, body: { status: 'resolved' } })).status).toBe(404);
    expect((await call(h.api, 'GET', '/v1/tickets', { token: h.tokens.otherCustomer })).body.items).toHaveLength(0);
  });

  it('an agent sees only tickets of their tier; an admin sees no tickets', async () => {
    const created = await create(h.tokens.customer, portalTicket());
    expect((await call(h.api, 'GET', `/v1/tickets/${created.body.id}`, { token: h.tokens.l1 })).status).toBe(200);
    expect((await call(h.api, 'GET', `/v1/tickets/${created.body.id}`, { token: h.tokens.l2 })).status).toBe(404);
    expect((await call(h.api, 'GET', `/v1/tickets/${created.body.id}`, { token: h.tokens.admin })).status).toBe(404);
    expect((await call(h.api, 'GET', `/v1/tickets/${created.body.id}`, { token: h.tokens.manager })).status).toBe(200);
  });

  it('an agent covering more than 30 language and product pairs lists their tickets page by page', async () => {
    // 7 languages × 5 products = 35 scope keys: Firestore's `in` takes 30, so the list runs two queries and merges them.
    await h.services.principals.putStaff(
      'demo-agent-l1',
      { role: 'agent', tier: 'L1', languages: ['fi', 'de', 'fr', 'es', 'it', 'nl', 'en'], products: ['online', 'p1', 'p2', 'p3', 'p4'], trainedAt: '2026-01-01T00:00:00.000Z', active: true },
      '2026-11-28T00:00:00.000Z',
    );
    const ids: string[] = [];
    for (const language of ['en', 'fi', 'en', 'fi']) {
      ids.push((await create(h.tokens.customer, portalTicket({ language }))).body.id as string);
    }
    const first = await call(h.api, 'GET', '/v1/tickets?limit=3', { token: h.tokens.l1 });
    expect(first.status).toBe(200);
    expect(first.body.items.map((t: { id: string }) => t.id)).toEqual([ids[3], ids[2], ids[1]]);
    const second = await call(h.api, 'GET', `/v1/tickets?limit=3&cursor=${first.body.nextCursor}`, { token: h.tokens.l1 });
    expect(second.body.items.map((t: { id: string }) => t.id)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('a deactivated agent is refused on the very next request', async () => {
    expect((await call(h.api, 'GET', '/v1/tickets', { token: h.tokens.l1 })).status).toBe(200);
    const deactivate = await call(h.api, 'PUT', '/v1/admin/staff/demo-agent-l1', {
      token: h.tokens.admin,
      body: { role: 'agent', tier: 'L1', languages: ['en'], products: ['online'], trainedAt: '2026-01-01T00:00:00.000Z', active: false },
    });
    expect(deactivate.status).toBe(200);
    const refused = await call(h.api, 'GET', '/v1/tickets', { token: h.tokens.l1 });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/deactivated/);
  });

  it('an untrained staff member is refused', async () => {
    await call(h.api, 'PUT', '/v1/admin/staff/demo-agent-l2', {
      token: h.tokens.admin,
      body: { role: 'agent', tier: 'L2', languages: ['en'], products: ['online'], trainedAt: null, active: true },
    });
    expect((await call(h.api, 'GET', '/v1/tickets', { token: h.tokens.l2 })).status).toBe(403);
  });

  it('admin endpoints refuse other roles with 403 and validate their bodies', async () => {
    const body = { role: 'admin', active: true };
    expect((await call(h.api, 'PUT', '/v1/admin/staff/someone', { token: h.tokens.manager, body })).status).toBe(403);
    expect((await call(h.api, 'PUT', '/v1/admin/customers/someone', { token: h.tokens.customer, body: { orgId: 'demo-org' } })).status).toBe(403);
    const bad = await call(h.api, 'PUT', '/v1/admin/staff/someone', { token: h.tokens.admin, body: { role: 'chief', active: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['active', 'role']);
    const noTier = await call(h.api, 'PUT', '/v1/admin/staff/someone', { token: h.tokens.admin, body: { role: 'agent', active: true } });
    expect(noTier.status).toBe(400);
    expect(noTier.body.errors).toEqual([{ path: 'tier', message: 'is required for agents' }]);
  });

  it('customers do not see staff-internal facts: assignee, assessments, who escalated, which staff member wrote', async () => {
    const created = await create(h.tokens.customer, portalTicket());
    const id = created.body.id as string;
    expect((await call(h.api, 'POST', `/v1/tickets/${id}/severity`, { token: h.tokens.l1, body: { severity: 3, reason: 'Workaround exists' } })).status).toBe(200);
    expect((await call(h.api, 'POST', `/v1/tickets/${id}/messages`, { token: h.tokens.l1, body: { body: 'Looking into it' } })).status).toBe(201);
    expect((await call(h.api, 'POST', `/v1/tickets/${id}/escalate`, { token: h.tokens.l1, body: { reason: 'Needs L2' } })).status).toBe(200);
    const seen = await call(h.api, 'GET', `/v1/tickets/${id}`, { token: h.tokens.customer });
    expect(seen.body).not.toHaveProperty('assigneeUid');
    expect(seen.body).not.toHaveProperty('severityAssessments');
    expect(seen.body).not.toHaveProperty('managementReview');
    expect(seen.body.escalations).toEqual([{ from: 'L1', to: 'L2', at: expect.any(String), reason: 'Needs L2' }]);
    expect(seen.body.messages[0]).not.toHaveProperty('authorUid');
    const staffView = await call(h.api, 'GET', `/v1/tickets/${id}`, { token: h.tokens.manager });
    expect(staffView.body.severityAssessments).toHaveLength(1);
    expect(staffView.body.escalations[0].by).toBe('demo-agent-l1');
  });

  it('a customer cannot write internal messages and cannot make illegal status moves', async () => {
    const created = await create(h.tokens.customer, portalTicket());
    const id = created.body.id as string;
    expect((await call(h.api, 'POST', `/v1/tickets/${id}/messages`, { token: h.tokens.customer, body: { body: 'x', visibility: 'internal' } })).status).toBe(400);
    const onHold = await call(h.api, 'POST', `/v1/tickets/${id}/status`, { token: h.tokens.customer, body: { status: 'on_hold' } });
    expect(onHold.status).toBe(409);
    expect((await call(h.api, 'POST', `/v1/tickets/${id}/status`, { token: h.tokens.l1, body: { status: 'on_hold' } })).status).toBe(200);
    const resume = await call(h.api, 'POST', `/v1/tickets/${id}/status`, { token: h.tokens.customer, body: { status: 'open' } });
    expect(resume.status).toBe(409);
    expect(resume.body.allowed).toEqual([]);
  });
});

describe('messages and status', () => {
  it('an agent answers publicly, the customer sees it but not the internal note, and the state machine refuses illegal moves', async () => {
    const created = await create(h.tokens.customer, portalTicket());
    const id = created.body.id as string;
    const reply = await call(h.api, 'POST', `/v1/tickets/${id}/messages`, { token: h.tokens.l1, body: { body: 'We are on it.' } });
    expect(reply.status).toBe(201);
    const note = await call(h.api, 'POST', `/v1/tickets/${id}/messages`, { token: h.tokens.l1, body: { body: 'Check the queue', visibility: 'internal' } });
    expect(note.status).toBe(201);
    const seen = await call(h.api, 'GET', `/v1/tickets/${id}`, { token: h.tokens.customer });
    expect(seen.body.status).toBe('open');
    expect(seen.body.sla.firstRespondedAt).toEqual(expect.any(String));
    expect(seen.body.messages.map((m: { body: string }) => m.body)).toEqual(['We are on it.']);
    const paused = await call(h.api, 'POST', `/v1/tickets/${id}/status`, { token: h.tokens.l1, body: { status: 'pending_customer' } });
    expect(paused.status).toBe(200);
    expect(paused.body.sla.paused).toBe(true);
    expect((await call(h.api, 'POST', `/v1/tickets/${id}/status`, { token: h.tokens.l1, body: { status: 'resolved' } })).status).toBe(200);
    expect((await call(h.api, 'POST', `/v1/tickets/${id}/status`, { token: h.tokens.customer, body: { status: 'closed' } })).status).toBe(200);
    const illegal = await call(h.api, 'POST', `/v1/tickets/${id}/status`, { token: h.tokens.l1, body: { status: 'open' } });
    expect(illegal.status).toBe(409);
    expect(illegal.body).toMatchObject({ from: 'closed', to: 'open' });
  });
});

describe('events', () => {
  it('a new ticket is routed to an L1 agent with its language and product', async () => {
    const created = await create(h.tokens.customer, portalTicket());
    const routed = await eventually(async () => {
      const ticket = await h.services.tickets.get(created.body.id);
      return ticket?.assigneeUid ?? undefined;
    }, 20_000, 'routing');
    expect(routed).toBe('demo-agent-l1');
  });

  it('a Pub/Sub message delivered twice routes the ticket once', async () => {
    const created = await create(h.tokens.customer, portalTicket());
    const id = created.body.id as string;
    await eventually(async () => ((await h.services.tickets.get(id))?.assigneeUid ? true : undefined), 20_000, 'first routing');
    // Take the assignment back, then deliver the same event again: it is a duplicate and must change nothing.
    await h.services.db.collection('tickets').doc(id).update({ assigneeUid: null });
    const outbox = await outboxEvents(h.services, TOPICS.ticketRouting, 'ticket.created', id);
    expect(outbox).toHaveLength(1);
    const payload = outbox[0]!;
    const pubsub = new PubSub({ projectId: h.services.config.GOOGLE_CLOUD_PROJECT });
    await pubsub.topic(TOPICS.ticketRouting).publishMessage({ json: payload, attributes: { eventId: payload.id } });
    await new Promise((r) => setTimeout(r, 3000)); // push delivery of the duplicates
    expect((await h.services.tickets.get(id))?.assigneeUid).toBeNull();
    // A fresh event for the same ticket proves the handler is alive: it routes again.
    const fresh = { ...payload, id: randomUUID() };
    await pubsub.topic(TOPICS.ticketRouting).publishMessage({ json: fresh, attributes: { eventId: fresh.id } });
    await eventually(async () => ((await h.services.tickets.get(id))?.assigneeUid ? true : undefined), 20_000, 'routing of the fresh event');
    const markers = await h.services.db.collection('processedEvents').where('ticketId', '==', id).get();
    expect(markers.docs.map((d) => d.id).sort()).toEqual([`route-ticket:${payload.id}`, `route-ticket:${fresh.id}`].sort());
    for (const marker of markers.docs) {
      expect((marker.get('expireAt') as Timestamp).toMillis()).toBe(Date.parse(marker.get('at') as string) + 35 * DAY_MS);
    }
    await pubsub.close();
  });

  it('events committed but never published (a crash before the publish) are published by the relay, once', async () => {
    const [creation] = await creations(1);
    const { ticket } = creation!;
    const routing = { id: randomUUID(), kind: 'ticket.needs_agent' as const, type: 'ticket.created', occurredAt: ticket.createdAt, data: { ticketId: ticket.id, product: ticket.product, language: ticket.language, tier: ticket.tier, severity: ticket.severity } };
    expect(await h.services.tickets.create({ ...creation!, events: [routing, ...creation!.events] })).toEqual({ created: true });
    const record = h.services.db.collection('outbox').doc(routing.id);
    // Each event is stored with the topic its kind travels on.
    expect((await record.get()).data()).toEqual({
      publishedAt: null,
      occurredAt: ticket.createdAt,
      events: [{ ...routing, topic: TOPICS.ticketRouting }, { ...creation!.events[0], topic: TOPICS.ticketLifecycle }],
      // Retention finds a ticket's outbox records by it.
      ticketIds: [ticket.id],
    });
    expect(await h.services.outbox.relayPending(0)).toBeGreaterThanOrEqual(2);
    // Marked published, and from then on Firestore's TTL policy deletes it after a month (never before it is published).
    const published = (await record.get()).data()!;
    expect(published['publishedAt']).toEqual(expect.any(String));
    expect((published['expireAt'] as Timestamp).toMillis()).toBe(Date.parse(published['publishedAt'] as string) + 30 * DAY_MS);
    await eventually(async () => ((await h.services.tickets.get(ticket.id))?.assigneeUid ? true : undefined), 20_000, 'routing of the relayed event');
    expect(await h.services.outbox.relayPending(0)).toBe(0);
  });

  it('a poison message is acknowledged once, is not redelivered, and does not stop the function', async () => {
    const deliveries = pushDeliveries('routeTicket');
    const pubsub = new PubSub({ projectId: h.services.config.GOOGLE_CLOUD_PROJECT });
    try {
      const messageId = await pubsub.topic(TOPICS.ticketRouting).publishMessage({ json: { nonsense: true } });
      const first = await eventually(async () => deliveries.of(messageId)[0], 20_000, 'the poison message to be pushed');
      expect(first).toBeGreaterThanOrEqual(200);
      expect(first).toBeLessThan(300);
      // A refused push comes back after the subscription's 1 s minimum backoff: wait several of those.
      await new Promise((r) => setTimeout(r, 5_000));
      expect(deliveries.of(messageId)).toEqual([first]);
      const created = await create(h.tokens.customer, portalTicket());
      await eventually(async () => ((await h.services.tickets.get(created.body.id))?.assigneeUid ? true : undefined), 20_000, 'routing after poison');
    } finally {
      deliveries.stop();
      await pubsub.close();
    }
  });
});

/**
 * The HTTP statuses an event function answered to each push of a message, by message id: a 2xx
 * acknowledges the message, anything else asks Pub/Sub to deliver it again.
 */
function pushDeliveries(entryPoint: string): { of: (messageId: string) => number[]; stop: () => void } {
  const server = h.host.servers.get(entryPoint);
  if (server === undefined) throw new Error(`no local server for ${entryPoint}`);
  const answered: { request: string; status: number }[] = [];
  const listener = (req: IncomingMessage & { body?: unknown }, res: ServerResponse): void => {
    res.once('finish', () => answered.push({ request: JSON.stringify({ headers: req.headers, body: req.body }), status: res.statusCode }));
  };
  server.on('request', listener);
  return {
    of: (messageId) => answered.filter((a) => a.request.includes(`"${messageId}"`)).map((a) => a.status),
    stop: () => server.off('request', listener),
  };
}

/** Copies of a stored ticket with fresh ids, as creations with their own outbox event and key. */
async function creations(count: number): Promise<TicketCreation[]> {
  const created = await create(h.tokens.customer, portalTicket());
  const template = (await h.services.tickets.get(created.body.id))!;
  return Array.from({ length: count }, (_, i) => {
    const id = randomUUID();
    return {
      ticket: { ...template, id, subject: `Grouped ${i}` },
      events: [{ id: randomUUID(), kind: 'ticket.lifecycle', type: 'ticket.created', occurredAt: template.createdAt, data: { ticketId: id } }],
      idempotency: { key: randomUUID(), bodyHash: `hash-${i}` },
    };
  });
}

describe('group commit of ticket creations', () => {
  /** A repository on its own client, so that the batches it commits can be counted. */
  function countingRepository(): { repository: FirestoreTicketRepository; batches: () => number; close: () => Promise<void> } {
    const db = new Firestore({ projectId: h.services.config.GOOGLE_CLOUD_PROJECT });
    const batch = jest.spyOn(db, 'batch');
    return { repository: new FirestoreTicketRepository(db), batches: () => batch.mock.calls.length, close: async () => db.terminate() };
  }

  it('creations made together are committed in one batch, each with its documents', async () => {
    const group = await creations(4);
    const { repository, batches, close } = countingRepository();
    const outcomes = await Promise.all(group.map(async (c) => repository.create(c)));
    expect(outcomes).toEqual([{ created: true }, { created: true }, { created: true }, { created: true }]);
    expect(batches()).toBe(1);
    for (const c of group) {
      expect((await h.services.tickets.get(c.ticket.id))?.subject).toBe(c.ticket.subject);
      expect((await h.services.db.collection('outbox').doc(c.events[0]!.id).get()).exists).toBe(true);
      const key = await h.services.tickets.findIdempotency(c.idempotency!.key);
      expect(key).toMatchObject({ ticketId: c.ticket.id });
      // Honoured for a week, then deleted by Firestore's TTL policy.
      expect((key as unknown as { expireAt: Timestamp }).expireAt.toMillis()).toBe(Date.parse(c.ticket.createdAt) + 7 * DAY_MS);
    }
    await close();
  });

  it('a creation Firestore cannot encode fails alone; the rest of its group is created', async () => {
    const [bad, ...good] = await creations(3);
    const { repository, close } = countingRepository();
    const broken = { ...bad!, ticket: { ...bad!.ticket, subject: new (class NotPlainData {})() } } as unknown as TicketCreation;
    const outcomes = await Promise.allSettled([broken, ...good].map(async (c) => repository.create(c)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    for (const c of good) expect(await h.services.tickets.get(c.ticket.id)).not.toBeNull();
    await close();
  });

  it('principal reads made together fail one by one: a uid that is no document id does not fail the others', async () => {
    const [odd, agent] = await Promise.allSettled([h.services.principals.find('a/b'), h.services.principals.find('demo-agent-l1')]);
    expect(odd?.status).toBe('rejected');
    expect(agent).toMatchObject({ status: 'fulfilled', value: { kind: 'staff', uid: 'demo-agent-l1' } });
  });

  it('a key used before fails the group; each creation is then committed on its own and only that one is refused', async () => {
    const [first, ...rest] = await creations(4);
    const { repository, batches, close } = countingRepository();
    expect(await repository.create(first!)).toEqual({ created: true });
    const replay: TicketCreation = { ...rest[0]!, idempotency: first!.idempotency };
    const outcomes = await Promise.all([replay, ...rest.slice(1)].map(async (c) => repository.create(c)));
    expect(outcomes[0]).toEqual({ created: false, existing: expect.objectContaining({ ticketId: first!.ticket.id }) });
    expect(outcomes.slice(1)).toEqual([{ created: true }, { created: true }]);
    expect(batches()).toBe(1 + 1 + 3);
    expect(await h.services.tickets.get(replay.ticket.id)).toBeNull();
    expect((await h.services.db.collection('outbox').doc(replay.events[0]!.id).get()).exists).toBe(false);
    await close();
  });

  it('a creation whose commit went through but whose answer was lost counts as created when retried', async () => {
    const [creation] = await creations(1);
    const { repository, close } = countingRepository();
    expect(await repository.create(creation!)).toEqual({ created: true });
    expect(await repository.create(creation!)).toEqual({ created: true });
    expect(await repository.create({ ...creation!, idempotency: null })).toEqual({ created: true });
    await close();
  });
});
