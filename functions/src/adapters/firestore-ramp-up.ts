/**
 * Firestore's "500/50/5" rule for writing into a new database: start at 500 writes per second
 * and raise the rate by 50 % every 5 minutes, so that the database can split its key ranges
 * before a hot spot forms. BulkWriter throttles by the same rule (up to 10,000 writes per
 * second); a restore that commits batches of its own keeps to it through this limiter.
 */

/** The rate a new database starts at. */
const INITIAL_WRITES_PER_SECOND = 500;
/** The rate grows by half… */
const GROWTH = 1.5;
/** …every five minutes… */
const STEP_MS = 5 * 60 * 1000;
/** …up to BulkWriter's default ceiling. */
const MAX_WRITES_PER_SECOND = 10_000;

/** The writes per second allowed `elapsedMs` after the first write into a new database. */
export function rampUpWritesPerSecond(elapsedMs: number): number {
  return Math.min(MAX_WRITES_PER_SECOND, INITIAL_WRITES_PER_SECOND * GROWTH ** Math.floor(Math.max(0, elapsedMs) / STEP_MS));
}

/**
 * Spaces writes by the ramp-up rate: each call reserves its writes' share of time after the
 * previous ones and waits until its turn. The first batch goes at once; a batch of 500 at
 * 500 writes/s holds the next one back for a second.
 */
export class WriteRampUp {
  private startedAt: number | undefined;
  private nextAt = 0;

  constructor(
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Waits until `writes` more writes may go. */
  async take(writes: number): Promise<void> {
    const now = this.now();
    this.startedAt ??= now;
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + (writes / rampUpWritesPerSecond(at - this.startedAt)) * 1000;
    if (at > now) await this.sleep(at - now);
  }
}
