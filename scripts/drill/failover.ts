/**
 * The failover drill against a real stack (`npm run tuki -- drill failover --stack <name>`).
 *
 * Steps, each timed:
 * 1. `read-stack`: the current `activeRegion`, the regions and the global endpoint (stack outputs).
 * 2. `set-config`: flip `activeRegion` (`primary` ↔ `secondary`) in the stack config.
 * 3. `up`: deploy it; this unpauses the scheduler jobs of the new region and pauses the old ones.
 * 4. `endpoint`: poll `GET <endpoint>/v1/health` until the global endpoint answers healthy.
 * 5. `run-job`: ask Cloud Scheduler to run the `heartbeat` job *in the new region* now.
 * 6. `heartbeat`: wait until `heartbeats/latest` records a new tick from the new region's scheduler.
 * 7. Unless `--stay`: the same steps back to the original region (phase `switch-back`).
 * The report (JSON, Markdown, Firestore `drillReports/{id}`) is written whatever happened.
 *
 * Decisions:
 * - What `/v1/health` proves. The global load balancer routes every request to the closest
 *   region (serverless NEGs have no failover policy; see `infra/components/global-front-door.ts`),
 *   and `activeRegion` moves the scheduled jobs, not the traffic. Waiting for health to report
 *   the *new* region would therefore hang wherever the old region is the closer one, so by
 *   default the endpoint step waits for a healthy answer and records which region gave it; the
 *   proof that the switch happened is the heartbeat, written from a job that only the new
 *   region's scheduler sent. `requireServingRegion` restores the strict check for a front door
 *   that routes by active region.
 * - A failure anywhere marks the report failed and switches back to the original region, even
 *   with `--stay`: the operator asked to stay in a region that has just failed its drill, and
 *   the known-good state is the one the drill started from.
 * - `--dry-run` previews the flipped config with a temporary copy of the stack config (see
 *   `StackDriver.preview`), so the plan is the real one and nothing, not even the stack file,
 *   changes. Its report is written to disk only: recording it in Firestore would write to production.
 *
 * Everything outside this file (the Automation API, HTTP, Cloud Scheduler, Firestore, the files,
 * the clock) is behind the small interfaces below, so the unit test drives the whole drill with fakes.
 */
import { markdownTable, reportId, seconds } from './report';

/** `activeRegion`'s two values, as in `infra/config.ts` (not imported: the build excludes `infra/`). */
export type RegionKey = 'primary' | 'secondary';
/** The stack config key the drill flips (project namespace of `Pulumi.yaml`). */
export const ACTIVE_REGION_KEY = 'tuki:activeRegion';
/** The job the drill runs in the new region; its handler records the scheduler's region. */
const DRILL_JOB = 'heartbeat';

/** The Pulumi stack, as the drill uses it (the Automation API in production, a fake in tests). */
export interface StackDriver {
  /** A config value (`tuki:activeRegion`), or undefined when it is not set. */
  getConfig(key: string): Promise<string | undefined>;
  setConfig(key: string, value: string): Promise<void>;
  /** Deploys; resolves with the counts of resource operations (`{update: 6, same: 180}`). */
  up(): Promise<Record<string, number>>;
  /** The plan if `config` were set, without changing the stack or its config file. */
  preview(config: Readonly<Record<string, string>>): Promise<Record<string, number>>;
  /** The stack outputs' values. */
  outputs(): Promise<Record<string, unknown>>;
}

/** What `GET /v1/health` answered. */
export interface HealthAnswer {
  readonly status: number;
  /** `region` of the body, when it was a health document. */
  readonly region?: string;
  readonly healthy: boolean;
}

export interface HttpProbe {
  /** One `GET <baseUrl>/v1/health`; rejects on network errors and its own timeout. */
  health(baseUrl: string): Promise<HealthAnswer>;
}

export interface JobRunner {
  /** Asks the scheduler in `region` to run `job` now (Cloud Scheduler `runJob`). */
  runJob(region: string, job: string): Promise<void>;
}

/** `heartbeats/latest`, as `recordHeartbeat` writes it. */
export interface Heartbeat {
  /** The region of the scheduler that sent the tick. */
  readonly region: string;
  readonly at: string;
  readonly eventId: string;
}

export interface HeartbeatReader {
  latest(): Promise<Heartbeat | null>;
}

