/** `recordHeartbeat`: each `heartbeat` tick records which region's scheduler ran the jobs (failover drills read it). */
import { z } from 'zod';
import { recordHeartbeat, type HeartbeatDeps } from '../../application/operations/record-heartbeat';
import type { Config } from '../../config';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

/** A region name as Cloud Scheduler and the local scheduler set it (`europe-west1`, `local-secondary`). */
const RegionSchema = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/);

pubsubFunction({
  name: 'recordHeartbeat',
  payload: z.object({ job: z.string(), region: z.string().optional() }).loose(),
  maxAgeMs: 10 * 60 * 1000,
  /**
   * Cloud Scheduler sets the scheduler's region as the `region` attribute
   * (`infra/components/regional-scheduler.ts`), and so does the local scheduler; a `region` in
   * the payload is accepted too. An invalid one is ignored (logged): the tick is recorded with
   * the function's own region.
   */
  handle: async (tick, { eventId, attributes, deps, logger }: DeliveryContext<HeartbeatDeps & { readonly config: Pick<Config, 'TUKI_REGION'> }>) => {
    const claimed = attributes['region'] ?? tick.region;
    const parsed = RegionSchema.safeParse(claimed);
    if (claimed !== undefined && !parsed.success) logger.warn('heartbeat with an invalid region attribute, using the function region', { eventId });
    const heartbeat = await recordHeartbeat(deps, {
      eventId,
      job: tick.job,
      schedulerRegion: parsed.success ? parsed.data : undefined,
      functionRegion: deps.config.TUKI_REGION,
    });
    return `heartbeat of the scheduler in ${heartbeat.region}, recorded by ${heartbeat.functionRegion}`;
  },
});
