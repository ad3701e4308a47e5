/**
 * The processes of this machine as `npm start` needs to see them: who listens on a port (to name
 * a stale emulator of an earlier run with its pid and the command that stops it) and which
 * processes descend from one (firebase-tools starts each Java emulator in a process group of its
 * own, so signalling firebase-tools' group does not reach them). On Linux it reads `/proc` (only
 * this user's processes are visible); elsewhere it asks `lsof` and `ps`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A process that listens on a port, and the firebase-tools process that started it, if any. */
export interface PortOwner {
  readonly pid: number;
  readonly command: string;
  /** firebase-tools' `emulators:start` that this process is or descends from. */
  readonly emulatorsRoot: number | null;
}

const LISTEN = '0A';
const MAX_COMMAND_CHARS = 160;
const HAS_PROC = existsSync('/proc/net/tcp');

/** The process listening on `port` of this machine, or null when none can be found. */
export function portOwner(port: number): PortOwner | null {
  const pid = HAS_PROC ? pidFromProc(port) : pidFromLsof(port);
  if (pid === null) return null;
  const parents = parentTable();
  let emulatorsRoot: number | null = null;
  for (let p: number | undefined = pid; p !== undefined && p > 1; p = parents.get(p)) {
    if (isEmulatorsStart(commandOf(p))) emulatorsRoot = p;
  }
  return { pid, command: commandOf(pid), emulatorsRoot };
}

/** What to tell someone whose port is taken: who has it and the command that stops it. */
export function describePortOwner(owner: PortOwner | null): string {
  if (owner === null) return 'its process is not visible to this user: look for it with `ss -ltnp` or `lsof -i`';
  if (owner.emulatorsRoot === null) return `pid ${owner.pid} (${owner.command}); stop it with: kill ${owner.pid}`;
  const tree = [owner.emulatorsRoot, ...descendantsOf(owner.emulatorsRoot)];
  return (
    `pid ${owner.pid} (${owner.command}), an emulator of an earlier run started by firebase-tools (pid ${owner.emulatorsRoot}); ` +
    `stop them all with: kill ${tree.join(' ')}`
  );
}

/** Every process that descends from `pid` (children, their children, …), at this moment. */
export function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const [child, parent] of parentTable()) children.set(parent, [...(children.get(parent) ?? []), child]);
  const found: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}

/** Whether a process exists (signal 0 checks without signalling; EPERM means it exists, not ours). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isEmulatorsStart(command: string): boolean {
  return command.includes('firebase') && command.includes('emulators:start');
}

/** pid → parent pid of every visible process. */
function parentTable(): Map<number, number> {
  const parents = new Map<number, number>();
  if (HAS_PROC) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // `pid (comm) state ppid …`: comm may hold spaces, so count from the closing parenthesis.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        // exited while we looked
      }
    }
    return parents;
  }
  const listing = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' }).stdout ?? '';
  for (const line of listing.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid !== undefined && ppid !== undefined && Number.isInteger(pid) && Number.isInteger(ppid)) parents.set(pid, ppid);
  }
  return parents;
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const wanted = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.split(':')[1] === wanted && fields[3] === LISTEN && fields[9] !== undefined) inodes.add(fields[9]);
    }
  }
  return inodes;
}

function pidFromProc(port: number): number | null {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return null;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // another user's process, or one that has just exited
    }
    for (const fd of fds) {
      try {
        if (inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`))?.[1] ?? '')) return Number(entry);
      } catch {
        // closed while we looked
      }
    }
  }
  return null;
}

function pidFromLsof(port: number): number | null {
  const result = spawnSync('lsof', ['-nP', '-t', `-iTCP:${port}`, '-sTCP:LISTEN'], { encoding: 'utf8' });
  const pid = Number.parseInt(result.stdout?.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function commandOf(pid: number): string {
  let command: string;
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    command = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).stdout?.trim() ?? '';
  }
  if (command === '') return 'command unknown';
  return command.length > MAX_COMMAND_CHARS ? `${command.slice(0, MAX_COMMAND_CHARS - 1)}…` : command;
}
