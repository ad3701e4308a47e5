/**
 * Intake: `POST /v1/tickets` through the real HTTP function (Functions Framework server) on
 * the emulators, against a raw-client baseline that does the minimum the same work needs —
 * one Firestore transaction writing a ticket and an outbox record, then one publish — at the
 * same concurrency, in the same run. Rounds alternate so that emulator drift hits every path.
 *
 * A third path, the *HTTP floor*, runs exactly the baseline's work inside a Functions
 * Framework HTTP function called by the same load client: no implementation served over HTTP
 * can beat it, so it shows how much of the gap is the HTTP hop itself (client, server,
 * framework) on this machine and how much is tuki's own work.
 *
 * The HTTP clients run in a child process (`load-client.ts`); the baseline runs in this
 * process. Every path prints the CPU its operations cost in each process (`process-cpu.ts`).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { expiry } from '../../functions/src/adapters/expiry';
import { PUBLISH_BATCHING } from '../../functions/src/adapters/pubsub-outbox';
import { TOPICS } from '../../functions/src/manifest';
import type { Services } from '../../functions/src/wiring';
import { seedDemoData, signIn } from '../lib/demo';
import { ensureTopics } from '../lib/local-host';
import { cpuPerOperation, cpuSample, serviceProcesses, type CpuSample } from './process-cpu';
import { benchTicketBody, fmt, runLoad, type LoadResult } from './stats';

const CONCURRENCY = 16;
const PER_ROUND = 400;
const ROUNDS = 3;
/** Requests per path before measuring: the emulators' JVMs need a while to compile their hot paths. */
const WARM_UP = 600;

type PathName = 'tuki' | 'httpFloor' | 'baseline';

interface PathResult {
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
  readonly failures: number;
  /** CPU milliseconds per operation, by process, averaged over the rounds. */
  readonly cpu: CpuSample;
}

function merge(results: readonly LoadResult[], cpu: readonly CpuSample[]): PathResult {
  const count = results.reduce((a, r) => a + r.count - r.failures, 0);
  const seconds = results.reduce((a, r) => a + r.seconds, 0);
  const roles = Object.keys(cpu[0] ?? {});
  return {
    throughput: count / seconds,
    p50: results.reduce((a, r) => a + r.p50, 0) / results.length,
    p99: Math.max(...results.map((r) => r.p99)),
    failures: results.reduce((a, r) => a + r.failures, 0),
    cpu: Object.fromEntries(roles.map((role) => [role, cpu.reduce((a, c) => a + (c[role] ?? 0), 0) / cpu.length])),
  };
}

/** The baseline's work: one transaction writing a ticket and an outbox record, then one publish. */
function rawIntake(s: Services): (body: object) => Promise<string> {
  const topic = s.pubsub.topic(TOPICS.ticketRouting, { batching: PUBLISH_BATCHING });
  return async (body) => {
    const id = randomUUID();
    const eventId = randomUUID();
    const now = new Date().toISOString();
    const event = { id: eventId, topic: TOPICS.ticketRouting, type: 'ticket.created', occurredAt: now, data: { ticketId: id } };
    await s.db.runTransaction(async (tx) => {
      tx.create(s.db.collection('bench-tickets').doc(id), { id, ...body, createdAt: now });
      tx.create(s.db.collection('bench-outbox').doc(eventId), { events: [event], occurredAt: now, publishedAt: null, ...expiry('outbox', now) });
    });
    await topic.publishMessage({ data: Buffer.from(JSON.stringify(event)), attributes: { eventId } });
    return id;
  };
}

