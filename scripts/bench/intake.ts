/**
 * Intake: `POST /v1/tickets` through the real HTTP function (Functions Framework server) on
 * the emulators, against a raw-client baseline that does the minimum the same work needs —
 * one Firestore transaction writing a ticket and an outbox record, then one publish — at the
 * same concurrency, in the same run. Rounds alternate so that emulator drift hits both. The
 * HTTP clients run in a child process (`load-client.ts`); the baseline runs in this process.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
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


function merge(results: readonly LoadResult[]): { throughput: number; p50: number; p99: number; failures: number } {
  const count = results.reduce((a, r) => a + r.count - r.failures, 0);
  const seconds = results.reduce((a, r) => a + r.seconds, 0);
  return {
    throughput: count / seconds,
    p50: results.reduce((a, r) => a + r.p50, 0) / results.length,
    p99: Math.max(...results.map((r) => r.p99)),
    failures: results.reduce((a, r) => a + r.failures, 0),
  };
}

export async function benchIntake(log: (line: string) => void, s: Services): Promise<Record<string, number>> {
  await import('../../functions/src/index');
  await ensureTopics(s.pubsub);
  await seedDemoData(s);
  const token = await signIn('customer@demo-org.example');
  const server: Server = getTestServer('api');
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/tickets`;

  // Clients run in their own process, as real clients do; the server process does server work only.
  const ours = async (count: number): Promise<LoadResult> => {
    const child = spawn(process.execPath, [join(__dirname, 'load-client.js'), url, token, String(count), String(CONCURRENCY)]);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    if (code !== 0) throw new Error(`load client exited with ${code}`);
    return JSON.parse(out) as LoadResult;
  };
  const topic = s.pubsub.topic(TOPICS.ticketRouting, { batching: PUBLISH_BATCHING });
  const baseline = async (i: number): Promise<void> => {
    const id = randomUUID();
    const eventId = randomUUID();
    const now = new Date().toISOString();
    const event = { id: eventId, topic: TOPICS.ticketRouting, type: 'ticket.created', occurredAt: now, data: { ticketId: id } };
    await s.db.runTransaction(async (tx) => {
      tx.create(s.db.collection('bench-tickets').doc(id), { id, ...(JSON.parse(benchTicketBody(i)) as object), createdAt: now });
      tx.create(s.db.collection('bench-outbox').doc(eventId), { ...event, publishedAt: null });
    });
    await topic.publishMessage({ data: Buffer.from(JSON.stringify(event)), attributes: { eventId } });
  };

  // Warm the JVM, the clients and the caches on both paths.
  await ours(200);
  await runLoad(200, CONCURRENCY, baseline);
  const oursRuns: LoadResult[] = [];
  const baseRuns: LoadResult[] = [];
  const pids = serviceProcesses();
  const cpu = { ours: [] as CpuSample[], baseline: [] as CpuSample[] };
  const measured = async (side: CpuSample[], run: () => Promise<LoadResult>): Promise<LoadResult> => {
    const before = cpuSample(pids);
    const result = await run();
    side.push(cpuPerOperation(before, cpuSample(pids), result.count));
    return result;
  };
  for (let round = 0; round < ROUNDS; round++) {
    baseRuns.push(await measured(cpu.baseline, async () => runLoad(PER_ROUND, CONCURRENCY, baseline)));
    oursRuns.push(await measured(cpu.ours, async () => ours(PER_ROUND)));
    const last = oursRuns[oursRuns.length - 1] as LoadResult & { cpuMs: number };
    const sample = cpu.ours[cpu.ours.length - 1];
    if (sample !== undefined) sample['loadClient'] = last.cpuMs / last.count;
  }
  await new Promise<void>((r) => server.close(() => r()));
  const o = merge(oursRuns);
  const b = merge(baseRuns);
  const result = {
    oursThroughput: o.throughput,
    oursP50: o.p50,
    oursP99: o.p99,
    oursFailures: o.failures,
    baselineThroughput: b.throughput,
    baselineP50: b.p50,
    baselineP99: b.p99,
    throughputRatio: o.throughput / b.throughput,
    p99Ratio: o.p99 / b.p99,
  };
  log(`intake, ${ROUNDS}×${PER_ROUND} requests at concurrency ${CONCURRENCY}:`);
  log(`  tuki POST /v1/tickets: ${fmt(o.throughput)} req/s, p50 ${fmt(o.p50)} ms, p99 ${fmt(o.p99)} ms, failures ${o.failures}`);
  log(`  raw-client baseline:   ${fmt(b.throughput)} ops/s, p50 ${fmt(b.p50)} ms, p99 ${fmt(b.p99)} ms`);
  for (const [side, samples] of Object.entries(cpu)) {
    const roles = Object.keys(samples[0] ?? {});
    const perRole = roles.map((role) => `${role} ${fmt(samples.reduce((a, c) => a + (c[role] ?? 0), 0) / samples.length, 2)}`);
    log(`  CPU ms per ${side === 'ours' ? 'request' : 'operation'} (${side}): ${perRole.join(', ')}`);
  }
  log(`  throughput ratio ${fmt(result.throughputRatio, 2)} (target >= 0.7), p99 ratio ${fmt(result.p99Ratio, 2)} (target <= 2)`);
  return result;
}
