/**
 * Status subscriptions end to end, through the HTTP API, Pub/Sub push and a local webhook
 * receiver: a confirmed webhook gets exactly one correctly signed request per public update
 * (verified with the documented algorithm), a failing receiver gets retries with backoff and
 * then a dead-letter record staff can see, an unconfirmed subscription gets nothing, email
 * subscriptions confirm by their link and get one email per update, an erasure of a person removes
 * the subscriptions at their address, and bad input changes nothing.
 */
import { runJobNow } from '../../scripts/lib/local-scheduler';
import { startReceiver, type WebhookReceiver } from '../../scripts/lib/webhook-receiver';
import type { Message } from '@google-cloud/pubsub';
import { StatusEmailEventSchema, type StatusEmailEvent } from '../../functions/src/application/status-subscriptions/status-email-event';
import { retryDueDeliveries } from '../../functions/src/application/webhooks/deliver';
import { newEventWithId } from '../../functions/src/domain/events';
import { RETRY_SCHEDULE } from '../../functions/src/domain/webhook-delivery';
import { verifySignature } from '../../functions/src/domain/webhook-signature';
import { call, eventually, outboxEvents, testClock, useHarness } from './harness';

const h = useHarness('subscriptions');
let receivers: WebhookReceiver[] = [];

let mailboxes: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all([...receivers.map(async (r) => r.close()), ...mailboxes.map(async (close) => close())]);
  receivers = [];
  mailboxes = [];
});

async function receiver(behaviour: Parameters<typeof startReceiver>[0] = 'accept'): Promise<WebhookReceiver> {
  const started = await startReceiver(behaviour);
  receivers.push(started);
  return started;
}

/** The emails the mail provider would read: a pull subscription of the `status-emails` topic of this test's own. */
async function mailbox(): Promise<{ emails(type: string): StatusEmailEvent[] }> {
  const [subscription] = await h.services.pubsub.topic('status-emails').createSubscription(`test-mailbox-${Date.now()}`);
  const received: StatusEmailEvent[] = [];
  subscription.on('message', (message: Message) => {
    received.push(StatusEmailEventSchema.parse(JSON.parse(message.data.toString('utf8'))));
    message.ack();
  });
  mailboxes.push(async () => {
    await subscription.close();
    await subscription.delete();
  });
  return { emails: (type) => received.filter((e) => e.type === type) };
}

/** The outbox record of an event once it is marked published. */
async function publishedRecord(eventId: string): Promise<FirebaseFirestore.DocumentData> {
  return eventually(async () => {
    const record = (await h.services.db.collection('outbox').doc(eventId).get()).data();
    return record !== undefined && record['publishedAt'] !== null ? record : undefined;
  }, 20_000, `the outbox record ${eventId} marked published`);
}

async function subscribeWebhook(url: string, products = ['tms']): Promise<{ id: string; signingSecret: string; unsubscribeToken: string }> {
  const answer = await call(h.api, 'POST', '/v1/status/subscriptions', { body: { products, webhookUrl: url } });
  expect(answer.status).toBe(202);
  expect(answer.body).toMatchObject({ channel: 'webhook', state: 'pending', products });
  expect(answer.body.signingSecret).toMatch(/^whsec_/);
  return answer.body;
}

async function untilActive(id: string): Promise<void> {
  await eventually(async () => ((await h.services.subscriptions.get(id))?.state === 'active' ? true : undefined), 20_000, 'the subscription confirmed');
}

async function openPublicIncident(product = 'tms'): Promise<string> {
  const opened = await call(h.api, 'POST', '/v1/incidents', {
    token: h.tokens.manager,
    body: { title: 'TMS is slow', affected: [{ product, status: 'partial_outage' }], message: 'We are looking into it.', noticeMode: 'status_page' },
  });
  expect(opened.status).toBe(201);
  return opened.body.id as string;
}

/** The update deliveries of a subscription (a previous test's fan-out may still be saving its own). */
async function updateDeliveries(subscriptionId: string): Promise<FirebaseFirestore.DocumentData[]> {
  const snapshot = await h.services.db.collection('webhookDeliveries').where('purpose', '==', 'status.update').where('targetId', '==', subscriptionId).get();
  return snapshot.docs.map((doc) => doc.data());
}

