/**
 * The escalation ladder end to end on the emulators: an admin's 15-second policy, the sweep
 * through its Pub/Sub tick (as Cloud Scheduler and `npm run tuki -- run-job` send it) and
 * called directly for the concurrency cases, the notification log, and the manual escalation
 * and severity endpoints. Time moves with `testClock` (a few seconds to a minute ahead, well
 * inside the sweep's five-minute maximum event age), never by sleeping through a target.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PubSub, type Message, type Subscription } from '@google-cloud/pubsub';
import { runEscalationSweep } from '../../functions/src/application/escalation/run-escalation-sweep';
import { TOPICS } from '../../functions/src/manifest';
import type { Services } from '../../functions/src/wiring';
import { repoRoot } from '../../scripts/lib/emulators';
import { runJobNow } from '../../scripts/lib/local-scheduler';
import { call, eventually, outboxEvents, portalTicket, resetData, startHarness, stopHarness, testClock, type DemoName } from './harness';

let api: string;
let services: Services;
let tokens: Record<DemoName, string>;
let pubsub: PubSub;
let probe: Subscription;
const severityOne: Message[] = [];
const SEVERITY_ONE_PROBE = 'escalation-test-severity-one';

beforeAll(async () => {
  const started = await startHarness('escalation');
  api = started.host.apiUrl;
  services = started.services;
  pubsub = new PubSub({ projectId: services.config.GOOGLE_CLOUD_PROJECT });
  const existing = pubsub.subscription(SEVERITY_ONE_PROBE);
  if ((await existing.exists())[0]) await existing.delete();
  [probe] = await pubsub.topic(TOPICS.ticketSeverityOne).createSubscription(SEVERITY_ONE_PROBE);
  probe.on('message', (message: Message) => {
    severityOne.push(message);
    message.ack();
  });
});
afterAll(async () => {
  probe.removeAllListeners('message');
  await probe.close();
  await probe.delete().catch(() => undefined);
  await pubsub.close();
  await stopHarness();
});
beforeEach(async () => {
  testClock.reset();
  tokens = await resetData(services);
  // Severity 3 (the default of a new ticket): a 15-second first response on a 24/7 clock.
  const policy = await call(api, 'PUT', '/v1/admin/sla-policies/online', {
    token: tokens.admin,
    body: { targets: [{ severity: 3, firstResponseSeconds: 15, nextUpdateSeconds: 600, resolutionSeconds: 3600, clock: 'calendar' }] },
  });
  expect(policy.status).toBe(200);
});

/** Moves the clock of every function in the host forward. */
const advance = (ms: number): void => {
  testClock.offsetMs += ms;
};

