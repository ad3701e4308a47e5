/**
 * Satisfaction and support figures end to end: CSAT through the API, and the managers'
 * figures kept by `recordSupportFigures` from lifecycle events delivered by Pub/Sub push —
 * they must match the tickets the test created.
 */
import { PubSub } from '@google-cloud/pubsub';
import { runEscalationSweep } from '../../functions/src/application/escalation/run-escalation-sweep';
import { TOPICS } from '../../functions/src/manifest';
import { call, eventually, outboxEvents, portalTicket, testClock, useHarness } from './harness';

const h = useHarness('support');

const DAY = 24 * 60 * 60 * 1000;
const advance = (ms: number): void => {
  testClock.offsetMs += ms;
};

async function create(token: string, body: Record<string, unknown> = portalTicket()): Promise<string> {
  const created = await call(h.api, 'POST', '/v1/tickets', { token, body });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function setStatus(id: string, status: string, token = h.tokens.l1): Promise<void> {
  const moved = await call(h.api, 'POST', `/v1/tickets/${id}/status`, { token, body: { status } });
  expect(moved.status).toBe(200);
}

const rate = (id: string, token: string, body: unknown) => call(h.api, 'POST', `/v1/tickets/${id}/csat`, { token, body });

describe('CSAT', () => {
  it("when the ticket's customer rates a resolved ticket, then it is accepted once, with the comment redacted", async () => {
    const id = await create(h.tokens.customer);
    await setStatus(id, 'resolved');
    const first = await rate(id, h.tokens.customer, { rating: 5, comment: 'Quick help. My password is hunter2, by the way.' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ ticketId: id, rating: 5, at: expect.any(String), redactions: [{ kind: 'password', count: 1 }] });
    expect(first.body.comment).not.toContain('hunter2');
    const read = await call(h.api, 'GET', `/v1/tickets/${id}`, { token: h.tokens.customer });
    expect(read.body.csat).toEqual({ rating: 5, comment: first.body.comment, at: first.body.at });

    const again = await rate(id, h.tokens.customer, { rating: 1 });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'CSAT.ALREADY_ANSWERED' });
    expect((await call(h.api, 'GET', `/v1/tickets/${id}`, { token: h.tokens.customer })).body.csat.rating).toBe(5);
  });

  it('when someone else rates, then another customer gets 404 (also of the same organisation) and staff 403', async () => {
    const id = await create(h.tokens.customer);
    await setStatus(id, 'resolved');
    expect((await rate(id, h.tokens.otherCustomer, { rating: 1 })).status).toBe(404);
    expect((await rate(id, h.tokens.l1, { rating: 5 })).status).toBe(403);
    expect((await rate(id, h.tokens.manager, { rating: 5 })).status).toBe(403);
    // A ticket of demo-org opened by an agent for another of its users: demo-customer may see it, not rate it.
    await h.services.principals.putCustomer('demo-colleague', 'demo-org', new Date().toISOString());
    const forColleague = await create(h.tokens.l1, { ...portalTicket(), orgId: 'demo-org', customerUid: 'demo-colleague' });
    await setStatus(forColleague, 'resolved');
    expect((await call(h.api, 'GET', `/v1/tickets/${forColleague}`, { token: h.tokens.customer })).status).toBe(200);
    expect((await rate(forColleague, h.tokens.customer, { rating: 4 })).status).toBe(404);
  });

  it('when the ticket is not resolved, the body is bad, or 28 days have passed, then 409, 400 and 422', async () => {
    const id = await create(h.tokens.customer);
    const early = await rate(id, h.tokens.customer, { rating: 4 });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'CSAT.TICKET_NOT_RESOLVED', status: 409, ticketStatus: 'new' });
    const bad = await rate(id, h.tokens.customer, { rating: 6, comment: 42, stars: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['comment', 'rating', 'stars']);
    await setStatus(id, 'resolved');
    advance(28 * DAY + 60_000);
    const late = await rate(id, h.tokens.customer, { rating: 4 });
    expect(late.status).toBe(422);
    expect(late.body).toMatchObject({ code: 'CSAT.WINDOW_CLOSED', answerableUntil: expect.any(String) });
  });
});

