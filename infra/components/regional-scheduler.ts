import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { JobDefinition } from '../../functions/src/manifest';
import type { EventTopic } from './event-topic';

/** The message a scheduled job publishes: never empty, because Cloud Scheduler rejects an empty Pub/Sub payload. */
function jobPayload(job: JobDefinition): string {
  return Buffer.from(JSON.stringify({ job: job.name })).toString('base64');
}

export interface RegionalSchedulerArgs {
  project: pulumi.Input<string>;
  region: string;
  /** Whether this is the active region; jobs in the other region exist but are paused. */
  active: boolean;
  jobs: readonly JobDefinition[];
  /** Every topic, by manifest topic name. */
  topics: Readonly<Record<string, EventTopic>>;
}

/**
 * The manifest's scheduled jobs in one region, each publishing to its topic. Both regions carry
 * every job so that a failover only flips `paused`; exactly one region's jobs run.
 */
export class RegionalScheduler extends pulumi.ComponentResource {
  readonly jobs: Readonly<Record<string, gcp.cloudscheduler.Job>>;

  constructor(name: string, args: RegionalSchedulerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tuki:gcp:RegionalScheduler', name, {}, opts);
    const jobs: Record<string, gcp.cloudscheduler.Job> = {};
    for (const job of args.jobs) {
      const topic = args.topics[job.topic];
      if (!topic) throw new Error(`Job ${job.name} publishes to unknown topic ${job.topic}`);
      jobs[job.name] = new gcp.cloudscheduler.Job(
        `${name}-${job.name}`,
        {
          project: args.project,
          region: args.region,
          name: job.name,
          description: job.description,
          schedule: job.schedule,
          timeZone: job.timeZone,
          paused: !args.active,
          pubsubTarget: {
            topicName: topic.topic.id,
            data: jobPayload(job),
            // Lets a handler (the heartbeat) tell which region's scheduler sent the tick.
            attributes: { job: job.name, region: args.region },
          },
          retryConfig: { retryCount: 3, minBackoffDuration: '5s', maxBackoffDuration: '60s' },
        },
        { parent: this },
      );
    }
    this.jobs = jobs;
    this.registerOutputs({ region: args.region, paused: !args.active, jobs: Object.keys(jobs) });
  }
}
