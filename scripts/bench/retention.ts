/**
 * The retention job's speed and memory on the emulators, with tuki's real queries and adapters.
 *
 * (a) Throughput: N closed tickets past retention (default 20,000), 5 messages each, deleted by
 * the retention job (`runRetention`: the due query page by page, gathering each ticket's
 * records by the ids in its index, the atomic receipt-and-delete commits) against a raw
 * BulkWriter that deletes the same documents by their known paths (no query, no read, no
 * receipt), in the same run. Target: tuki at least 0.7× the baseline in tickets per second. The
 * baseline's BulkWriter runs unthrottled, so that the emulator, not the SDK's 500-ops/s
 * ramp-up, sets its pace.
 *
 * (b) Memory: the job runs in a child process of its own, whose peak resident set size is
 * compared for N/4 and N tickets. Target: ratio at most 1.2 (the job streams in bounded
 * batches, so its memory does not grow with the backlog).
 *
 * `npm run bench -- retention --tickets=2000` runs a quick version (N = 2,000);
 * `--cpu-prof=/tmp/prof` profiles the job's process (each run of it writes a `.cpuprofile`).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Firestore } from '@google-cloud/firestore';
import { COLLECTIONS } from '../../functions/src/adapters/firestore-names';
import { completeIndex, messageIndexRef } from '../../functions/src/adapters/message-index';
import { ticketToDocument, type TicketDocument } from '../../functions/src/adapters/firestore-ticket-document';
import { TWENTY_FOUR_SEVEN_UTC } from '../../functions/src/domain/calendar';
import { resolveSlaTarget, startSla, stopSla } from '../../functions/src/domain/sla';
import type { Ticket } from '../../functions/src/domain/ticket';
import type { Services } from '../../functions/src/wiring';
import { clearEmulators } from '../lib/emulators';
import { fmt } from './stats';

const MESSAGES = 5;
const DAY = 24 * 60 * 60 * 1000;

/** `--tickets=N` on the command line, else 20,000. */
function ticketCount(): number {
  const flag = process.argv.find((a) => a.startsWith('--tickets='));
  const value = flag === undefined ? 20_000 : Number(flag.slice('--tickets='.length));
  if (!Number.isInteger(value) || value < 100) throw new Error('--tickets must be a whole number of at least 100');
  return value;
}

function closedTicket(id: string, closedAt: string): TicketDocument {
  const ticket: Ticket = {
    id,
    orgId: 'bench-org',
    customerUid: 'bench-customer',
    createdBy: 'bench-customer',
    product: 'online',
    language: 'en',
    channel: 'portal',
    category: 'general',
    subject: `Benchmark ticket ${id}`,
    description: 'Our outgoing invoices stay in the queue since this morning; order 4711 is affected.',
    requestedSeverity: 3,
    severity: 3,
    severityConfirmed: false,
    tier: 'L1',
    status: 'closed',
    assigneeUid: 'demo-agent-l1',
    createdAt: closedAt,
    updatedAt: closedAt,
    sla: stopSla(startSla(resolveSlaTarget(undefined, 3), TWENTY_FOUR_SEVEN_UTC, Date.parse(closedAt))),
    escalations: [],
    severityAssessments: [],
    csat: null,
    managementReview: false,
    redactions: [],
    resolvedAt: closedAt,
    closedAt,
  };
  return ticketToDocument(ticket);
}

