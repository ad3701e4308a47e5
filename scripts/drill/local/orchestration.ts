/**
 * The local failover drill's run, over the ports of `ports.ts`: start both regions and the
 * front, make the primary active and wait for its heartbeat, put the clients' load on the front,
 * SIGKILL the primary mid-run, move the scheduler to the secondary when the front ejects the
 * primary (as the on-call automation would), then read what Firestore holds and judge it
 * (`verification.ts`). It never throws once started: every problem is in the report.
 */
import { seconds } from '../report';
import type { Heartbeat, HeartbeatReader } from '../failover';
import { asProblem, BaselineHeartbeatMissingError, FrontUnhealthyError, PrimaryNeverEjectedWarning, SchedulerFailoverError, type LocalDrillProblem } from './errors';
import { runLoad } from './load-client';
import type { Front, LocalDrillDeps, RegionProcess } from './ports';
import { LOCAL_REGIONS, newLocalReport, summariseRequests, type LocalDrillSettings, type LocalFailoverReport } from './report';
import { drillStatus, failoverChecks, heartbeatAtMs, tallyTickets } from './verification';

/** How long a region's heartbeat may take to be recorded after it ran. */
const HEARTBEAT_TIMEOUT_MS = 20_000;
/** How long the drill waits for the killed primary's exit to be reaped (a SIGKILL is delivered at once). */
const REAP_TRIES = 20;
const REAP_PAUSE_MS = 50;

/** One run of the drill: the run's id names its keys and subscriptions, `orgId` owns its tickets. */
export interface LocalDrillRun {
  readonly runId: string;
  readonly orgId: string;
  readonly settings: LocalDrillSettings;
}

