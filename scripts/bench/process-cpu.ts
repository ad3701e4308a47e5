/**
 * CPU time of the processes that serve a benchmark (the emulators, the firebase-tools host,
 * this process), read from `/proc` (Linux). Lets a benchmark say where each operation's CPU
 * went, not only how long it took.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export type CpuSample = Record<string, number>;

/** The emulators this run talks to, by the port in their command line (other runs' emulators may share the machine). */
function emulatorPattern(jar: RegExp, hostVariable: string): RegExp | undefined {
  const port = process.env[hostVariable]?.split(':').pop();
  return port === undefined ? undefined : new RegExp(`${jar.source}.*--port[ =]${port}(?!\\d)`);
}

/** The parent pid of a process, from `/proc/{pid}/stat`. */
function parentOf(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] ?? 0);
}

/**
 * The pids of the emulator processes and of this process, by role: the emulators that listen
 * on this run's ports, and the firebase-tools host that is this process's ancestor.
 */
export function serviceProcesses(): Record<string, number> {
  const found: Record<string, number> = { self: process.pid };
  const patterns = {
    firestore: emulatorPattern(/java.*(firestore-emulator|cloud-firestore)/, 'FIRESTORE_EMULATOR_HOST'),
    pubsub: emulatorPattern(/java.*pubsub/, 'PUBSUB_EMULATOR_HOST'),
  };
  const args = new Map<number, string>();
  for (const line of execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n')) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (match !== null) args.set(Number(match[1]), match[2] ?? '');
  }
  for (const [pid, command] of args) {
    for (const [role, pattern] of Object.entries(patterns)) if (pattern?.test(command) === true) found[role] ??= pid;
  }
  for (let pid = parentOf(process.pid); pid > 1; pid = parentOf(pid)) {
    if (/firebase emulators:/.test(args.get(pid) ?? '')) {
      found['firebaseTools'] = pid;
      break;
    }
  }
  return found;
}

/** CPU milliseconds (user + system) each process has used so far; children's CPU is not included. */
export function cpuSample(pids: Record<string, number>): CpuSample {
  const ticksPerSecond = 100;
  return Object.fromEntries(
    Object.entries(pids).map(([role, pid]) => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return [role, ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond];
    }),
  );
}

/** CPU milliseconds per operation between two samples. */
export function cpuPerOperation(before: CpuSample, after: CpuSample, operations: number): CpuSample {
  return Object.fromEntries(Object.keys(before).map((role) => [role, ((after[role] ?? 0) - (before[role] ?? 0)) / operations]));
}
