/**
 * The heartbeat: every tick of the `heartbeat` job records which region's scheduler sent it, so
 * that a failover drill can tell where the scheduled jobs run.
 */
import type { Clock } from '../ports';

/** The latest heartbeat, as a failover drill reads it. */
export interface Heartbeat {
  /** The region of the scheduler that sent the tick. */
  readonly region: string;
  readonly at: string;
  readonly eventId: string;
  readonly job: string;
  /** The region of the function that recorded it (every region's function receives every tick). */
  readonly functionRegion: string;
}

/** Where heartbeats are kept: only the latest one matters. */
export interface HeartbeatLog {
  /** Replaces the latest heartbeat with `heartbeat`. */
  record(heartbeat: Heartbeat): Promise<void>;
}

export interface HeartbeatDeps {
  readonly heartbeats: HeartbeatLog;
  readonly clock: Clock;
}

/** A tick as the entry point decoded it: the scheduler's region when it named a valid one. */
export interface HeartbeatTick {
  readonly eventId: string;
  readonly job: string;
  readonly schedulerRegion: string | undefined;
  readonly functionRegion: string;
}

/**
 * Records the region of the *scheduler* that sent the tick, not of the function that handles
 * it: both regions' functions write the one heartbeat, and only the scheduler's region tells a
 * drill where the jobs run. A tick that names no region (an old message, a hand-made publish)
 * is recorded with the function's own region.
 */
export async function recordHeartbeat(deps: HeartbeatDeps, tick: HeartbeatTick): Promise<Heartbeat> {
  const heartbeat: Heartbeat = {
    region: tick.schedulerRegion ?? tick.functionRegion,
    at: new Date(deps.clock.now()).toISOString(),
    eventId: tick.eventId,
    job: tick.job,
    functionRegion: tick.functionRegion,
  };
  await deps.heartbeats.record(heartbeat);
  return heartbeat;
}
