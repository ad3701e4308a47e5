/** The drill's clients over a scripted HTTP client and a clock that moves only when they wait. */
import { drillTicketBody, retryDelayMs, runLoad, type LoadPlan } from '../../../scripts/drill/local/load-client';
import type { CreateOutcome, DrillHttpClient } from '../../../scripts/drill/local/ports';
import { SteppingClock } from './fakes';

const created = (ticketId: string, extra: Partial<Extract<CreateOutcome, { kind: 'answered' }>> = {}): CreateOutcome => ({
  kind: 'answered',
  status: 201,
  backend: 'primary',
  replayed: false,
  ticketId,
  ...extra,
});
const failed = (status: number, detail = 'Bad Gateway'): CreateOutcome => ({ kind: 'answered', status, backend: 'primary', replayed: false, detail });
const reset: CreateOutcome = { kind: 'network-error', code: 'ECONNRESET' };

/** Answers each call with the next scripted outcome (a ticket per key once the script runs out); each call takes 10 ms. */
class ScriptedApi implements DrillHttpClient {
  readonly calls: { key: string; body: string }[] = [];
  constructor(
    private readonly clock: SteppingClock,
    private readonly script: CreateOutcome[] = [],
  ) {}
  async health(): Promise<number> {
    return 200;
  }
  async createTicket(key: string, body: string): Promise<CreateOutcome> {
    this.calls.push({ key, body });
    this.clock.t += 10;
    return this.script.shift() ?? created(`t-${key}`);
  }
}

const plan = (overrides: Partial<LoadPlan> = {}): LoadPlan => ({ runId: 'run', clients: 1, thinkMs: 100, requestDeadlineMs: 20_000, startedAtMs: 0, endsAtMs: 1, ...overrides });

describe('the drill clients', () => {
  it('when a request fails, then the client retries it with the same key and body until it is acknowledged', async () => {
    const clock = new SteppingClock();
    const api = new ScriptedApi(clock, [reset, failed(502), created('t-1', { backend: 'secondary', replayed: true })]);
    const record = await runLoad(api, clock, plan());

    expect(api.calls.map((c) => c.key)).toEqual(['drill-run-c1-r1', 'drill-run-c1-r1', 'drill-run-c1-r1']);
    expect(new Set(api.calls.map((c) => c.body)).size).toBe(1);
    expect(record.sentKeys).toEqual(['drill-run-c1-r1']);
    expect(record.acknowledged).toEqual(new Map([['drill-run-c1-r1', new Set(['t-1'])]]));
    expect(record.attempts).toEqual([
      { client: 1, key: 'drill-run-c1-r1', attempt: 1, startMs: 0, durationMs: 10, status: null, backend: null, error: 'ECONNRESET' },
      { client: 1, key: 'drill-run-c1-r1', attempt: 2, startMs: 60, durationMs: 10, status: 502, backend: 'primary', error: 'Bad Gateway' },
      { client: 1, key: 'drill-run-c1-r1', attempt: 3, startMs: 170, durationMs: 10, status: 201, backend: 'secondary', ticketId: 't-1', replayed: true },
    ]);
  });

  it('backs off 50 ms, doubling, and never more than a second', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 12].map(retryDelayMs)).toEqual([50, 100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it('when the answer is a client error, then it gives up on the key at once', async () => {
    const clock = new SteppingClock();
    const api = new ScriptedApi(clock, [failed(409, 'Idempotency-Key reused with another body')]);
    const record = await runLoad(api, clock, plan());
    expect(api.calls).toHaveLength(1);
    expect(record.acknowledged.size).toBe(0);
    expect(record.attempts[0]).toMatchObject({ status: 409, error: 'Idempotency-Key reused with another body' });
  });

  it.each([408, 429, 500, 503, 504])('when the answer is %i, then it retries', async (status) => {
    const clock = new SteppingClock();
    const api = new ScriptedApi(clock, [failed(status)]);
    const record = await runLoad(api, clock, plan());
    expect(api.calls).toHaveLength(2);
    expect(record.acknowledged.size).toBe(1);
  });

  it('when the deadline of a key passes, then the client stops retrying it and moves on', async () => {
    const clock = new SteppingClock();
    const api = new ScriptedApi(clock, Array.from({ length: 50 }, () => reset));
    const record = await runLoad(api, clock, plan({ requestDeadlineMs: 2_000 }));
    // 0, 60, 170, 380, 790, 1600, 2610: the seventh attempt ends past the deadline.
    expect(api.calls).toHaveLength(7);
    expect(record.sentKeys).toEqual(['drill-run-c1-r1']);
    expect(record.acknowledged.size).toBe(0);
  });

  it('sends a new key after each acknowledged one until the load ends, pausing between tickets', async () => {
    const clock = new SteppingClock();
    const api = new ScriptedApi(clock);
    // Each ticket takes 10 ms and a 100 ms pause: keys start at 0, 110 and 220 ms.
    const record = await runLoad(api, clock, plan({ endsAtMs: 250 }));
    expect(record.sentKeys).toEqual(['drill-run-c1-r1', 'drill-run-c1-r2', 'drill-run-c1-r3']);
    expect(record.attempts.map((a) => a.startMs)).toEqual([0, 110, 220]);
    expect(record.acknowledged.size).toBe(3);
  });

  it('gives every client keys of its own', async () => {
    const clock = new SteppingClock();
    const record = await runLoad(new ScriptedApi(clock), clock, plan({ clients: 3, endsAtMs: 500 }));
    expect(new Set(record.sentKeys).size).toBe(record.sentKeys.length);
    expect(['c1', 'c2', 'c3'].map((c) => record.sentKeys.includes(`drill-run-${c}-r1`))).toEqual([true, true, true]);
    expect(new Set(record.attempts.map((a) => a.client))).toEqual(new Set([1, 2, 3]));
  });

  it('a 201 without an id is neither acknowledged nor retried', async () => {
    const clock = new SteppingClock();
    const api = new ScriptedApi(clock, [{ kind: 'answered', status: 201, backend: 'primary', replayed: false }]);
    const record = await runLoad(api, clock, plan());
    expect(api.calls).toHaveLength(1);
    expect(record.acknowledged.size).toBe(0);
    expect(record.attempts[0]).not.toHaveProperty('error');
  });

  it('writes the key into the subject, where the verification finds it', () => {
    expect(JSON.parse(drillTicketBody('drill-run-c3-r9'))).toMatchObject({ subject: 'Failover drill [drill-run-c3-r9]', product: 'online', channel: 'portal' });
  });
});