async function newTicket(): Promise<string> {
  const created = await call(api, 'POST', '/v1/tickets', { token: tokens.customer, body: portalTicket() });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function ticket(id: string) {
  const stored = await services.tickets.get(id);
  if (stored === null) throw new Error(`ticket ${id} is gone`);
  return stored;
}

/** The sweep as the scheduler runs it: a tick on its topic, delivered by the push subscription. */
async function sweepViaPubSub(): Promise<void> {
  await runJobNow(pubsub, 'escalation-sweep');
}

async function notificationsOf(ticketId: string, type: string): Promise<FirebaseFirestore.DocumentData[]> {
  const snapshot = await services.db.collection('notifications').where('data.ticketId', '==', ticketId).where('type', '==', type).get();
  return snapshot.docs.map((d) => d.data());
}

describe('the escalation sweep', () => {
  it('when a ticket with a 15-second first response at L1 breaches, then one sweep moves it to L2, and a second sweep changes nothing', async () => {
    const id = await newTicket();
    expect((await ticket(id)).sla.clocks.firstResponse?.dueAt).toBe(Date.parse((await ticket(id)).createdAt) + 15_000);
    advance(16_000);
    await sweepViaPubSub();
    const escalated = await eventually(async () => ((await ticket(id)).tier === 'L2' ? ticket(id) : undefined), 20_000, 'the sweep to escalate');
    expect(escalated.escalations).toEqual([
      { from: 'L1', to: 'L2', at: expect.any(String), reason: 'SLA breach: firstResponse', by: 'system', severity: 3 },
    ]);
    // A second run, by the scheduler and by hand: nothing is due any more.
    await sweepViaPubSub();
    expect(await runEscalationSweep(services)).toMatchObject({ due: 0, escalated: 0 });
    await new Promise((r) => setTimeout(r, 2000));
    expect((await ticket(id)).escalations).toHaveLength(1);
    // The escalation was announced and the ticket routed to the L2 agent.
    await eventually(async () => ((await notificationsOf(id, 'ticket.escalated')).length === 1 ? true : undefined), 20_000, 'the notification');
    await eventually(async () => ((await ticket(id)).assigneeUid === 'demo-agent-l2' ? true : undefined), 20_000, 'routing at L2');
  });

  it('when two sweeps run at the same time, then each breach causes exactly one escalation', async () => {
    const ids = [await newTicket(), await newTicket(), await newTicket()];
    advance(16_000);
    const reports = await Promise.all([runEscalationSweep(services), runEscalationSweep(services)]);
    expect(reports.reduce((sum, r) => sum + r.escalated, 0)).toBe(3);
    for (const id of ids) expect(await ticket(id)).toMatchObject({ tier: 'L2', escalations: [expect.objectContaining({ to: 'L2' })] });
    const lifecycle = await outboxEvents(services, TOPICS.ticketLifecycle, 'ticket.escalated');
    expect(lifecycle.map((e) => e.data['ticketId']).sort()).toEqual([...ids].sort());
  });

  it('when a ticket waits for the customer, then it does not breach however late it gets', async () => {
    const id = await newTicket();
    const paused = await call(api, 'POST', `/v1/tickets/${id}/status`, { token: tokens.l1, body: { status: 'pending_customer' } });
    expect(paused.status).toBe(200);
    advance(60_000);
    expect(await runEscalationSweep(services)).toMatchObject({ due: 0, escalated: 0 });
    expect(await ticket(id)).toMatchObject({ tier: 'L1', escalations: [] });
    // Once the customer answers, the clock runs on from where it stopped: the breach comes later, not at once.
    const answer = await call(api, 'POST', `/v1/tickets/${id}/messages`, { token: tokens.customer, body: { body: 'Here are the logs' } });
    expect(answer.status).toBe(201);
    expect((await runEscalationSweep(services)).escalated).toBe(0);
    advance(16_000);
    expect((await runEscalationSweep(services)).escalated).toBe(1);
  });

  it('when an L2 ticket breaches, then it is flagged for management review and managers are notified before it moves to L3', async () => {
    const id = await newTicket();
    advance(16_000);
    expect((await runEscalationSweep(services)).escalated).toBe(1);
    advance(16_000);
    await sweepViaPubSub();
    const flagged = await eventually(async () => ((await ticket(id)).managementReview ? ticket(id) : undefined), 20_000, 'the review flag');
    expect(flagged.tier).toBe('L2');
    const [review] = await eventually(
      async () => {
        const found = await notificationsOf(id, 'ticket.management_review');
        return found.length > 0 ? found : undefined;
      },
      20_000,
      'the manager notification',
    );
    expect(review).toMatchObject({ data: { ticketId: id, tier: 'L2', audience: 'managers' } });
    advance(16_000);
    expect((await runEscalationSweep(services)).escalated).toBe(1);
    const atL3 = await ticket(id);
    expect(atL3.tier).toBe('L3');
    const toL3 = atL3.escalations.find((e) => e.to === 'L3');
    expect(Date.parse(toL3!.at)).toBeGreaterThan(Date.parse(review!['occurredAt'] as string));
    expect(atL3.escalations.map((e) => `${e.from}>${e.to}`)).toEqual(['L1>L2', 'L2>L3']);
  });

  it('when an operator runs `npm run tuki -- run-job escalation-sweep`, then the local host runs the sweep', async () => {
    const id = await newTicket();
    advance(16_000);
    const run = spawnSync(process.execPath, [join(repoRoot(), 'dist/scripts/tuki.js'), 'run-job', 'escalation-sweep'], {
      env: process.env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    expect(run.stdout).toMatch(/Published a run of escalation-sweep/);
    await eventually(async () => ((await ticket(id)).tier === 'L2' ? true : undefined), 20_000, 'the sweep run by run-job');
  });
});

describe('manual escalation and severity assessment', () => {
  it('when an agent escalates by hand with a reason, then who, when, why and the severity are recorded', async () => {
    const id = await newTicket();
    const escalated = await call(api, 'POST', `/v1/tickets/${id}/escalate`, { token: tokens.l1, body: { reason: 'Needs database access' } });
    expect(escalated.status).toBe(200);
    expect(escalated.body).toMatchObject({ tier: 'L2', assigneeUid: null });
    expect(escalated.body.escalations).toEqual([
      { from: 'L1', to: 'L2', at: expect.any(String), reason: 'Needs database access', by: 'demo-agent-l1', severity: 3 },
    ]);
    // Straight to L3 by a manager: flagged for review, with the manager notification.
    const toL3 = await call(api, 'POST', `/v1/tickets/${id}/escalate`, { token: tokens.manager, body: { reason: 'Customer-wide outage', toTier: 'L3' } });
    expect(toL3.status).toBe(200);
    expect(toL3.body).toMatchObject({ tier: 'L3', managementReview: true });
    await eventually(async () => ((await notificationsOf(id, 'ticket.management_review')).length === 1 ? true : undefined), 20_000, 'review notification');
  });

  it('when the caller may not escalate or the request is wrong, then 403, 404, 409 and 400 say why', async () => {
    const id = await newTicket();
    expect((await call(api, 'POST', `/v1/tickets/${id}/escalate`, { token: tokens.customer, body: { reason: 'hurry up' } })).status).toBe(403);
    expect((await call(api, 'POST', `/v1/tickets/${id}/escalate`, { token: tokens.l2, body: { reason: 'mine' } })).status).toBe(404);
    const sideways = await call(api, 'POST', `/v1/tickets/${id}/escalate`, { token: tokens.l1, body: { reason: 'same', toTier: 'L1' } });
    expect(sideways.status).toBe(409);
    expect(sideways.body).toMatchObject({ from: 'L1', to: 'L1' });
    const bad = await call(api, 'POST', `/v1/tickets/${id}/escalate`, { token: tokens.l1, body: { toTier: 'L9', extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['extra', 'reason', 'toTier']);
    expect((await call(api, 'POST', '/v1/tickets/no-such-ticket/escalate', { token: tokens.manager, body: { reason: 'x' } })).status).toBe(404);
  });

  it('when staff assess a ticket as severity 1, then who, when and why are recorded, due times follow the 24/7 target, and the incident process is told', async () => {
    const id = await newTicket();
    const assessed = await call(api, 'POST', `/v1/tickets/${id}/severity`, { token: tokens.l1, body: { severity: 1, reason: 'All invoices are failing' } });
    expect(assessed.status).toBe(200);
    expect(assessed.body).toMatchObject({ severity: 1, severityConfirmed: true });
    expect(assessed.body.severityAssessments).toEqual([
      { severity: 1, previous: 3, reason: 'All invoices are failing', by: 'demo-agent-l1', at: expect.any(String) },
    ]);
    // Severity 1 keeps the default 30-minute first response (the policy only overrides severity 3), counted from creation.
    expect(Date.parse(assessed.body.sla.firstResponseDueAt) - Date.parse(assessed.body.createdAt)).toBe(30 * 60_000);
    const published = await eventually(
      async () => severityOne.find((m) => (JSON.parse(m.data.toString()) as { data: { ticketId: string } }).data.ticketId === id),
      20_000,
      'the severity-1 event',
    );
    expect(JSON.parse(published.data.toString())).toMatchObject({ type: 'ticket.severity_one', data: { ticketId: id, product: 'online', orgId: 'demo-org' } });

    expect((await call(api, 'POST', `/v1/tickets/${id}/severity`, { token: tokens.customer, body: { severity: 2, reason: 'x' } })).status).toBe(403);
    const bad = await call(api, 'POST', `/v1/tickets/${id}/severity`, { token: tokens.l1, body: { severity: 7 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['reason', 'severity']);
  });
});
