/**
 * The regions of the local drill as child processes (`region-host.ts` forked with
 * `TUKI_REGION`), controlled over the IPC channel: ready, activate, stop — and SIGKILL for the
 * outage. Children run the compiled JS (jest runs the parent from source).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../lib/emulators';
import type { RegionHostCommand, RegionHostEvent } from '../region-host';
import { RegionActivationError, RegionStartError } from './errors';
import type { RegionLauncher, RegionProcess } from './ports';
import { LOCAL_REGIONS, type RegionRole } from './report';

const START_TIMEOUT_MS = 60_000;
const ACTIVATE_TIMEOUT_MS = 15_000;
/** How long a stopping region may take before it is killed. */
const STOP_TIMEOUT_MS = 10_000;

/** The compiled region host. */
export function regionHostScript(): string {
  return join(repoRoot(), 'dist/scripts/drill/region-host.js');
}

/** Starts regions as forked children, each logging to `.tuki/drill-<region>.log`. */
export class ForkedRegionLauncher implements RegionLauncher {
  private readonly logDir = join(repoRoot(), '.tuki');

  async start(role: RegionRole, runId: string): Promise<RegionProcess> {
    const script = regionHostScript();
    if (!existsSync(script)) throw new RegionStartError(`${script} is missing: run \`npm run build\` first`);
    mkdirSync(this.logDir, { recursive: true });
    const region = LOCAL_REGIONS[role];
    const prefix = `drill-${runId}-${role}-`;
    const child = fork(script, [], {
      env: { ...process.env, TUKI_REGION: region, TUKI_DRILL_SUBSCRIPTION_PREFIX: prefix, LOG_LEVEL: process.env['TUKI_DRILL_LOG_LEVEL'] ?? 'WARNING' },
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const log = createWriteStream(join(this.logDir, `drill-${region}.log`));
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const ready = await new Promise<Extract<RegionHostEvent, { type: 'ready' }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new RegionStartError(`${region} did not start within 60 s (log: .tuki/drill-${region}.log)`)), START_TIMEOUT_MS);
      child.on('message', (event: RegionHostEvent) => {
        if (event.type === 'ready') {
          clearTimeout(timer);
          resolve(event);
        } else if (event.type === 'error') {
          clearTimeout(timer);
          reject(new RegionStartError(`${region} failed to start: ${event.message}`));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new RegionStartError(`${region} exited during start (code ${code}, signal ${signal}); log: .tuki/drill-${region}.log`));
      });
    });
    return new ForkedRegion(role, child, ready.apiUrl, prefix);
  }
}

class ForkedRegion implements RegionProcess {
  constructor(
    readonly role: RegionRole,
    private readonly child: ChildProcess,
    readonly apiUrl: string,
    readonly subscriptionPrefix: string,
  ) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  activate(): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new RegionActivationError(`${LOCAL_REGIONS[this.role]} did not activate within 15 s`)), ACTIVATE_TIMEOUT_MS);
      const onMessage = (event: RegionHostEvent): void => {
        if (event.type === 'activated' || event.type === 'error') {
          clearTimeout(timer);
          this.child.off('message', onMessage);
          if (event.type === 'activated') resolve(event.messageId);
          else reject(new RegionActivationError(event.message));
        }
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'activate' } satisfies RegionHostCommand);
    });
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  wasKilled(): boolean {
    return this.child.signalCode === 'SIGKILL';
  }

  /** Node sets `exitCode` or `signalCode` once the child has exited. */
  hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  async stop(): Promise<void> {
    if (this.hasExited()) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.send({ type: 'stop' } satisfies RegionHostCommand);
    else this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS)));
    const outcome = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.child.kill('SIGKILL');
      await exited;
    }
  }
}
