/**
 * Stall detection for the backup jobs' long work on Firestore and Cloud Storage.
 *
 * A snapshot or a restore streams for minutes, far past any per-request deadline, so the backup
 * clients are not bound by deadline scopes (`deadlines.ts`: one call there may last 10 s, and a
 * 100,000-document read is one call). What bounds them instead is progress: while a dependency
 * is being waited on — a read stream for its next document or chunk, a write for its answer —
 * it must answer within `stallMs`. Time spent by the consumer (gzip, writing elsewhere) does not
 * count. When it does not answer, the work is cancelled and fails with the dependency's stall
 * error, a transient failure: the job's delivery is retried by Pub/Sub with backoff.
 */
import type { DependencyUnavailableError } from '../domain/errors';

/** How long Firestore or Cloud Storage may leave a backup's read or write unanswered before the job fails. */
export const BACKUP_STALL_MS = 60_000;

/** Watches one piece of work for answers from a dependency. */
export class StallWatch {
  /** Set once the work stalled. */
  stalled: DependencyUnavailableError | undefined;
  private waitingSince: number | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly listeners = new Set<(error: DependencyUnavailableError) => void>();

  /**
   * @param stalledError the error the work fails with (it names what the work was doing)
   * @param onStall cancels the work (the read stream, say)
   */
  constructor(stalledError: () => DependencyUnavailableError, stallMs: number, onStall: (error: DependencyUnavailableError) => void = () => undefined) {
    // A per-document timer would cost more than the reading; one periodic check costs nothing.
    this.timer = setInterval(() => {
      if (this.waitingSince === undefined || performance.now() - this.waitingSince < stallMs) return;
      const error = stalledError();
      this.stalled = error;
      this.stop();
      onStall(error);
      for (const listener of this.listeners) listener(error);
      this.listeners.clear();
    }, Math.max(20, Math.min(1_000, stallMs / 5)));
    this.timer.unref();
  }

  /** The dependency is being waited on (keeps the earlier start if it already was). */
  waiting(): void {
    this.waitingSince ??= performance.now();
  }

  /** The dependency answered; `stillWaiting` when more answers are due (writes in flight). */
  answered(stillWaiting: boolean): void {
    this.waitingSince = stillWaiting ? performance.now() : undefined;
  }

  /** Settles with `work`, or rejects with the stall error if the work stalls first. */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.stalled !== undefined) return Promise.reject(this.stalled);
    return new Promise<T>((resolve, reject) => {
      this.listeners.add(reject);
      work.then(
        (value) => {
          this.listeners.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.listeners.delete(reject);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** Throws the stall error if the work stalled. */
  check(): void {
    if (this.stalled !== undefined) throw this.stalled;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