/** Writes `count` closed tickets with their messages and message index; returns every document path written. */
async function seed(db: Firestore, count: number, prefix: string): Promise<string[]> {
  const closedAt = new Date(Date.now() - 400 * DAY).toISOString();
  const writer = db.bulkWriter({ throttling: false });
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${prefix}-${String(i).padStart(6, '0')}`;
    const ref = db.collection(COLLECTIONS.tickets).doc(id);
    void writer.set(ref, closedTicket(id, closedAt));
    paths.push(ref.path);
    for (let m = 0; m < MESSAGES; m++) {
      const message = ref.collection(COLLECTIONS.messages).doc(`m${m}`);
      void writer.set(message, { id: `m${m}`, ticketId: id, authorUid: 'bench-customer', authorKind: 'customer', visibility: 'public', body: `Message ${m} of the benchmark ticket.`, createdAt: closedAt, redactions: [] });
      paths.push(message.path);
    }
    // Its index (message ids, bookkeeping records: none here), as tuki writes it with the ticket and each message.
    const index = messageIndexRef(db, id);
    void writer.set(index, completeIndex(id, Array.from({ length: MESSAGES }, (_, m) => `m${m}`)));
    paths.push(index.path);
  }
  await writer.close();
  return paths;
}

/** The raw baseline: a BulkWriter deleting known paths. */
async function rawDelete(db: Firestore, paths: readonly string[]): Promise<number> {
  const started = performance.now();
  const writer = db.bulkWriter({ throttling: false });
  for (const path of paths) void writer.delete(db.doc(path));
  await writer.close();
  return (performance.now() - started) / 1000;
}

interface JobResult {
  seconds: number;
  deleted: number;
  maxRssMb: number;
  spans: Record<string, { calls: number; ms: number }>;
}

/** Where the job's time went: each port method, its calls and milliseconds (they overlap). */
function spanLines(job: JobResult): string[] {
  return Object.entries(job.spans)
    .sort(([, a], [, b]) => b.ms - a.ms)
    .map(([name, span]) => `  ${name}: ${span.calls} calls, ${fmt(span.ms / 1000)} s`);
}

/** `--cpu-prof=DIR` on the command line: the job's process writes a V8 CPU profile into DIR (open it in Chrome's DevTools). */
function cpuProfileFlags(): string[] {
  const flag = process.argv.find((a) => a.startsWith('--cpu-prof='));
  return flag === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${flag.slice('--cpu-prof='.length)}`];
}

/** Runs the job in a child process; its seconds, deletions, peak RSS and spans. */
function jobInChild(): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cpuProfileFlags(), join(__dirname, 'retention-job.js')], { env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`the retention job exited with ${code}: ${line}`));
      else resolve(JSON.parse(line) as JobResult);
    });
  });
}

export async function benchRetention(log: (line: string) => void, s: Services): Promise<Record<string, number>> {
  const large = ticketCount();
  const small = Math.round(large / 4);
  await clearEmulators();
  await s.configuration.putCatalog((await import('../../functions/src/adapters/firestore-configuration')).DEFAULT_CATALOG);
  // Warm-up: a cold emulator JVM is several times slower.
  await rawDelete(s.db, await seed(s.db, 500, 'warm'));
  await jobInChild();

  const paths = await seed(s.db, large, 'raw');
  const rawSeconds = await rawDelete(s.db, paths);
  const rawRate = large / rawSeconds;
  log(`raw BulkWriter: ${large} tickets × (1 + ${MESSAGES} + 1) documents in ${fmt(rawSeconds)} s = ${fmt(rawRate)} tickets/s`);

  await seed(s.db, large, 'tuki');
  const big = await jobInChild();
  if (big.deleted !== large) throw new Error(`the job deleted ${big.deleted} of ${large} tickets`);
  const tukiRate = large / big.seconds;
  log(`tuki retention job: ${large} tickets in ${fmt(big.seconds)} s = ${fmt(tukiRate)} tickets/s (with a receipt each); ratio ${fmt(tukiRate / rawRate, 2)} (target ≥ 0.7)`);
  log('where the job spent its time (calls overlap):');
  spanLines(big).forEach((line) => log(line));

  await clearEmulators();
  await s.configuration.putCatalog((await import('../../functions/src/adapters/firestore-configuration')).DEFAULT_CATALOG);
  await seed(s.db, small, 'small');
  const few = await jobInChild();
  log(`peak RSS of the job process: ${fmt(few.maxRssMb)} MB for ${small} tickets, ${fmt(big.maxRssMb)} MB for ${large}; ratio ${fmt(big.maxRssMb / few.maxRssMb, 2)} (target ≤ 1.2)`);
  return {
    tickets: large,
    rawTicketsPerSecond: rawRate,
    tukiTicketsPerSecond: tukiRate,
    throughputRatio: tukiRate / rawRate,
    peakRssMbSmall: few.maxRssMb,
    peakRssMbLarge: big.maxRssMb,
    memoryRatio: big.maxRssMb / few.maxRssMb,
  };
}
