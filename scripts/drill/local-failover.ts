/**
 * The local failover drill (`npm run tuki -- drill failover --local [--seconds N]`): a region
 * outage rehearsed on the emulators, with a real kill.
 *
 * 1. Two copies of every function run as two "regions", each a child process
 *    (`region-host.ts`, `TUKI_REGION=local-primary` / `local-secondary`) with its own ports and
 *    push subscriptions on the shared emulators — as both regions share one multi-region
 *    Firestore and one global Pub/Sub in production.
 * 2. A local front (`local-front.ts`) stands in for the global load balancer: it sends traffic to
 *    the primary and ejects it on refused or broken connections (outlier detection).
 * 3. The primary's scheduler is active: it runs the heartbeat, which records `local-primary`.
 * 4. Clients put steady load on the front: each creates tickets one after another, every ticket
 *    with its own `Idempotency-Key`, and retries a failed request with the *same* key until it is
 *    acknowledged (201) or its deadline passes, as a real client would.
 * 5. Mid-run the primary is killed (SIGKILL: no graceful shutdown, in-flight requests break).
 * 6. When the front ejects the primary, the scheduler fails over: the secondary becomes active
 *    and runs the heartbeat (the real drill's `activeRegion` flip, done here by the drill as the
 *    on-call automation would).
 * 7. Afterwards the drill checks that requests went on through the secondary, that the heartbeat
 *    now records `local-secondary`, and — from Firestore — that every acknowledged ticket exists
 *    and that no request created two tickets. It reports the time to recover (kill → first
 *    successful request through the secondary) and every failed request.
 *
 * What a user sees: requests in flight on the primary when it dies break (connection reset); a
 * client that retries with the same key gets its ticket through the secondary once the front
 * ejected the primary (the reported time to recover), and never a second ticket. Outages of a
 * dependency rather than a region — Pub/Sub, Firestore or Auth stalling — are rehearsed by the
 * outage tests and `npm run bench -- outage`; README "Operations" says what users see then.
 *
 * The drill's tickets belong to an organisation of their own (`drill-org-<run>`) and carry their
 * key in the subject, so the count per key is exact even on emulators that hold other data.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PubSub } from '@google-cloud/pubsub';
import { FUNCTIONS } from '../../functions/src/manifest';
import { DEMO_PASSWORD, seedDemoData, signIn } from '../lib/demo';
import { repoRoot } from '../lib/emulators';
import { applyLocalEnv } from '../lib/local-env';
import { startLocalFront, type LocalFront } from './local-front';
import type { RegionHostCommand, RegionHostEvent } from './region-host';
import { DRILL_REPORTS_DIR, markdownTable, reportId, seconds, writeReportFiles } from './report';

export const LOCAL_REGIONS = { primary: 'local-primary', secondary: 'local-secondary' } as const;
type RegionRole = keyof typeof LOCAL_REGIONS;

export interface LocalFailoverOptions {
  /** Seconds of client load (default 20). */
  readonly loadSeconds?: number;
  /** When, in seconds after the load starts, the primary is killed (default 40 % of the load). */
  readonly killAfterSeconds?: number;
  /** Concurrent clients (default 4). */
  readonly clients?: number;
  /** Pause between a client's tickets (default 100 ms): steady load, not a stress test. */
  readonly thinkMs?: number;
  /** How long a client keeps retrying one ticket (default 20 s). */
  readonly requestDeadlineMs?: number;
  /** Port of the front (default any free port). */
  readonly frontPort?: number;
  /** Where reports go (default `drill-reports/` under the repository root); null writes none. */
  readonly reportDir?: string | null;
  readonly log?: (line: string) => void;
}

/** One HTTP attempt of a client. */
export interface RequestAttempt {
  readonly client: number;
  readonly key: string;
  readonly attempt: number;
  /** Milliseconds since the load started. */
  readonly startMs: number;
  readonly durationMs: number;
  /** HTTP status, or null for a network error. */
  readonly status: number | null;
  readonly error?: string;
  /** The backend the front used (`x-tuki-backend`). */
  readonly backend: string | null;
  readonly ticketId?: string;
  /** The API answered with the ticket an earlier attempt had created (`Idempotent-Replayed`). */
  readonly replayed?: boolean;
}

