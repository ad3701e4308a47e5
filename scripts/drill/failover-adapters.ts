/**
 * The real side of the failover drill's boundary (`failover.ts`): the Pulumi Automation API,
 * `fetch`, Cloud Scheduler, Firestore, report files and the wall clock. Nothing here decides
 * anything; the unit test replaces all of it with fakes. These run only where a Pulumi CLI and
 * Application Default Credentials exist.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Firestore } from '@google-cloud/firestore';
import type { Stack } from '@pulumi/pulumi/automation';
import { z } from 'zod';
import type { DrillClock, FailoverDrillReport, HealthAnswer, Heartbeat, HeartbeatReader, HttpProbe, JobRunner, ReportSink, StackDriver } from './failover';
import { writeReportFiles } from './report';

/** The parts of the Automation API's `Stack` the driver uses. */
export type AutomationStack = Pick<Stack, 'name' | 'getAllConfig' | 'setConfig' | 'up' | 'preview' | 'outputs'>;

/** The stack through `LocalWorkspace.selectStack({stackName, workDir})`. */
export class AutomationStackDriver implements StackDriver {
  constructor(
    private readonly stack: AutomationStack,
    private readonly workDir: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Selects an existing stack of the Pulumi project in `workDir` (the repository root). */
  static async select(stackName: string, workDir: string, log: (line: string) => void): Promise<AutomationStackDriver> {
    const { LocalWorkspace } = await import('@pulumi/pulumi/automation');
    try {
      return new AutomationStackDriver(await LocalWorkspace.selectStack({ stackName, workDir }), workDir, log);
    } catch (error) {
      if (/ENOENT/.test(String(error))) throw new Error('The Pulumi CLI is not installed or not on PATH; the drill drives it through the Automation API');
      throw error;
    }
  }

  async getConfig(key: string): Promise<string | undefined> {
    // `getAllConfig` tells "not set" apart from a failing CLI, which `getConfig` does not.
    const all = await this.stack.getAllConfig();
    return all[key]?.value;
  }

  async setConfig(key: string, value: string): Promise<void> {
    await this.stack.setConfig(key, { value, secret: false });
  }

  async up(): Promise<Record<string, number>> {
    const result = await this.stack.up({ color: 'never', onOutput: (out) => this.log(out.trimEnd()) });
    return { ...(result.summary.resourceChanges ?? {}) };
  }

  /**
   * Previews with the stack config plus `config`, without touching the stack or its file: the
   * stack file is copied to a temporary file with the values replaced, and the preview reads
   * that (`--config-file`). Secure values stay encrypted for the same stack, so they still work.
   */
  async preview(config: Readonly<Record<string, string>>): Promise<Record<string, number>> {
    const shortName = this.stack.name.split('/').pop() ?? this.stack.name;
    const original = await readFile(join(this.workDir, `Pulumi.${shortName}.yaml`), 'utf8');
    const dir = await mkdtemp(join(tmpdir(), 'tuki-drill-'));
    const configFile = join(dir, `Pulumi.${shortName}.yaml`);
    try {
      await writeFile(configFile, withConfigValues(original, config));
      const result = await this.stack.preview({ color: 'never', diff: true, configFile, onOutput: (out) => this.log(out.trimEnd()) });
      return { ...result.changeSummary };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async outputs(): Promise<Record<string, unknown>> {
    const outputs = await this.stack.outputs();
    return Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, output.value as unknown]));
  }
}

/**
 * A stack config file's text with plain top-level `config:` values replaced or added. Only
 * plain string values of keys like `tuki:activeRegion` are supported, which is what the drill
 * sets; the rest of the file (comments, secrets, nested values) is kept byte for byte.
 */
export function withConfigValues(yaml: string, values: Readonly<Record<string, string>>): string {
  let text = yaml;
  for (const [key, value] of Object.entries(values)) {
    if (!/^[\w-]+:[\w-]+$/.test(key) || !/^[\w.-]+$/.test(value)) throw new Error(`Cannot write ${key}=${value} into a stack file`);
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const line = new RegExp(`^(\\s+)${escaped}:.*$`, 'm');
    if (line.test(text)) {
      text = text.replace(line, (_match, indent: string) => `${indent}${key}: ${value}`);
    } else if (/^config:\s*$/m.test(text)) {
      text = text.replace(/^config:\s*$/m, `config:\n  ${key}: ${value}`);
    } else {
      text = `${text.replace(/\s*$/, '\n')}config:\n  ${key}: ${value}\n`;
    }
  }
  return text;
}

const HealthSchema = z.object({ status: z.string(), region: z.string().optional() }).loose();

/** `GET /v1/health` with `fetch`, 10 s per attempt. */
export class FetchHttpProbe implements HttpProbe {
  async health(baseUrl: string): Promise<HealthAnswer> {
    const response = await fetch(`${baseUrl}/v1/health`, { signal: AbortSignal.timeout(10_000), headers: { 'cache-control': 'no-cache' } });
    const body = HealthSchema.safeParse(await response.json().catch(() => null));
    return {
      status: response.status,
      healthy: response.ok && body.success && body.data.status === 'ok',
      ...(body.success && body.data.region !== undefined ? { region: body.data.region } : {}),
    };
  }
}

/** Cloud Scheduler's `runJob` for `projects/<project>/locations/<region>/jobs/<job>`. */
export class CloudSchedulerJobRunner implements JobRunner {
  constructor(private readonly project: string) {}

  async runJob(region: string, job: string): Promise<void> {
    const { CloudSchedulerClient } = await import('@google-cloud/scheduler');
    const client = new CloudSchedulerClient();
    try {
      await client.runJob({ name: client.jobPath(this.project, region, job) });
    } finally {
      await client.close();
    }
  }
}

const HeartbeatSchema = z.object({ region: z.string(), at: z.string(), eventId: z.string() });

/** `heartbeats/latest` in the stack's Firestore database. */
export class FirestoreHeartbeatReader implements HeartbeatReader {
  constructor(private readonly db: Firestore) {}

  async latest(): Promise<Heartbeat | null> {
    const snapshot = await this.db.collection('heartbeats').doc('latest').get();
    const parsed = HeartbeatSchema.safeParse(snapshot.data());
    return parsed.success ? parsed.data : null;
  }
}

/**
 * Writes the report to `drill-reports/` first (so a local copy exists whatever happens next),
 * then to Firestore `drillReports/{id}` unless it is a dry run.
 */
export class FileAndFirestoreReportSink implements ReportSink {
  constructor(
    private readonly dir: string,
    private readonly db: () => Promise<Firestore>,
  ) {}

  async record(report: FailoverDrillReport, markdown: string): Promise<string[]> {
    const files = await writeReportFiles(this.dir, report, markdown);
    if (report.dryRun) return files;
    const db = await this.db();
    // A JSON round trip drops undefined values, which Firestore rejects.
    await db.collection('drillReports').doc(report.id).set(JSON.parse(JSON.stringify(report)) as Record<string, unknown>);
    return [...files, `firestore:drillReports/${report.id}`];
  }
}

/** Opens the stack's Firestore database with Application Default Credentials. */
export async function openFirestore(project: string, databaseId: string): Promise<Firestore> {
  const { Firestore: FirestoreClient } = await import('@google-cloud/firestore');
  return new FirestoreClient({ projectId: project, databaseId, ignoreUndefinedProperties: true });
}

export const systemClock: DrillClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
