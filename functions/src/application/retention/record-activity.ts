/**
 * Activity for the inactive-customer rule: the authenticate path records the UTC day a person
 * was last seen, at most once a day (see `FirestoreActivityRecorder`). A failure to record is
 * logged and never fails the request.
 */
import { activityDay } from '../../domain/retention';
import type { Clock, Logger } from '../ports';

export interface ActivityRecorder {
  /** Records that `uid` was active on `day` (`YYYY-MM-DD`); cheap when already recorded. */
  recordActive(uid: string, day: string): Promise<void>;
}

/** Records the caller's activity today; errors are logged, not raised. */
export async function recordActivity(deps: { readonly activity: ActivityRecorder; readonly clock: Clock; readonly logger: Logger }, uid: string): Promise<void> {
  try {
    await deps.activity.recordActive(uid, activityDay(deps.clock.now()));
  } catch (error) {
    deps.logger.warn('activity not recorded', { reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown' });
  }
}
