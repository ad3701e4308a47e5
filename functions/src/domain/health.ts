/**
 * Health: what a probe learned about each dependency, and what the instance reports from it.
 * `unknown` is a dependency not probed yet (a cold instance answers its first health check
 * before loading the client libraries); it is not a failure.
 */
import type { Dependency } from './errors';

/** `ok`: it answered (even with a refusal); `timeout`: no answer in time; `unreachable`: the connection failed. */
export type DependencyState = 'ok' | 'timeout' | 'unreachable' | 'unknown';

export type DependencyStates = Readonly<Record<Dependency, DependencyState>>;

export const UNPROBED: DependencyStates = { firestore: 'unknown', pubsub: 'unknown', auth: 'unknown' };

/** `degraded` as soon as one dependency is known not to answer. */
export function overallHealth(states: DependencyStates): 'ok' | 'degraded' {
  return Object.values(states).some((state) => state === 'timeout' || state === 'unreachable') ? 'degraded' : 'ok';
}
