/** `runMaintenanceWindows`: the every-minute tick that starts and completes planned maintenance. */
import { z } from 'zod';
import { runMaintenanceWindows } from '../../application/incidents/run-maintenance-windows';
import type { IncidentDeps } from '../../application/incidents/deps';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

pubsubFunction({
  name: 'runMaintenanceWindows',
  payload: z.object({ job: z.string() }).loose(),
  // A tick older than a few minutes is superseded by the ticks after it.
  maxAgeMs: 5 * 60 * 1000,
  handle: async (_tick, { deps }: DeliveryContext<IncidentDeps>) => `moved ${await runMaintenanceWindows(deps)}`,
});
