/** The backups' stall watch: Firestore left unanswered too long fails the work; slow consumers and steady answers do not. */
import { FirestoreStalledError, firestoreStallWatch } from '../../../functions/src/adapters/firestore-stall-watch';
import { DependencyUnavailableError } from '../../../functions/src/domain/errors';

const never = (): Promise<never> => new Promise<never>(() => undefined);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the backup stall watch', () => {
  it('when Firestore leaves a read unanswered past the limit, the work is cancelled and fails with a clear, retryable error', async () => {
    let cancelled = false;
    const watch = firestoreStallWatch('reading projects/p/databases/(default)', 100, () => (cancelled = true));
    watch.waiting();
    const started = performance.now();

    const failure = await watch.race(never()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FirestoreStalledError);
    expect(failure).toBeInstanceOf(DependencyUnavailableError); // a transient failure: the delivery is retried
    expect((failure as Error).message).toBe('Firestore did not answer for 0.1 s while reading projects/p/databases/(default): the backup job failed and will be retried');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(cancelled).toBe(true);
    expect(() => watch.check()).toThrow(FirestoreStalledError);
  });

  it('answers that keep coming and time spent outside Firestore are no stall', async () => {
    const watch = firestoreStallWatch('writing', 150, () => undefined);
    for (let i = 0; i < 6; i++) {
      watch.waiting();
      await sleep(50);
      watch.answered(true); // writes still in flight, but Firestore answers
    }
    watch.answered(false);
    await sleep(400); // the consumer is slow: nobody waits on Firestore
    expect(() => watch.check()).not.toThrow();
    await expect(watch.race(Promise.resolve('done'))).resolves.toBe('done');
    watch.stop();
  });
});