describe('support figures', () => {
  it('when tickets are created, answered, escalated, resolved and rated, then the figures of that day match them', async () => {
    // A day of its own, so that no event of another test can land in it (inside the consumer's 7-day maximum age).
    advance(2 * DAY);
    const day = new Date(testClock.now()).toISOString().slice(0, 10);
    const policy = await call(h.api, 'PUT', '/v1/admin/sla-policies/online', {
      token: h.tokens.admin,
      body: {
        targets: [
          { severity: 2, firstResponseSeconds: 15, nextUpdateSeconds: 600, resolutionSeconds: 3600, clock: 'calendar' },
          { severity: 3, firstResponseSeconds: 120, nextUpdateSeconds: 600, resolutionSeconds: 3600, clock: 'calendar' },
        ],
      },
    });
    expect(policy.status).toBe(200);
    const answer = (id: string, token: string) => call(h.api, 'POST', `/v1/tickets/${id}/messages`, { token, body: { body: 'We are on it.' } });

    // A: severity 3, answered after ~40 s at L1, resolved there, rated 5.
    const a = await create(h.tokens.customer, portalTicket({ severity: 3 }));
    advance(40_000);
    expect((await answer(a, h.tokens.l1)).status).toBe(201);
    await setStatus(a, 'resolved');
    expect((await rate(a, h.tokens.customer, { rating: 5 })).status).toBe(201);
    // B: severity 2, breaches its 15-second first response, swept to L2, answered there after ~20 s, resolved, rated 2.
    const b = await create(h.tokens.customer, portalTicket({ severity: 2 }));
    advance(20_000);
    expect((await runEscalationSweep(h.services)).escalated).toBe(1);
    expect((await answer(b, h.tokens.l2)).status).toBe(201);
    await setStatus(b, 'resolved', h.tokens.l2);
    expect((await rate(b, h.tokens.customer, { rating: 2 })).status).toBe(201);
    // C: severity 3, escalated by hand to L2, answered there after ~90 s; still open.
    const c = await create(h.tokens.customer, portalTicket({ severity: 3 }));
    expect((await call(h.api, 'POST', `/v1/tickets/${c}/escalate`, { token: h.tokens.l1, body: { reason: 'Needs L2' } })).status).toBe(200);
    advance(90_000);
    expect((await answer(c, h.tokens.l2)).status).toBe(201);
    // D: severity 4 opened by an agent, resolved at L1 without an answer, then reopened.
    const d = await create(h.tokens.l1, { ...portalTicket({ severity: 4 }), orgId: 'demo-org' });
    await setStatus(d, 'resolved');
    await setStatus(d, 'open');

    const expected = {
      period: { from: day, to: day, days: 1 },
      tickets: {
        created: 4,
        createdBySeverity: { '1': 0, '2': 1, '3': 2, '4': 1 },
        resolved: 3,
        resolvedByTier: { L1: 2, L2: 1, L3: 0, MANAGEMENT: 0 },
        resolvedBySeverity: { '1': 0, '2': 1, '3': 1, '4': 1 },
        reopened: 1,
      },
      firstLevelResolution: { resolvedAtL1WithoutEscalation: 2, resolved: 3, share: 2 / 3 },
      escalations: { total: 2, manual: 1, byTier: { L2: 2, L3: 0, MANAGEMENT: 0 }, managementReviews: 0 },
      slaAttainment: {
        firstResponse: { met: 3, breached: 1, attainment: 0.75 },
        nextUpdate: { met: 2, breached: 0, attainment: 1 },
        resolution: { met: 3, breached: 0, attainment: 1 },
      },
      satisfaction: { responses: 2, byRating: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 }, positive: 1, positiveShare: 0.5 },
    };
    const figures = await eventually(
      async () => {
        const read = await call(h.api, 'GET', `/v1/metrics/support?from=${day}&to=${day}`, { token: h.tokens.manager });
        expect(read.status).toBe(200);
        const { firstResponseTime: _later, ...counted } = read.body;
        return JSON.stringify(counted) === JSON.stringify(expected) ? read.body : undefined;
      },
      30_000,
      'the figures to count every lifecycle event',
    ).catch(async (error: unknown) => {
      const read = await call(h.api, 'GET', `/v1/metrics/support?from=${day}&to=${day}`, { token: h.tokens.manager });
      expect(read.body).toEqual(expect.objectContaining(expected));
      throw error;
    });

    // The median first response lies in the reported bucket: the true lower median of the three.
    const responded = await Promise.all(
      [a, b, c].map(async (id) => {
        const t = (await call(h.api, 'GET', `/v1/tickets/${id}`, { token: h.tokens.manager })).body;
        return (Date.parse(t.sla.firstRespondedAt) - Date.parse(t.createdAt)) / 1000;
      }),
    );
    const lowerMedian = [...responded].sort((x, y) => x - y)[1]!;
    expect(figures.firstResponseTime.responses).toBe(3);
    expect(figures.firstResponseTime.medianRangeSeconds.low).toBeLessThanOrEqual(lowerMedian);
    expect(figures.firstResponseTime.medianRangeSeconds.high).toBeGreaterThan(lowerMedian);

    // The counters are spread over shard documents of that day.
    const shards = await h.services.db.collection('supportFigureShards').where('day', '==', day).get();
    expect(shards.size).toBeGreaterThan(1);

    // A redelivered lifecycle event counts once.
    const [payload] = await outboxEvents(h.services, TOPICS.ticketLifecycle, 'ticket.created', a);
    if (payload === undefined) throw new Error('no ticket.created lifecycle event in the outbox');
    const pubsub = new PubSub({ projectId: h.services.config.GOOGLE_CLOUD_PROJECT });
    await pubsub.topic(TOPICS.ticketLifecycle).publishMessage({ json: payload, attributes: { eventId: payload.id } });
    await pubsub.close();
    await new Promise((r) => setTimeout(r, 3000));
    const after = await call(h.api, 'GET', `/v1/metrics/support?from=${day}&to=${day}`, { token: h.tokens.manager });
    expect(after.body.tickets.created).toBe(4);

    // Days after it are empty (days before it hold today, where late events of earlier tests may land); only managers read figures.
    const next = new Date(testClock.now() + DAY).toISOString().slice(0, 10);
    const later = new Date(testClock.now() + 30 * DAY).toISOString().slice(0, 10);
    expect((await call(h.api, 'GET', `/v1/metrics/support?from=${next}&to=${later}`, { token: h.tokens.manager })).body.tickets).toMatchObject({ created: 0, resolved: 0 });
    expect((await call(h.api, 'GET', `/v1/metrics/support?from=${day}&to=${day}`, { token: h.tokens.l1 })).status).toBe(403);
    expect((await call(h.api, 'GET', `/v1/metrics/support?from=${day}&to=${day}`, { token: h.tokens.customer })).status).toBe(403);
  });

  it('when the period is invalid, then it is 400 with the path of each bad parameter', async () => {
    const reversed = await call(h.api, 'GET', '/v1/metrics/support?from=2026-05-02&to=2026-05-01', { token: h.tokens.manager });
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors).toEqual([{ path: 'query.to', message: 'must not be before from' }]);
    const tooLong = await call(h.api, 'GET', '/v1/metrics/support?from=2024-01-01&to=2025-06-01', { token: h.tokens.manager });
    expect(tooLong.body.errors).toEqual([{ path: 'query.to', message: 'the period is at most 366 days' }]);
    const garbage = await call(h.api, 'GET', '/v1/metrics/support?from=yesterday', { token: h.tokens.manager });
    expect(garbage.status).toBe(400);
    expect(garbage.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['query.from', 'query.to']);
  });
});
