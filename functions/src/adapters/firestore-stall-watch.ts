/**
 * The backup jobs' stall watch on Firestore (`stall-watch.ts`): a read or write of a snapshot
 * or restore that Firestore leaves unanswered for `stallMs` fails with `FirestoreStalledError`.
 */
import { DependencyUnavailableError } from '../domain/errors';
import { StallWatch } from './stall-watch';

export { BACKUP_STALL_MS } from './stall-watch';

/** Firestore did not answer a backup's read or write for `stallMs`. */
export class FirestoreStalledError extends DependencyUnavailableError {
  constructor(what: string, stallMs: number) {
    super('firestore');
    this.message = `Firestore did not answer for ${stallMs / 1000} s while ${what}: the backup job failed and will be retried`;
    this.name = 'FirestoreStalledError';
  }
}

/** A stall watch whose work fails with `FirestoreStalledError` (`what`: `reading projects/p/databases/d`). */
export function firestoreStallWatch(what: string, stallMs: number, onStall?: () => void): StallWatch {
  return new StallWatch(() => new FirestoreStalledError(what, stallMs), stallMs, onStall);
}