/**
 * The next attempt comes `delayMs`, spread by the jitter, after the last one ended (which is at
 * most an attempt's timeout after it started).
 */
function expectRetryAfter(delivery: FirebaseFirestore.DocumentData, delayMs: number): void {
  const gap = Date.parse(delivery.nextAttemptAt) - Date.parse(delivery.lastAttemptAt);
  expect(gap).toBeGreaterThanOrEqual(delayMs * (1 - RETRY_SCHEDULE.jitterShare));
  expect(gap).toBeLessThan(delayMs * (1 + RETRY_SCHEDULE.jitterShare) + 10_000);
}

describe('webhook subscriptions', () => {
  it('when a confirmed subscriber hears of two public updates and a staff note, then it gets exactly one correctly signed request per public update', async () => {
    const hook = await receiver();
    const other = await receiver();
    const subscription = await subscribeWebhook(hook.url);
    const elsewhere = await subscribeWebhook(other.url, ['online']);
    await untilActive(subscription.id);
    await untilActive(elsewhere.id);
    const challenge = hook.requests[0];
    expect(challenge?.json).toMatchObject({ type: 'challenge', subscriptionId: subscription.id });
    expect(verifySignature(challenge?.headers['tuki-signature'] as string, challenge?.body ?? '', subscription.signingSecret, Date.now()).valid).toBe(true);

    const incidentId = await openPublicIncident();
    const update = await call(h.api, 'POST', `/v1/incidents/${incidentId}/updates`, {
      token: h.tokens.manager,
      body: { status: 'identified', message: 'A full disk; fix under way.', publish: true },
    });
    expect(update.status).toBe(201);
    const note = await call(h.api, 'POST', `/v1/incidents/${incidentId}/updates`, {
      token: h.tokens.manager,
      body: { status: 'identified', message: 'Internal: ask the storage team', publish: false },
    });
    expect(note.status).toBe(201);
    await eventually(async () => (hook.updates().length >= 2 ? true : undefined), 20_000, 'two updates at the receiver');
    // Redeliveries or a second fan-out would show up within a few seconds.
    await new Promise((r) => setTimeout(r, 4_000));

    const received = hook.updates();
    expect(received).toHaveLength(2);
    for (const request of received) {
      const check = verifySignature(request.headers['tuki-signature'] as string, request.body, subscription.signingSecret, Date.now());
      expect(check).toMatchObject({ valid: true });
      expect(verifySignature(request.headers['tuki-signature'] as string, request.body, 'whsec_someone-else', Date.now()).valid).toBe(false);
      expect(verifySignature(request.headers['tuki-signature'] as string, `${request.body} `, subscription.signingSecret, Date.now()).valid).toBe(false);
      expect(request.headers['tuki-delivery-id']).toBe(request.json['id']);
      expect(request.json).toMatchObject({ type: 'status.update', subscriptionId: subscription.id, unsubscribeToken: subscription.unsubscribeToken });
    }
    expect(received.map((r) => (r.json['data'] as { status: string }).status)).toEqual(expect.arrayContaining(['investigating', 'identified']));
    expect(received.some((r) => r.body.includes('storage team'))).toBe(false);
    expect(other.updates()).toHaveLength(0);
  });

  it('when a subscriber unsubscribes with its token, then later updates do not reach it; a wrong token is 404 and changes nothing', async () => {
    const hook = await receiver();
    const subscription = await subscribeWebhook(hook.url);
    await untilActive(subscription.id);
    const wrong = await call(h.api, 'DELETE', `/v1/status/subscriptions/${subscription.id}?token=${'x'.repeat(43)}`);
    expect(wrong.status).toBe(404);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    expect(await h.services.subscriptions.get(subscription.id)).not.toBeNull();
    const done = await call(h.api, 'DELETE', `/v1/status/subscriptions/${subscription.id}?token=${subscription.unsubscribeToken}`);
    expect(done.status).toBe(204);
    expect(await h.services.subscriptions.get(subscription.id)).toBeNull();

    const control = await receiver();
    const controlSubscription = await subscribeWebhook(control.url);
    await untilActive(controlSubscription.id);
    await openPublicIncident();
    await eventually(async () => (control.updates().length === 1 ? true : undefined), 20_000, 'the update at the control receiver');
    expect(hook.updates()).toHaveLength(0);
  });

  it('when the receiver keeps failing, then it gets retries with exponential backoff and then a dead-letter record that staff see', async () => {
    const hook = await receiver('fail-updates');
    const subscription = await subscribeWebhook(hook.url);
    await untilActive(subscription.id);
    await openPublicIncident();
    const first = await eventually(async () => {
      const [delivery] = await updateDeliveries(subscription.id);
      return delivery?.attempts === 1 && delivery.lastOutcome !== null ? delivery : undefined;
    }, 20_000, 'the first attempt');
    expect(first).toMatchObject({ state: 'pending', lastOutcome: { status: 500, error: 'http_500' } });
    expectRetryAfter(first, 60_000);

    // The second attempt through the scheduled job's own path (Pub/Sub tick → function).
    testClock.set(new Date(Date.parse(first.nextAttemptAt) + 1_000).toISOString());
    await runJobNow(h.services.pubsub, 'webhook-retries');
    let delivery = await eventually(async () => {
      const [d] = await updateDeliveries(subscription.id);
      return d?.attempts === 2 && d.nextAttemptAt !== null && Date.parse(d.nextAttemptAt) > testClock.now() ? d : undefined;
    }, 20_000, 'the second attempt');
    expectRetryAfter(delivery, 120_000);

    // The rest by the job's use case itself, the clock moved past each due time.
    for (let attempt = 3; attempt <= RETRY_SCHEDULE.maxAttempts; attempt++) {
      testClock.set(new Date(Date.parse(delivery.nextAttemptAt) + 1_000).toISOString());
      const report = await retryDueDeliveries(h.services);
      // A redelivered tick of the job above (Pub/Sub delivers at least once) may claim this attempt first; the claim
      // keeps it to one attempt either way.
      expect(report.attempted).toBeLessThanOrEqual(1);
      delivery = await eventually(async () => {
        const [d] = await updateDeliveries(subscription.id);
        const settled = d?.state === 'dead_lettered' || (d?.nextAttemptAt !== null && Date.parse(d?.nextAttemptAt) > testClock.now());
        return d?.attempts === attempt && settled ? d : undefined;
      }, 20_000, `attempt ${attempt}`);
      if (attempt < RETRY_SCHEDULE.maxAttempts) expectRetryAfter(delivery, 60_000 * 2 ** (attempt - 1));
    }
    expect(delivery).toMatchObject({ state: 'dead_lettered', nextAttemptAt: null });
    expect(hook.updates()).toHaveLength(RETRY_SCHEDULE.maxAttempts);
    testClock.set(new Date(testClock.now() + 24 * 3_600_000).toISOString());
    expect(await retryDueDeliveries(h.services)).toMatchObject({ attempted: 0 });

    const listed = await call(h.api, 'GET', '/v1/status/deliveries?state=dead_lettered', { token: h.tokens.manager });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ targetId: subscription.id, attempts: RETRY_SCHEDULE.maxAttempts, state: 'dead_lettered' })]);
    expect(listed.body.items[0].body).toBeUndefined();
    // The URL's path may carry a token or a name: staff see where it goes, its origin, and no more.
    expect(listed.body.items[0]).toMatchObject({ origin: new URL(hook.url).origin });
    expect(JSON.stringify(listed.body)).not.toContain(new URL(hook.url).pathname);
    expect((await call(h.api, 'GET', '/v1/status/deliveries', { token: h.tokens.customer })).status).toBe(403);
  });

  it('when a webhook never echoes its challenge, then it stays unconfirmed and gets no update', async () => {
    const silent = await receiver('never-confirm');
    const control = await receiver();
    const unconfirmed = await subscribeWebhook(silent.url);
    const confirmed = await subscribeWebhook(control.url);
    await untilActive(confirmed.id);
    await eventually(async () => (silent.requests.length >= 1 ? true : undefined), 20_000, 'the challenge at the silent receiver');
    await openPublicIncident();
    await eventually(async () => (control.updates().length === 1 ? true : undefined), 20_000, 'the update at the control receiver');
    expect((await h.services.subscriptions.get(unconfirmed.id))?.state).toBe('pending');
    expect(silent.updates()).toHaveLength(0);
  });
});

