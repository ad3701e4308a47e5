/**
 * Status: `GET /status` (HTML) and `GET /v1/status` (JSON) with 20 open incidents and 90 days
 * of history, against `GET /v1/health` as the baseline, all three through the real HTTP
 * function (the Functions Framework server the other benchmarks use) at the same concurrency
 * in the same run. The load client runs in its own process; rounds alternate the paths so that
 * drift on a shared machine hits each of them. Every path is asked for with the content codings
 * a browser asks for (`Accept-Encoding: gzip, deflate, br`; health's answer is too small to be
 * compressed); `--identity` asks for none. Target: throughput at least 0.8× and p99 at most 2×
 * those of health.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { Services } from '../../functions/src/wiring';
import { readStatusView, type StatusViewRead } from '../../functions/src/application/incidents/status-summary';
import { renderStatusPage } from '../../functions/src/entrypoints/http/status-page-html';
import { zlibCompressor } from '../../functions/src/entrypoints/http/status-renderings';
import { seedStatusPage } from './status-seed';
import { fmt, median, type LoadResult } from './stats';

const CONCURRENCY = 16;
const PRODUCTS = 20;
const PER_ROUND = 2_000;
const ROUNDS = 3;
const WARM_UP = 500;

/** What browsers send; `--identity` sends no `Accept-Encoding`. */
const ACCEPT_ENCODING = process.argv.includes('--identity') ? undefined : 'gzip, deflate, br';

const PATHS = { health: '/v1/health', page: '/status', json: '/v1/status' } as const;
type PathName = keyof typeof PATHS;
/**
 * Health's answer is cached for 10 s like the page's summary; on a loaded machine its 800 ms
 * probes may time out, and the cached answer is then a `503` — served just as fast, and what an
 * uptime check would get. Both count as answers.
 */
const ACCEPTED: Readonly<Record<PathName, string>> = { health: '200,503', page: '200', json: '200' };

/** One path's rounds pooled: throughput over all of them, the mean p50 and the worst p99. */
interface Pooled {
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
  readonly failures: number;
  /** Each round's p99, to show how much one round's tail varies. */
  readonly roundP99s: readonly number[];
  /** The worst event-loop delay p99 and max of the server over the rounds. */
  readonly loopP99: number;
  readonly loopMax: number;
}

function pool(loads: readonly MeasuredLoad[]): Pooled {
  const succeeded = loads.reduce((a, r) => a + r.count - r.failures, 0);
  return {
    throughput: succeeded / loads.reduce((a, r) => a + r.seconds, 0),
    p50: loads.reduce((a, r) => a + r.p50, 0) / loads.length,
    p99: Math.max(...loads.map((r) => r.p99)),
    failures: loads.reduce((a, r) => a + r.failures, 0),
    roundP99s: loads.map((r) => r.p99),
    loopP99: Math.max(...loads.map((r) => r.loopP99)),
    loopMax: Math.max(...loads.map((r) => r.loopMax)),
  };
}

/** A load's answers, and how long the server's event loop was held up meanwhile (p99 and max, ms). */
interface MeasuredLoad extends LoadResult {
  readonly loopP99: number;
  readonly loopMax: number;
}

/** The server runs in this process: its event-loop delay during a load is what held every answer up. */
async function getLoad(base: string, name: PathName, count: number): Promise<MeasuredLoad> {
  const loop = monitorEventLoopDelay({ resolution: 2 });
  loop.enable();
  try {
    const load = await runLoadClient(base, name, count);
    return { ...load, loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6 };
  } finally {
    loop.disable();
  }
}

