/**
 * The notification log: each notification event is recorded once, keyed on its event id, for
 * delivery providers (mail, push) to read.
 */
import { z } from 'zod';
import type { Clock } from '../ports';

/** A notification event as it arrives on the `notifications` topic. */
export const NotificationSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  occurredAt: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export type Notification = z.infer<typeof NotificationSchema>;

/** Where notifications are kept for delivery, one per event id. */
export interface NotificationLog {
  /** Records the notification unless one with its id is recorded already; false then (a redelivery). */
  record(notification: Notification, recordedAt: string): Promise<boolean>;
}

export interface NotificationDeps {
  readonly notifications: NotificationLog;
  readonly clock: Clock;
}

/** Records a notification once, however often it is delivered. */
export async function recordNotification(deps: NotificationDeps, notification: Notification): Promise<'recorded' | 'duplicate'> {
  const recorded = await deps.notifications.record(notification, new Date(deps.clock.now()).toISOString());
  return recorded ? 'recorded' : 'duplicate';
}
