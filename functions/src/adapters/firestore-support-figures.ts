/**
 * The support figures' counters in Firestore: `supportFigureShards/{day}~{shard}` holds
 * `{day, shard, counters: {name: n}}`. An event's counters are added with
 * `FieldValue.increment` in one atomic commit with its processed-event marker
 * (`processedEvents/support-figures:{eventId}`, created blind): when the marker exists the
 * commit fails with ALREADY_EXISTS and nothing is added, so a redelivered event counts once
 * without any read. Nothing reads a shard before writing it, and a day has several shards,
 * so no counter document is a hot spot (the emulator's pessimistic locks would make a single
 * one crawl; production caps a document at about one write per second sustained).
 */
import { FieldValue, type Firestore } from '@google-cloud/firestore';
import type { SupportFiguresStore } from '../application/ports';
import { addCounters, type Counters } from '../domain/support-figures';
import { expiry } from './expiry';
import { COLLECTIONS, GRPC_STATUS, hasGrpcStatus } from './firestore-names';

export class FirestoreSupportFiguresStore implements SupportFiguresStore {
  constructor(private readonly db: Firestore) {}

  async add(eventId: string, day: string, shard: number, counters: Readonly<Counters>): Promise<boolean> {
    const batch = this.db.batch();
    batch.create(this.db.collection(COLLECTIONS.processedEvents).doc(`support-figures:${eventId}`), {
      consumer: 'support-figures',
      eventId,
      day,
      ...expiry('processedEvents', `${day}T00:00:00.000Z`),
    });
    const increments = Object.fromEntries(Object.entries(counters).map(([name, amount]) => [name, FieldValue.increment(amount)]));
    batch.set(this.db.collection(COLLECTIONS.supportFigureShards).doc(`${day}~${shard}`), { day, shard, counters: increments }, { merge: true });
    try {
      await batch.commit();
      return true;
    } catch (error) {
      if (hasGrpcStatus(error, GRPC_STATUS.ALREADY_EXISTS)) return false;
      throw error;
    }
  }

  async sum(from: string, to: string): Promise<Counters> {
    const snapshot = await this.db.collection(COLLECTIONS.supportFigureShards).where('day', '>=', from).where('day', '<=', to).get();
    const total: Counters = {};
    for (const doc of snapshot.docs) addCounters(total, (doc.get('counters') as Counters | undefined) ?? {});
    return total;
  }
}
