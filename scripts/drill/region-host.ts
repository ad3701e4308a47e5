/**
 * One "region" of the local failover drill, as a child process: every function of the manifest
 * with the real Functions Framework (`startLocalHost`), its own push subscriptions (prefix
 * `TUKI_DRILL_SUBSCRIPTION_PREFIX`) on the shared emulators, and `TUKI_REGION` set by the parent.
 * A separate process per region because the functions read their region once per process
 * (`instanceConfig()`), and so that the drill can kill a region for real (SIGKILL).
 *
 * Protocol over the IPC channel (`child_process.fork`):
 * - child → parent `{type: 'ready', apiUrl, region}` once it serves;
 * - parent → child `{type: 'activate'}`: this region becomes the active one; it starts its local
 *   scheduler (jobs carry this region, as Cloud Scheduler's do) and runs the heartbeat job now,
 *   as the real drill runs it in the new region; child → parent `{type: 'activated', messageId}`;
 * - parent → child `{type: 'stop'}`, SIGTERM, or the parent going away: close and exit.
 * The scheduler is paused (not started) until `activate`, as the standby region's jobs are.
 */
import { PubSub } from '@google-cloud/pubsub';
import { PROJECT_ID } from '../lib/emulators';
import { applyLocalEnv } from '../lib/local-env';
import type { LocalHost } from '../lib/local-host';
import type { LocalScheduler } from '../lib/local-scheduler';

/** Messages from the parent. */
export type RegionHostCommand = { readonly type: 'activate' } | { readonly type: 'stop' };
/** Messages to the parent. */
export type RegionHostEvent =
  | { readonly type: 'ready'; readonly apiUrl: string; readonly region: string }
  | { readonly type: 'activated'; readonly region: string; readonly messageId: string }
  | { readonly type: 'error'; readonly message: string };

async function main(): Promise<void> {
  const region = process.env['TUKI_REGION'];
  if (region === undefined || region === '') throw new Error('region-host needs TUKI_REGION');
  applyLocalEnv(region);
  const prefix = process.env['TUKI_DRILL_SUBSCRIPTION_PREFIX'] ?? `${region}-`;
  const project = process.env['GOOGLE_CLOUD_PROJECT'] ?? PROJECT_ID;
  const send = (event: RegionHostEvent): void => {
    if (process.connected) process.send?.(event);
  };

  const { startLocalHost } = await import('../lib/local-host');
  const { runJobNow, startLocalScheduler } = await import('../lib/local-scheduler');
  const host: LocalHost = await startLocalHost({ project, apiPort: 0, eventPortBase: 0, subscriptionPrefix: prefix });
  const pubsub = new PubSub({ projectId: project });
  let scheduler: LocalScheduler | undefined;
  let stopping = false;

  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    scheduler?.stop();
    const exit = (): void => process.exit(0);
    host.close().then(() => pubsub.close()).then(exit, exit);
    setTimeout(exit, 5000).unref();
  };

  process.on('message', (command: RegionHostCommand) => {
    if (command.type === 'stop') return stop();
    if (command.type === 'activate' && scheduler === undefined && !stopping) {
      scheduler = startLocalScheduler(
        pubsub,
        (job, error) => {
          if (error !== undefined) console.error(`[${region}] scheduler: ${job} failed: ${error instanceof Error ? error.message : 'unknown error'}`);
        },
        region,
      );
      runJobNow(pubsub, 'heartbeat', region).then(
        (messageId) => send({ type: 'activated', region, messageId }),
        (error: unknown) => send({ type: 'error', message: `heartbeat in ${region}: ${error instanceof Error ? error.message : String(error)}` }),
      );
    }
  });
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
  send({ type: 'ready', apiUrl: host.apiUrl, region });
}

main().catch((error: unknown) => {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(text);
  if (process.connected) process.send?.({ type: 'error', message: text } satisfies RegionHostEvent);
  process.exit(1);
});
