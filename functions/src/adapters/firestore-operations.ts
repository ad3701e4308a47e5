/** The heartbeat and the notification log in Firestore (`heartbeats/latest`, `notifications/{eventId}`). */
import type { Firestore } from '@google-cloud/firestore';
import type { Heartbeat, HeartbeatLog } from '../application/operations/record-heartbeat';
import type { Notification, NotificationLog } from '../application/operations/record-notification';
import { COLLECTIONS, GRPC_STATUS, hasGrpcStatus } from './firestore-names';

/** The one document a failover drill reads. */
const LATEST = 'latest';

export class FirestoreHeartbeatLog implements HeartbeatLog {
  constructor(private readonly db: Firestore) {}

  async record(heartbeat: Heartbeat): Promise<void> {
    await this.db.collection(COLLECTIONS.heartbeats).doc(LATEST).set({ ...heartbeat });
  }
}

export class FirestoreNotificationLog implements NotificationLog {
  constructor(private readonly db: Firestore) {}

  async record(notification: Notification, recordedAt: string): Promise<boolean> {
    try {
      // `create` fails on an existing document: a redelivered event writes nothing.
      await this.db.collection(COLLECTIONS.notifications).doc(notification.id).create({ ...notification, recordedAt });
      return true;
    } catch (error) {
      if (hasGrpcStatus(error, GRPC_STATUS.ALREADY_EXISTS)) return false;
      throw error;
    }
  }
}
