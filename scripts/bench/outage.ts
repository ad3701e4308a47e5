/**
 * Outage: intake latency before, during and after a 30-second Pub/Sub freeze (the emulator
 * process stopped with SIGSTOP, resumed with SIGCONT) under a steady open-loop load, and the
 * tickets acknowledged (`201`), stored and routed — all three equal once the relay has
 * published what the freeze left in the outbox.
 *
 * tuki's path is `POST /v1/tickets` through the real HTTP function with the event functions
 * on push subscriptions. The baseline, in the same run at the same rate, is a raw client that
 * does the same minimum work as the intake benchmark's — one commit of a ticket and its
 * outbox record, then a publish — with the libraries' default settings: it waits for Pub/Sub
 * as long as the client library does. Requests still unanswered when the run ends count with
 * the time they had waited.
 */
import { randomUUID } from 'node:crypto';
import { PubSub } from '@google-cloud/pubsub';
import { PUBLISH_BATCHING } from '../../functions/src/adapters/pubsub-outbox';
import { RELAY_GRACE_MS } from '../../functions/src/entrypoints/events/relay-outbox';
import { TOPICS } from '../../functions/src/manifest';
import type { Services } from '../../functions/src/wiring';
import { seedDemoData, signIn } from '../lib/demo';
import { whileFrozen } from '../lib/emulator-freeze';
import { PROJECT_ID } from '../lib/emulators';
import { startLocalHost } from '../lib/local-host';
import { benchTicketBody, fmt, percentile } from './stats';

/** Requests started per second on each path. */
const RATE_PER_SECOND = 8;
const BEFORE_MS = 20_000;
const FREEZE_MS = 30_000;
const AFTER_MS = 20_000;
/** How long the routing of every acknowledged ticket may take once the relay ran. */
const SETTLE_MS = 120_000;

type Phase = 'before' | 'during' | 'after';
const PHASES: readonly Phase[] = ['before', 'during', 'after'];

interface Sample {
  readonly phase: Phase;
  readonly startedAt: number;
  ms: number | null;
  ticketId: string | null;
}

/** Starts one request every `1000 / RATE_PER_SECOND` ms for `durationMs`, tagged with the phase it started in. */
async function steadyLoad(durationMs: number, phaseAt: () => Phase, send: () => Promise<string | null>, samples: Sample[]): Promise<void> {
  const end = performance.now() + durationMs;
  const inFlight: Promise<void>[] = [];
  while (performance.now() < end) {
    const sample: Sample = { phase: phaseAt(), startedAt: performance.now(), ms: null, ticketId: null };
    samples.push(sample);
    inFlight.push(
      send().then(
        (ticketId) => {
          sample.ms = performance.now() - sample.startedAt;
          sample.ticketId = ticketId;
        },
        () => {
          sample.ms = performance.now() - sample.startedAt;
        },
      ),
    );
    await new Promise((r) => setTimeout(r, 1000 / RATE_PER_SECOND));
  }
  // Whatever is still waiting counts with the time it has waited so far.
  await Promise.race([Promise.all(inFlight), new Promise((r) => setTimeout(r, 5_000))]);
}

function latencies(samples: readonly Sample[], phase: Phase, now: number): { p50: number; p99: number; unanswered: number } {
  const inPhase = samples.filter((s) => s.phase === phase);
  const sorted = inPhase.map((s) => s.ms ?? now - s.startedAt).sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), unanswered: inPhase.filter((s) => s.ms === null).length };
}

/** The baseline: commit a ticket and its outbox record, then publish, with the client's default publish settings. */
function rawIntake(s: Services, pubsub: PubSub): () => Promise<string> {
  const topic = pubsub.topic(TOPICS.ticketRouting, { batching: PUBLISH_BATCHING });
  return async () => {
    const id = randomUUID();
    const event = { id: randomUUID(), type: 'ticket.created', occurredAt: new Date().toISOString(), data: { ticketId: id } };
    const batch = s.db.batch();
    batch.create(s.db.collection('bench-outage-tickets').doc(id), { id, ...(JSON.parse(benchTicketBody(0)) as object) });
    batch.create(s.db.collection('bench-outage-outbox').doc(event.id), { events: [event], publishedAt: null });
    await batch.commit();
    await topic.publishMessage({ data: Buffer.from(JSON.stringify(event)), attributes: { eventId: event.id } });
    return id;
  };
}

