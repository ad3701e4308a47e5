/**
 * `GET /v1/health`: the region that answered, the version, and whether each dependency
 * answers (`{status: "degraded", firestore: "timeout", pubsub: "ok", auth: "ok", …}`), `503`
 * when one does not, so that uptime checks see it. Probes are cached for a few seconds and
 * bounded below a second (`application/health`).
 *
 * A cold instance answers its first health check at once, before the client libraries are
 * loaded, with every dependency `unknown` (not probed yet, so not a failure): loading them
 * starts then, and the next check reports what the probes found.
 */
import type { HealthCheck } from '../../application/health/check-health';
import { UNPROBED, overallHealth, type DependencyStates } from '../../domain/health';
import type { ApiResponse } from './router';

/** What the health check is given by the composition root: the check once the clients are built, and how to build them. */
export interface HealthDeps {
  /** The instance's check if its clients are built already, else undefined (a cold instance). */
  readonly ready: () => HealthCheck | undefined;
  /** Builds the clients (loads the SDKs) and gives the check. */
  readonly warmUp: () => Promise<HealthCheck>;
  /** The region that answers and the version it runs. */
  readonly instance: () => { readonly region: string; readonly version: string };
}

export async function health(deps: HealthDeps): Promise<ApiResponse> {
  const { region, version } = deps.instance();
  const ready = deps.ready();
  let dependencies: DependencyStates = UNPROBED;
  if (ready === undefined) {
    // Warm up for the next check once this answer is written: loading the client libraries takes
    // the CPU for a few hundred milliseconds. A failure here is the next request's to report.
    setImmediate(() => {
      deps.warmUp().then((check) => check.check(), () => undefined).catch(() => undefined);
    });
  } else {
    dependencies = await ready.check();
  }
  const status = overallHealth(dependencies);
  return { status: status === 'ok' ? 200 : 503, body: { status, region, version, ...dependencies } };
}
