/**
 * Health probes: one cheap call to each dependency under a deadline of its own, so that the
 * health check answers within a second whatever a dependency does. Any answer counts as
 * reachable — a refusal (`PERMISSION_DENIED`, no such user) proves the service is there.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { PubSub } from '@google-cloud/pubsub';
import type { Auth } from 'firebase-admin/auth';
import type { DependencyProbe } from '../application/health/check-health';
import { DependencyUnavailableError } from '../domain/errors';
import type { DependencyState } from '../domain/health';
import { TOPICS } from '../manifest';
import { stalledDependency, withDeadline } from './deadlines';
import { COLLECTIONS, GRPC_STATUS } from './firestore-names';

/** How long a probe waits for its answer. */
const PROBE_DEADLINE_MS = 800;

const UNREACHABLE = new Set<unknown>([GRPC_STATUS.UNAVAILABLE, 'ECONNREFUSED', 'app/network-error']);
const TIMED_OUT = new Set<unknown>([GRPC_STATUS.DEADLINE_EXCEEDED, GRPC_STATUS.CANCELLED]);

/** What a probe's failure says about its dependency (read inside the probe's scope). */
function stateOf(error: unknown): DependencyState {
  const code = (error as { code?: unknown } | null)?.code;
  if (stalledDependency() !== null || error instanceof DependencyUnavailableError || TIMED_OUT.has(code)) return 'timeout';
  return UNREACHABLE.has(code) ? 'unreachable' : 'ok';
}

function probeWith(call: () => Promise<unknown>): DependencyProbe {
  return {
    probe: () =>
      withDeadline({ totalMs: PROBE_DEADLINE_MS, perCallMs: PROBE_DEADLINE_MS }, async () => {
        try {
          await call();
          return 'ok' as const;
        } catch (error) {
          return stateOf(error);
        }
      }),
  };
}

/** Reads one small document (the scheduler's heartbeat) under the probe's deadline scope. */
export function firestoreProbe(db: Firestore): DependencyProbe {
  return probeWith(() => db.collection(COLLECTIONS.heartbeats).doc('latest').get());
}

/** Asks for one topic's metadata with gax's own timeout (the Pub/Sub client is not under deadline scopes). */
export function pubsubProbe(pubsub: PubSub): DependencyProbe {
  return probeWith(() => pubsub.topic(TOPICS.heartbeat).getMetadata({ timeout: PROBE_DEADLINE_MS }));
}

/** Looks up an account that does not exist: "no such user" is an answer. */
export function authProbe(auth: Pick<Auth, 'getUser'>): DependencyProbe {
  return probeWith(() => auth.getUser('tuki-health-probe'));
}
