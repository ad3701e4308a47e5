/**
 * Retention bookkeeping in Firestore: `retentionPolicies/{product}`, the runs and their
 * summaries `retentionRuns/{runId}`, the checkpoints of batches being deleted
 * `retentionCheckpoints/{runId}-{first ticket id}` (written by the store with the deletions,
 * deleted here once purged), and `retentionWatermarks/{name}`.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { RetentionPolicies, RetentionRuns, RetentionWatermarks, RunSummary } from '../application/retention/ports';
import { COLLECTIONS } from './firestore-names';
import { DEFAULT_RETENTION_POLICY, type PeoplePolicy, type RetentionPolicy } from '../domain/retention';

const POLICIES = COLLECTIONS.retentionPolicies;
const RUNS = COLLECTIONS.retentionRuns;
const CHECKPOINTS = COLLECTIONS.retentionCheckpoints;
const WATERMARKS = COLLECTIONS.retentionWatermarks;

/** Checkpoints finished per job start (a few at most: one per stopped run). */
const STRANDED_LIMIT = 50;

export class FirestoreRetentionPolicies implements RetentionPolicies {
  constructor(
    private readonly db: Firestore,
    private readonly peoplePolicy: PeoplePolicy,
  ) {}

  async policy(product: string): Promise<RetentionPolicy> {
    const stored = (await this.db.collection(POLICIES).doc(product).get()).data() as Partial<RetentionPolicy> | undefined;
    return {
      deleteClosedAfterDays: stored?.deleteClosedAfterDays ?? DEFAULT_RETENTION_POLICY.deleteClosedAfterDays,
      autoCloseResolvedAfterDays: stored?.autoCloseResolvedAfterDays ?? DEFAULT_RETENTION_POLICY.autoCloseResolvedAfterDays,
      destroyOriginalsAfterResolvedDays: stored?.destroyOriginalsAfterResolvedDays ?? DEFAULT_RETENTION_POLICY.destroyOriginalsAfterResolvedDays,
    };
  }

  async put(product: string, policy: RetentionPolicy, at: string, by: string): Promise<void> {
    await this.db.collection(POLICIES).doc(product).set({ ...policy, product, updatedAt: at, updatedBy: by });
  }

  people(): PeoplePolicy {
    return this.peoplePolicy;
  }
}

export class FirestoreRetentionRuns implements RetentionRuns {
  constructor(private readonly db: Firestore) {}

  async start(runId: string, at: string): Promise<void> {
    await this.db.collection(RUNS).doc(runId).set({ runId, startedAt: at, status: 'running' }, { merge: true });
  }

  async purged(checkpointId: string): Promise<void> {
    await this.db.collection(CHECKPOINTS).doc(checkpointId).delete();
  }

  async stranded(): Promise<{ checkpointId: string; ticketIds: readonly string[] }[]> {
    const snapshot = await this.db.collection(CHECKPOINTS).limit(STRANDED_LIMIT).get();
    return snapshot.docs.map((doc) => ({ checkpointId: doc.id, ticketIds: (doc.get('ticketIds') as string[] | undefined) ?? [] }));
  }

  async finish(runId: string, at: string, summary: RunSummary): Promise<void> {
    await this.db.collection(RUNS).doc(runId).update({ status: 'finished', finishedAt: at, summary });
  }
}

export class FirestoreRetentionWatermarks implements RetentionWatermarks {
  constructor(private readonly db: Firestore) {}

  async get(name: string): Promise<string | null> {
    const value: unknown = (await this.db.collection(WATERMARKS).doc(name).get()).get('value');
    return typeof value === 'string' ? value : null;
  }

  async set(name: string, value: string): Promise<void> {
    await this.db.collection(WATERMARKS).doc(name).set({ value });
  }
}
