/**
 * Structured JSON logs on stdout in the shape Cloud Logging understands: `severity`,
 * `message`, and the trace id under `logging.googleapis.com/trace`, so the lines of one
 * request group together. Fields are an allow-list by convention: callers pass ids and
 * counts, never ticket text; as a second line of defence, keys that usually carry text are
 * dropped.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../application/ports';

const LEVELS = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 } as const;
type Level = keyof typeof LEVELS;

/** Keys never written to a log line, whatever a caller passes. */
const TEXT_KEYS = new Set(['subject', 'description', 'body', 'comment', 'text', 'original', 'originals', 'password']);

const traceStorage = new AsyncLocalStorage<{ trace: string }>();

/** Runs `fn` with the trace id of the current request, read from Cloud's headers. */
export function withTrace<T>(project: string, headers: Readonly<Record<string, unknown>>, fn: () => T): T {
  const traceId = traceIdFrom(headers);
  return traceId === null ? fn() : traceStorage.run({ trace: `projects/${project}/traces/${traceId}` }, fn);
}

function traceIdFrom(headers: Readonly<Record<string, unknown>>): string | null {
  const cloud = headers['x-cloud-trace-context'];
  if (typeof cloud === 'string') return /^([0-9a-f]{32})/i.exec(cloud)?.[1] ?? null;
  const parent = headers['traceparent'];
  if (typeof parent === 'string') return /^[0-9a-f]{2}-([0-9a-f]{32})-/i.exec(parent)?.[1] ?? null;
  return null;
}

export class CloudLoggingLogger implements Logger {
  constructor(
    private readonly minimum: Level = 'INFO',
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  debug(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.log('DEBUG', message, fields);
  }
  info(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.log('INFO', message, fields);
  }
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.log('WARNING', message, fields);
  }
  error(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.log('ERROR', message, fields);
  }

  private log(level: Level, message: string, fields: Readonly<Record<string, unknown>> = {}): void {
    if (LEVELS[level] < LEVELS[this.minimum]) return;
    const safe = Object.fromEntries(Object.entries(fields).filter(([key]) => !TEXT_KEYS.has(key)));
    const trace = traceStorage.getStore()?.trace;
    this.write(
      JSON.stringify({
        severity: level,
        message,
        ...safe,
        ...(trace === undefined ? {} : { 'logging.googleapis.com/trace': trace }),
      }),
    );
  }
}
