/** `escalationSweep`: the every-minute Cloud Scheduler tick that applies the escalation ladder. */
import { z } from 'zod';
import type { TicketDeps } from '../../application/tickets/ticket-mutation';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

pubsubFunction({
  name: 'escalationSweep',
  payload: z.object({ job: z.string() }).loose(),
  // A tick older than a few minutes is superseded by the ticks after it.
  maxAgeMs: 5 * 60 * 1000,
  handle: async (_tick, { deps }: DeliveryContext<TicketDeps>) => {
    const { runEscalationSweep } = await import('../../application/escalation/run-escalation-sweep');
    const report = await runEscalationSweep(deps);
    return `due ${report.due}, escalated ${report.escalated}, flagged ${report.flagged}, warned ${report.warned}`;
  },
});