async function listen(functionName: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = getTestServer(functionName);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/tickets`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Runs the load client in its own process, as real clients are; this process does server work only. */
async function overHttp(url: string, token: string, count: number): Promise<LoadResult & { cpuMs: number }> {
  const child = spawn(process.execPath, [join(__dirname, 'load-client.js'), 'post-tickets', url, token, String(count), String(CONCURRENCY)]);
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`load client exited with ${code}`);
  return JSON.parse(out) as LoadResult & { cpuMs: number };
}

export async function benchIntake(log: (line: string) => void, s: Services): Promise<Record<string, number>> {
  await import('../../functions/src/index');
  await ensureTopics(s.pubsub);
  await seedDemoData(s);
  const token = await signIn('customer@demo-org.example');
  const raw = rawIntake(s);
  functions.http('benchHttpFloor', async (req, res) => {
    res.status(201).json({ id: await raw(req.body as object) });
  });
  const tuki = await listen('api');
  const floor = await listen('benchHttpFloor');

  const paths: Record<PathName, (count: number) => Promise<LoadResult & { cpuMs?: number }>> = {
    baseline: async (count) => runLoad(count, CONCURRENCY, async (i) => void (await raw(JSON.parse(benchTicketBody(i)) as object))),
    httpFloor: async (count) => overHttp(floor.url, token, count),
    tuki: async (count) => overHttp(tuki.url, token, count),
  };
  const names = Object.keys(paths) as PathName[];
  for (const name of names) await paths[name](WARM_UP);

  const pids = serviceProcesses();
  const runs = Object.fromEntries(names.map((name) => [name, { loads: [] as LoadResult[], cpu: [] as CpuSample[] }])) as Record<
    PathName,
    { loads: LoadResult[]; cpu: CpuSample[] }
  >;
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of names) {
      const before = cpuSample(pids);
      const load = await paths[name](PER_ROUND);
      const cpu = cpuPerOperation(before, cpuSample(pids), load.count);
      if (load.cpuMs !== undefined) cpu['loadClient'] = load.cpuMs / load.count;
      runs[name].loads.push(load);
      runs[name].cpu.push(cpu);
    }
  }
  await Promise.all([tuki.close(), floor.close()]);

  const result = Object.fromEntries(names.map((name) => [name, merge(runs[name].loads, runs[name].cpu)])) as Record<PathName, PathResult>;
  const label: Record<PathName, string> = {
    tuki: 'tuki POST /v1/tickets',
    httpFloor: 'HTTP floor (baseline work in an HTTP function)',
    baseline: 'raw-client baseline',
  };
  log(`intake, ${ROUNDS}×${PER_ROUND} operations per path at concurrency ${CONCURRENCY}, after ${WARM_UP} to warm up:`);
  for (const name of names) {
    const r = result[name];
    log(`  ${label[name]}: ${fmt(r.throughput)} /s, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, failures ${r.failures}`);
    log(`    CPU ms per operation: ${Object.entries(r.cpu).map(([role, ms]) => `${role} ${fmt(ms, 2)}`).join(', ')}`);
  }
  const ratios = {
    throughputRatio: result.tuki.throughput / result.baseline.throughput,
    p99Ratio: result.tuki.p99 / result.baseline.p99,
    floorThroughputRatio: result.httpFloor.throughput / result.baseline.throughput,
    floorP99Ratio: result.httpFloor.p99 / result.baseline.p99,
    tukiToFloorThroughput: result.tuki.throughput / result.httpFloor.throughput,
  };
  log(`  tuki / baseline: throughput ${fmt(ratios.throughputRatio, 2)} (target >= 0.7), p99 ${fmt(ratios.p99Ratio, 2)} (target <= 2)`);
  log(`  HTTP floor / baseline: throughput ${fmt(ratios.floorThroughputRatio, 2)}, p99 ${fmt(ratios.floorP99Ratio, 2)} (the best any HTTP function can do here)`);
  log(`  tuki / HTTP floor: throughput ${fmt(ratios.tukiToFloorThroughput, 2)}`);
  return {
    ...Object.fromEntries(names.flatMap((name) => [
      [`${name}Throughput`, result[name].throughput],
      [`${name}P50`, result[name].p50],
      [`${name}P99`, result[name].p99],
      [`${name}Failures`, result[name].failures],
    ])),
    ...ratios,
  };
}
