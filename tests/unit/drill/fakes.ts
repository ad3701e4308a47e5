/** Fakes and builders for the drills: a clock that moves only when slept on, and local-drill attempts with defaults. */
import type { DrillClock } from '../../../scripts/drill/failover';
import type { RequestAttempt } from '../../../scripts/drill/local/report';

export class SteppingClock implements DrillClock {
  constructor(public t = 0) {}
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.t += ms;
  }
}

/** A successful attempt through the primary at 1 s, taking 40 ms, unless overridden. */
export function anAttempt(overrides: Partial<RequestAttempt> = {}): RequestAttempt {
  return { client: 1, key: 'drill-run-c1-r1', attempt: 1, startMs: 1_000, durationMs: 40, status: 201, backend: 'primary', ticketId: 't-1', ...overrides };
}

/** A failed attempt: a connection reset through no backend, unless overridden. */
export function aFailedAttempt(overrides: Partial<RequestAttempt> = {}): RequestAttempt {
  const { ticketId: _none, ...base } = anAttempt({ status: null, backend: null, error: 'ECONNRESET' });
  return { ...base, ...overrides };
}