/** Runs the drill; the report says what happened, including every problem (the report is not written here). */
export async function runLocalDrill(deps: LocalDrillDeps, run: LocalDrillRun): Promise<LocalFailoverReport> {
  const { clock, log } = deps;
  const { settings } = run;
  const report = newLocalReport(settings, clock.now());
  const problems: LocalDrillProblem[] = [];
  const regions: RegionProcess[] = [];
  let front: Front | undefined;
  let loadStart = 0;
  const since = (): number => clock.now() - loadStart;

  try {
    log('Seeding the catalog, the demo users and the drill customer …');
    const token = await deps.setup.seed(run.orgId);

    log(`Starting ${LOCAL_REGIONS.primary} and ${LOCAL_REGIONS.secondary} (logs: .tuki/drill-<region>.log) …`);
    const [primary, secondary] = await Promise.all([deps.regions.start('primary', run.runId), deps.regions.start('secondary', run.runId)]);
    regions.push(primary, secondary);

    let schedulerMove: Promise<string> | undefined;
    const moveScheduler = (): Promise<string> => {
      schedulerMove ??= secondary.activate().then((messageId) => {
        report.timeline.schedulerMovedAtMs = since();
        return messageId;
      });
      return schedulerMove;
    };
    front = await deps.front.start({ primary: primary.apiUrl, secondary: secondary.apiUrl }, (backend, reason) => {
      log(`front: ejected ${backend} (${reason})`);
      if (backend !== 'primary') return;
      report.timeline.primaryEjectedAtMs ??= since();
      // The on-call automation's answer to "primary down": move the scheduled jobs.
      moveScheduler().catch((error: unknown) => problems.push(new SchedulerFailoverError(error)));
    });
    log(`Front at ${front.url} → primary ${primary.apiUrl}, secondary ${secondary.apiUrl}`);
    const http = deps.http(front.url, token);

    const baselineId = await primary.activate();
    const baseline = await waitForHeartbeat(deps, (h) => h.region === LOCAL_REGIONS.primary && h.eventId === baselineId);
    report.heartbeat.before = baseline?.heartbeat.region ?? null;
    if (baseline === null) throw new BaselineHeartbeatMissingError(LOCAL_REGIONS.primary, HEARTBEAT_TIMEOUT_MS);
    const health = await http.health();
    if (health < 200 || health >= 300) throw new FrontUnhealthyError(health);

    log(`Load: ${settings.clients} clients for ${settings.loadSeconds} s; killing the primary after ${settings.killAfterSeconds} s …`);
    loadStart = clock.now();
    // A timer, not the drill clock: the kill must land while the clients' requests are in flight.
    const killTimer = setTimeout(() => {
      report.timeline.killedAtMs = since();
      primary.kill();
      log(`Killed ${LOCAL_REGIONS.primary} (pid ${primary.pid}) at ${seconds(report.timeline.killedAtMs)}`);
    }, settings.killAfterSeconds * 1000);
    const clients = await runLoad(http, clock, { ...settings, runId: run.runId, startedAtMs: loadStart, endsAtMs: loadStart + settings.loadSeconds * 1000 }).finally(
      () => clearTimeout(killTimer),
    );
    report.timeline.loadEndedAtMs = since();
    for (let i = 0; i < REAP_TRIES && !primary.hasExited(); i += 1) await clock.sleep(REAP_PAUSE_MS);

    if (report.timeline.primaryEjectedAtMs === null) problems.push(new PrimaryNeverEjectedWarning());
    log('Waiting for the heartbeat of the secondary …');
    const movedId = await moveScheduler();
    const moved = await waitForHeartbeat(deps, (h) => h.region === LOCAL_REGIONS.secondary && h.eventId === movedId);
    report.heartbeat.after = moved?.heartbeat.region ?? (await deps.heartbeats.latest())?.region ?? null;
    report.heartbeat.eventId = moved?.heartbeat.eventId ?? null;
    if (moved !== null) report.timeline.heartbeatFromSecondaryAtMs = heartbeatAtMs(moved.heartbeat, moved.seenAtMs, loadStart);

    log('Checking tickets in Firestore …');
    const tally = tallyTickets(clients, await deps.tickets.ticketsOf(run.orgId));
    report.tickets = tally.tickets;
    if (tally.warning !== null) problems.push(tally.warning);

    const summary = summariseRequests(clients.attempts, report.timeline);
    report.requests = summary.requests;
    report.failedRequests = summary.failedRequests;
    report.timeline.firstSuccessViaSecondaryAtMs = summary.firstSuccessViaSecondaryAtMs;
    report.timeToRecoverMs = summary.timeToRecoverMs;
    report.timeToMoveJobsMs = summary.timeToMoveJobsMs;
    report.longestGapMs = summary.longestGapMs;
    report.checks = failoverChecks(report, { primaryKilled: primary.wasKilled(), keysInFirestore: tally.keysInFirestore });
  } catch (error) {
    problems.push(asProblem(error));
  } finally {
    await Promise.all(regions.map((region) => region.stop()));
    await front?.close();
    await deps.subscriptions.deleteOf(regions.map((r) => r.subscriptionPrefix));
  }

  report.errors = problems.map((p) => p.message);
  report.status = drillStatus(report.checks, problems);
  report.finishedAt = new Date(clock.now()).toISOString();
  return report;
}

/** Polls the heartbeat until `wanted` holds or the timeout passes; null when it never did. */
async function waitForHeartbeat(
  deps: { readonly heartbeats: HeartbeatReader; readonly clock: LocalDrillDeps['clock'] },
  wanted: (heartbeat: Heartbeat) => boolean,
): Promise<{ heartbeat: Heartbeat; seenAtMs: number } | null> {
  const deadline = deps.clock.now() + HEARTBEAT_TIMEOUT_MS;
  while (deps.clock.now() < deadline) {
    const heartbeat = await deps.heartbeats.latest();
    if (heartbeat !== null && wanted(heartbeat)) return { heartbeat, seenAtMs: deps.clock.now() };
    await deps.clock.sleep(100);
  }
  return null;
}
