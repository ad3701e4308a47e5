/**
 * Outages: the real emulator processes of this checkout frozen (SIGSTOP) and resumed
 * (SIGCONT) under the real HTTP server and Pub/Sub push. Each test resumes what it froze in a
 * `finally`; `tests/sequencer.js` runs this file after the others, so that what a freeze leaves
 * behind (late deliveries, expiring emulator transactions) cannot touch another file's tests.
 */
// The harness first: it sets the local environment that the function modules parse when loaded.
import { call, eventually, portalTicket, testClock, useHarness, type ApiResult } from './harness';
import { PubSub } from '@google-cloud/pubsub';
import { RELAY_GRACE_MS } from '../../functions/src/entrypoints/events/relay-outbox';
import { HEALTH_CACHE_MS } from '../../functions/src/wiring';
import { runJobNow } from '../../scripts/lib/local-scheduler';
import { resumeAll, whileFrozen } from '../../scripts/lib/emulator-freeze';

const h = useHarness('outage');

/** Runs `request` and answers its result with how long it took. */
async function timed<T>(request: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await request();
  return { result, ms: Date.now() - started };
}
afterAll(resumeAll);

const create = (token: string, subject: string, key?: string): Promise<ApiResult> =>
  call(h.api, 'POST', '/v1/tickets', { token, body: portalTicket({ subject }), ...(key === undefined ? {} : { headers: { 'Idempotency-Key': key } }) });

/** The routing markers (one per routed `ticket.created` event) of a ticket. */
async function routingMarkers(ticketId: string): Promise<number> {
  const markers = await h.services.db.collection('processedEvents').where('ticketId', '==', ticketId).get();
  return markers.docs.filter((doc) => doc.id.startsWith('route-ticket:')).length;
}

async function routed(ticketId: string): Promise<true | undefined> {
  return (await h.services.tickets.get(ticketId))?.assigneeUid != null ? true : undefined;
}

/** `GET /v1/health`, answered within a second whatever the dependencies do. */
async function health(): Promise<ApiResult> {
  const answer = await timed(() => call(h.api, 'GET', '/v1/health'));
  expect(answer.ms).toBeLessThan(1_500);
  return answer.result;
}

