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
import { UNPROBED, overallHealth, type DependencyStates } from '../../domain/health';
import { instanceConfig, readyServices, services } from '../../wiring';
import type { ApiResponse } from './router';

export async function health(): Promise<ApiResponse> {
  const config = instanceConfig();
  const ready = readyServices();
  let dependencies: DependencyStates = UNPROBED;
  if (ready === undefined) {
    // Warm up for the next check once this answer is written: loading the client libraries takes
    // the CPU for a few hundred milliseconds. A failure here is the next request's to report.
    setImmediate(() => {
      services().then((s) => s.health.check(), () => undefined).catch(() => undefined);
    });
  } else {
    dependencies = await ready.health.check();
  }
  const status = overallHealth(dependencies);
  return { status: status === 'ok' ? 200 : 503, body: { status, region: config.TUKI_REGION, version: config.TUKI_VERSION, ...dependencies } };
}
