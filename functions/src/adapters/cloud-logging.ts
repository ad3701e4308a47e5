/**
 * Structured JSON logs on stdout in the shape Cloud Logging understands: `severity`,
 * `message`, and the trace id under `logging.googleapis.com/trace`, so the lines of one
 * request group together. Fields are an allow-list by convention: callers pass ids and
 * counts, never ticket text. As second lines of defence, keys that usually carry text are
 * dropped, and the message and every string that is left pass a redaction — the
 * `FreeTextRedactor`'s strictest one unless another is given — so an error message that
 * quotes what someone wrote is masked too, on every logger, the one used before the
 * instance's services exist included. Errors that escape to the Functions Framework or to
 * Node (which print their stack themselves) are masked in place first ({@link maskError},
 * {@link maskCrashes}).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../application/ports';
import { redactForEveryone } from '../application/redaction/free-text-redactor';

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

/** Every kind, contact data included: a log line may quote anyone's text. */
const strictest: LogRedaction = (text) => redactForEveryone(text).text;

/** How deep into a field's value strings are looked for (log fields are flat by convention). */
const MAX_FIELD_DEPTH = 4;

export class CloudLoggingLogger implements Logger {
  constructor(
    private readonly minimum: Level = 'INFO',
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
    private readonly redact: LogRedaction = strictest,
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

/** How deep into an error's causes masking goes (a cause chain is short; a cycle must end). */
const MAX_CAUSE_DEPTH = 3;

/**
 * Masks an error in place — its message, its stack (which repeats the message) and every
 * string field of its own, such as a gRPC error's `details`, and its causes — and returns it,
 * so that a caller can rethrow it with its class and code intact for whoever prints it next
 * (the Functions Framework logs the stack of what a function throws). Anything that is not
 * an object is returned as it is.
 */
export function maskError<T>(error: T, redact: LogRedaction = strictest, depth = 0): T {
  if (error === null || typeof error !== 'object' || depth > MAX_CAUSE_DEPTH) return error;
  const fields = error as Record<string, unknown>;
  for (const key of new Set(['message', 'stack', ...Object.keys(fields)])) {
    const value = fields[key];
    if (typeof value !== 'string') continue;
    const masked = redact(value);
    try {
      if (masked !== value) fields[key] = masked;
    } catch {
      // A read-only field stays; the rest are still masked.
    }
  }
  if (error instanceof Error && error.cause !== undefined) maskError(error.cause, redact, depth + 1);
  return error;
}

const CRASHES_MASKED = Symbol.for('tuki.crashesMasked');

/**
 * Masks every error that would crash the instance before anyone prints it: an uncaught
 * exception (Node's monitor event comes before any handler, and changes nothing else) and an
 * unhandled rejection (a listener placed first; when it is the only one it throws the reason
 * on, as Node does without listeners, so the process still ends). The Functions Framework's
 * own handlers, which log the stack and stop the instance, then print the masked error.
 * Installed once per process.
 */
export function maskCrashes(): void {
  const marked = process as unknown as Record<symbol, boolean>;
  if (marked[CRASHES_MASKED] === true) return;
  marked[CRASHES_MASKED] = true;
  process.on('uncaughtExceptionMonitor', (error) => {
    maskError(error);
  });
  process.prependListener('unhandledRejection', (reason) => {
    maskError(reason);
    if (process.listenerCount('unhandledRejection') === 1) throw reason;
  });
}
