/**
 * The health check's probes, cached: uptime checks and load balancers ask often, and a probe
 * every time would load the store. A result is kept for `cacheMs`; requests that arrive while
 * a probe runs share it. Each probe bounds itself (its adapter's deadline), so a check answers
 * within about a second even when a dependency does not answer at all.
 */
import type { Dependency } from '../../domain/errors';
import type { DependencyState, DependencyStates } from '../../domain/health';
import type { Clock } from '../ports';

/** Asks one dependency for a cheap answer. */
export interface DependencyProbe {
  probe(): Promise<DependencyState>;
}

export type DependencyProbes = Readonly<Record<Dependency, DependencyProbe>>;

export class HealthCheck {
  private latest: { states: DependencyStates; at: number } | null = null;
  private running: Promise<DependencyStates> | null = null;

  constructor(
    private readonly probes: DependencyProbes,
    private readonly clock: Clock,
    private readonly cacheMs: number,
  ) {}

  /** The dependencies' states, probed at most once per `cacheMs`. */
  async check(): Promise<DependencyStates> {
    const latest = this.latest;
    if (latest !== null && this.clock.now() - latest.at < this.cacheMs) return latest.states;
    this.running ??= this.probeAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async probeAll(): Promise<DependencyStates> {
    const [firestore, pubsub, auth] = await Promise.all([this.probes.firestore.probe(), this.probes.pubsub.probe(), this.probes.auth.probe()]);
    const states = { firestore, pubsub, auth };
    this.latest = { states, at: this.clock.now() };
    return states;
  }
}
