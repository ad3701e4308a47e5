/**
 * The outbox relay: publishes outbox records to their Pub/Sub topics and marks them
 * published. The request path dispatches what it just committed; the `outbox-relay` job
 * publishes whatever is still unpublished after a grace period (a crash between commit and
 * publish). A record may therefore be published twice; every consumer deduplicates on the
 * event id, which travels as the `eventId` attribute and in the payload.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { PubSub, Topic } from '@google-cloud/pubsub';
import type { Clock, OutboxDispatcher } from '../application/ports';
import type { TicketEvent } from '../application/records';
import { COLLECTIONS } from './firestore-tickets';

/** Publishing settings shared by tuki and its benchmark baseline. */
export const PUBLISH_BATCHING = { maxMessages: 100, maxMilliseconds: 5 } as const;

const RELAY_BATCH = 200;

export class PubSubOutboxDispatcher implements OutboxDispatcher {
  private readonly topics = new Map<string, Topic>();

  constructor(
    private readonly db: Firestore,
    private readonly pubsub: PubSub,
    private readonly clock: Clock,
  ) {}

  async dispatch(events: readonly TicketEvent[]): Promise<void> {
    if (events.length === 0) return;
    await Promise.all(events.map((event) => this.publish(event)));
    const batch = this.db.batch();
    const publishedAt = new Date(this.clock.now()).toISOString();
    for (const event of events) batch.update(this.db.collection(COLLECTIONS.outbox).doc(event.id), { publishedAt });
    await batch.commit();
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
    const events = snapshot.docs.map((doc) => {
      const { publishedAt: _unpublished, ...event } = doc.data() as TicketEvent & { publishedAt: null };
      return event;
    });
    await this.dispatch(events);
    return events.length;
  }

  private async publish(event: TicketEvent): Promise<void> {
    let topic = this.topics.get(event.topic);
    if (topic === undefined) {
      topic = this.pubsub.topic(event.topic, { batching: PUBLISH_BATCHING });
      this.topics.set(event.topic, topic);
    }
    await topic.publishMessage({
      data: Buffer.from(JSON.stringify(event)),
      attributes: { eventId: event.id, type: event.type },
    });
  }
}
