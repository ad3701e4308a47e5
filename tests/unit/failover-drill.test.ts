/**
 * The failover drill against a stack, with the Automation API, HTTP, Cloud Scheduler, Firestore
 * and the clock replaced by fakes at the drill's boundary. The fakes share one small model of
 * the cloud: `up` deploys the stack's `activeRegion`, only the deployed active region's
 * scheduler can run a job, and a job's heartbeat appears a little later.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ACTIVE_REGION_KEY,
  runFailoverDrill,
  type DrillClock,
  type FailoverDrillOptions,
  type FailoverDrillReport,
  type HealthAnswer,
  type Heartbeat,
  type HeartbeatReader,
  type HttpProbe,
  type JobRunner,
  type ReportSink,
  type StackDriver,
} from '../../scripts/drill/failover';
import { AutomationStackDriver, withConfigValues } from '../../scripts/drill/failover-adapters';

const T0 = Date.parse('2026-05-06T10:00:00.000Z');
const REGIONS = { primary: 'europe-west1', secondary: 'europe-west4' } as const;
const ENDPOINT = 'https://support.example.com';

class FakeClock implements DrillClock {
  t = T0;
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.t += ms;
  }
}

interface CloudBehaviour {
  /** How long `up` takes. */
  upMs: number;
  /** After `up`, how long until the endpoint answers healthy. */
  endpointReadyMs: number;
  /** The region the load balancer sends the prober to (the closest), or `active` for the deployed active one. */
  servingRegion: (typeof REGIONS)[keyof typeof REGIONS] | 'active';
  /** After `runJob`, how long until the heartbeat is written; null never. */
  heartbeatDelayMs: number | null;
  /** `up` calls (1-based) that fail. */
  failingUps: number[];
  /** Health probes that throw a network error before the endpoint is ready. */
  networkErrors: boolean;
}

/** The cloud the fakes share, and the log of every boundary call in order. */
class FakeCloud {
  readonly calls: string[] = [];
  config: Record<string, string> = { [ACTIVE_REGION_KEY]: 'primary', 'gcp:project': 'tuki-test' };
  deployedActive: 'primary' | 'secondary' = 'primary';
  lastUpAt = T0 - 3_600_000;
  heartbeat: (Heartbeat & { visibleAt: number }) | null = null;
  ups = 0;
  messages = 0;
  readonly reports: FailoverDrillReport[] = [];
  readonly markdown: string[] = [];

  constructor(
    readonly clock: FakeClock,
    readonly behaviour: CloudBehaviour,
  ) {}

  readonly stack: StackDriver = {
    getConfig: async (key) => {
      this.calls.push(`getConfig ${key}`);
      return this.config[key];
    },
    setConfig: async (key, value) => {
      this.calls.push(`setConfig ${key}=${value}`);
      this.config[key] = value;
    },
    up: async () => {
      this.ups += 1;
      this.calls.push(`up ${this.config[ACTIVE_REGION_KEY]}`);
      this.clock.t += this.behaviour.upMs;
      if (this.behaviour.failingUps.includes(this.ups)) throw new Error('up failed: googleapi: Error 503');
      this.deployedActive = this.config[ACTIVE_REGION_KEY] as 'primary' | 'secondary';
      this.lastUpAt = this.clock.t;
      return { update: 6, same: 180 };
    },
    preview: async (config) => {
      this.calls.push(`preview ${JSON.stringify(config)}`);
      this.clock.t += 20_000;
      return { update: 6, same: 180 };
    },
    outputs: async () => {
      this.calls.push('outputs');
      return { endpointUrl: `${ENDPOINT}/`, regionNames: { ...REGIONS }, activeRegion: REGIONS[this.deployedActive] };
    },
  };

  readonly http: HttpProbe = {
    health: async (baseUrl): Promise<HealthAnswer> => {
      this.calls.push(`health ${baseUrl}`);
      const ready = this.clock.t - this.lastUpAt >= this.behaviour.endpointReadyMs;
      if (!ready && this.behaviour.networkErrors) throw new Error('fetch failed: ECONNRESET');
      const region = this.behaviour.servingRegion === 'active' ? REGIONS[this.deployedActive] : this.behaviour.servingRegion;
      return ready ? { status: 200, healthy: true, region } : { status: 503, healthy: false };
    },
  };

