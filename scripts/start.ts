/**
 * `npm start`: the whole system locally. Starts the Firestore, Pub/Sub and Auth emulators
 * through firebase-tools, serves every function with the Functions Framework (API at
 * http://127.0.0.1:8787, or $PORT), wires Pub/Sub push to the event functions, runs the local
 * scheduler, loads the catalog and the demo users, and prints how to sign in. Ctrl-C stops
 * everything it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EMULATOR_HOSTS, emulatorBinaryEnv, firebaseArgs, firebaseBin, repoRoot, waitForEmulators } from './lib/emulators';
import { applyLocalEnv } from './lib/local-env';
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from './lib/demo';
import { startLocalHost } from './lib/local-host';
import { startLocalScheduler } from './lib/local-scheduler';

function startEmulators(): ChildProcess {
  const logDir = join(repoRoot(), '.tuki');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, 'emulators.log'));
  const child = spawn(firebaseBin(), firebaseArgs('emulators:start'), {
    cwd: repoRoot(),
    env: { ...process.env, ...emulatorBinaryEnv() },
    detached: true,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

async function main(): Promise<void> {
  applyLocalEnv();
  const project = process.env['GOOGLE_CLOUD_PROJECT'] ?? 'demo-tuki';
  const busy = await fetch(`http://${EMULATOR_HOSTS.FIRESTORE_EMULATOR_HOST}/`).then(() => true, () => false);
  if (busy) throw new Error(`Something already answers on ${EMULATOR_HOSTS.FIRESTORE_EMULATOR_HOST}: stop the other emulators (or tuki) first.`);
  console.log('Starting the Firestore, Pub/Sub and Auth emulators (log: .tuki/emulators.log) …');
  const emulators = startEmulators();
  const stopEmulators = (): void => {
    if (emulators.pid !== undefined && emulators.exitCode === null) {
      try {
        process.kill(-emulators.pid, 'SIGINT');
      } catch {
        // already gone
      }
    }
  };
  const exited = new Promise<never>((_, reject) =>
    emulators.once('exit', (code) =>
      reject(new Error(`The emulators exited with code ${code ?? 'null'} (are ports 8080, 8085, 9099, 4400 in use by another run?); see .tuki/emulators.log`)),
    ),
  );
  exited.catch(() => undefined);
  try {
    // If the emulators fail to start (ports taken), stop rather than use someone else's.
    await Promise.race([waitForEmulators(), exited]);
    const { services } = await import('../functions/src/wiring');
    const s = await services();
    await seedDemoData(s);
    const host = await startLocalHost({ project, apiPort: Number(process.env['PORT'] ?? 8787), eventPortBase: 8790 });
    const scheduler = startLocalScheduler(s.pubsub, (job, error) => {
      if (error !== undefined) console.error(`scheduler: ${job} failed: ${error instanceof Error ? error.message : 'unknown error'}`);
    });
    const customer = DEMO_USERS[0];
    console.log(`
tuki is running.
  API:        ${host.apiUrl}/v1/health   (OpenAPI: ${host.apiUrl}/v1/openapi.json)
  Emulators:  Firestore 127.0.0.1:8080, Pub/Sub 127.0.0.1:8085, Auth 127.0.0.1:9099, project ${project}
  Scheduler:  local, from the job definitions that infra/ deploys

Demo users (password for all: ${DEMO_PASSWORD}):
${DEMO_USERS.map((u) => `  ${u.email.padEnd(30)} ${u.customerOf !== undefined ? `customer of ${u.customerOf}` : `${u.staff?.role ?? ''} ${u.staff?.tier ?? ''}`}`).join('\n')}

Sign in and create a ticket:
  TOKEN=$(curl -s -X POST 'http://127.0.0.1:9099/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo' \\
    -H 'content-type: application/json' -d '{"email":"${customer?.email ?? ''}","password":"${DEMO_PASSWORD}","returnSecureToken":true}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).idToken')
  curl -s -X POST ${host.apiUrl}/v1/tickets -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    -d '{"product":"online","language":"en","channel":"portal","subject":"Invoices stuck","description":"Our invoices do not arrive."}'

Ctrl-C stops everything.`);
    const shutdown = (): void => {
      console.log('\nStopping …');
      scheduler.stop();
      host.close().then(stopEmulators, stopEmulators);
      setTimeout(() => process.exit(0), 3000).unref();
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  } catch (error) {
    stopEmulators();
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