async function runLoadClient(base: string, name: PathName, count: number): Promise<LoadResult> {
  const args = ['get', `${base}${PATHS[name]}`, String(count), String(CONCURRENCY), ACCEPTED[name], ...(ACCEPT_ENCODING === undefined ? [] : [ACCEPT_ENCODING])];
  const child = spawn(process.execPath, [join(__dirname, 'load-client.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`load client exited with ${code}`);
  return JSON.parse(out) as LoadResult;
}

/**
 * What a background refresh costs the event loop (its active time, so waiting on the emulator
 * does not count; compression runs in the thread pool): one that finds a new summary version —
 * the summary read and parsed, the view computed, the page rendered and compressed — and one
 * that finds nothing changed, which only asks for the version.
 */
async function refreshCost(s: Services): Promise<string> {
  const changed: number[] = [];
  const unchanged: number[] = [];
  const loopTime = async (work: () => Promise<unknown>): Promise<number> => {
    const before = performance.eventLoopUtilization();
    await work();
    return performance.eventLoopUtilization(before).active;
  };
  for (let i = 0; i < 20; i++) {
    let read: StatusViewRead | undefined;
    changed.push(
      await loopTime(async () => {
        read = await readStatusView(s);
        const html = Buffer.from(renderStatusPage(read.view));
        await Promise.all([zlibCompressor('br', html), zlibCompressor('gzip', html)]);
      }),
    );
    unchanged.push(await loopTime(async () => readStatusView(s, read)));
  }
  return `event-loop time of a refresh, median of 20: new summary ${fmt(median(changed), 2)} ms, nothing changed ${fmt(median(unchanged), 2)} ms`;
}

export async function benchStatus(log: (line: string) => void, s: Services): Promise<Record<string, number>> {
  await import('../../functions/src/index');
  const seeded = await seedStatusPage(s, PRODUCTS);
  log(`seeded ${seeded.products} products, ${seeded.openIncidents} open and ${seeded.resolvedIncidents} resolved incidents (90 days)`);

  log(`  ${await refreshCost(s)}`);

  const server: Server = getTestServer('api');
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const names = Object.keys(PATHS) as PathName[];
    for (const name of names) {
      const response = await fetch(`${base}${PATHS[name]}`, { headers: { 'accept-encoding': ACCEPT_ENCODING ?? 'identity' } });
      const body = await response.text();
      if (!ACCEPTED[name].split(',').includes(String(response.status))) throw new Error(`${PATHS[name]} answered ${response.status}: ${body.slice(0, 200)}`);
      const coding = response.headers.get('content-encoding') ?? 'identity';
      log(`  ${PATHS[name]}: ${response.status}, ${fmt(Buffer.byteLength(body) / 1024)} KiB, sent as ${coding}`);
    }
    const open = ((await (await fetch(`${base}/v1/status`)).json()) as { incidents: unknown[] }).incidents.length;
    if (open !== PRODUCTS) throw new Error(`the status JSON shows ${open} open incidents, not ${PRODUCTS}`);

    for (const name of names) await getLoad(base, name, WARM_UP);
    const loads = Object.fromEntries(names.map((name) => [name, [] as MeasuredLoad[]])) as Record<PathName, MeasuredLoad[]>;
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of names) loads[name].push(await getLoad(base, name, PER_ROUND));
    }
    const result = Object.fromEntries(names.map((name) => [name, pool(loads[name])])) as Record<PathName, Pooled>;

    log(`status, ${ROUNDS}×${PER_ROUND} GETs per path at concurrency ${CONCURRENCY}, after ${WARM_UP} to warm up, Accept-Encoding: ${ACCEPT_ENCODING ?? '(none)'}:`);
    for (const name of names) {
      const r = result[name];
      log(
        `  GET ${PATHS[name]}: ${fmt(r.throughput)} /s, p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms (rounds ${r.roundP99s.map((p) => fmt(p)).join(', ')}), ` +
          `failures ${r.failures}; server event-loop delay p99 ${fmt(r.loopP99)} ms, max ${fmt(r.loopMax)} ms`,
      );
    }
    const figures: [string, number][] = names.flatMap((name): [string, number][] => [
      [`${name}Throughput`, result[name].throughput],
      [`${name}P50`, result[name].p50],
      [`${name}P99`, result[name].p99],
      [`${name}Failures`, result[name].failures],
    ]);
    for (const name of ['page', 'json'] as const) {
      const throughputRatio = result[name].throughput / result.health.throughput;
      const p99Ratio = result[name].p99 / result.health.p99;
      const verdict = throughputRatio >= 0.8 && p99Ratio <= 2 ? 'meets' : 'MISSES';
      log(`  ${PATHS[name]} vs health: throughput ${fmt(throughputRatio, 2)}× (target ≥ 0.8×), p99 ${fmt(p99Ratio, 2)}× (target ≤ 2×): ${verdict} the target`);
      figures.push([`${name}ThroughputRatio`, throughputRatio], [`${name}P99Ratio`, p99Ratio]);
    }
    return Object.fromEntries(figures);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}
