/**
 * The emulators, offline: firebase-tools 13 starts Firestore, Pub/Sub and Auth, using the
 * emulator jars that the Google Cloud CLI preinstalled (firebase-tools would otherwise try to
 * download its own). Firestore's gcloud jar has no `Main-Class`, and firebase-tools runs
 * `java -jar PATH`, so a manifest-only launcher jar is made at setup time with the JDK's
 * `jar` tool. Where no gcloud SDK is installed (a laptop with internet), firebase-tools keeps
 * its defaults.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PROJECT_ID = 'demo-tuki';

/**
 * Shifts every emulator port by this much (`TUKI_EMULATOR_PORT_OFFSET`, default 0), so that
 * two checkouts can run their integration tests at once on one machine. The contract's ports
 * (Firestore 8080, Pub/Sub 8085, Auth 9099) are those of offset 0, which `npm start` and CI use.
 */
export const EMULATOR_PORT_OFFSET = Number.parseInt(process.env['TUKI_EMULATOR_PORT_OFFSET'] ?? '0', 10) || 0;
const port = (base: number): number => base + EMULATOR_PORT_OFFSET;

export const EMULATOR_HOSTS = {
  FIRESTORE_EMULATOR_HOST: `127.0.0.1:${port(8080)}`,
  PUBSUB_EMULATOR_HOST: `127.0.0.1:${port(8085)}`,
  FIREBASE_AUTH_EMULATOR_HOST: `127.0.0.1:${port(9099)}`,
} as const;

const FIRESTORE_MAIN_CLASS = 'com.google.cloud.datastore.emulator.firestore.CloudFirestore';

/** The repository root (scripts run from `dist/scripts/...` or from source under jest). */
export function repoRoot(): string {
  let dir = resolve(__dirname);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error(`No package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

function gcloudSdkRoot(): string | null {
  const result = spawnSync('gcloud', ['info', '--format=value(installation.sdk_root)'], { encoding: 'utf8' });
  const root = result.status === 0 ? result.stdout.trim() : '';
  return root === '' ? null : root;
}

/** Environment variables that point firebase-tools at the preinstalled emulators. */
export function emulatorBinaryEnv(): Record<string, string> {
  const sdk = gcloudSdkRoot();
  if (sdk === null) return {};
  const env: Record<string, string> = {};
  const firestoreJar = join(sdk, 'platform/cloud-firestore-emulator/cloud-firestore-emulator.jar');
  if (existsSync(firestoreJar)) {
    const dir = join(repoRoot(), '.tuki');
    mkdirSync(dir, { recursive: true });
    const launcher = join(dir, 'firestore-emulator-launcher.jar');
    const manifest = join(dir, 'firestore-launcher.manifest');
    writeFileSync(manifest, `Main-Class: ${FIRESTORE_MAIN_CLASS}\nClass-Path: ${firestoreJar}\n`);
    execFileSync('jar', ['--create', '--file', launcher, '--manifest', manifest]);
    env['FIRESTORE_EMULATOR_BINARY_PATH'] = launcher;
  }
  const pubsub = join(sdk, 'platform/pubsub-emulator/bin/cloud-pubsub-emulator');
  if (existsSync(pubsub)) env['PUBSUB_EMULATOR_BINARY_PATH'] = pubsub;
  return env;
}

/** `firebase.json`, or a copy under `.tuki/` with every emulator port shifted by the offset. */
function firebaseConfigPath(): string {
  const base = join(repoRoot(), 'firebase.json');
  if (EMULATOR_PORT_OFFSET === 0) return base;
  const config = JSON.parse(readFileSync(base, 'utf8')) as { emulators: Record<string, { port?: number; websocketPort?: number }> };
  for (const emulator of Object.values(config.emulators)) {
    if (typeof emulator.port === 'number') emulator.port = port(emulator.port);
  }
  // The Firestore emulator's UI websocket (9150 by default) would clash too.
  if (config.emulators['firestore'] !== undefined) config.emulators['firestore'].websocketPort = port(9150);
  const dir = join(repoRoot(), '.tuki');
  mkdirSync(dir, { recursive: true });
  const shifted = join(dir, `firebase.offset-${EMULATOR_PORT_OFFSET}.json`);
  writeFileSync(shifted, JSON.stringify(config, null, 2));
  return shifted;
}

/** The firebase-tools command line for the three emulators. */
export function firebaseArgs(verb: 'emulators:start' | 'emulators:exec', script?: string): string[] {
  return [verb, '--only', 'firestore,pubsub,auth', '--project', PROJECT_ID, '--config', firebaseConfigPath(), ...(script === undefined ? [] : [script])];
}

export function firebaseBin(): string {
  return join(repoRoot(), 'node_modules/.bin/firebase');
}

/** Waits until every emulator answers on its port, or throws after `timeoutMs`. */
export async function waitForEmulators(timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const host of Object.values(EMULATOR_HOSTS)) {
    for (;;) {
      try {
        await fetch(`http://${host}/`);
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`The emulator at ${host} did not start within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }
}

/**
 * Deletes every document and Auth account in the emulators (between tests). The Firestore
 * emulator answers `409` while a transaction is still open — one abandoned by a process that
 * was killed mid-request (the failover drill does that on purpose) stays open until the
 * emulator expires it: wait and try again, for up to 45 s (tests run the drill last).
 */
export async function clearEmulators(project = PROJECT_ID): Promise<void> {
  const urls = [
    `http://${EMULATOR_HOSTS.FIRESTORE_EMULATOR_HOST}/emulator/v1/projects/${project}/databases/(default)/documents`,
    `http://${EMULATOR_HOSTS.FIREBASE_AUTH_EMULATOR_HOST}/emulator/v1/projects/${project}/accounts`,
  ];
  for (const url of urls) {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(url, { method: 'DELETE' });
      if (response.ok) {
        if (attempt > 1) console.warn(`emulator clear: ${url.includes('accounts') ? 'auth' : 'firestore'} took ${attempt} attempts`);
        break;
      }
      if (attempt >= 180) throw new Error(`Clearing the emulators failed: ${url} ${response.status}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