describe('email subscriptions', () => {
  it('when an email subscriber confirms by the link, then it gets one email per public update through the outbox, and none before; a published email leaves no address in the outbox', async () => {
    const mail = await mailbox();
    const answer = await call(h.api, 'POST', '/v1/status/subscriptions', { body: { products: ['tms'], email: 'Ops@Example.com' } });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ channel: 'email', email: 'ops@example.com', state: 'pending' });
    expect(answer.body.signingSecret).toBeUndefined();
    // What the mail provider reads from the topic keeps to the published event schema (the mailbox parses it).
    const confirmation = await eventually(async () => mail.emails('status.subscription_confirmation')[0], 20_000, 'the confirmation email');
    expect(confirmation.data).toMatchObject({ to: 'ops@example.com', subscriptionId: answer.body.id });
    expect((await publishedRecord(confirmation.id))['events']).toEqual([expect.objectContaining({ id: confirmation.id, data: { subscriptionId: answer.body.id } })]);
    const link = /\/v1\/status\/subscriptions\/[^/]+\/confirm\?token=([A-Za-z0-9_-]+)/.exec(String(confirmation?.data['text']));
    expect(link).not.toBeNull();

    const control = await receiver();
    const controlSubscription = await subscribeWebhook(control.url);
    await untilActive(controlSubscription.id);
    const before = await openPublicIncident();
    await eventually(async () => (control.updates().length === 1 ? true : undefined), 20_000, 'the first update at the control receiver');
    expect(await outboxEvents(h.services, 'status-emails', 'status.update')).toHaveLength(0);

    expect((await call(h.api, 'GET', `/v1/status/subscriptions/${answer.body.id}/confirm?token=${'y'.repeat(43)}`)).status).toBe(404);
    const confirmed = await call(h.api, 'GET', `/v1/status/subscriptions/${answer.body.id}/confirm?token=${link?.[1] ?? ''}`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ id: answer.body.id, state: 'active' });

    await call(h.api, 'POST', `/v1/incidents/${before}/updates`, { token: h.tokens.manager, body: { status: 'resolved', message: 'Fixed.', publish: true } });
    const email = await eventually(async () => mail.emails('status.update')[0], 20_000, 'the update email');
    await eventually(async () => (control.updates().length === 2 ? true : undefined), 20_000, 'the second update at the control receiver');
    expect(await outboxEvents(h.services, 'status-emails', 'status.update')).toHaveLength(1);
    expect(mail.emails('status.update')).toHaveLength(1);
    expect(email.data).toMatchObject({ to: 'ops@example.com', subject: '[resolved] TMS is slow', unsubscribeToken: answer.body.unsubscribeToken });
    const record = await publishedRecord(email.id);
    expect(record['events']).toEqual([expect.objectContaining({ id: email.id, data: { subscriptionId: answer.body.id } })]);
    expect(JSON.stringify(record)).not.toMatch(/ops@example\.com|token=/);

    // Unsubscribing takes the subscription's email records with it.
    const outbox = h.services.db.collection('outbox').where('subscriptionIds', 'array-contains', answer.body.id);
    expect((await outbox.get()).size).toBe(2);
    expect((await call(h.api, 'DELETE', `/v1/status/subscriptions/${answer.body.id}?token=${answer.body.unsubscribeToken}`)).status).toBe(204);
    expect((await outbox.get()).size).toBe(0);
  });
});