  readonly jobs: JobRunner = {
    runJob: async (region, job) => {
      this.calls.push(`runJob ${region} ${job}`);
      if (REGIONS[this.deployedActive] !== region) throw new Error(`FAILED_PRECONDITION: job ${job} in ${region} is paused`);
      if (this.behaviour.heartbeatDelayMs === null) return;
      this.messages += 1;
      this.heartbeat = { region, at: new Date(this.clock.t).toISOString(), eventId: `msg-${this.messages}`, visibleAt: this.clock.t + this.behaviour.heartbeatDelayMs };
    },
  };

  readonly heartbeats: HeartbeatReader = {
    latest: async () => {
      const beat = this.heartbeat;
      if (beat === null || beat.visibleAt > this.clock.t) return this.previousHeartbeat;
      this.previousHeartbeat = { region: beat.region, at: beat.at, eventId: beat.eventId };
      return this.previousHeartbeat;
    },
  };
  /** What a reader saw last (an older heartbeat stays visible until the new one lands). */
  previousHeartbeat: Heartbeat | null = { region: REGIONS.primary, at: '2026-05-06T09:55:00.000Z', eventId: 'msg-0' };

  readonly sink: ReportSink = {
    record: async (report, markdown) => {
      this.calls.push(`record ${report.status}`);
      this.reports.push(structuredClone(report));
      this.markdown.push(markdown);
      return [`drill-reports/${report.id}.json`];
    },
  };
}

const HAPPY: CloudBehaviour = { upMs: 90_000, endpointReadyMs: 0, servingRegion: REGIONS.primary, heartbeatDelayMs: 12_000, failingUps: [], networkErrors: false };

function setUp(behaviour: Partial<CloudBehaviour> = {}) {
  const clock = new FakeClock();
  const cloud = new FakeCloud(clock, { ...HAPPY, ...behaviour });
  const drill = (options: Partial<FailoverDrillOptions> = {}) =>
    runFailoverDrill(
      { stack: cloud.stack, http: cloud.http, jobs: cloud.jobs, heartbeats: cloud.heartbeats, sink: cloud.sink, clock },
      { stackName: 'staging', pollIntervalMs: 5_000, endpointTimeoutMs: 120_000, heartbeatTimeoutMs: 60_000, ...options },
    );
  return { clock, cloud, drill };
}

const stepNames = (report: FailoverDrillReport) => report.steps.map((s) => `${s.phase}/${s.name}:${s.status}`);
/** The calls that change or deploy something, in order. */
const mutations = (calls: readonly string[]) => calls.filter((c) => /^(setConfig|up|preview|runJob)/.test(c));

