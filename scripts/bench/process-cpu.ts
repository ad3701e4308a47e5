/**
 * CPU time of the processes that serve a benchmark (the emulators, the firebase-tools host,
 * this process), read from `/proc` (Linux). Lets a benchmark say where each operation's CPU
 * went, not only how long it took.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const PATTERNS: Record<string, RegExp> = {
  firestore: /java.*(firestore-emulator|cloud-firestore)/,
  pubsub: /java.*pubsub/,
  firebaseTools: /firebase emulators:/,
};

export type CpuSample = Record<string, number>;

/** The pids of the emulator processes and of this process, by role. */
export function serviceProcesses(): Record<string, number> {
  const found: Record<string, number> = { self: process.pid };
  for (const line of execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n')) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (match === null) continue;
    for (const [role, pattern] of Object.entries(PATTERNS)) if (pattern.test(match[2] ?? '')) found[role] ??= Number(match[1]);
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