describe('erasure of a person', () => {
  it('when a customer erases themselves, then the status subscriptions at their sign-in address go with them, with their undelivered emails, on their receipt, and others stay', async () => {
    const theirs = await call(h.api, 'POST', '/v1/status/subscriptions', { body: { products: ['tms'], email: 'Customer@Demo-Org.example' } });
    const other = await call(h.api, 'POST', '/v1/status/subscriptions', { body: { products: ['tms'], email: 'ops@example.com' } });
    expect([theirs.status, other.status]).toEqual([202, 202]);
    // An email to each not handed to the mail provider yet (Pub/Sub was down): written to the outbox, not published.
    const undelivered = (subscriptionId: string, to: string) =>
      newEventWithId(`undelivered-${subscriptionId}`, 'status.email', 'status.update', new Date(testClock.now()).toISOString(), { to, subscriptionId, subject: 'x', text: 'x' });
    await h.services.subscriptions.writeEachOnce([undelivered(theirs.body.id, 'customer@demo-org.example'), undelivered(other.body.id, 'ops@example.com')]);
    const requested = await call(h.api, 'POST', '/v1/erasure-requests', { token: h.tokens.customer, body: { subject: 'demo-customer' } });
    expect(requested.status).toBe(202);
    const done = await eventually(async () => {
      const read = await call(h.api, 'GET', `/v1/erasure-requests/${requested.body.id as string}`, { token: h.tokens.privacy });
      return read.body.status === 'completed' ? read.body : undefined;
    }, 30_000, 'the erasure to complete');
    expect(await h.services.subscriptions.get(theirs.body.id)).toBeNull();
    expect((await h.services.subscriptions.get(other.body.id))?.email).toBe('ops@example.com');
    const outbox = h.services.db.collection('outbox');
    expect((await outbox.where('subscriptionIds', 'array-contains', theirs.body.id).get()).size).toBe(0);
    const kept = (await outbox.doc(`undelivered-${other.body.id}`).get()).get('events') as { data: { to: string } }[];
    expect(kept[0]?.data.to).toBe('ops@example.com');
    const person = done.receipts.find((r: { subject: string }) => r.subject === 'person');
    expect(person.counts).toMatchObject({ profile: 1, statusSubscription: 1 });
  });
});

