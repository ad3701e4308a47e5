/**
 * Groups calls that arrive in the same turn of the event loop into one, so that the requests
 * an instance serves concurrently share one Firestore RPC — a batched read, a group commit —
 * instead of paying one each. Most of an RPC's cost (in the client, and in the database) is
 * per call, not per document.
 *
 * Nothing waits for a group to fill: a group is sent at the next `setImmediate`, once the
 * requests that arrived together have all reached this point. An instance serving one
 * request at a time sends groups of one, exactly the calls it would make without grouping.
 */

/** Runs a group; answers one promise per input, in input order. */
export type GroupRunner<I, O> = (inputs: readonly I[]) => readonly Promise<O>[];

interface Pending<I, O> {
  readonly input: I;
  readonly resolve: (output: O) => void;
  readonly reject: (error: unknown) => void;
}

export class CallGrouper<I, O> {
  private queue: Pending<I, O>[] = [];
  private scheduled = false;

  constructor(
    private readonly runGroup: GroupRunner<I, O>,
    private readonly maxGroupSize: number,
  ) {
    if (!Number.isInteger(maxGroupSize) || maxGroupSize < 1) throw new Error(`maxGroupSize must be a positive integer, got ${maxGroupSize}`);
  }

  call(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    const queue = this.queue;
    this.queue = [];
    for (let start = 0; start < queue.length; start += this.maxGroupSize) {
      const group = queue.slice(start, start + this.maxGroupSize);
      let outputs: readonly Promise<O>[];
      try {
        outputs = this.runGroup(group.map((pending) => pending.input));
      } catch (error) {
        for (const pending of group) pending.reject(error);
        continue;
      }
      group.forEach((pending, i) => {
        const output = outputs[i];
        if (output === undefined) pending.reject(new Error(`a grouped call answered ${outputs.length} results for ${group.length} inputs`));
        else output.then(pending.resolve, pending.reject);
      });
    }
  }
}
