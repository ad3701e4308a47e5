/**
 * The contract of {@link StatusSummaryStore}, run against the in-memory fake
 * (`tests/unit/contracts/`) and the Firestore adapter on the emulator
 * (`tests/integration/repository-contracts.test.ts`): a write is read back, and the version —
 * what the status views ask every few seconds before they read the summary — changes with every
 * write and with nothing else.
 */
import type { StatusSummaryStore } from '../../functions/src/application/incidents/ports';
import { emptySummary, type StatusSummary } from '../../functions/src/domain/status-summary';

/** How a suite gets the store under test. */
export interface StatusSummaryStoreSubject {
  /** A store with no summary written. */
  empty(): Promise<StatusSummaryStore>;
}

const written = (summary: StatusSummary, at: string): StatusSummary => ({ ...summary, revision: summary.revision + 1, updatedAt: at });

/** Registers the contract's tests in the current `describe`. */
export function statusSummaryStoreContract(subject: StatusSummaryStoreSubject): void {
  it('before any write the summary is empty, and reading it leaves the version as it was', async () => {
    const store = await subject.empty();
    const version = await store.version();
    expect(await store.read()).toMatchObject({ revision: 0, incidents: {}, seen: {} });
    expect(await store.version()).toBe(version);
  });

  it('every write is read back and gives a new version; a change that writes nothing keeps it', async () => {
    const store = await subject.empty();
    const versions = [await store.version()];
    expect(await store.update((s) => written(s, '2026-11-30T10:00:00.000Z'))).toBe(true);
    versions.push(await store.version());
    expect(await store.update((s) => written(s, '2026-11-30T10:01:00.000Z'))).toBe(true);
    versions.push(await store.version());
    expect(await store.update(() => null)).toBe(false);
    expect(await store.version()).toBe(versions[2]);
    expect(new Set(versions).size).toBe(3);
    expect(await store.read()).toEqual({ ...emptySummary('x'), revision: 2, updatedAt: '2026-11-30T10:01:00.000Z' });
  });
}
