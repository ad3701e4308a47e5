/** Small statistics and load helpers shared by the benchmarks. */

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)] ?? Number.NaN;
}

export interface LoadResult {
  readonly count: number;
  readonly seconds: number;
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
  readonly failures: number;
}

/** Runs `count` operations with `concurrency` workers; measures each operation's latency. */
export async function runLoad(count: number, concurrency: number, operation: (i: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        try {
          await operation(i);
          latencies.push(performance.now() - t0);
        } catch {
          failures++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { count, seconds, throughput: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures };
}

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return percentile(sorted, 50);
}

/** The ticket body both sides of the intake benchmark send or store. */
export const benchTicketBody = (i: number): string =>
  JSON.stringify({
    product: 'online',
    language: 'en',
    channel: 'portal',
    subject: `Benchmark ticket ${i}`,
    description: 'Our outgoing invoices stay in the queue since this morning; order 4711 is affected.',
    severity: 3,
  });
