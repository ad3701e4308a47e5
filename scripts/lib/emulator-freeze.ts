/**
 * Outage drills (the outage tests and benchmark): freezes an emulator process of this checkout (found by the port it listens on, so with
 * `TUKI_EMULATOR_PORT_OFFSET` only this checkout's emulators) with SIGSTOP and always resumes
 * it with SIGCONT: after the work, when the test process exits, whatever happened. A frozen
 * process keeps its sockets and data, as a stalled network would: connections are accepted by
 * the kernel, and nothing answers.
 */
import { execFileSync } from 'node:child_process';
import { EMULATOR_HOSTS } from './emulators';

export type Emulator = 'firestore' | 'pubsub' | 'auth';

const HOSTS: Record<Emulator, string> = {
  firestore: EMULATOR_HOSTS.FIRESTORE_EMULATOR_HOST,
  pubsub: EMULATOR_HOSTS.PUBSUB_EMULATOR_HOST,
  auth: EMULATOR_HOSTS.FIREBASE_AUTH_EMULATOR_HOST,
};

const frozen = new Set<number>();

function resume(pid: number): void {
  try {
    process.kill(pid, 'SIGCONT');
  } finally {
    frozen.delete(pid);
  }
}

// A test that times out or a process that exits early must never leave an emulator frozen for the next test file.
process.once('exit', () => [...frozen].forEach((pid) => resume(pid)));

/** The pid of the process listening on the emulator's port. */
function emulatorPid(emulator: Emulator): number {
  const port = HOSTS[emulator].split(':')[1] ?? '';
  const listing = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const pid = /pid=(\d+)/.exec(listing)?.[1];
  if (pid === undefined) throw new Error(`no process of ours listens on ${HOSTS[emulator]} (${emulator} emulator)`);
  return Number(pid);
}

/** Runs `work` while the emulator is frozen; resumes it in a `finally`. */
export async function whileFrozen<T>(emulator: Emulator, work: () => Promise<T>): Promise<T> {
  const pid = emulatorPid(emulator);
  frozen.add(pid);
  process.kill(pid, 'SIGSTOP');
  try {
    return await work();
  } finally {
    resume(pid);
  }
}

/** Resumes every emulator this process froze (an `afterAll` safety net). */
export function resumeAll(): void {
  [...frozen].forEach((pid) => resume(pid));
}
