/**
 * The local scheduler: reads the same job definitions that `infra/` deploys to Cloud
 * Scheduler (`JOBS` in the manifest) and, like Cloud Scheduler, publishes `{"job": name}` to
 * each job's topic on its cron schedule (parsed with cron-parser in the job's time zone).
 */
import { PubSub } from '@google-cloud/pubsub';
import { CronExpressionParser } from 'cron-parser';
import { findJob, JOBS, type JobDefinition } from '../../functions/src/manifest';

/**
 * Publishes one run of a job now, as `gcloud scheduler jobs run` does. Returns the message id.
 * The message matches what Cloud Scheduler sends (`infra/components/regional-scheduler.ts`): the
 * payload `{"job": name}` and the attributes `job` and, when the scheduler runs "in" a region
 * (the local failover drill's two regions), `region`, which the heartbeat records.
 */
export async function runJobNow(pubsub: PubSub, name: string, region?: string): Promise<string> {
  const job = findJob(name);
  if (job === undefined) throw new Error(`Unknown job "${name}". Jobs: ${JOBS.map((j) => j.name).join(', ')}`);
  const attributes: Record<string, string> = { job: job.name, ...(region === undefined ? {} : { region }) };
  return pubsub.topic(job.topic).publishMessage({ json: { job: job.name }, attributes });
}

/** The next run of a job after `after`. */
function nextRun(job: JobDefinition, after: Date): Date {
  return CronExpressionParser.parse(job.schedule, { currentDate: after, tz: job.timeZone }).next().toDate();
}

export interface LocalScheduler {
  stop(): void;
}

/**
 * Starts a timer per job; each fires at the job's next cron time and re-arms itself. `region`
 * names the region this scheduler stands for (see `runJobNow`); without it the handlers fall
 * back to their own region.
 */
export function startLocalScheduler(pubsub: PubSub, onRun: (job: string, error?: unknown) => void, region?: string): LocalScheduler {
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = false;
  const arm = (job: JobDefinition): void => {
    if (stopped) return;
    const delay = Math.max(0, nextRun(job, new Date()).getTime() - Date.now());
    timers.set(
      job.name,
      setTimeout(() => {
        runJobNow(pubsub, job.name, region).then(
          () => onRun(job.name),
          (error: unknown) => onRun(job.name, error),
        );
        arm(job);
      }, delay),
    );
  };
  JOBS.forEach(arm);
  return {
    stop: () => {
      stopped = true;
      timers.forEach((t) => clearTimeout(t));
    },
  };
}
