/**
 * Small event functions: the heartbeat (which region ran the scheduler), the notification log
 * (each notification recorded once, keyed on its event id, for delivery providers to read),
 * and the severity-1 hand-off to the incident process.
 */
import { z } from 'zod';
import { pubsubFunction } from './pubsub-function';

const ALREADY_EXISTS = 6;

pubsubFunction({
  name: 'recordHeartbeat',
  payload: z.object({ job: z.string() }).loose(),
  maxAgeMs: 10 * 60 * 1000,
  handle: async (tick, { eventId, services }) => {
    const at = new Date(services.clock.now()).toISOString();
    await services.db.collection('heartbeats').doc('latest').set({ region: services.config.TUKI_REGION, at, eventId, job: tick.job });
    return `heartbeat from ${services.config.TUKI_REGION}`;
  },
});

const NotificationSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  occurredAt: z.string(),
  data: z.record(z.string(), z.unknown()),
});

pubsubFunction({
  name: 'deliverNotification',
  payload: NotificationSchema,
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  handle: async (notification, { services }) => {
    try {
      await services.db.collection('notifications').doc(notification.id).create({
        ...notification,
        recordedAt: new Date(services.clock.now()).toISOString(),
      });
      return 'recorded';
    } catch (error) {
      if ((error as { code?: unknown }).code === ALREADY_EXISTS) return 'duplicate';
      throw error;
    }
  },
});

pubsubFunction({
  name: 'handleSeverityOne',
  payload: z.object({ id: z.string(), type: z.literal('ticket.severity_one'), data: z.object({ ticketId: z.string(), product: z.string() }) }),
  maxAgeMs: 24 * 60 * 60 * 1000,
  // The incident process (status page, affected customers) is a later capability; until it
  // lands, a severity-1 ticket is recorded here so that nothing is lost.
  handle: async (event, { logger }) => {
    logger.warn('severity-1 ticket awaits the incident process', { ticketId: event.data.ticketId, product: event.data.product });
    return 'logged';
  },
});
