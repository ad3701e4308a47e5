/**
 * The fakes of the stack drill's boundary (the Automation API, HTTP, Cloud Scheduler, Firestore,
 * the report sink), sharing one small model of the cloud: `up` deploys the stack's
 * `activeRegion`, only the deployed active region's scheduler can run a job, and a job's
 * heartbeat appears a little later.
 */
import {
  ACTIVE_REGION_KEY,
  runFailoverDrill,
  type FailoverDrillOptions,
  type FailoverDrillReport,
  type HealthAnswer,
  type Heartbeat,
  type HeartbeatReader,
  type HttpProbe,
  type JobRunner,
  type ReportSink,
  type StackDriver,
} from '../../../scripts/drill/failover';
import { SteppingClock } from './fakes';

export const T0 = Date.parse('2026-05-06T10:00:00.000Z');
export const REGIONS = { primary: 'europe-west1', secondary: 'europe-west4' } as const;
export const ENDPOINT = 'https://support.example.com';

export interface CloudBehaviour {
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
export class FakeCloud {
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
    readonly clock: SteppingClock,
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

export function setUp(behaviour: Partial<CloudBehaviour> = {}) {
  const clock = new SteppingClock(T0);
  const cloud = new FakeCloud(clock, { ...HAPPY, ...behaviour });
  const drill = (options: Partial<FailoverDrillOptions> = {}) =>
    runFailoverDrill(
      { stack: cloud.stack, http: cloud.http, jobs: cloud.jobs, heartbeats: cloud.heartbeats, sink: cloud.sink, clock },
      { stackName: 'staging', pollIntervalMs: 5_000, endpointTimeoutMs: 120_000, heartbeatTimeoutMs: 60_000, ...options },
    );
  return { clock, cloud, drill };
}

export const stepNames = (report: FailoverDrillReport) => report.steps.map((s) => `${s.phase}/${s.name}:${s.status}`);
/** The calls that change or deploy something, in order. */
export const mutations = (calls: readonly string[]) => calls.filter((c) => /^(setConfig|up|preview|runJob)/.test(c));