describe('failover drill against a stack', () => {
  it('flips the active region, deploys, checks the endpoint, runs the heartbeat in the new region, and switches back', async () => {
    const { cloud, drill } = setUp();
    const report = await drill();

    expect(report.status).toBe('passed');
    expect(stepNames(report)).toEqual([
      'prepare/read-stack:ok',
      'failover/set-config:ok',
      'failover/up:ok',
      'failover/endpoint:ok',
      'failover/run-job:ok',
      'failover/heartbeat:ok',
      'switch-back/set-config:ok',
      'switch-back/up:ok',
      'switch-back/endpoint:ok',
      'switch-back/run-job:ok',
      'switch-back/heartbeat:ok',
    ]);
    expect(mutations(cloud.calls)).toEqual([
      `setConfig ${ACTIVE_REGION_KEY}=secondary`,
      'up secondary',
      'runJob europe-west4 heartbeat',
      `setConfig ${ACTIVE_REGION_KEY}=primary`,
      'up primary',
      'runJob europe-west1 heartbeat',
    ]);
    expect(report.from).toEqual({ key: 'primary', region: 'europe-west1' });
    expect(report.to).toEqual({ key: 'secondary', region: 'europe-west4' });
    expect(report.endpoint).toBe(ENDPOINT);
    expect(report.finalActiveRegion).toBe('primary');
    expect(cloud.config[ACTIVE_REGION_KEY]).toBe('primary');
    expect(cloud.calls.filter((c) => c.startsWith('health'))).toContain(`health ${ENDPOINT}`);
  });

  it('records how long each step and each switch took', async () => {
    const { drill } = setUp();
    const report = await drill();
    const took = Object.fromEntries(report.steps.filter((s) => s.phase === 'failover').map((s) => [s.name, s.durationMs]));
    // up 90 s; heartbeat visible 12 s after the job ran, seen at the third poll (0, 5, 10, 15 s).
    expect(took).toEqual({ 'set-config': 0, up: 90_000, endpoint: 0, 'run-job': 0, heartbeat: 15_000 });
    expect(report.timings).toEqual({ failoverMs: 105_000, switchBackMs: 105_000 });
    expect(report.durationMs).toBe(210_000);
    expect(report.steps[1]?.startedAt).toBe('2026-05-06T10:00:00.000Z');
    const heartbeat = report.steps.find((s) => s.phase === 'failover' && s.name === 'heartbeat');
    expect(heartbeat?.detail).toMatchObject({ region: 'europe-west4', eventId: 'msg-1' });
  });

  it('writes the report once, as JSON for the sink and as Markdown', async () => {
    const { cloud, drill } = setUp();
    const report = await drill();
    expect(cloud.calls.at(-1)).toBe('record passed');
    expect(cloud.reports).toEqual([report]);
    expect(report.id).toBe('failover-staging-20260506T100000Z');
    expect(cloud.markdown[0]).toContain('# Failover drill failover-staging-20260506T100000Z');
    expect(cloud.markdown[0]).toContain('primary (europe-west1) → secondary (europe-west4)');
    expect(cloud.markdown[0]).toContain('| failover | up | ok | 90.0 s |');
  });

  it('with --stay, it stays in the new region: no switch-back', async () => {
    const { cloud, drill } = setUp();
    const report = await drill({ stay: true });
    expect(report.status).toBe('passed');
    expect(report.steps.some((s) => s.phase === 'switch-back')).toBe(false);
    expect(mutations(cloud.calls)).toEqual([`setConfig ${ACTIVE_REGION_KEY}=secondary`, 'up secondary', 'runJob europe-west4 heartbeat']);
    expect(report.finalActiveRegion).toBe('secondary');
    expect(report.timings.switchBackMs).toBeNull();
  });

  it('when the stack is already on the secondary, the drill fails over to the primary', async () => {
    const { cloud, drill } = setUp();
    cloud.config[ACTIVE_REGION_KEY] = 'secondary';
    cloud.deployedActive = 'secondary';
    const report = await drill({ stay: true });
    expect(report.to).toEqual({ key: 'primary', region: 'europe-west1' });
    expect(mutations(cloud.calls)).toEqual([`setConfig ${ACTIVE_REGION_KEY}=primary`, 'up primary', 'runJob europe-west1 heartbeat']);
  });

  it('with --dry-run, it previews the flipped config and never sets config, deploys or runs a job', async () => {
    const { cloud, drill } = setUp();
    const report = await drill({ dryRun: true });
    expect(report.status).toBe('planned');
    expect(mutations(cloud.calls)).toEqual([`preview {"${ACTIVE_REGION_KEY}":"secondary"}`]);
    expect(cloud.calls.some((c) => c.startsWith('health'))).toBe(false);
    expect(stepNames(report)).toEqual(['prepare/read-stack:ok', 'dry-run/preview:ok']);
    expect(report.steps[1]?.detail).toEqual({ activeRegion: 'secondary', changes: { update: 6, same: 180 } });
    expect(cloud.config[ACTIVE_REGION_KEY]).toBe('primary');
    expect(cloud.reports).toHaveLength(1);
  });

  it('when the heartbeat never comes, the step times out, the report is marked failed and the drill switches back', async () => {
    const { cloud, drill } = setUp({ heartbeatDelayMs: null });
    const report = await drill();
    expect(report.status).toBe('failed');
    const heartbeat = report.steps.find((s) => s.phase === 'failover' && s.name === 'heartbeat');
    expect(heartbeat).toMatchObject({ status: 'failed', durationMs: 60_000 });
    expect(heartbeat?.error).toMatch(/Timed out after 60000 ms waiting for a heartbeat from the scheduler in europe-west4/);
    expect(mutations(cloud.calls)).toEqual([
      `setConfig ${ACTIVE_REGION_KEY}=secondary`,
      'up secondary',
      'runJob europe-west4 heartbeat',
      `setConfig ${ACTIVE_REGION_KEY}=primary`,
      'up primary',
      'runJob europe-west1 heartbeat',
    ]);
    expect(report.finalActiveRegion).toBe('primary');
    expect(report.errors[0]).toMatch(/Timed out/);
    expect(cloud.reports[0]?.status).toBe('failed');
  });

  it('when up fails, the report is marked failed and the drill switches back, even with --stay', async () => {
    const { cloud, drill } = setUp({ failingUps: [1] });
    const report = await drill({ stay: true });
    expect(report.status).toBe('failed');
    expect(stepNames(report).slice(0, 3)).toEqual(['prepare/read-stack:ok', 'failover/set-config:ok', 'failover/up:failed']);
    expect(mutations(cloud.calls)).toEqual([
      `setConfig ${ACTIVE_REGION_KEY}=secondary`,
      'up secondary',
      `setConfig ${ACTIVE_REGION_KEY}=primary`,
      'up primary',
      'runJob europe-west1 heartbeat',
    ]);
    expect(report.errors).toEqual(['up failed: googleapi: Error 503']);
    expect(report.finalActiveRegion).toBe('primary');
    expect(cloud.config[ACTIVE_REGION_KEY]).toBe('primary');
  });

  it('when the switch-back fails too, both errors are reported and the active region is flagged as uncertain', async () => {
    const { cloud, drill } = setUp({ failingUps: [1, 2] });
    const report = await drill();
    expect(report.status).toBe('failed');
    expect(report.finalActiveRegion).toBeNull();
    expect(report.errors).toEqual([
      'up failed: googleapi: Error 503',
      'switch-back: up failed: googleapi: Error 503',
      expect.stringContaining("activeRegion is uncertain"),
    ]);
    expect(cloud.reports).toHaveLength(1);
  });

  it('when the endpoint never answers healthy, the endpoint step times out', async () => {
    const { cloud, drill } = setUp({ endpointReadyMs: Number.POSITIVE_INFINITY });
    const report = await drill();
    expect(report.status).toBe('failed');
    const endpoint = report.steps.find((s) => s.phase === 'failover' && s.name === 'endpoint');
    expect(endpoint).toMatchObject({ status: 'failed', durationMs: 120_000 });
    expect(endpoint?.error).toContain('last: HTTP 503');
    expect(cloud.calls.filter((c) => c.startsWith('runJob'))).toEqual([]);
    // The switch-back was attempted; it fails at its own endpoint check.
    expect(mutations(cloud.calls)).toContain('up primary');
    expect(report.errors).toHaveLength(2);
  });

  it('network errors while the endpoint comes up are retried until it answers', async () => {
    const { drill } = setUp({ endpointReadyMs: 30_000, networkErrors: true });
    const report = await drill({ stay: true });
    expect(report.status).toBe('passed');
    const endpoint = report.steps.find((s) => s.name === 'endpoint');
    expect(endpoint).toMatchObject({ durationMs: 30_000, detail: { attempts: 7, servedBy: 'europe-west1' } });
  });

  it('by default any healthy answer will do (the load balancer serves from the closest region); --require-serving-region waits for the new one', async () => {
    const lenient = await setUp({ servingRegion: REGIONS.primary }).drill({ stay: true });
    expect(lenient.status).toBe('passed');
    expect(lenient.steps.find((s) => s.name === 'endpoint')?.detail).toMatchObject({ servedBy: 'europe-west1' });

    const strict = await setUp({ servingRegion: REGIONS.primary }).drill({ stay: true, requireServingRegion: true });
    expect(strict.status).toBe('failed');
    expect(strict.errors[0]).toContain('to report europe-west4');

    const routed = await setUp({ servingRegion: 'active' }).drill({ stay: true, requireServingRegion: true });
    expect(routed.status).toBe('passed');
  });

  it('an invalid activeRegion fails before anything changes, with a report', async () => {
    const { cloud, drill } = setUp();
    cloud.config[ACTIVE_REGION_KEY] = 'tertiary';
    const report = await drill();
    expect(report.status).toBe('failed');
    expect(report.errors[0]).toContain('"tertiary"');
    expect(mutations(cloud.calls)).toEqual([]);
    expect(cloud.reports).toHaveLength(1);
  });
});