export interface DrillCheck {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

export interface LocalFailoverReport {
  readonly id: string;
  readonly kind: 'local-failover';
  status: 'passed' | 'failed';
  readonly startedAt: string;
  finishedAt: string;
  readonly settings: { loadSeconds: number; killAfterSeconds: number; clients: number; thinkMs: number; requestDeadlineMs: number };
  readonly regions: typeof LOCAL_REGIONS;
  /** Milliseconds since the load started; null when it did not happen. */
  readonly timeline: {
    killedAtMs: number | null;
    primaryEjectedAtMs: number | null;
    schedulerMovedAtMs: number | null;
    heartbeatFromSecondaryAtMs: number | null;
    firstSuccessViaSecondaryAtMs: number | null;
    loadEndedAtMs: number | null;
  };
  /** Kill → first successful request through the secondary. */
  timeToRecoverMs: number | null;
  /** Kill → the heartbeat recorded the secondary's scheduler. */
  timeToMoveJobsMs: number | null;
  /** Longest time without any successful request, around the kill. */
  longestGapMs: number | null;
  requests: {
    attempts: number;
    succeeded: number;
    failed: number;
    /** Successful attempts per backend, before and after the kill. */
    succeededBy: Record<string, { beforeKill: number; afterKill: number }>;
    /** Failed attempts by cause (`502`, `ECONNRESET`, …). */
    failedBy: Record<string, number>;
  };
  /** Every failed attempt (at most 200; `requests.failed` has the count). */
  failedRequests: RequestAttempt[];
  tickets: {
    /** Distinct keys the clients sent. */
    attempted: number;
    acknowledged: number;
    /** Acknowledged tickets missing from Firestore (keys). Must be empty. */
    lost: string[];
    /** Keys with more than one ticket in Firestore, or acknowledged with two different ids. Must be empty. */
    duplicated: string[];
    /** Acknowledged by replaying a ticket that an earlier, failed attempt had stored (the idempotency key at work). */
    replayed: number;
    /** Keys the client gave up on. */
    unacknowledged: string[];
    /** Tickets in Firestore whose request was never acknowledged (the client gave up after it was stored). */
    storedWithoutAcknowledgement: number;
    inFirestore: number;
  };
  heartbeat: { before: string | null; after: string | null; eventId: string | null };
  checks: DrillCheck[];
  errors: string[];
  reportFiles: string[];
}

const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const DRILL_CUSTOMER = { uid: 'drill-customer', email: 'drill-customer@tuki.example', name: 'Failover drill customer' } as const;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The compiled region host; children run compiled JS (jest runs the parent from source). */
export function regionHostScript(): string {
  return join(repoRoot(), 'dist/scripts/drill/region-host.js');
}

interface RegionProcess {
  readonly role: RegionRole;
  readonly child: ChildProcess;
  readonly apiUrl: string;
  readonly prefix: string;
}

/** Whether a child has exited (Node sets `exitCode` or `signalCode` on exit). */
const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

async function startRegion(role: RegionRole, runId: string, logDir: string): Promise<RegionProcess> {
  const script = regionHostScript();
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
  const region = LOCAL_REGIONS[role];
  const prefix = `drill-${runId}-${role}-`;
  const child = fork(script, [], {
    env: { ...process.env, TUKI_REGION: region, TUKI_DRILL_SUBSCRIPTION_PREFIX: prefix, LOG_LEVEL: process.env['TUKI_DRILL_LOG_LEVEL'] ?? 'WARNING' },
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const log = createWriteStream(join(logDir, `drill-${region}.log`));
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const ready = await new Promise<Extract<RegionHostEvent, { type: 'ready' }>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${region} did not start within 60 s (log: .tuki/drill-${region}.log)`)), 60_000);
    child.on('message', (event: RegionHostEvent) => {
      if (event.type === 'ready') {
        clearTimeout(timer);
        resolve(event);
      } else if (event.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`${region} failed to start: ${event.message}`));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${region} exited during start (code ${code}, signal ${signal}); log: .tuki/drill-${region}.log`));
    });
  });
  return { role, child, apiUrl: ready.apiUrl, prefix };
}