function expectUnavailable(answer: { result: ApiResult; ms: number }, withinMs: number): void {
  expect(answer.result.status).toBe(503);
  expect(answer.result.headers.get('content-type')).toContain('application/problem+json');
  expect(Number(answer.result.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(answer.result.body).toMatchObject({ status: 503, title: expect.any(String), type: expect.any(String), detail: expect.any(String) });
  expect(answer.ms).toBeLessThan(withinMs);
}

describe('Pub/Sub stalled', () => {
  it('when Pub/Sub is frozen, 20 ticket creations each answer 201 within 3 s; after it resumes, publishing resumes by itself and the relay has every ticket routed exactly once', async () => {
    const during: string[] = [];
    // Past any health result an earlier test left in the instance's cache.
    testClock.offsetMs = HEALTH_CACHE_MS;
    await whileFrozen('pubsub', async () => {
      const degraded = await health();
      expect(degraded.status).toBe(503);
      expect(degraded.body).toEqual({ status: 'degraded', region: 'test-region', version: expect.any(String), firestore: 'ok', pubsub: 'timeout', auth: 'ok' });
      for (let i = 0; i < 20; i++) {
        const answer = await timed(() => create(h.tokens.customer, `Created while Pub/Sub is frozen ${i}`));
        expect(answer.result.status).toBe(201);
        expect(answer.ms).toBeLessThan(3_000);
        during.push(answer.result.body.id as string);
      }
    });
    // Without a restart: the next ticket's events are published on its own request path.
    const after = await create(h.tokens.customer, 'Created after Pub/Sub resumed');
    expect(after.status).toBe(201);
    await eventually(() => routed(after.body.id), 30_000, 'routing of a ticket created after the resume');
    // The relay job, a minute later (records younger than its grace are left to their request).
    testClock.offsetMs = RELAY_GRACE_MS + 30_000;
    const pubsub = new PubSub({ projectId: h.services.config.GOOGLE_CLOUD_PROJECT });
    try {
      await runJobNow(pubsub, 'outbox-relay');
      for (const id of during) await eventually(() => routed(id), 60_000, `routing of ticket ${id}`);
    } finally {
      await pubsub.close();
    }
    for (const id of [...during, after.body.id as string]) expect(await routingMarkers(id)).toBe(1);
    const unpublished = await h.services.db.collection('outbox').where('publishedAt', '==', null).get();
    expect(unpublished.size).toBe(0);
  }, 180_000);
});

describe('Firestore stalled', () => {
  it('when Firestore is frozen, reads and writes answer 503 with Retry-After within 6 s; after it resumes every 201 ticket exists, a retry with the same key returns its ticket, and nothing is half-written', async () => {
    const before = await create(h.tokens.customer, 'Created before the freeze', 'outage-before');
    expect(before.status).toBe(201);
    testClock.offsetMs = HEALTH_CACHE_MS;
    const [degraded, ...answers] = await whileFrozen('firestore', () =>
      Promise.all([
        health(),
        timed(() => create(h.tokens.customer, 'Created during the freeze', 'outage-during')),
        timed(() => call(h.api, 'GET', '/v1/tickets', { token: h.tokens.customer })),
        timed(() => call(h.api, 'GET', `/v1/tickets/${before.body.id as string}`, { token: h.tokens.customer })),
      ]),
    );
    expect(degraded.body).toMatchObject({ status: 'degraded', firestore: 'timeout', pubsub: 'ok', auth: 'ok' });
    for (const answer of answers) expectUnavailable(answer, 6_000);

    const list = await eventually(async () => {
      const answer = await call(h.api, 'GET', '/v1/tickets', { token: h.tokens.customer });
      return answer.status === 200 ? answer : undefined;
    }, 30_000, 'a normal answer after the resume');
    expect(list.body.items.map((t: { id: string }) => t.id)).toContain(before.body.id);
    const retried = await create(h.tokens.customer, 'Created during the freeze', 'outage-during');
    expect(retried.status).toBe(201);
    expect((await create(h.tokens.customer, 'Created during the freeze', 'outage-during')).body.id).toBe(retried.body.id);

    // Whole or nothing: every ticket has its idempotency record and outbox record, and no record lacks its ticket.
    const [tickets, keys, outbox] = await Promise.all(['tickets', 'idempotencyKeys', 'outbox'].map((c) => h.services.db.collection(c).get()));
    const ticketIds = new Set(tickets!.docs.map((d) => d.id));
    expect(ticketIds).toEqual(new Set([before.body.id, retried.body.id]));
    expect(new Set(keys!.docs.map((d) => d.get('ticketId') as string))).toEqual(ticketIds);
    const created = outbox!.docs.flatMap((d) => (d.get('events') as { type: string; data: { ticketId: string } }[]).filter((e) => e.type === 'ticket.created'));
    expect(new Set(created.map((e) => e.data.ticketId))).toEqual(ticketIds);
  }, 120_000);
});

describe('Auth stalled', () => {
  it('when the Auth emulator is frozen, a request whose token must be checked answers 503, not 401; after it resumes the same token works', async () => {
    const answer = await whileFrozen('auth', () => timed(() => call(h.api, 'GET', '/v1/tickets', { token: h.tokens.l1 })));
    expectUnavailable(answer, 6_000);
    const after = await call(h.api, 'GET', '/v1/tickets', { token: h.tokens.l1 });
    expect(after.status).toBe(200);
    await eventually(async () => ((await health()).body.status === 'ok' ? true : undefined), 30_000, 'health to be ok again');
  }, 60_000);
});
