/**
 * A Pub/Sub delivery that fails is logged by us and its error printed by the Functions
 * Framework (it logs the stack of what a function throws): neither may carry what someone
 * wrote, also when the instance's services could not be built.
 */
import type { CloudEvent } from '@google-cloud/functions-framework';
import { z } from 'zod';
import type { Logger } from '../../functions/src/application/ports';
import { handleDelivery, type PubSubFunctionOptions } from '../../functions/src/entrypoints/events/pubsub-function';
import * as wiring from '../../functions/src/wiring';

const CARD = '4111 1111 1111 1111';
const MASKED_CARD = '**** **** **** 1111';

const payload = z.object({ ticketId: z.string() });
const event: CloudEvent<unknown> = {
  id: 'event-1',
  source: 'test',
  type: 'google.cloud.pubsub.topic.v1.messagePublished',
  specversion: '1.0',
  data: { message: { data: Buffer.from(JSON.stringify({ ticketId: 't-1' })).toString('base64'), messageId: 'm-1' } },
};

function options(handle: PubSubFunctionOptions<typeof payload>['handle']): PubSubFunctionOptions<typeof payload> {
  return { name: 'routeTicket', payload, maxAgeMs: 60_000, handle };
}

/** A logger that keeps what it is told, unmasked, to show what the delivery passed it. */
function recordingLogger(lines: string[]): Logger {
  const keep = (message: string, fields?: Readonly<Record<string, unknown>>) => lines.push(JSON.stringify({ message, ...fields }));
  return { debug: keep, info: keep, warn: keep, error: keep };
}

async function stdoutOf(work: () => Promise<unknown>): Promise<string> {
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return out;
}

afterEach(() => jest.restoreAllMocks());

describe('a failing delivery', () => {
  it('when the services cannot be built (a failed cold start), then the line logged and the error thrown for a redelivery carry no card number or password', async () => {
    jest.spyOn(wiring, 'ports').mockRejectedValue(new Error(`cannot reach Firestore for card ${CARD}, password is Hunter2Secret!`));
    let thrown: unknown;
    const out = await stdoutOf(() => handleDelivery(options(async () => 'done'), event).catch((error: unknown) => (thrown = error)));
    expect(thrown).toBeInstanceOf(Error);
    const stack = (thrown as Error).stack ?? '';
    expect(`${(thrown as Error).message}\n${stack}\n${out}`).not.toMatch(/4111 1111 1111 1111|Hunter2Secret/);
    expect((thrown as Error).message).toContain(MASKED_CARD);
    expect(JSON.parse(out)).toMatchObject({ severity: 'ERROR', message: 'the services could not be built, asking for redelivery', cloudEventId: 'event-1' });
    expect(out).toContain(MASKED_CARD);
  });

  it('when a handler fails transiently with a message quoting a card, then the error thrown for a redelivery is masked and keeps its class and code', async () => {
    const logged: string[] = [];
    const ports = { logger: recordingLogger(logged), clock: { now: () => Date.now() }, outbox: { flush: async () => undefined } };
    jest.spyOn(wiring, 'ports').mockResolvedValue(ports as unknown as wiring.Ports);
    const aborted = Object.assign(new Error(`10 ABORTED: write of "card ${CARD}" failed`), { code: 10 });
    await expect(
      handleDelivery(
        options(async () => {
          throw aborted;
        }),
        event,
      ),
    ).rejects.toBe(aborted);
    expect(aborted.code).toBe(10);
    expect(aborted.message).toBe(`10 ABORTED: write of "card ${MASKED_CARD}" failed`);
    expect(aborted.stack).not.toContain(CARD);
    expect(logged.map((line) => JSON.parse(line).message)).toEqual(['transient failure, asking for redelivery']);
  });
});
