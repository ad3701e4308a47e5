/** The consumer that keeps the support figures' counters from lifecycle events (`domain/support-figures.ts`). */
import { countersFor, shardFor, utcDay, type LifecycleEvent } from '../../domain/support-figures';
import type { FiguresDeps } from './figures-deps';

/**
 * `recordSupportFigures`: adds one lifecycle event's counters to its day, once per event id
 * (the processed-event marker is written in the same commit as the increment).
 */
export async function recordSupportFigures(deps: FiguresDeps, event: LifecycleEvent): Promise<'counted' | 'duplicate'> {
  const counters = countersFor(event);
  const added = await deps.supportFigures.add(event.id, utcDay(event.occurredAt), shardFor(event.id), counters);
  return added ? 'counted' : 'duplicate';
}

