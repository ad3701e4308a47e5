/**
 * The outbox relay: publishes outbox records to their Pub/Sub topics and marks them
 * published. An outbox record holds the events of one commit (see `writeOutbox`). The request
 * path dispatches what it just committed; the `outbox-relay` job publishes whatever is still
 * unpublished after a grace period (a crash between commit and publish). An event may
 * therefore be published twice; every consumer deduplicates on the event id, which travels
 * as the `eventId` attribute and in the payload.
 *
 * Marking a record published is bookkeeping for the relay, not part of the delivery promise:
 * the request path does not wait for it. A record is marked once all of its events were
 * published; marks are grouped and written in batches shortly after (a group commit). A mark
 * also drops what the record need not keep of its events from then on (`keptOncePublished`: a
 * status email's address and text), so that the record holds them only while it may be
 * published again. A mark
 * lost with its instance only means the relay publishes that record once more, which
 * consumers ignore.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { PubSub, Topic } from '@google-cloud/pubsub';
import type { Clock, OutboxDispatcher } from '../application/ports';
import { keptOncePublished, type DomainEvent } from '../domain/events';
import { withDeadline } from './deadlines';
import { expiry } from './expiry';
import { COLLECTIONS } from './firestore-names';
import { outboxRecordId, publishedEvent, type OutboxRecord, type PublishedEvent } from './outbox-records';

/** Publishing settings shared by tuki and its benchmark baseline. */
export const PUBLISH_BATCHING = { maxMessages: 100, maxMilliseconds: 5 } as const;

/**
 * How long a publish may take, retries included (gax applies a call's `timeout` to its whole
 * retry budget). The events are already in the outbox: a request does not wait for a stalled
 * Pub/Sub longer than this, and the relay publishes what was left.
 */
const PUBLISH_DEADLINE_MS = 1_500;

/** Marks are bookkeeping written after the request answered: their own, short deadline. */
const MARK_DEADLINE = { totalMs: 10_000, perCallMs: 10_000 } as const;

const RELAY_BATCH = 200;
/**
 * Marks are flushed after this delay or at this many, whichever comes first. Half a second
 * turns the marks of a busy instance into a few commits instead of one per request (measured:
 * about 8 % of intake throughput at 50 ms), and is far inside the relay's grace period.
 */
const MARK_DELAY_MS = 500;
const MARK_BATCH = 400;

export class PubSubOutboxDispatcher implements OutboxDispatcher {
  private readonly topics = new Map<string, Topic>();
  /** Records to mark published, with their events as the record keeps them from then on when that is less (`keptOncePublished`). */
  private pendingMarks: { id: string; at: string; kept: readonly PublishedEvent[] | null }[] = [];
  private markTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Firestore,
    private readonly pubsub: PubSub,
    private readonly clock: Clock,
  ) {}

  /** Publishes one commit's events and marks its record once all of them are published. */
  async dispatch(events: readonly DomainEvent[]): Promise<void> {
    await this.publishRecord(events.map(publishedEvent));
  }

  /** Publishes an outbox record's events, each to its topic, and marks the record. */
  private async publishRecord(events: readonly PublishedEvent[]): Promise<void> {
    const recordId = outboxRecordId(events);
    if (recordId === null) return;
    // Each event on its own, so that one failure does not hold the others back.
    const outcomes = await Promise.allSettled(events.map((event) => this.publish(event)));
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
    const kept = events.map(keptOncePublished);
    this.pendingMarks.push({ id: recordId, at: new Date(this.clock.now()).toISOString(), kept: kept.some((event, i) => event !== events[i]) ? kept : null });
    this.scheduleMarks(this.pendingMarks.length >= MARK_BATCH ? 0 : MARK_DELAY_MS);
  }

  /** Writes every pending mark now. */
  async flush(): Promise<void> {
    if (this.markTimer !== null) clearTimeout(this.markTimer);
    this.markTimer = null;
    while (this.pendingMarks.length > 0) {
      const marks = this.pendingMarks.splice(0, MARK_BATCH);
      const batch = this.db.batch();
      for (const mark of marks) {
        batch.update(this.db.collection(COLLECTIONS.outbox).doc(mark.id), {
          publishedAt: mark.at,
          ...expiry('outbox', mark.at),
          ...(mark.kept === null ? {} : { events: mark.kept }),
        });
      }
      await batch.commit();
    }
  }

  private scheduleMarks(delayMs: number): void {
    if (this.markTimer !== null && delayMs > 0) return;
    if (this.markTimer !== null) clearTimeout(this.markTimer);
    this.markTimer = setTimeout(() => {
      this.markTimer = null;
      // A failed mark is not lost work: the relay republishes the record later.
      withDeadline(MARK_DEADLINE, async () => this.flush()).catch(() => undefined);
    }, delayMs);
    this.markTimer.unref();
  }

  async relayPending(olderThanMs: number): Promise<number> {
    const cutoff = new Date(this.clock.now() - olderThanMs).toISOString();
    const snapshot = await this.db
      .collection(COLLECTIONS.outbox)
      .where('publishedAt', '==', null)
      .where('occurredAt', '<=', cutoff)
      .orderBy('occurredAt')
      .limit(RELAY_BATCH)
      .get();
    const records = snapshot.docs.map((doc) => (doc.data() as OutboxRecord).events);
    const outcomes = await Promise.allSettled([...ticketChains(records).values()].map(async (chain) => this.publishInOrder(chain)));
    await this.flush();
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
    return outcomes.reduce((sum, o) => sum + (o.status === 'fulfilled' ? o.value : 0), 0);
  }

  /**
   * One ticket's records, oldest first, each once the one before it was published: a ticket's
   * later event is never published before an earlier one. The first failure ends the chain
   * (the next relay starts it again from there). Answers the number of events published.
   */
  private async publishInOrder(chain: readonly (readonly PublishedEvent[])[]): Promise<number> {
    let published = 0;
    for (const events of chain) {
      await this.publishRecord(events);
      published += events.length;
    }
    return published;
  }

  private async publish(event: PublishedEvent): Promise<void> {
    let topic = this.topics.get(event.topic);
    if (topic === undefined) {
      topic = this.pubsub.topic(event.topic, { batching: PUBLISH_BATCHING, gaxOpts: { timeout: PUBLISH_DEADLINE_MS } });
      this.topics.set(event.topic, topic);
    }
    await topic.publishMessage({
      data: Buffer.from(JSON.stringify(event)),
      attributes: { eventId: event.id, type: event.type },
    });
  }
}

/** Records grouped by the ticket their events are about, each group in the order given (oldest first). */
function ticketChains(records: readonly (readonly PublishedEvent[])[]): Map<string, (readonly PublishedEvent[])[]> {
  const chains = new Map<string, (readonly PublishedEvent[])[]>();
  for (const events of records) {
    const ticketId = events[0]?.data['ticketId'];
    const key = typeof ticketId === 'string' ? ticketId : `record:${outboxRecordId(events) ?? ''}`;
    chains.set(key, [...(chains.get(key) ?? []), events]);
  }
  return chains;
}