/** Where reports go; returns where it put them (paths, document names). */
export interface ReportSink {
  record(report: FailoverDrillReport, markdown: string): Promise<string[]>;
}

export interface DrillClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface FailoverDrillDeps {
  readonly stack: StackDriver;
  readonly http: HttpProbe;
  readonly jobs: JobRunner;
  readonly heartbeats: HeartbeatReader;
  readonly sink: ReportSink;
  readonly clock: DrillClock;
  readonly log?: (line: string) => void;
}

export interface FailoverDrillOptions {
  readonly stackName: string;
  /** Stay in the new region (no switch-back) when the drill passes. */
  readonly stay?: boolean;
  /** Preview only: no config change, no deployment. */
  readonly dryRun?: boolean;
  /** How long the endpoint may take to answer healthy after `up` (default 10 min). */
  readonly endpointTimeoutMs?: number;
  /** How long the heartbeat may take to appear after the job ran (default 5 min). */
  readonly heartbeatTimeoutMs?: number;
  /** Pause between polls (default 5 s). */
  readonly pollIntervalMs?: number;
  /** Also require `/v1/health` to report the new region (see the file comment). */
  readonly requireServingRegion?: boolean;
}

export type DrillPhase = 'prepare' | 'dry-run' | 'failover' | 'switch-back';

export interface DrillStep {
  readonly name: string;
  readonly phase: DrillPhase;
  status: 'ok' | 'failed';
  readonly startedAt: string;
  durationMs: number;
  detail?: Record<string, unknown>;
  error?: string;
}

export interface FailoverDrillReport {
  readonly id: string;
  readonly kind: 'failover';
  readonly stack: string;
  /** `planned` for a dry run. */
  status: 'passed' | 'failed' | 'planned';
  readonly dryRun: boolean;
  readonly stay: boolean;
  readonly startedAt: string;
  finishedAt: string;
  durationMs: number;
  from: { key: RegionKey; region: string } | null;
  to: { key: RegionKey; region: string } | null;
  endpoint: string | null;
  /** `activeRegion` as the drill left it (null when unknown after a failed switch-back). */
  finalActiveRegion: RegionKey | null;
  steps: DrillStep[];
  /** Config flip → heartbeat from the new region, and the same for the way back. */
  timings: { failoverMs: number | null; switchBackMs: number | null };
  /** Every error, in order; empty when it passed. */
  errors: string[];
}

const DEFAULTS = { endpointTimeoutMs: 10 * 60_000, heartbeatTimeoutMs: 5 * 60_000, pollIntervalMs: 5_000 };

