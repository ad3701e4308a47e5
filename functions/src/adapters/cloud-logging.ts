/**
 * Structured JSON logs on stdout in the shape Cloud Logging understands: `severity`,
 * `message`, and the trace id under `logging.googleapis.com/trace`, so the lines of one
 * request group together. Fields are an allow-list by convention: callers pass ids and
 * counts, never ticket text. As second lines of defence, keys that usually carry text are
 * dropped, and the message and every string that is left pass the redaction given (the
 * composition root gives the `FreeTextRedactor`'s strictest one), so an error message that
 * quotes what someone wrote is masked too.
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

/** Masks what a log line would otherwise carry in the clear. */
export type LogRedaction = (text: string) => string;

/** How deep into a field's value strings are looked for (log fields are flat by convention). */
const MAX_FIELD_DEPTH = 4;

export class CloudLoggingLogger implements Logger {
  constructor(
    private readonly minimum: Level = 'INFO',
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
    private readonly redact: LogRedaction = (text) => text,
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
    const safe = Object.fromEntries(Object.entries(fields).filter(([key]) => !TEXT_KEYS.has(key)).map(([key, value]) => [key, this.masked(value, 0)]));
    const trace = traceStorage.getStore()?.trace;
    this.write(
      JSON.stringify({
        severity: level,
        message: this.redact(message),
        ...safe,
        ...(trace === undefined ? {} : { 'logging.googleapis.com/trace': trace }),
      }),
    );
  }

  private masked(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (depth >= MAX_FIELD_DEPTH || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item: unknown) => this.masked(item, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.masked(item, depth + 1)]));
  }
}
