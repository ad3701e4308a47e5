/**
 * `npm start` stops what it started: its compiled entry (`dist/scripts/start.js`, built by
 * `npm test`) runs as a child on emulator ports of its own (this run's offset + 3, clear of the
 * emulators the tests use and of other checkouts' offsets, which are multiples of 10), is sent
 * SIGTERM while it is busy, and must leave no emulator behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { EMULATOR_PORT_OFFSET, repoRoot } from '../../scripts/lib/emulators';
import { descendantsOf, portOwner } from '../../scripts/lib/processes';
import { portalTicket } from './harness';

const OFFSET = EMULATOR_PORT_OFFSET + 3;
const PORTS = { firestore: 8080 + OFFSET, pubsub: 8085 + OFFSET, auth: 9099 + OFFSET, hub: 4400 + OFFSET };
const START_SCRIPT = join(repoRoot(), 'dist/scripts/start.js');

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exit: Promise<number | null>;
}

/** Runs `npm start`'s entry with the emulators of this test file's offset and free API ports. */
function runStart(): Started {
  // Not the emulators of the surrounding `emulators:exec`: the child starts and names its own.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/EMULATOR|^FIREBASE_|^GCLOUD_PROJECT$/.test(key)));
  const child = spawn(process.execPath, [START_SCRIPT], {
    cwd: repoRoot(),
    env: { ...env, TUKI_EMULATOR_PORT_OFFSET: String(OFFSET), PORT: '0', LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function waitFor(what: string, probe: () => string | undefined, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Whether something accepts TCP connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A request whose body trickles in a byte a second: the API holds it open until it is closed. */
function slowRequest(api: string, token: string): Promise<Socket> {
  const { hostname, port } = new URL(api);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(
        `POST /v1/tickets HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
      );
      const drip = setInterval(() => socket.write(' '), 1000);
      socket.once('close', () => clearInterval(drip));
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const children: ChildProcess[] = [];

beforeAll(() => {
  if (!existsSync(START_SCRIPT)) throw new Error(`${START_SCRIPT} is missing: run npm run build first`);
});

afterAll(async () => {
  // Whatever a failed test left behind: the child, and the emulator group it started.
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const port of Object.values(PORTS)) {
    const owner = portOwner(port);
    if (owner === null || owner.pid === process.pid) continue;
    const root = owner.emulatorsRoot;
    for (const pid of [owner.pid, ...(root === null ? [] : [root, ...descendantsOf(root)])]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
});

describe('npm start', () => {
  it('when something already answers on an emulator port, then it refuses and names that process and how to stop it', async () => {
    const squatter: Server = createServer((_req, res) => res.end('not an emulator'));
    await new Promise<void>((resolve) => squatter.listen(PORTS.firestore, '127.0.0.1', resolve));
    try {
      const started = runStart();
      children.push(started.child);
      expect(await within(started.exit, 30_000, 'the refusal')).toBe(1);
      expect(started.output()).toContain(`Something already answers on 127.0.0.1:${PORTS.firestore}: pid ${process.pid} (`);
      expect(started.output()).toMatch(/stop it with: kill /);
      expect(await listening(PORTS.pubsub)).toBe(false);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it('when it is stopped with SIGTERM while requests and events are in flight, then it exits and no emulator is left running', async () => {
    const started = runStart();
    children.push(started.child);
    const api = await waitFor('tuki is running', () => /API: +(http:\/\/127\.0\.0\.1:\d+)\/v1\/health/.exec(started.output())?.[1], 150_000);
    for (const port of [PORTS.firestore, PORTS.pubsub, PORTS.auth]) expect(await listening(port)).toBe(true);

    const signIn = await fetch(`http://127.0.0.1:${PORTS.auth}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'customer@demo-org.example', password: 'tuki-demo-password', returnSecureToken: true }),
    });
    const { idToken } = (await signIn.json()) as { idToken: string };
    const creations = Array.from({ length: 30 }, () =>
      fetch(`${api}/v1/tickets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${idToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(portalTicket()),
      }).then((r) => r.status),
    );
    // Stop once the first ticket is in: its routing and lifecycle events are then being pushed,
    // the other creations are still being served, and a slow client holds a request open.
    await within(
      Promise.any(creations.map((c) => c.then((status) => (status === 201 ? status : Promise.reject(new Error(String(status))))))),
      60_000,
      'the first ticket',
    );
    const slow = await slowRequest(api, idToken);
    started.child.kill('SIGTERM');
    await Promise.allSettled(creations);
    slow.destroy();

    expect(await within(started.exit, 45_000, 'npm start to exit after SIGTERM')).toBe(0);
    expect(started.output()).toContain('Stopping …');
    const stillListening = [];
    for (const [name, port] of Object.entries(PORTS)) if (await listening(port)) stillListening.push(`${name} ${port}`);
    expect(stillListening).toEqual([]);
  }, 300_000);
});