const otherRegion = (key: RegionKey): RegionKey => (key === 'primary' ? 'secondary' : 'primary');
const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Thrown by a poll that ran out of time. */
class DrillTimeoutError extends Error {
  constructor(what: string, timeoutMs: number, last: string) {
    super(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${last})`);
    this.name = 'DrillTimeoutError';
  }
}

/** Runs the drill and records its report; never throws for a failed step (the report says so). */
export async function runFailoverDrill(deps: FailoverDrillDeps, options: FailoverDrillOptions): Promise<FailoverDrillReport> {
  const { clock } = deps;
  const log = deps.log ?? (() => undefined);
  const settings = {
    endpointTimeoutMs: options.endpointTimeoutMs ?? DEFAULTS.endpointTimeoutMs,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULTS.heartbeatTimeoutMs,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
    requireServingRegion: options.requireServingRegion === true,
  };
  const startedAtMs = clock.now();
  const report: FailoverDrillReport = {
    id: reportId('failover', startedAtMs, options.stackName),
    kind: 'failover',
    stack: options.stackName,
    status: 'passed',
    dryRun: options.dryRun === true,
    stay: options.stay === true,
    startedAt: iso(startedAtMs),
    finishedAt: iso(startedAtMs),
    durationMs: 0,
    from: null,
    to: null,
    endpoint: null,
    finalActiveRegion: null,
    steps: [],
    timings: { failoverMs: null, switchBackMs: null },
    errors: [],
  };

  /** Runs and times one step; records and rethrows its error. */
  const step = async <T>(phase: DrillPhase, name: string, run: (detail: Record<string, unknown>) => Promise<T>): Promise<T> => {
    const started = clock.now();
    const entry: DrillStep = { name, phase, status: 'ok', startedAt: iso(started), durationMs: 0 };
    report.steps.push(entry);
    const detail: Record<string, unknown> = {};
    log(`[${phase}] ${name} …`);
    try {
      const result = await run(detail);
      return result;
    } catch (error) {
      entry.status = 'failed';
      entry.error = message(error);
      throw error;
    } finally {
      entry.durationMs = clock.now() - started;
      if (Object.keys(detail).length > 0) entry.detail = detail;
      log(`[${phase}] ${name} ${entry.status} in ${seconds(entry.durationMs)}${entry.error === undefined ? '' : `: ${entry.error}`}`);
    }
  };

  /** Flip, deploy, check the endpoint, run the job there and wait for its heartbeat. */
  const switchTo = async (phase: 'failover' | 'switch-back', target: RegionKey, region: string, endpoint: string): Promise<number> => {
    const began = clock.now();
    await step(phase, 'set-config', async (detail) => {
      detail['activeRegion'] = target;
      await deps.stack.setConfig(ACTIVE_REGION_KEY, target);
      report.finalActiveRegion = null; // unknown until `up` succeeds
    });
    await step(phase, 'up', async (detail) => {
      detail['changes'] = await deps.stack.up();
      report.finalActiveRegion = target;
    });
    await step(phase, 'endpoint', async (detail) => {
      const answer = await pollUntil(
        clock,
        async () => {
          detail['attempts'] = ((detail['attempts'] as number | undefined) ?? 0) + 1;
          const health = await deps.http.health(endpoint);
          const accepted = health.healthy && (!settings.requireServingRegion || health.region === region);
          return { done: accepted, value: health, describe: `HTTP ${health.status}, region ${health.region ?? '?'}` };
        },
        settings.endpointTimeoutMs,
        settings.pollIntervalMs,
        settings.requireServingRegion ? `${endpoint}/v1/health to report ${region}` : `${endpoint}/v1/health to answer healthy`,
      );
      detail['servedBy'] = answer.region;
    });
    const before = await step(phase, 'run-job', async (detail) => {
      const previous = await deps.heartbeats.latest();
      detail['job'] = DRILL_JOB;
      detail['region'] = region;
      await deps.jobs.runJob(region, DRILL_JOB);
      return previous;
    });
    await step(phase, 'heartbeat', async (detail) => {
      const beat = await pollUntil(
        clock,
        async () => {
          const latest = await deps.heartbeats.latest();
          const fresh = latest !== null && latest.region === region && latest.eventId !== before?.eventId;
          return { done: fresh, value: latest, describe: latest === null ? 'no heartbeat' : `${latest.region} at ${latest.at}` };
        },
        settings.heartbeatTimeoutMs,
        settings.pollIntervalMs,
        `a heartbeat from the scheduler in ${region}`,
      );
      detail['region'] = beat?.region;
      detail['at'] = beat?.at;
      detail['eventId'] = beat?.eventId;
    });
    return clock.now() - began;
  };

  let flipped = false;
  let endpoint = '';
  try {
    await step('prepare', 'read-stack', async (detail) => {
      const raw = (await deps.stack.getConfig(ACTIVE_REGION_KEY)) ?? 'primary';
      if (raw !== 'primary' && raw !== 'secondary') throw new Error(`${ACTIVE_REGION_KEY} is "${raw}"; expected "primary" or "secondary"`);
      const outputs = await deps.stack.outputs();
      const names = outputs['regionNames'] as Partial<Record<RegionKey, unknown>> | undefined;
      const fromRegion = names?.[raw];
      const toRegion = names?.[otherRegion(raw)];
      if (typeof fromRegion !== 'string' || typeof toRegion !== 'string') {
        throw new Error('The stack has no regionNames output: deploy it once (pulumi up) before drilling');
      }
      endpoint = typeof outputs['endpointUrl'] === 'string' ? outputs['endpointUrl'].replace(/\/+$/, '') : '';
      if (endpoint === '' && options.dryRun !== true) throw new Error('The stack has no endpointUrl output');
      report.from = { key: raw, region: fromRegion };
      report.to = { key: otherRegion(raw), region: toRegion };
      report.endpoint = endpoint === '' ? null : endpoint;
      report.finalActiveRegion = raw;
      Object.assign(detail, { activeRegion: raw, from: fromRegion, to: toRegion, endpoint });
    });
    const { from, to } = regionsOf(report);

    if (options.dryRun === true) {
      report.status = 'planned';
      await step('dry-run', 'preview', async (detail) => {
        detail['activeRegion'] = to.key;
        detail['changes'] = await deps.stack.preview({ [ACTIVE_REGION_KEY]: to.key });
      });
    } else {
      flipped = true;
      report.timings.failoverMs = await switchTo('failover', to.key, to.region, endpoint);
      if (options.stay !== true) {
        report.timings.switchBackMs = await switchTo('switch-back', from.key, from.region, endpoint);
        flipped = false;
      }
    }
  } catch (error) {
    report.status = 'failed';
    report.errors.push(message(error));
    const back = report.from;
    const alreadySwitchingBack = report.steps.some((s) => s.phase === 'switch-back');
    if (flipped && back !== null && !alreadySwitchingBack) {
      log(`The drill failed; switching back to ${back.key} (${back.region}).`);
      try {
        report.timings.switchBackMs = await switchTo('switch-back', back.key, back.region, endpoint);
      } catch (switchBackError) {
        report.errors.push(`switch-back: ${message(switchBackError)}`);
      }
    }
  }
  if (report.status === 'failed' && report.finalActiveRegion === null) {
    report.errors.push(`The stack's activeRegion is uncertain: check it and run \`pulumi up\` on ${options.stackName}`);
  }

