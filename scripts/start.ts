/**
 * `npm start`: the whole system locally. Starts the Firestore, Pub/Sub and Auth emulators
 * through firebase-tools, serves every function with the Functions Framework (API at
 * http://127.0.0.1:8787, or $PORT), wires Pub/Sub push to the event functions, runs the local
 * scheduler, loads the catalog and the demo users, and prints how to sign in. Ctrl-C or SIGTERM
 * stops everything it started, the emulators included, however busy the host is
 * (`stopOnSignals`); emulators left over from an earlier run are named with their pid and the
 * command that stops them.
 */
import { EMULATOR_HOSTS, waitForEmulators } from './lib/emulators';
import { startEmulatorGroup, type EmulatorGroup } from './lib/emulator-process';
import { applyLocalEnv } from './lib/local-env';
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from './lib/demo';
import { startLocalHost, type LocalHost } from './lib/local-host';
import { startLocalScheduler, type LocalScheduler } from './lib/local-scheduler';
import { describePortOwner, portOwner } from './lib/processes';

/** How long the host may take to let requests and event deliveries in flight finish. */
const HOST_CLOSE_MS = 8_000;

/** Refuses to start next to emulators that already run, naming the process that holds the port. */
async function refuseTakenPorts(): Promise<void> {
  for (const host of Object.values(EMULATOR_HOSTS)) {
    const busy = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(2_000) }).then(() => true, () => false);
    if (busy) {
      const port = Number(host.split(':')[1]);
      throw new Error(`Something already answers on ${host}: ${describePortOwner(portOwner(port))}. Stop it (or the other tuki) first.`);
    }
  }
}

/**
 * Stops what `npm start` started, in order: the scheduler, the host (bounded: a busy host must
 * not keep the emulators alive), then the emulators' whole process group. A second Ctrl-C kills
 * the emulators at once; a crash of this process kills them on its way out.
 */
function stopOnSignals(emulators: EmulatorGroup, running: { scheduler?: LocalScheduler; host?: LocalHost }): void {
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) {
      console.log('Stopping at once …');
      emulators.kill();
      process.exit(130);
    }
    stopping = true;
    console.log('\nStopping …');
    running.scheduler?.stop();
    const hostClosed = running.host?.close() ?? Promise.resolve();
    const bounded = Promise.race([hostClosed, new Promise<void>((r) => setTimeout(r, HOST_CLOSE_MS).unref())]);
    bounded
      .catch((error: unknown) => console.error(`closing the host failed: ${error instanceof Error ? error.message : String(error)}`))
      .then(() => emulators.stop())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.once('exit', () => emulators.kill());
}

async function main(): Promise<void> {
  applyLocalEnv();
  const project = process.env['GOOGLE_CLOUD_PROJECT'] ?? 'demo-tuki';
  await refuseTakenPorts();
  console.log('Starting the Firestore, Pub/Sub and Auth emulators (log: .tuki/emulators.log) …');
  const emulators = startEmulatorGroup();
  const running: { scheduler?: LocalScheduler; host?: LocalHost } = {};
  stopOnSignals(emulators, running);
  try {
    // If the emulators fail to start (ports taken), stop rather than use someone else's.
    await Promise.race([waitForEmulators(), emulators.exited]);
    const { services } = await import('../functions/src/wiring');
    const s = await services();
    await seedDemoData(s);
    // PORT=0 takes free ports for the API and the event functions (tests, a second checkout).
    const apiPort = Number(process.env['PORT'] ?? 8787);
    running.host = await startLocalHost({ project, apiPort, eventPortBase: apiPort === 0 ? 0 : 8790 });
    const host = running.host;
    running.scheduler = startLocalScheduler(s.pubsub, (job, error) => {
      if (error !== undefined) console.error(`scheduler: ${job} failed: ${error instanceof Error ? error.message : 'unknown error'}`);
    });
    const customer = DEMO_USERS[0];
    console.log(`
tuki is running.
  API:        ${host.apiUrl}/v1/health   (OpenAPI: ${host.apiUrl}/v1/openapi.json)
  Emulators:  Firestore ${EMULATOR_HOSTS.FIRESTORE_EMULATOR_HOST}, Pub/Sub ${EMULATOR_HOSTS.PUBSUB_EMULATOR_HOST}, Auth ${EMULATOR_HOSTS.FIREBASE_AUTH_EMULATOR_HOST}, project ${project}
  Scheduler:  local, from the job definitions that infra/ deploys

Demo users (password for all: ${DEMO_PASSWORD}):
${DEMO_USERS.map((u) => `  ${u.email.padEnd(30)} ${u.customerOf !== undefined ? `customer of ${u.customerOf}` : `${u.staff?.role ?? ''} ${u.staff?.tier ?? ''}`}`).join('\n')}

Sign in and create a ticket:
  TOKEN=$(curl -s -X POST 'http://127.0.0.1:9099/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo' \\
    -H 'content-type: application/json' -d '{"email":"${customer?.email ?? ''}","password":"${DEMO_PASSWORD}","returnSecureToken":true}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).idToken')
  curl -s -X POST ${host.apiUrl}/v1/tickets -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    -d '{"product":"online","language":"en","channel":"portal","subject":"Invoices stuck","description":"Our invoices do not arrive."}'

Ctrl-C stops everything.`);
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
