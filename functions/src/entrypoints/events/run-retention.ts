/** `runRetention`: the daily Cloud Scheduler tick that applies the retention policies. */
import { z } from 'zod';
import type { RetentionJobDeps } from '../../application/retention/run-retention';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

pubsubFunction({
  name: 'runRetention',
  payload: z.object({ job: z.string() }).loose(),
  // A tick older than a few hours is superseded by the next day's run.
  maxAgeMs: 6 * 60 * 60 * 1000,
  handle: async (_tick, { deps }: DeliveryContext<RetentionJobDeps>) => {
    const { runRetention } = await import('../../application/retention/run-retention');
    const s = await runRetention(deps);
    return `deleted ${s.deleted}, skipped ${s.skipped}, held ${s.held}, failed ${s.failed}, auto-closed ${s.autoClosed}, originals destroyed ${s.originalsDestroyed}, people deleted ${s.peopleDeleted}, ${s.durationMs} ms`;
  },
});
