/**
 * Deadlines on the calls a request or an event handler makes to Firestore and Firebase Auth.
 *
 * A request runs inside a *deadline scope* (`withDeadline`): every gRPC call the Firestore
 * client makes in it, and every HTTP request firebase-admin makes to Auth, is cancelled when
 * the scope's time is up or when one call has been waiting longer than the scope allows for a
 * single call. The cancellation is the call's own — the gRPC stream is cancelled, the socket
 * destroyed — so nothing goes on in the background after the caller gave up; a commit that
 * reached the server before that is either applied whole or not at all.
 *
 * The hooks are the client libraries' own: the gRPC client option `callInvocationTransformer`
 * (passed through the Firestore constructor settings, as gax passes every `grpc.*` setting to
 * its channel) and firebase-admin's `httpAgent` app option. Both read the scope from
 * `AsyncLocalStorage`, so a call made from a request's async context is bound by that
 * request's deadline without passing it through the use cases.
 *
 * Cancellation ends the call with gRPC `CANCELLED`, which Firestore does not retry for reads
 * (its own retry loop retries `DEADLINE_EXCEEDED` five times with backoff, which would
 * multiply the bound). Once a call of a scope stalled, the scope is *stalled*: later calls in
 * it are cancelled at once, and `throwIfStalled` ends a transaction that Firestore would
 * otherwise retry, so a stalled dependency costs one bound, not one per retry.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DependencyUnavailableError, type Dependency } from '../domain/errors';
import { GRPC_STATUS } from './firestore-names';

/** How long a scope's calls may take in all, and one call at most. */
export interface DeadlineBudget {
  readonly totalMs: number;
  readonly perCallMs: number;
}

interface Scope {
  readonly endsAt: number;
  readonly perCallMs: number;
  /** The dependency whose call was cancelled, once one was. */
  stalled: Dependency | null;
}

const scopes = new AsyncLocalStorage<Scope>();

/** Runs `work` in a deadline scope of its own (replacing any scope it was called from). */
export function withDeadline<T>(budget: DeadlineBudget, work: () => Promise<T>): Promise<T> {
  return scopes.run({ endsAt: Date.now() + budget.totalMs, perCallMs: budget.perCallMs, stalled: null }, work);
}

/** The dependency that stalled in the current scope, or null. */
export function stalledDependency(): Dependency | null {
  return scopes.getStore()?.stalled ?? null;
}

/** Throws `DependencyUnavailableError` when a call of the current scope stalled (ends Firestore's transaction retries). */
export function throwIfStalled(): void {
  const stalled = stalledDependency();
  if (stalled !== null) throw new DependencyUnavailableError(stalled);
}

/**
 * Arms a cancellation for one call of the current scope: `cancel` runs when the scope ends or
 * the call has waited `perCallMs`, whichever is first (at once if the scope already stalled).
 * Returns the function that disarms it when the call completes; outside a scope, nothing.
 * (Firestore's calls here; Auth's sockets in `deadline-agent.ts`.)
 */
export function armCancellation(dependency: Dependency, cancel: () => void): () => void {
  const scope = scopes.getStore();
  if (scope === undefined) return () => undefined;
  const waitMs = scope.stalled !== null ? 0 : Math.max(0, Math.min(scope.endsAt - Date.now(), scope.perCallMs));
  const timer = setTimeout(() => {
    scope.stalled ??= dependency;
    cancel();
  }, waitMs);
  timer.unref();
  return () => clearTimeout(timer);
}

/** The part of a gRPC call's properties the transformer touches (`@grpc/grpc-js` `CallProperties`). */
interface GrpcCallProperties {
  readonly call: { cancel(): void; once(event: 'status', listener: () => void): unknown };
}

/** `callInvocationTransformer`: binds each gRPC call to the deadline scope it was made in (exported for its unit test). */
export function bindGrpcCall<P extends GrpcCallProperties>(properties: P): P {
  const disarm = armCancellation('firestore', () => properties.call.cancel());
  properties.call.once('status', disarm);
  return properties;
}

/** Per-call timeouts for calls made outside any scope (scripts, the harness): bounded, never the library's 60–300 s. */
const UNSCOPED_TIMEOUT_MS = 20_000;
const UNARY_METHODS = ['GetDocument', 'ListDocuments', 'UpdateDocument', 'DeleteDocument', 'BeginTransaction', 'Commit', 'Rollback', 'PartitionQuery', 'ListCollectionIds', 'BatchWrite', 'CreateDocument'];
const STREAMING_READS = ['BatchGetDocuments', 'RunQuery', 'RunAggregationQuery', 'ExecutePipeline'];

/**
 * Firestore constructor settings that put its calls under deadline scopes. Streaming reads are
 * retried by Firestore itself (only before their first result, only for DEADLINE_EXCEEDED,
 * INTERNAL and UNAVAILABLE); gax's own stream retry would retry any error twice more, a
 * cancelled call included, so it is switched to gax's newer retry logic with no retry codes.
 */
export function firestoreDeadlineSettings(): Record<string, unknown> {
  const unary = Object.fromEntries(UNARY_METHODS.map((method) => [method, { timeout_millis: UNSCOPED_TIMEOUT_MS }]));
  const streams = Object.fromEntries(STREAMING_READS.map((method) => [method, { timeout_millis: UNSCOPED_TIMEOUT_MS, retry_codes_name: 'none' }]));
  return {
    'grpc.callInvocationTransformer': bindGrpcCall,
    gaxServerStreamingRetries: true,
    clientConfig: {
      interfaces: { 'google.firestore.v1.Firestore': { retry_codes: { none: [] }, methods: { ...unary, ...streams } } },
    },
  };
}

/** gRPC codes of a dependency that is not answering. */
const UNREACHABLE_GRPC_CODES = new Set<unknown>([GRPC_STATUS.DEADLINE_EXCEEDED, GRPC_STATUS.UNAVAILABLE]);

/**
 * The `503` an error stands for when a dependency did not answer — a call of this scope was
 * cancelled at its deadline, or Firestore answered DEADLINE_EXCEEDED or UNAVAILABLE — or null.
 * Read it inside the scope that made the calls.
 */
export function asDependencyFailure(error: unknown): DependencyUnavailableError | null {
  if (error instanceof DependencyUnavailableError) return error;
  const stalled = stalledDependency();
  if (stalled !== null) return new DependencyUnavailableError(stalled);
  return UNREACHABLE_GRPC_CODES.has((error as { code?: unknown } | null)?.code) ? new DependencyUnavailableError('firestore') : null;
}
