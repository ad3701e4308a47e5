/**
 * The retention job alone in a process of its own (the benchmark measures its peak memory):
 * runs `runRetention` with tuki's adapters and prints `{seconds, deleted, maxRssMb, spans}` as its last line. `spans` says where the time
 * went: for each port method the job called, how many calls and the milliseconds spent in them
 * (calls overlap, so the spans add up to more than the run's wall time).
 */
import { runRetention } from '../../functions/src/application/retention/run-retention';
import { services } from '../../functions/src/wiring';

type Spans = Record<string, { calls: number; ms: number }>;

/** The port with every method timed into `spans` under `name.method` (an asynchronous one until it settles). */
function timed<T extends object>(name: string, port: T, spans: Spans): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]): unknown => {
        const started = performance.now();
        const record = (): void => {
          const span = (spans[`${name}.${key}`] ??= { calls: 0, ms: 0 });
          span.calls += 1;
          span.ms += performance.now() - started;
        };
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) {
          record();
          return result;
        }
        return result.finally(record);
      };
    },
  });
}

async function main(): Promise<void> {
  const s = await services();
  const spans: Spans = {};
  const deps = {
    ...s,
    retentionStore: timed('store', s.retentionStore, spans),
    retentionRuns: timed('runs', s.retentionRuns, spans),
    originalsDestroyer: timed('originals', s.originalsDestroyer, spans),
    people: timed('people', s.people, spans),
  };
  const started = performance.now();
  const summary = await runRetention(deps);
  const seconds = (performance.now() - started) / 1000;
  const rounded = Object.fromEntries(Object.entries(spans).map(([k, v]) => [k, { calls: v.calls, ms: Math.round(v.ms) }]));
  console.log(JSON.stringify({ seconds, deleted: summary.deleted, maxRssMb: process.resourceUsage().maxRSS / 1024, spans: rounded }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