describe('previewing a config change without touching the stack file', () => {
  const FILE = [
    '# staging',
    'encryptionsalt: v1:abc',
    'config:',
    '  gcp:project: tuki-staging',
    '  tuki:activeRegion: primary # flipped by drills',
    '  tuki:apiKey:',
    '    secure: v1:xyz',
    '',
  ].join('\n');

  it('replaces an existing value and keeps everything else', () => {
    expect(withConfigValues(FILE, { 'tuki:activeRegion': 'secondary' })).toBe(FILE.replace('tuki:activeRegion: primary # flipped by drills', 'tuki:activeRegion: secondary'));
  });

  it('adds a value that is not set', () => {
    const without = FILE.replace('  tuki:activeRegion: primary # flipped by drills\n', '');
    expect(withConfigValues(without, { 'tuki:activeRegion': 'secondary' })).toContain('config:\n  tuki:activeRegion: secondary\n  gcp:project: tuki-staging');
  });

  it('refuses values it cannot write safely', () => {
    expect(() => withConfigValues(FILE, { 'tuki:activeRegion': 'a: b' })).toThrow(/Cannot write/);
  });
});

describe('the Automation API driver', () => {
  const STACK_FILE = 'config:\n  gcp:project: tuki-staging\n  tuki:activeRegion: primary\n';

  async function withWorkDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), 'tuki-driver-test-'));
    try {
      await writeFile(join(dir, 'Pulumi.staging.yaml'), STACK_FILE);
      return await run(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** A stand-in for the Automation API's `Stack`, recording what the driver asks of it. */
  function fakeStack() {
    const seen: { previewFile?: string; previewText?: string; previewFileExistsAfter?: boolean; set?: unknown[] } = {};
    const stack = {
      name: 'acme/tuki/staging',
      getAllConfig: async () => ({ 'gcp:project': { value: 'tuki-staging', secret: false } }),
      setConfig: async (...args: unknown[]) => {
        seen.set = args;
      },
      up: async () => ({ stdout: '', stderr: '', outputs: {}, summary: { resourceChanges: { update: 2, same: 9 } } }),
      preview: async (options: { configFile?: string }) => {
        seen.previewFile = options.configFile;
        seen.previewText = options.configFile === undefined ? undefined : readFileSync(options.configFile, 'utf8');
        return { stdout: '', stderr: '', changeSummary: { update: 2, same: 9 } };
      },
      outputs: async () => ({ endpointUrl: { value: 'https://support.example.com', secret: false } }),
    };
    return { stack, seen };
  }

  it('previews against a flipped copy of the stack file and leaves the stack file alone', async () => {
    await withWorkDir(async (dir) => {
      const { stack, seen } = fakeStack();
      const driver = new AutomationStackDriver(stack as never, dir, () => undefined);
      expect(await driver.preview({ [ACTIVE_REGION_KEY]: 'secondary' })).toEqual({ update: 2, same: 9 });
      expect(seen.previewText).toBe(STACK_FILE.replace('activeRegion: primary', 'activeRegion: secondary'));
      expect(seen.previewFile).not.toContain(dir);
      expect(existsSync(seen.previewFile as string)).toBe(false);
      expect(await readFile(join(dir, 'Pulumi.staging.yaml'), 'utf8')).toBe(STACK_FILE);
      expect(seen.set).toBeUndefined();
    });
  });

  it('reads unset config as undefined, sets plain values, and maps outputs and up summaries', async () => {
    const { stack, seen } = fakeStack();
    const driver = new AutomationStackDriver(stack as never, '/nowhere', () => undefined);
    expect(await driver.getConfig(ACTIVE_REGION_KEY)).toBeUndefined();
    expect(await driver.getConfig('gcp:project')).toBe('tuki-staging');
    await driver.setConfig(ACTIVE_REGION_KEY, 'secondary');
    expect(seen.set).toEqual([ACTIVE_REGION_KEY, { value: 'secondary', secret: false }]);
    expect(await driver.up()).toEqual({ update: 2, same: 9 });
    expect(await driver.outputs()).toEqual({ endpointUrl: 'https://support.example.com' });
  });
});
