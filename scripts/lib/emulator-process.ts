/**
 * The emulators of `npm start`: firebase-tools (`emulators:start`) runs detached, in a process
 * group of its own, so that a Ctrl-C meant for tuki reaches it only once tuki has closed its
 * host; it starts each Java emulator in yet another group. Stopping therefore signals
 * firebase-tools' group and every process that descends from it, and does not return while
 * any of them is alive: SIGINT first (firebase-tools shuts its emulators down), SIGKILL to
 * whatever is left after a grace period.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { emulatorBinaryEnv, firebaseArgs, firebaseBin, repoRoot } from './emulators';
import { descendantsOf, isAlive } from './processes';

export interface EmulatorGroup {
  /** The pid of firebase-tools, also its process group id. */
  readonly pid: number;
  /** Rejects when firebase-tools exits before `stop` was called (ports taken, a crash). */
  readonly exited: Promise<never>;
  /** Stops firebase-tools and every emulator it started; resolves once none is left. */
  stop(): Promise<void>;
  /** SIGKILLs all of them at once, synchronously (for `process.on('exit')` and a second Ctrl-C). */
  kill(): void;
}

/** How long firebase-tools may take to shut its emulators down before they are killed. */
const GRACE_MS = 10_000;
const POLL_MS = 100;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // already gone
  }
}

async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<readonly number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await sleep(POLL_MS);
  }
}

/** Starts the Firestore, Pub/Sub and Auth emulators; their output goes to `.tuki/emulators.log`. */
export function startEmulatorGroup(): EmulatorGroup {
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
  const pid = child.pid;
  if (pid === undefined) throw new Error(`firebase-tools did not start (${firebaseBin()}); see .tuki/emulators.log`);
  let stopping = false;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => {
      if (!stopping) reject(new Error(`The emulators exited with code ${code ?? 'null'}; see .tuki/emulators.log`));
    }),
  );
  exited.catch(() => undefined);
  let stopped: Promise<void> | undefined;
  /** firebase-tools' group (negative: the whole group) and each of its descendants. */
  const everyone = (): number[] => [-pid, pid, ...descendantsOf(pid)];
  return {
    pid,
    exited,
    stop: () => {
      stopping = true;
      stopped ??= (async () => {
        const tree = everyone();
        signal(-pid, 'SIGINT');
        const left = await waitUntilGone(tree.filter((p) => p > 0), GRACE_MS);
        if (left.length === 0) return;
        for (const p of [-pid, ...left]) signal(p, 'SIGKILL');
        await waitUntilGone(left, 2_000);
      })();
      return stopped;
    },
    kill: () => {
      stopping = true;
      for (const p of everyone()) signal(p, 'SIGKILL');
    },
  };
}
