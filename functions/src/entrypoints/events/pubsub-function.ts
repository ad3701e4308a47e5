/**
 * The shape every Pub/Sub-triggered function shares: decode the CloudEvent envelope and the
 * base64 JSON payload with zod, drop events older than a maximum age, run the use case, and
 * decide between redelivery and acknowledgement. Only transient errors (an allow-list of gRPC
 * codes and network errors, as Firestore's own `isRetryableTransactionError`) are thrown for a
 * redelivery; poison messages and permanent failures are logged and acknowledged, so one bad
 * message cannot block a subscription (after 5 failed deliveries it lands in the dead-letter
 * topic anyway).
 */
import * as functions from '@google-cloud/functions-framework';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { z } from 'zod';
import type { Logger } from '../../application/ports';
import { DependencyUnavailableError } from '../../domain/errors';
import { FUNCTIONS } from '../../manifest';
import { asDependencyFailure, fallbackLogger, instanceConfig, maskError, ports, withDeadline, type DeadlineBudget, type Ports } from '../../wiring';

const PubSubEnvelopeSchema = z.object({
  message: z.object({
    data: z.string().min(1),
    messageId: z.string().optional(),
    publishTime: z.string().optional(),
    attributes: z.record(z.string(), z.string()).nullish(),
  }),
  subscription: z.string().optional(),
});

/** gRPC status codes worth a retry: CANCELLED, UNKNOWN, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE. */
const RETRYABLE_GRPC_CODES = new Set([1, 2, 4, 8, 10, 13, 14]);
const RETRYABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE']);

function isTransient(error: unknown): boolean {
  if (error instanceof DependencyUnavailableError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return (typeof code === 'number' && RETRYABLE_GRPC_CODES.has(code)) || (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code));
}

export interface PubSubFunctionOptions<S extends z.ZodType> {
  /** The registered name (the manifest's entryPoint). */
  readonly name: string;
  /** Schema of the JSON payload. */
  readonly payload: S;
  /** Events older than this are dropped (logged), not processed. */
  readonly maxAgeMs: number;
  readonly handle: (payload: z.infer<S>, context: DeliveryContext) => Promise<unknown>;
}

/**
 * What a handler learns about a delivery besides its payload, and the ports it works with. A
 * handler names the deps of its use case (`DeliveryContext<RoutingDeps>`): it sees those ports
 * and nothing else of the instance.
 */
export interface DeliveryContext<D = Ports> {
  readonly eventId: string;
  /** The message attributes (empty when it has none), e.g. the `region` a Cloud Scheduler job sets. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The ports, handed over by the composition root (`wiring.ts`). */
  readonly deps: D;
  readonly logger: Logger;
}

/** One Firestore or Auth call of a handler taking longer than this is a stall: the delivery fails and is redelivered. */
const HANDLER_CALL_DEADLINE_MS = 10_000;

/**
 * A handler's deadline: one call at most `HANDLER_CALL_DEADLINE_MS`, and all of them ten seconds
 * before the function's own timeout, so that a stalled dependency ends the delivery with an
 * error (a redelivery with backoff, then the dead-letter topic) instead of holding the instance.
 */
function handlerDeadline(name: string): DeadlineBudget {
  const timeoutSeconds = FUNCTIONS.find((fn) => fn.entryPoint === name)?.timeoutSeconds ?? 60;
  return { totalMs: Math.max(HANDLER_CALL_DEADLINE_MS, (timeoutSeconds - 10) * 1000), perCallMs: HANDLER_CALL_DEADLINE_MS };
}

/** An error for a log line: its class and the start of its message (the logger masks it). */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : 'unknown';
}

/** Handles one delivery; exported for tests that call it without the framework. */
export async function handleDelivery<S extends z.ZodType>(options: PubSubFunctionOptions<S>, event: CloudEvent<unknown>): Promise<void> {
  let s: Ports;
  try {
    s = await ports();
  } catch (error) {
    // A cold start that could not build the services: retried by a redelivery. The framework
    // prints what is thrown, so it is masked like a log line.
    fallbackLogger.error('the services could not be built, asking for redelivery', { function: options.name, cloudEventId: event.id, error: describe(error) });
    throw maskError(error);
  }
  const logger = s.logger;
  const envelope = PubSubEnvelopeSchema.safeParse(event.data);
  if (!envelope.success) {
    logger.error('poison message: not a Pub/Sub envelope, acknowledged', { function: options.name, cloudEventId: event.id });
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(envelope.data.message.data, 'base64').toString('utf8'));
  } catch {
    logger.error('poison message: payload is not JSON, acknowledged', { function: options.name, cloudEventId: event.id });
    return;
  }
  const payload = options.payload.safeParse(json);
  if (!payload.success) {
    logger.error('poison message: payload does not match its schema, acknowledged', {
      function: options.name,
      cloudEventId: event.id,
      issues: payload.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).slice(0, 10),
    });
    return;
  }
  const published = Date.parse(envelope.data.message.publishTime ?? event.time ?? '');
  if (Number.isFinite(published) && s.clock.now() - published > options.maxAgeMs) {
    logger.warn('event older than its maximum age, dropped', { function: options.name, cloudEventId: event.id });
    return;
  }
  const attributes = envelope.data.message.attributes ?? {};
  const eventId = attributes['eventId'] ?? envelope.data.message.messageId ?? event.id;
  try {
    const outcome = await withDeadline(handlerDeadline(options.name), async () => {
      try {
        return await options.handle(payload.data, { eventId, attributes, deps: s, logger });
      } catch (error) {
        throw asDependencyFailure(error) ?? error;
      }
    });
    // The instance may get no CPU once this invocation returns; a mark that fails to be written
    // only means the relay publishes its record once more.
    await s.outbox.flush().catch(() => undefined);
    logger.info('event handled', { function: options.name, eventId, outcome: typeof outcome === 'string' ? outcome : undefined });
  } catch (error) {
    const fields = { function: options.name, eventId, error: describe(error) };
    if (isTransient(error)) {
      logger.warn('transient failure, asking for redelivery', fields);
      throw maskError(error);
    }
    logger.error('permanent failure, acknowledged', fields);
  }
}

/** Registers a Pub/Sub-triggered CloudEvent function with the Functions Framework. */
export function pubsubFunction<S extends z.ZodType>(options: PubSubFunctionOptions<S>): void {
  instanceConfig();
  functions.cloudEvent(options.name, (event: CloudEvent<unknown>) => handleDelivery(options, event));
}
