/**
 * `run-job <job>`: runs a scheduled job now, as `gcloud scheduler jobs run` does. Locally it
 * publishes the job's message to the emulator; with `TUKI_MODE=production` it asks Cloud
 * Scheduler to run the job in `TUKI_REGION`.
 */
import { JOBS } from '../../functions/src/manifest';
import type { Command } from './command';

export const runJobCommand: Command = {
  name: 'run-job',
  usage: `run-job <job>                       run a scheduled job now (${JOBS.map((j) => j.name).join(', ')})`,
  async run(args) {
    const name = args[0];
    if (name === undefined || !JOBS.some((j) => j.name === name)) {
      throw new Error(`run-job needs a job name: ${JOBS.map((j) => j.name).join(', ')}`);
    }
    const { parseConfig } = await import('../../functions/src/config');
    const config = parseConfig();
    if (config.TUKI_MODE === 'production') {
      const { CloudSchedulerClient } = await import('@google-cloud/scheduler');
      const client = new CloudSchedulerClient();
      const jobName = client.jobPath(config.GOOGLE_CLOUD_PROJECT, config.TUKI_REGION, name);
      await client.runJob({ name: jobName });
      console.log(`Asked Cloud Scheduler to run ${jobName}.`);
      return;
    }
    const { PubSub } = await import('@google-cloud/pubsub');
    const { runJobNow } = await import('../lib/local-scheduler');
    const pubsub = new PubSub({ projectId: config.GOOGLE_CLOUD_PROJECT });
    const messageId = await runJobNow(pubsub, name);
    await pubsub.close();
    console.log(`Published a run of ${name} (message ${messageId}).`);
  },
};