/** Makes a region active: it starts its scheduler and runs the heartbeat; resolves with the heartbeat's message id. */
function activate(region: RegionProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${LOCAL_REGIONS[region.role]} did not activate within 15 s`)), 15_000);
    const onMessage = (event: RegionHostEvent): void => {
      if (event.type === 'activated' || event.type === 'error') {
        clearTimeout(timer);
        region.child.off('message', onMessage);
        if (event.type === 'activated') resolve(event.messageId);
        else reject(new Error(event.message));
      }
    };
    region.child.on('message', onMessage);
    region.child.send({ type: 'activate' } satisfies RegionHostCommand);
  });
}

async function stopRegion(region: RegionProcess): Promise<void> {
  if (hasExited(region.child)) return;
  const exited = new Promise<void>((resolve) => region.child.once('exit', () => resolve()));
  if (region.child.connected) region.child.send({ type: 'stop' } satisfies RegionHostCommand);
  else region.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 10_000)));
  const outcome = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    region.child.kill('SIGKILL');
    await exited;
  }
}

/** Runs the drill against the emulators named by the environment; see the file comment. */
export async function runLocalFailoverDrill(options: LocalFailoverOptions = {}): Promise<LocalFailoverReport> {
  applyLocalEnv('local-drill');
  const log = options.log ?? (() => undefined);
  const loadSeconds = options.loadSeconds ?? 20;
  const settings = {
    loadSeconds,
    killAfterSeconds: options.killAfterSeconds ?? Math.round(loadSeconds * 4) / 10,
    clients: options.clients ?? 4,
    thinkMs: options.thinkMs ?? 100,
    requestDeadlineMs: options.requestDeadlineMs ?? 20_000,
  };
  if (settings.killAfterSeconds <= 0 || settings.killAfterSeconds >= loadSeconds) {
    throw new Error(`The kill must fall inside the load: 0 < ${settings.killAfterSeconds} < ${loadSeconds} seconds`);
  }
  const startedAtMs = Date.now();
  const runId = `${new Date(startedAtMs).toISOString().replace(/[-:.]/g, '').toLowerCase()}-${randomBytes(2).toString('hex')}`;
  const orgId = `drill-org-${runId}`;
  const logDir = join(repoRoot(), '.tuki');
  mkdirSync(logDir, { recursive: true });

  const report: LocalFailoverReport = {
    id: reportId('local-failover', startedAtMs),
    kind: 'local-failover',
    status: 'passed',
    startedAt: new Date(startedAtMs).toISOString(),
    finishedAt: '',
    settings,
    regions: LOCAL_REGIONS,
    timeline: {
      killedAtMs: null,
      primaryEjectedAtMs: null,
      schedulerMovedAtMs: null,
      heartbeatFromSecondaryAtMs: null,
      firstSuccessViaSecondaryAtMs: null,
      loadEndedAtMs: null,
    },
    timeToRecoverMs: null,
    timeToMoveJobsMs: null,
    longestGapMs: null,
    requests: { attempts: 0, succeeded: 0, failed: 0, succeededBy: {}, failedBy: {} },
    failedRequests: [],
    tickets: { attempted: 0, acknowledged: 0, replayed: 0, lost: [], duplicated: [], unacknowledged: [], storedWithoutAcknowledgement: 0, inFirestore: 0 },
    heartbeat: { before: null, after: null, eventId: null },
    checks: [],
    errors: [],
    reportFiles: [],
  };

  const { services } = await import('../../functions/src/wiring');
  const s = await services();
  const regions: RegionProcess[] = [];
  let front: LocalFront | undefined;
  const attempts: RequestAttempt[] = [];
  /** Ticket ids each key was acknowledged with (more than one distinct id would be a duplicate). */
  const acknowledged = new Map<string, Set<string>>();
  const sentKeys: string[] = [];
  let loadStart = 0;
  const since = (): number => Date.now() - loadStart;

  try {
    log('Seeding the catalog, the demo users and the drill customer …');
    await seedDemoData(s);
    const { getApps } = await import('firebase-admin/app');
    const { FirebaseIdentityAdmin } = await import('../../functions/src/adapters/firebase-identity-admin');
    const app = getApps()[0];
    if (app === undefined) throw new Error('firebase-admin is not initialised');
    await new FirebaseIdentityAdmin(app).ensureDemoUser(DRILL_CUSTOMER.uid, DRILL_CUSTOMER.email, DEMO_PASSWORD, DRILL_CUSTOMER.name);
    await s.principals.putCustomer(DRILL_CUSTOMER.uid, orgId, new Date().toISOString());
    const token = await signIn(DRILL_CUSTOMER.email);

    log(`Starting ${LOCAL_REGIONS.primary} and ${LOCAL_REGIONS.secondary} (logs: .tuki/drill-<region>.log) …`);
    const [primary, secondary] = await Promise.all([startRegion('primary', runId, logDir), startRegion('secondary', runId, logDir)]);
    regions.push(primary, secondary);

    let schedulerMove: Promise<string> | undefined;
    const moveScheduler = (): Promise<string> => {
      schedulerMove ??= activate(secondary).then((messageId) => {
        report.timeline.schedulerMovedAtMs = since();
        return messageId;
      });
      return schedulerMove;
    };
    front = await startLocalFront({
      port: options.frontPort ?? 0,
      backends: [
        { name: 'primary', url: primary.apiUrl },
        { name: 'secondary', url: secondary.apiUrl },
      ],
      onEject: (backend, reason) => {
        log(`front: ejected ${backend} (${reason})`);
        if (backend !== 'primary') return;
        report.timeline.primaryEjectedAtMs ??= since();
        // The on-call automation's answer to "primary down": move the scheduled jobs.
        moveScheduler().catch((error: unknown) => report.errors.push(`scheduler failover: ${String(error)}`));
      },
    });
    log(`Front at ${front.url} → primary ${primary.apiUrl}, secondary ${secondary.apiUrl}`);

    const baselineId = await activate(primary);
    const baseline = await waitForHeartbeat(s.db, (h) => h.region === LOCAL_REGIONS.primary && h.eventId === baselineId, 20_000);
    report.heartbeat.before = baseline?.region ?? null;
    if (baseline === null) throw new Error(`The heartbeat of ${LOCAL_REGIONS.primary} was not recorded within 20 s`);
    const health = await fetch(`${front.url}/v1/health`);
    if (!health.ok) throw new Error(`The front answered ${health.status} to /v1/health before the drill`);

    log(`Load: ${settings.clients} clients for ${loadSeconds} s; killing the primary after ${settings.killAfterSeconds} s …`);
    loadStart = Date.now();
    const loadEnd = loadStart + loadSeconds * 1000;
    const frontUrl = front.url;
    const killTimer = setTimeout(() => {
      report.timeline.killedAtMs = since();
      primary.child.kill('SIGKILL');
      log(`Killed ${LOCAL_REGIONS.primary} (pid ${primary.child.pid}) at ${seconds(report.timeline.killedAtMs)}`);
    }, settings.killAfterSeconds * 1000);

    const client = async (index: number): Promise<void> => {
      for (let n = 1; Date.now() < loadEnd; n += 1) {
        const key = `drill-${runId}-c${index}-r${n}`;
        sentKeys.push(key);
        const body = JSON.stringify({
          product: 'online',
          language: 'en',
          channel: 'portal',
          subject: `Failover drill [${key}]`,
          description: 'A ticket created by the local failover drill while one region is killed.',
        });
        const deadline = Date.now() + settings.requestDeadlineMs;
        for (let attempt = 1; ; attempt += 1) {
          const started = Date.now();
          let status: number | null = null;
          let error: string | undefined;
          let backend: string | null = null;
          let ticketId: string | undefined;
          let replayed = false;
          try {
            const response = await fetch(`${frontUrl}/v1/tickets`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
              body,
              signal: AbortSignal.timeout(15_000),
            });
            status = response.status;
            backend = response.headers.get('x-tuki-backend');
            replayed = response.headers.get('idempotent-replayed') === 'true';
            const parsed = (await response.json().catch(() => null)) as { id?: unknown; detail?: unknown } | null;
            if (status === 201 && typeof parsed?.id === 'string') ticketId = parsed.id;
            else if (status !== 201) error = typeof parsed?.detail === 'string' ? parsed.detail.slice(0, 200) : undefined;
          } catch (caught) {
            const cause = (caught as { cause?: { code?: string } }).cause;
            error = cause?.code ?? (caught instanceof Error ? caught.name : String(caught));
          }
          attempts.push({
            client: index,
            key,
            attempt,
            startMs: started - loadStart,
            durationMs: Date.now() - started,
            status,
            backend,
            ...(error === undefined ? {} : { error }),
            ...(ticketId === undefined ? {} : { ticketId }),
            ...(replayed ? { replayed } : {}),
          });
          if (ticketId !== undefined) {
            const ids = acknowledged.get(key) ?? new Set<string>();
            ids.add(ticketId);
            acknowledged.set(key, ids);
            break;
          }
          const retryable = status === null || RETRYABLE_STATUSES.has(status);
          if (!retryable || Date.now() > deadline) break;
          await sleep(Math.min(1000, 50 * 2 ** Math.min(attempt - 1, 5)));
        }
        await sleep(settings.thinkMs);
      }
    };
    await Promise.all(Array.from({ length: settings.clients }, (_, i) => client(i + 1)));
    clearTimeout(killTimer);
    report.timeline.loadEndedAtMs = since();
    // Let the exit of the killed primary be reaped before checking it (a SIGKILL is delivered at once).
    for (let i = 0; i < 20 && !hasExited(primary.child); i += 1) await sleep(50);

    if (report.timeline.primaryEjectedAtMs === null) {
      report.errors.push('The front never ejected the primary; moving the scheduler at the end of the load instead');
    }
    log('Waiting for the heartbeat of the secondary …');
    const movedId = await moveScheduler();
    const moved = await waitForHeartbeat(s.db, (h) => h.region === LOCAL_REGIONS.secondary && h.eventId === movedId, 20_000);
    report.heartbeat.after = moved?.region ?? (await readHeartbeat(s.db))?.region ?? null;
    report.heartbeat.eventId = moved?.eventId ?? null;
    // When the function recorded it (its clock is this machine's), not when this poll saw it.
    if (moved !== null) report.timeline.heartbeatFromSecondaryAtMs = (Number.isFinite(Date.parse(moved.at)) ? Date.parse(moved.at) : moved.seenAtMs) - loadStart;

    log('Checking tickets in Firestore …');
    const stored = await s.db.collection('tickets').where('orgId', '==', orgId).get();
    const ticketsByKey = new Map<string, string[]>();
    let untagged = 0;
    for (const doc of stored.docs) {
      const subject: unknown = doc.get('subject');
      const key = typeof subject === 'string' ? /\[(drill-[^\]]+)\]/.exec(subject)?.[1] : undefined;
      if (key === undefined) {
        untagged += 1;
        continue;
      }
      ticketsByKey.set(key, [...(ticketsByKey.get(key) ?? []), doc.id]);
    }
    const storedIds = new Set(stored.docs.map((d) => d.id));
    report.tickets.attempted = new Set(sentKeys).size;
    report.tickets.acknowledged = acknowledged.size;
    report.tickets.replayed = attempts.filter((a) => a.replayed === true).length;
    report.tickets.inFirestore = stored.size;
    report.tickets.lost = [...acknowledged].filter(([, ids]) => [...ids].some((id) => !storedIds.has(id))).map(([key]) => key);
    report.tickets.duplicated = [
      ...new Set([
        ...[...ticketsByKey].filter(([, ids]) => ids.length > 1).map(([key]) => key),
        ...[...acknowledged].filter(([, ids]) => ids.size > 1).map(([key]) => key),
      ]),
    ];
    report.tickets.unacknowledged = sentKeys.filter((key) => !acknowledged.has(key));
    report.tickets.storedWithoutAcknowledgement = report.tickets.unacknowledged.filter((key) => ticketsByKey.has(key)).length;
    if (untagged > 0) report.errors.push(`${untagged} drill tickets had no key in their subject; the duplicate count may be incomplete`);

    summarise(report, attempts);
    const killed = primary.child.signalCode === 'SIGKILL';
    const afterKill = report.requests.succeededBy['secondary']?.afterKill ?? 0;
    report.checks = [
      { name: 'primary killed', passed: killed, detail: killed ? `SIGKILL at ${seconds(report.timeline.killedAtMs)}` : 'the primary was not killed' },
      {
        name: 'requests go on through the secondary',
        passed: afterKill > 0,
        detail: `${afterKill} successful requests through the secondary after the kill; recovered in ${seconds(report.timeToRecoverMs)}`,
      },
      {
        name: 'scheduled jobs moved to the secondary',
        passed: report.heartbeat.after === LOCAL_REGIONS.secondary,
        detail: `heartbeat recorded ${report.heartbeat.before ?? '—'} before, ${report.heartbeat.after ?? '—'} after`,
      },
      {
        name: 'no acknowledged ticket lost',
        passed: report.tickets.lost.length === 0 && report.tickets.acknowledged > 0,
        detail: `${report.tickets.acknowledged} acknowledged, ${report.tickets.lost.length} missing from Firestore`,
      },
      {
        name: 'no ticket created twice',
        passed: report.tickets.duplicated.length === 0,
        detail: `${report.tickets.inFirestore} tickets in Firestore for ${ticketsByKey.size} keys; ${report.tickets.duplicated.length} keys with more than one`,
      },
    ];
  } catch (error) {
    report.errors.push(error instanceof Error ? error.message : String(error));
  } finally {
    await Promise.all(regions.map(stopRegion));
    await front?.close();
    await deleteSubscriptions(s.pubsub, regions.map((r) => r.prefix));
  }

  report.status = report.checks.length > 0 && report.checks.every((c) => c.passed) && !report.errors.some(isFatal) ? 'passed' : 'failed';
  report.finishedAt = new Date().toISOString();
  if (options.reportDir !== null) {
    const dir = options.reportDir ?? join(repoRoot(), DRILL_REPORTS_DIR);
    report.reportFiles = await writeReportFiles(dir, report, renderLocalMarkdown(report));
  }
  return report;
}

/** Errors that mean the drill did not run to the end (the checks are then missing). */
function isFatal(error: string): boolean {
  return !error.startsWith('The front never ejected') && !error.includes('no key in their subject');
}

/** Fills the request figures, the time to recover and the longest gap from the attempts. */
function summarise(report: LocalFailoverReport, attempts: readonly RequestAttempt[]): void {
  const killedAt = report.timeline.killedAtMs ?? Number.POSITIVE_INFINITY;
  const ok = (a: RequestAttempt): boolean => a.status !== null && a.status >= 200 && a.status < 300;
  const ended = (a: RequestAttempt): number => a.startMs + a.durationMs;
  report.requests.attempts = attempts.length;
  for (const attempt of attempts) {
    if (ok(attempt)) {
      report.requests.succeeded += 1;
      const backend = attempt.backend ?? 'unknown';
      const counts = (report.requests.succeededBy[backend] ??= { beforeKill: 0, afterKill: 0 });
      if (attempt.startMs >= killedAt) counts.afterKill += 1;
      else counts.beforeKill += 1;
    } else {
      report.requests.failed += 1;
      const cause = attempt.status === null ? (attempt.error ?? 'network error') : String(attempt.status);
      report.requests.failedBy[cause] = (report.requests.failedBy[cause] ?? 0) + 1;
      if (report.failedRequests.length < 200) report.failedRequests.push(attempt);
    }
  }
  const recovered = attempts.filter((a) => ok(a) && a.backend === 'secondary' && ended(a) >= killedAt).map(ended).sort((a, b) => a - b)[0];
  if (recovered !== undefined) {
    report.timeline.firstSuccessViaSecondaryAtMs = recovered;
    report.timeToRecoverMs = recovered - killedAt;
  }
  if (report.timeline.heartbeatFromSecondaryAtMs !== null && Number.isFinite(killedAt)) {
    report.timeToMoveJobsMs = report.timeline.heartbeatFromSecondaryAtMs - killedAt;
  }
  const successEnds = attempts.filter(ok).map(ended).sort((a, b) => a - b);
  let gap = 0;
  for (let i = 1; i < successEnds.length; i += 1) gap = Math.max(gap, (successEnds[i] as number) - (successEnds[i - 1] as number));
  report.longestGapMs = successEnds.length > 1 ? gap : null;
}

interface SeenHeartbeat {
  readonly region: string;
  readonly eventId: string;
  readonly at: string;
  /** When the drill saw it (epoch ms). */
  readonly seenAtMs: number;
}

async function readHeartbeat(db: FirebaseFirestore.Firestore): Promise<SeenHeartbeat | null> {
  const snapshot = await db.collection('heartbeats').doc('latest').get();
  const region: unknown = snapshot.get('region');
  const eventId: unknown = snapshot.get('eventId');
  const at: unknown = snapshot.get('at');
  if (typeof region !== 'string' || typeof eventId !== 'string') return null;
  return { region, eventId, at: typeof at === 'string' ? at : '', seenAtMs: Date.now() };
}

async function waitForHeartbeat(
  db: FirebaseFirestore.Firestore,
  wanted: (heartbeat: SeenHeartbeat) => boolean,
  timeoutMs: number,
): Promise<SeenHeartbeat | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const heartbeat = await readHeartbeat(db);
    if (heartbeat !== null && wanted(heartbeat)) return heartbeat;
    await sleep(100);
  }
  return null;
}

/** Deletes the push subscriptions of the drill's regions (a killed region cannot delete its own). */
async function deleteSubscriptions(pubsub: PubSub, prefixes: readonly string[]): Promise<void> {
  const names = prefixes.flatMap((prefix) => FUNCTIONS.filter((fn) => fn.trigger.kind === 'pubsub').map((fn) => `${prefix}${fn.name}`));
  await Promise.all(names.map((name) => pubsub.subscription(name).delete().catch(() => undefined)));
}

/** The Markdown version of a local drill report. */
export function renderLocalMarkdown(report: LocalFailoverReport): string {
  const t = report.timeline;
  const rows = Object.entries(report.requests.succeededBy).map(([backend, c]) => [backend, String(c.beforeKill), String(c.afterKill)]);
  const lines = [
    `# Local failover drill ${report.id}`,
    '',
    `- Status: **${report.status}**`,
    `- Regions: ${report.regions.primary} (killed) → ${report.regions.secondary}`,
    `- Load: ${report.settings.clients} clients for ${report.settings.loadSeconds} s, primary killed after ${report.settings.killAfterSeconds} s`,
    `- **Time to recover** (kill → first successful request through the secondary): ${seconds(report.timeToRecoverMs)} (${report.timeToRecoverMs ?? '—'} ms)`,
    `- Time to move the scheduled jobs (kill → heartbeat from the secondary): ${seconds(report.timeToMoveJobsMs)}`,
    `- Longest time without a successful request: ${seconds(report.longestGapMs)}`,
    '',
    '## Checks',
    '',
    markdownTable(['check', 'result', 'detail'], report.checks.map((c) => [c.name, c.passed ? 'pass' : '**FAIL**', c.detail])),
    '',
    '## Timeline (since the load started)',
    '',
    markdownTable(
      ['event', 'at'],
      (
        [
          ['primary killed', t.killedAtMs],
          ['front ejected the primary', t.primaryEjectedAtMs],
          ['first success through the secondary', t.firstSuccessViaSecondaryAtMs],
          ['scheduler active in the secondary', t.schedulerMovedAtMs],
          ['heartbeat from the secondary recorded', t.heartbeatFromSecondaryAtMs],
          ['load ended', t.loadEndedAtMs],
        ] as const
      )
        .slice()
        .sort((a, b) => (a[1] ?? Number.POSITIVE_INFINITY) - (b[1] ?? Number.POSITIVE_INFINITY))
        .map(([event, at]) => [event, seconds(at)]),
    ),
    '',
    '## Requests',
    '',
    `${report.requests.attempts} attempts: ${report.requests.succeeded} succeeded, ${report.requests.failed} failed` +
      (report.requests.failed > 0 ? ` (${Object.entries(report.requests.failedBy).map(([k, v]) => `${k}: ${v}`).join(', ')})` : '') +
      '.',
    '',
    markdownTable(['backend', 'succeeded before the kill', 'after the kill'], rows),
    '',
    '## Tickets',
    '',
    markdownTable(
      ['keys sent', 'acknowledged (201)', 'of them replayed', 'lost', 'duplicated', 'gave up', 'stored without acknowledgement', 'in Firestore'],
      [
        [
          String(report.tickets.attempted),
          String(report.tickets.acknowledged),
          String(report.tickets.replayed),
          String(report.tickets.lost.length),
          String(report.tickets.duplicated.length),
          String(report.tickets.unacknowledged.length),
          String(report.tickets.storedWithoutAcknowledgement),
          String(report.tickets.inFirestore),
        ],
      ],
    ),
  ];
  if (report.failedRequests.length > 0) {
    lines.push(
      '',
      '## Failed requests',
      '',
      markdownTable(
        ['at', 'client', 'key', 'attempt', 'status', 'backend', 'error'],
        report.failedRequests.map((a) => [seconds(a.startMs), String(a.client), a.key, String(a.attempt), a.status === null ? '—' : String(a.status), a.backend ?? '—', a.error ?? '']),
      ),
    );
  }
  if (report.errors.length > 0) lines.push('', '## Errors', '', ...report.errors.map((e) => `- ${e}`));
  return `${lines.join('\n')}\n`;
}