  const finishedAtMs = clock.now();
  report.finishedAt = iso(finishedAtMs);
  report.durationMs = finishedAtMs - startedAtMs;
  const locations = await deps.sink.record(report, renderFailoverMarkdown(report));
  log(`Drill ${report.status}; report: ${locations.join(', ')}`);
  return report;
}

/**
 * Calls `probe` until it says done, sleeping `intervalMs` between calls; a probe that throws
 * (a network error) counts as not done. Throws `DrillTimeoutError` after `timeoutMs`.
 */
async function pollUntil<T>(
  clock: DrillClock,
  probe: () => Promise<{ done: boolean; value: T; describe: string }>,
  timeoutMs: number,
  intervalMs: number,
  what: string,
): Promise<T> {
  const deadline = clock.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const outcome = await probe();
      if (outcome.done) return outcome.value;
      last = outcome.describe;
    } catch (error) {
      last = message(error);
    }
    if (clock.now() + intervalMs > deadline) throw new DrillTimeoutError(what, timeoutMs, last);
    await clock.sleep(intervalMs);
  }
}

/** The Markdown version of a report, for the on-call log. */
export function renderFailoverMarkdown(report: FailoverDrillReport): string {
  const regions =
    report.from === null || report.to === null
      ? 'unknown'
      : `${report.from.key} (${report.from.region}) → ${report.to.key} (${report.to.region})`;
  const lines = [
    `# Failover drill ${report.id}`,
    '',
    `- Status: **${report.status}**${report.dryRun ? ' (dry run: preview only, nothing changed)' : ''}`,
    `- Stack: \`${report.stack}\``,
    `- Switch: ${regions}${report.stay ? ', staying' : ''}`,
    `- Endpoint: ${report.endpoint ?? '—'}`,
    `- Started ${report.startedAt}, took ${seconds(report.durationMs)}`,
    `- Failover (config flip → heartbeat from the new region): ${seconds(report.timings.failoverMs)}`,
    `- Switch-back: ${seconds(report.timings.switchBackMs)}`,
    `- activeRegion left at: ${report.finalActiveRegion ?? '**unknown**'}`,
    '',
    '## Steps',
    '',
    markdownTable(
      ['phase', 'step', 'status', 'took', 'detail'],
      report.steps.map((s) => [s.phase, s.name, s.status, seconds(s.durationMs), s.error ?? (s.detail === undefined ? '' : JSON.stringify(s.detail))]),
    ),
  ];
  if (report.errors.length > 0) lines.push('', '## Errors', '', ...report.errors.map((e) => `- ${e}`));
  return `${lines.join('\n')}\n`;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Both regions, once `read-stack` has set them (a function, so the compiler does not narrow them to null). */
function regionsOf(report: FailoverDrillReport): { from: { key: RegionKey; region: string }; to: { key: RegionKey; region: string } } {
  if (report.from === null || report.to === null) throw new Error('The regions are unknown: read-stack did not finish');
  return { from: report.from, to: report.to };
}