describe('bad input', () => {
  it.each([
    ['a webhook URL that is not https', { products: ['tms'], webhookUrl: 'http://hooks.example.com/tuki' }, 'webhookUrl'],
    ['a private address', { products: ['tms'], webhookUrl: 'https://10.0.0.7/hook' }, 'webhookUrl'],
    ['the metadata address', { products: ['tms'], webhookUrl: 'https://169.254.169.254/computeMetadata/v1/' }, 'webhookUrl'],
    ['the metadata host name', { products: ['tms'], webhookUrl: 'https://metadata.google.internal/computeMetadata/v1/' }, 'webhookUrl'],
    ['loopback over IPv6', { products: ['tms'], webhookUrl: 'https://[::1]:8443/hook' }, 'webhookUrl'],
    ['localhost', { products: ['tms'], webhookUrl: 'https://localhost/hook' }, 'webhookUrl'],
    ['an IPv4-mapped private address', { products: ['tms'], webhookUrl: 'https://[::ffff:192.168.1.1]/hook' }, 'webhookUrl'],
    ['an unknown product', { products: ['tms', 'no-such-product'], email: 'ops@example.com' }, 'products.1'],
    ['both a webhook and an email', { products: ['tms'], webhookUrl: 'https://hooks.example.com/x', email: 'ops@example.com' }, 'webhookUrl'],
    ['an unknown field', { products: ['tms'], email: 'ops@example.com', state: 'active' }, 'state'],
  ])('when a subscription names %s, then it is a problem+json 400 and nothing is stored', async (_what, body, path) => {
    const answer = await call(h.api, 'POST', '/v1/status/subscriptions', { body });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect((await h.services.db.collection('statusSubscriptions').get()).size).toBe(0);
    expect((await h.services.db.collection('webhookDeliveries').where('purpose', '==', 'status.challenge').get()).size).toBe(0);
    expect(await outboxEvents(h.services, 'status-emails', 'status.subscription_confirmation')).toHaveLength(0);
  });
});
