/**
 * `npm run tuki -- <command>`: operator commands, thin over `functions/src`.
 *
 *   bootstrap-admin --email <address>   make the first admin of a deployment
 *   run-job <job>                       run a scheduled job now, as `gcloud scheduler jobs run`
 *
 * Local mode (the default) talks to the emulators that `npm start` runs. With
 * `TUKI_MODE=production` (and Application Default Credentials) it talks to the real project:
 * `run-job` then asks Cloud Scheduler to run the job in `TUKI_REGION`.
 */
import { parseArgs } from 'node:util';
import { JOBS } from '../functions/src/manifest';
import { applyLocalEnv } from './lib/local-env';

const USAGE = `Usage: npm run tuki -- <command>
  bootstrap-admin --email <address>   make an account the first admin
  run-job <job>                       run a scheduled job now (${JOBS.map((j) => j.name).join(', ')})`;

async function bootstrapAdminCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' } } });
  const { BootstrapAdminSchema } = await import('../functions/src/application/contracts');
  const parsed = BootstrapAdminSchema.safeParse({ email: values.email });
  if (!parsed.success) throw new Error('bootstrap-admin needs --email <address> with a valid email address');
  const { services } = await import('../functions/src/wiring');
  const { bootstrapAdmin } = await import('../functions/src/application/admin');
  const { FirebaseIdentityAdmin } = await import('../functions/src/adapters/firebase-identity-admin');
  const { getApps } = await import('firebase-admin/app');
  const s = await services();
  const app = getApps()[0];
  if (app === undefined) throw new Error('firebase-admin is not initialised');
  const admin = await bootstrapAdmin({ ...s, identities: new FirebaseIdentityAdmin(app) }, parsed.data.email);
  console.log(`${admin.email} (uid ${admin.uid}) is now an active admin.`);
}

async function runJobCommand(args: string[]): Promise<void> {
  const name = args[0];
  if (name === undefined || !JOBS.some((j) => j.name === name)) {
    throw new Error(`run-job needs a job name: ${JOBS.map((j) => j.name).join(', ')}`);
  }
  const { parseConfig } = await import('../functions/src/config');
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
  const { runJobNow } = await import('./lib/local-scheduler');
  const pubsub = new PubSub({ projectId: config.GOOGLE_CLOUD_PROJECT });
  const messageId = await runJobNow(pubsub, name);
  await pubsub.close();
  console.log(`Published a run of ${name} (message ${messageId}).`);
}

async function main(argv: string[]): Promise<void> {
  if (process.env['TUKI_MODE'] !== 'production') applyLocalEnv();
  const [command, ...rest] = argv;
  switch (command) {
    case 'bootstrap-admin':
      return bootstrapAdminCommand(rest);
    case 'run-job':
      return runJobCommand(rest);
    default:
      console.log(USAGE);
      if (command !== undefined && command !== 'help' && command !== '--help') process.exitCode = 2;
  }
}

main(process.argv.slice(2)).then(
  () => setTimeout(() => process.exit(process.exitCode ?? 0), 100).unref(),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