async function postTicket(url: string, token: string, i: number): Promise<string | null> {
  const response = await fetch(`${url}/v1/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: benchTicketBody(i),
  });
  const body = (await response.json()) as { id?: string };
  return response.status === 201 ? (body.id ?? null) : null;
}

/** How many of `ids` are stored, and how many of those are routed (have an assignee). */
async function storedAndRouted(s: Services, ids: readonly string[]): Promise<{ stored: number; routed: number }> {
  let stored = 0;
  let routed = 0;
  for (let i = 0; i < ids.length; i += 300) {
    const refs = ids.slice(i, i + 300).map((id) => s.db.collection('tickets').doc(id));
    for (const snapshot of refs.length === 0 ? [] : await s.db.getAll(...refs)) {
      if (!snapshot.exists) continue;
      stored++;
      if (snapshot.get('assigneeUid') != null) routed++;
    }
  }
  return { stored, routed };
}

export async function benchOutage(log: (line: string) => void, s: Services): Promise<Record<string, number>> {
  const host = await startLocalHost({ project: PROJECT_ID, apiPort: 0, eventPortBase: 0, subscriptionPrefix: 'bench-outage-' });
  const baselinePubSub = new PubSub({ projectId: PROJECT_ID });
  try {
    await seedDemoData(s);
    const token = await signIn('customer@demo-org.example');
    const raw = rawIntake(s, baselinePubSub);
    for (let i = 0; i < 50; i++) await Promise.all([postTicket(host.apiUrl, token, i), raw()]);

    const started = performance.now();
    const phaseAt = (): Phase => {
      const t = performance.now() - started;
      return t < BEFORE_MS ? 'before' : t < BEFORE_MS + FREEZE_MS ? 'during' : 'after';
    };
    const tuki: Sample[] = [];
    const baseline: Sample[] = [];
    const total = BEFORE_MS + FREEZE_MS + AFTER_MS;
    let i = 0;
    const loads = Promise.all([
      steadyLoad(total, phaseAt, () => postTicket(host.apiUrl, token, i++), tuki),
      steadyLoad(total, phaseAt, raw, baseline),
    ]);
    await new Promise((r) => setTimeout(r, BEFORE_MS));
    await whileFrozen('pubsub', () => new Promise((r) => setTimeout(r, FREEZE_MS)));
    await loads;
    const now = performance.now();

    // The relay job, as the scheduler runs it every minute, publishes what the freeze left; it
    // takes 200 records a run, and records younger than its grace are left to their request.
    await new Promise((r) => setTimeout(r, RELAY_GRACE_MS));
    const acknowledged = tuki.flatMap((sample) => (sample.ticketId === null ? [] : [sample.ticketId]));
    const settleBy = performance.now() + SETTLE_MS;
    let relayed = 0;
    let counts = await storedAndRouted(s, acknowledged);
    while (counts.routed < acknowledged.length && performance.now() < settleBy) {
      relayed += await s.outbox.relayPending(RELAY_GRACE_MS);
      await new Promise((r) => setTimeout(r, 5_000));
      counts = await storedAndRouted(s, acknowledged);
    }

    const result: Record<string, number> = {
      acknowledged: acknowledged.length,
      stored: counts.stored,
      routed: counts.routed,
      requests: tuki.length,
      relayedEvents: relayed,
    };
    log(`outage: ${RATE_PER_SECOND} requests/s on each path; Pub/Sub frozen for ${FREEZE_MS / 1000} s after ${BEFORE_MS / 1000} s, then ${AFTER_MS / 1000} s more`);
    for (const [name, samples] of [['tuki POST /v1/tickets', tuki], ['raw-client baseline (default publish settings)', baseline]] as const) {
      log(`  ${name}:`);
      for (const phase of PHASES) {
        const l = latencies(samples, phase, now);
        log(`    ${phase.padEnd(6)} p50 ${fmt(l.p50)} ms, p99 ${fmt(l.p99)} ms${l.unanswered > 0 ? `, ${l.unanswered} unanswered at the end` : ''}`);
        const key = samples === tuki ? 'tuki' : 'baseline';
        result[`${key}${phase[0]?.toUpperCase()}${phase.slice(1)}P50`] = l.p50;
        result[`${key}${phase[0]?.toUpperCase()}${phase.slice(1)}P99`] = l.p99;
      }
    }
    result['duringP99Ratio'] = (result['tukiDuringP99'] ?? 0) / (result['baselineDuringP99'] ?? 1);
    log(`  tuki / baseline, p99 during the freeze: ${fmt(result['duringP99Ratio'] ?? 0, 2)}`);
    log(`  tickets: ${tuki.length} requests, ${acknowledged.length} acknowledged (201), ${counts.stored} stored, ${counts.routed} routed (the relay published ${relayed} events)`);
    return result;
  } finally {
    await baselinePubSub.close();
    await host.close();
  }
}
