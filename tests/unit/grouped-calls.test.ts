/** Grouping of calls made in the same turn of the event loop (batched reads, group commits). */
import { CallGrouper } from '../../functions/src/adapters/grouped-calls';

/** A grouper whose runner records each group and answers `input * 10`, or fails on `failOn`. */
function recordingGrouper(maxGroupSize: number, failOn?: number) {
  const groups: number[][] = [];
  const grouper = new CallGrouper<number, number>((inputs) => {
    groups.push([...inputs]);
    return inputs.map(async (n) => {
      await Promise.resolve();
      if (n === failOn) throw new Error(`call ${n} failed`);
      return n * 10;
    });
  }, maxGroupSize);
  return { grouper, groups };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('CallGrouper', () => {
  it('sends the calls of one turn as one group and answers each its own result', async () => {
    const { grouper, groups } = recordingGrouper(10);
    await expect(Promise.all([grouper.call(1), grouper.call(2), grouper.call(3)])).resolves.toEqual([10, 20, 30]);
    expect(groups).toEqual([[1, 2, 3]]);
  });

  it('starts a new group for calls made after the group was sent', async () => {
    const { grouper, groups } = recordingGrouper(10);
    const first = grouper.call(1);
    await nextTurn();
    const second = grouper.call(2);
    await expect(Promise.all([first, second])).resolves.toEqual([10, 20]);
    expect(groups).toEqual([[1], [2]]);
  });

  it('splits a turn into groups of at most the maximum size', async () => {
    const { grouper, groups } = recordingGrouper(2);
    await Promise.all([1, 2, 3, 4, 5].map(async (n) => grouper.call(n)));
    expect(groups).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('fails only the call whose result failed', async () => {
    const { grouper } = recordingGrouper(10, 2);
    const results = await Promise.allSettled([grouper.call(1), grouper.call(2), grouper.call(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('call 2 failed'));
  });

  it('fails every call of a group whose runner throws, and keeps serving later groups', async () => {
    let broken = true;
    const grouper = new CallGrouper<number, number>((inputs) => {
      if (broken) throw new Error('runner broke');
      return inputs.map(async (n) => n);
    }, 10);
    await expect(Promise.all([grouper.call(1), grouper.call(2)])).rejects.toThrow('runner broke');
    broken = false;
    await expect(grouper.call(3)).resolves.toBe(3);
  });

  it('fails a call that its runner gave no result', async () => {
    const grouper = new CallGrouper<number, number>(() => [Promise.resolve(1)], 10);
    const results = await Promise.allSettled([grouper.call(1), grouper.call(2)]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 1 });
    expect(results[1]?.status).toBe('rejected');
  });

  it('refuses a group size that is not a positive integer', () => {
    expect(() => new CallGrouper<number, number>(() => [], 0)).toThrow('positive integer');
  });
});
