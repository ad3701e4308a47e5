/**
 * What the retention tests share: every document of the database, tickets made through the
 * API and moved into the past, waiting for the outbox to settle, and running the retention job
 * as Cloud Scheduler does (a publish to its topic) until its summary is written.
 */
import type { Firestore } from '@google-cloud/firestore';
import { PubSub } from '@google-cloud/pubsub';
import { runJobNow } from '../../scripts/lib/local-scheduler';
import { call, eventually, portalTicket, type HarnessContext } from './harness';

export const DAY = 24 * 60 * 60 * 1000;
export const CARD = '4111 1111 1111 1111';
let keys = 0;

/** Every document of the database, by path (the keys database is the default one in local mode). */
export async function allDocuments(db: Firestore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (collections: FirebaseFirestore.CollectionReference[]): Promise<void> => {
    for (const collection of collections) {
      for (const ref of await collection.listDocuments()) {
        const snapshot = await ref.get();
        if (snapshot.exists) out.set(ref.path, JSON.stringify(snapshot.data()));
        await walk(await ref.listCollections());
      }
    }
  };
  await walk(await db.listCollections());
  return out;
}

/** How many documents each collection holds (subcollections by their name). */
export function countsByCollection(documents: Map<string, string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const path of documents.keys()) {
    const segments = path.split('/');
    const collection = segments[segments.length - 2] ?? '';
    counts[collection] = (counts[collection] ?? 0) + 1;
  }
  return counts;
}

/** The paths of the documents whose content names `needle`. */
export function mentioning(documents: Map<string, string>, needle: string): string[] {
  return [...documents.entries()].filter(([, json]) => json.includes(needle)).map(([path]) => path);
}

/** A ticket routed to the L1 agent, with a sealed original, an Idempotency-Key and a message each way. */
export async function answeredTicket(h: HarnessContext, token = h.tokens.customer, subject = 'Invoices are not delivered'): Promise<string> {
  const created = await call(h.api, 'POST', '/v1/tickets', {
    token,
    headers: { 'Idempotency-Key': `retention-${(keys += 1)}` },
    body: portalTicket({ subject, description: `Card ${CARD} was charged twice.` }),
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await eventually(async () => ((await h.services.tickets.get(id))?.assigneeUid ? true : undefined), 20_000, 'routing');
  expect((await call(h.api, 'POST', `/v1/tickets/${id}/messages`, { token, body: { body: 'Any news? My password is Hunter2Secret!' } })).status).toBe(201);
  expect((await call(h.api, 'POST', `/v1/tickets/${id}/messages`, { token: h.tokens.l1, body: { body: 'We are on it.' } })).status).toBe(201);
  return id;
}

/** An answered ticket, resolved by the agent, rated and closed by its customer. */
export async function fullTicket(h: HarnessContext, token = h.tokens.customer, subject = 'Invoices are not delivered'): Promise<string> {
  const id = await answeredTicket(h, token, subject);
  expect((await call(h.api, 'POST', `/v1/tickets/${id}/status`, { token: h.tokens.l1, body: { status: 'resolved' } })).status).toBe(200);
  expect((await call(h.api, 'POST', `/v1/tickets/${id}/csat`, { token, body: { rating: 4, comment: 'Thanks' } })).status).toBe(201);
  expect((await call(h.api, 'POST', `/v1/tickets/${id}/status`, { token, body: { status: 'closed' } })).status).toBe(200);
  return id;
}

/** The instant `days` before now, ISO. */
export const daysAgo = (days: number): string => new Date(Date.now() - days * DAY).toISOString();

/** Moves the given retention facts of a ticket `days` into the past: test setup, not the job's work. */
export async function backdate(h: HarnessContext, id: string, days: number, fields: readonly ('closedAt' | 'resolvedAt')[] = ['closedAt', 'resolvedAt']): Promise<void> {
  const at = daysAgo(days);
  await h.services.db.collection('tickets').doc(id).update(Object.fromEntries(fields.map((field) => [field, at])));
}

/** Waits until the outbox is fully published and every notification recorded (nothing in flight). */
export async function settled(h: HarnessContext): Promise<void> {
  await eventually(async () => {
    const pending = await h.services.db.collection('outbox').where('publishedAt', '==', null).count().get();
    return pending.data().count === 0 ? true : undefined;
  }, 20_000, 'the outbox to be published');
  await new Promise((r) => setTimeout(r, 1500));
}

/** Runs the job as Cloud Scheduler does (a publish to its topic) and waits for its summary. */
export async function runJob(h: HarnessContext): Promise<Record<string, number>> {
  const runs = h.services.db.collection('retentionRuns').where('status', '==', 'finished');
  const before = (await runs.count().get()).data().count;
  const pubsub = new PubSub({ projectId: h.services.config.GOOGLE_CLOUD_PROJECT });
  await runJobNow(pubsub, 'retention');
  await pubsub.close();
  return eventually(async () => {
    const done = await runs.get();
    if (done.size <= before) return undefined;
    const newest = [...done.docs].sort((a, b) => String(a.get('finishedAt')).localeCompare(String(b.get('finishedAt')))).pop();
    return newest?.get('summary') as Record<string, number> | undefined;
  }, 30_000, 'the retention run');
}
