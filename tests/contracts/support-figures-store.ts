/**
 * The contract of {@link SupportFiguresStore}, run against the in-memory fake
 * (`tests/unit/contracts/`) and the Firestore adapter on the emulator
 * (`tests/integration/repository-contracts.test.ts`): an event's counters count once, and a
 * sum covers the days asked for, both ends included, over every shard of each day.
 */
import type { SupportFiguresStore } from '../../functions/src/application/ports';

/** How a suite gets the store under test. */
export interface SupportFiguresStoreSubject {
  /** A store with no counters in it. */
  empty(): Promise<SupportFiguresStore>;
}

/** Registers the contract's tests in the current `describe`. */
export function supportFiguresStoreContract(subject: SupportFiguresStoreSubject): void {
  it('an event counts once: added again (a redelivery) it answers false and adds nothing', async () => {
    const store = await subject.empty();
    expect(await store.add('event-1', '2026-03-02', 0, { created: 1, slaMet: 1 })).toBe(true);
    expect(await store.add('event-1', '2026-03-02', 3, { created: 1, slaMet: 1 })).toBe(false);
    expect(await store.sum('2026-03-02', '2026-03-02')).toEqual({ created: 1, slaMet: 1 });
  });

  it('a sum adds every shard of every day from the first to the last day asked for, both included', async () => {
    const store = await subject.empty();
    await store.add('event-1', '2026-03-01', 0, { created: 1 });
    await store.add('event-2', '2026-03-02', 0, { created: 2 });
    await store.add('event-3', '2026-03-02', 5, { created: 4, resolved: 1 });
    await store.add('event-4', '2026-03-03', 1, { created: 8 });
    await store.add('event-5', '2026-03-04', 0, { created: 16 });
    expect(await store.sum('2026-03-02', '2026-03-03')).toEqual({ created: 14, resolved: 1 });
    expect(await store.sum('2026-03-01', '2026-03-04')).toEqual({ created: 31, resolved: 1 });
  });

  it('days without counters sum to nothing', async () => {
    const store = await subject.empty();
    await store.add('event-1', '2026-03-02', 0, { created: 1 });
    expect(await store.sum('2026-04-01', '2026-04-30')).toEqual({});
  });
}
