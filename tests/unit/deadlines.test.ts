/**
 * Deadline scopes: a gRPC call made inside a scope is cancelled when the scope's time is up,
 * after which the scope counts as stalled and its later calls are cancelled at once. The gRPC
 * call is a hand-written fake with the two members the transformer uses.
 */
import { EventEmitter } from 'node:events';
import { asDependencyFailure, bindGrpcCall, stalledDependency, throwIfStalled, withDeadline } from '../../functions/src/adapters/deadlines';
import { DependencyUnavailableError } from '../../functions/src/domain/errors';

class FakeCall extends EventEmitter {
  cancelledAt: number | null = null;
  cancel(): void {
    this.cancelledAt ??= Date.now();
    this.emit('status');
  }
  /** The server answers. */
  complete(): void {
    this.emit('status');
  }
}

/** Time passes on jest's fake clock (timers and `Date.now`), so a loaded machine cannot make a timer late. */
const sleep = (ms: number) => jest.advanceTimersByTimeAsync(ms);


/** Starts a fake call through the transformer, as the gRPC client does for every call. */
function startCall(): FakeCall {
  const call = new FakeCall();
  bindGrpcCall({ call });
  return call;
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('deadline scopes', () => {
  it('when a call in a scope gets no answer before the scope ends, then it is cancelled and the scope is stalled on Firestore', async () => {
    await withDeadline({ totalMs: 50, perCallMs: 1_000 }, async () => {
      const started = Date.now();
      const call = startCall();
      await sleep(120);
      expect(call.cancelledAt).not.toBeNull();
      expect((call.cancelledAt ?? 0) - started).toBe(50);
      expect(stalledDependency()).toBe('firestore');
      expect(() => throwIfStalled()).toThrow(DependencyUnavailableError);
    });
  });

  it('when one call waits longer than the per-call bound, then it is cancelled even though the scope has time left', async () => {
    await withDeadline({ totalMs: 5_000, perCallMs: 40 }, async () => {
      const call = startCall();
      await sleep(100);
      expect(call.cancelledAt).not.toBeNull();
    });
  });

  it('when a scope has stalled, then its next call is cancelled at once', async () => {
    await withDeadline({ totalMs: 30, perCallMs: 30 }, async () => {
      startCall();
      await sleep(60);
      const next = startCall();
      await sleep(5);
      expect(next.cancelledAt).not.toBeNull();
    });
  });

  it('when a call is answered in time, then it is not cancelled later and the scope is not stalled', async () => {
    await withDeadline({ totalMs: 40, perCallMs: 40 }, async () => {
      const call = startCall();
      call.complete();
      await sleep(80);
      expect(call.cancelledAt).toBeNull();
      expect(stalledDependency()).toBeNull();
    });
  });

  it('a call made outside any scope is never cancelled', async () => {
    const call = startCall();
    await sleep(30);
    expect(call.cancelledAt).toBeNull();
    expect(stalledDependency()).toBeNull();
  });

  it('scopes do not leak into each other: a stall in one leaves a concurrent one untouched', async () => {
    const stalled = withDeadline({ totalMs: 20, perCallMs: 20 }, async () => {
      startCall();
      await sleep(50);
      return stalledDependency();
    });
    const healthy = withDeadline({ totalMs: 1_000, perCallMs: 1_000 }, async () => {
      await sleep(50);
      return stalledDependency();
    });
    expect(await Promise.all([stalled, healthy])).toEqual(['firestore', null]);
  });
});

describe('which errors are a 503', () => {
  it('UNAVAILABLE and DEADLINE_EXCEEDED from Firestore are; a refused precondition or a plain error is not', async () => {
    await withDeadline({ totalMs: 1_000, perCallMs: 1_000 }, async () => {
      expect(asDependencyFailure(Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }))?.dependency).toBe('firestore');
      expect(asDependencyFailure(Object.assign(new Error('4 DEADLINE_EXCEEDED'), { code: 4 }))?.dependency).toBe('firestore');
      expect(asDependencyFailure(Object.assign(new Error('9 FAILED_PRECONDITION'), { code: 9 }))).toBeNull();
      expect(asDependencyFailure(new Error('bug'))).toBeNull();
    });
  });

  it('any error of a scope that stalled is, named for the dependency that stalled', async () => {
    await withDeadline({ totalMs: 10, perCallMs: 10 }, async () => {
      startCall();
      await sleep(40);
      expect(asDependencyFailure(Object.assign(new Error('1 CANCELLED'), { code: 1 }))?.dependency).toBe('firestore');
    });
  });
});
