/**
 * Small event functions: the heartbeat (which region ran the scheduler) and the notification
 * log (each notification recorded once, keyed on its event id, for delivery providers to read).
 */
import { z } from 'zod';
import { pubsubFunction } from './pubsub-function';

const ALREADY_EXISTS = 6;

/** A region name as Cloud Scheduler and the local scheduler set it (`europe-west1`, `local-secondary`). */
const RegionSchema = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/);

pubsubFunction({
  name: 'recordHeartbeat',
  payload: z.object({ job: z.string(), region: z.string().optional() }).loose(),
  maxAgeMs: 10 * 60 * 1000,
  /**
   * Records the region of the *scheduler* that sent the tick, not of the function that handles
   * it: every region's push subscription receives every message, so both regions' functions
   * write this document, and only the scheduler's region tells a failover drill where the jobs
   * run. Cloud Scheduler sets it as the `region` attribute (`infra/components/regional-scheduler.ts`),
   * and so does the local scheduler; a `region` in the payload is accepted too. A tick without one
   * (an old message, a hand-made publish) falls back to the function's own region, and an invalid
   * one is ignored. `functionRegion` says which region's function wrote the document.
   */
  handle: async (tick, { eventId, attributes, services, logger }) => {
    const functionRegion = services.config.TUKI_REGION;
    const claimed = attributes['region'] ?? tick.region;
    const parsed = RegionSchema.safeParse(claimed);
    if (claimed !== undefined && !parsed.success) logger.warn('heartbeat with an invalid region attribute, using the function region', { eventId });
    const region = parsed.success ? parsed.data : functionRegion;
    const at = new Date(services.clock.now()).toISOString();
    await services.db.collection('heartbeats').doc('latest').set({ region, at, eventId, job: tick.job, functionRegion });
    return `heartbeat of the scheduler in ${region}, recorded by ${functionRegion}`;
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
