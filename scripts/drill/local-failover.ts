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
 *
 * The parts, in `local/`: `load-client.ts` (the clients), `orchestration.ts` (regions, front,
 * kill, scheduler move), `verification.ts` (what must hold afterwards), `report.ts` (figures
 * and Markdown), over the ports of `ports.ts` with the errors of `errors.ts`; the real side is
 * `forked-regions.ts` (child processes) and `emulator-adapters.ts`. This file composes them.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { repoRoot } from '../lib/emulators';
import { applyLocalEnv } from '../lib/local-env';
import { systemClock } from './failover-adapters';
import { emulatorDrillDeps } from './local/emulator-adapters';
import { DrillSettingsError } from './local/errors';
import { ForkedRegionLauncher } from './local/forked-regions';
import { runLocalDrill } from './local/orchestration';
import { renderLocalMarkdown, type LocalDrillSettings, type LocalFailoverReport } from './local/report';
import { DRILL_REPORTS_DIR, writeReportFiles } from './report';

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

/** The settings a drill runs with: the options' values or their defaults; throws `DrillSettingsError` when the kill falls outside the load. */
function localDrillSettings(options: LocalFailoverOptions): LocalDrillSettings {
  const loadSeconds = options.loadSeconds ?? 20;
  const settings = {
    loadSeconds,
    killAfterSeconds: options.killAfterSeconds ?? Math.round(loadSeconds * 4) / 10,
    clients: options.clients ?? 4,
    thinkMs: options.thinkMs ?? 100,
    requestDeadlineMs: options.requestDeadlineMs ?? 20_000,
  };
  if (settings.killAfterSeconds <= 0 || settings.killAfterSeconds >= loadSeconds) {
    throw new DrillSettingsError(`The kill must fall inside the load: 0 < ${settings.killAfterSeconds} < ${loadSeconds} seconds`);
  }
  return settings;
}

/** Runs the drill against the emulators named by the environment and writes its report; see the file comment. */
export async function runLocalFailoverDrill(options: LocalFailoverOptions = {}): Promise<LocalFailoverReport> {
  applyLocalEnv('local-drill');
  const settings = localDrillSettings(options);
  const startedAtMs = systemClock.now();
  const runId = `${new Date(startedAtMs).toISOString().replace(/[-:.]/g, '').toLowerCase()}-${randomBytes(2).toString('hex')}`;
  const { services } = await import('../../functions/src/wiring');
  const report = await runLocalDrill(
    {
      ...emulatorDrillDeps(await services(), options.frontPort ?? 0),
      regions: new ForkedRegionLauncher(),
      clock: systemClock,
      log: options.log ?? (() => undefined),
    },
    { runId, orgId: `drill-org-${runId}`, settings },
  );
  if (options.reportDir !== null) {
    const dir = options.reportDir ?? join(repoRoot(), DRILL_REPORTS_DIR);
    report.reportFiles = await writeReportFiles(dir, report, renderLocalMarkdown(report));
  }
  return report;
}
