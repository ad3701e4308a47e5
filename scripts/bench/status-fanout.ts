/**
 * Fan-out of one public status update to 1,000 webhook subscribers (`npm run bench --
 * status-fanout`, `--subscribers=N`). tuki's path: the `status.update_published` event is
 * published to its topic as the outbox publishes it, the `fanOutStatusUpdate` function (real
 * Pub/Sub push) creates one delivery record per confirmed subscriber, signs and posts each to a
 * local receiver, and saves each outcome; the time runs from the publish until the receiver has
 * every request. Target: within 30 s. The baseline, in the same run: a raw loop that reads the
 * same subscriptions with one query and posts the same signed requests at the same concurrency,
 * without delivery records (what the records, the event hop and the outcome writes cost).
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { STATUS_UPDATE_PUBLISHED } from '../../functions/src/application/incidents/status-update-event';
import { DELIVERY_CONCURRENCY } from '../../functions/src/application/webhooks/deliver';
import { COLLECTIONS } from '../../functions/src/adapters/firestore-names';
import type { StatusSubscription } from '../../functions/src/domain/status-subscriptions';
import { signatureHeader } from '../../functions/src/domain/webhook-signature';
import { TOPICS } from '../../functions/src/manifest';
import type { Services } from '../../functions/src/wiring';
import { clearEmulators, PROJECT_ID } from '../lib/emulators';
import { startLocalHost } from '../lib/local-host';
import { startReceiver, type WebhookReceiver } from '../lib/webhook-receiver';
import { fmt } from './stats';

const TARGET_SECONDS = 30;

function flag(name: string, fallback: number): number {
  const raw = process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  return raw === undefined ? fallback : Number(raw);
}

async function seedSubscribers(s: Services, url: string, count: number): Promise<void> {
  const writer = s.db.bulkWriter();
  const at = new Date().toISOString();
  for (let i = 0; i < count; i++) {
    const subscription: StatusSubscription = {
      id: `bench-${String(i).padStart(5, '0')}`,
      channel: 'webhook',
      products: ['tms'],
      webhookUrl: `${url}?subscriber=${i}`,
      email: null,
      state: 'active',
      signingSecret: `whsec_bench-${i}`,
      unsubscribeToken: randomUUID().replaceAll('-', ''),
      confirmationTokenHash: null,
      createdAt: at,
      confirmedAt: at,
    };
    void writer.create(s.db.collection(COLLECTIONS.statusSubscriptions).doc(subscription.id), { ...subscription });
  }
  await writer.close();
}

async function untilReceived(receiver: WebhookReceiver, count: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (receiver.updates().length < count) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** tuki: publish the event, wait for every request at the receiver. */
async function tukiFanOut(s: Services, receiver: WebhookReceiver, count: number): Promise<{ seconds: number; complete: boolean }> {
  const at = new Date().toISOString();
  const event = {
    id: randomUUID(),
    kind: 'status.update_published',
    type: STATUS_UPDATE_PUBLISHED,
    occurredAt: at,
    topic: TOPICS.statusUpdates,
    data: { incidentId: 'bench-incident', updateId: randomUUID(), kind: 'incident', products: ['tms'], status: 'investigating', impact: 'major', title: 'TMS is down', message: 'We are looking into it.', publishedAt: at },
  };
  const started = performance.now();
  await s.pubsub.topic(TOPICS.statusUpdates).publishMessage({ data: Buffer.from(JSON.stringify(event)), attributes: { eventId: event.id, type: event.type } });
  const complete = await untilReceived(receiver, count, 120_000);
  return { seconds: (performance.now() - started) / 1000, complete };
}

/** The baseline: one query, then the same signed posts at the same concurrency, nothing recorded. */
async function rawFanOut(s: Services, receiver: WebhookReceiver, count: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: DELIVERY_CONCURRENCY });
  const started = performance.now();
  const snapshot = await s.db.collection(COLLECTIONS.statusSubscriptions).where('state', '==', 'active').where('products', 'array-contains-any', ['tms']).get();
  const targets = snapshot.docs.map((doc) => doc.data() as StatusSubscription);
  let next = 0;
  await Promise.all(
    Array.from({ length: DELIVERY_CONCURRENCY }, async () => {
      while (next < targets.length) {
        const target = targets[next++];
        if (target?.webhookUrl == null || target.signingSecret === null) continue;
        const body = JSON.stringify({ id: randomUUID(), type: 'status.update', subscriptionId: target.id, data: { message: 'We are looking into it.' } });
        await new Promise<void>((resolve, reject) => {
          const req = request(target.webhookUrl ?? '', { method: 'POST', agent, headers: { 'content-type': 'application/json', 'Tuki-Signature': signatureHeader(target.signingSecret ?? '', body, Date.now()) } }, (res) => {
            res.resume();
            res.on('end', () => resolve());
          });
          req.on('error', reject);
          req.end(body);
        });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  if (receiver.updates().length < count) throw new Error(`baseline delivered ${receiver.updates().length} of ${count}`);
  return seconds;
}

export async function benchStatusFanOut(log: (line: string) => void, s: Services): Promise<Record<string, number>> {
  const count = flag('subscribers', 1_000);
  await clearEmulators();
  const host = await startLocalHost({ project: PROJECT_ID, apiPort: 0, eventPortBase: 0, subscriptionPrefix: 'bench-fanout-' });
  const receiver = await startReceiver('accept');
  try {
    await seedSubscribers(s, receiver.url, count);
    log(`${count} confirmed webhook subscribers of one product, one local receiver; delivery concurrency ${DELIVERY_CONCURRENCY} per instance`);
    // Warm-up: the emulator's JVM, the function's instance and the receiver's sockets.
    await rawFanOut(s, receiver, count);
    receiver.requests.length = 0;
    const tuki = await tukiFanOut(s, receiver, count);
    const delivered = receiver.updates().length;
    receiver.requests.length = 0;
    const rawSeconds = await rawFanOut(s, receiver, count);
    const tukiRate = delivered / tuki.seconds;
    const rawRate = count / rawSeconds;
    log(`tuki: ${delivered}/${count} delivered in ${fmt(tuki.seconds)} s from the publish (${fmt(tukiRate)} deliveries/s); target within ${TARGET_SECONDS} s: ${tuki.complete && tuki.seconds <= TARGET_SECONDS ? 'met' : 'MISSED'}`);
    log(`raw client (query + signed posts, no records): ${fmt(rawSeconds)} s (${fmt(rawRate)} deliveries/s)`);
    log(`ratio tuki/raw throughput: ${fmt(tukiRate / rawRate)}`);
    return { subscribers: count, tukiSeconds: tuki.seconds, tukiDeliveriesPerSecond: tukiRate, rawSeconds, rawDeliveriesPerSecond: rawRate, ratio: tukiRate / rawRate };
  } finally {
    await receiver.close();
    await host.close();
  }
}
