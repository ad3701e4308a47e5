/** Log lines: text-carrying keys dropped, everything else through a redaction, on every logger; errors others print masked in place. */
import { CloudLoggingLogger, maskCrashes, maskError } from '../../functions/src/adapters/cloud-logging';
import { fallbackLogger } from '../../functions/src/wiring';
import { PolicyFreeTextRedactor } from '../../functions/src/application/redaction/free-text-redactor';
import { InMemoryRedactionPolicies } from './fakes';

function loggerWritingTo(lines: string[]): CloudLoggingLogger {
  const redactor = new PolicyFreeTextRedactor(new InMemoryRedactionPolicies());
  return new CloudLoggingLogger('INFO', (line) => lines.push(line), (text) => redactor.forEveryone(text).text);
}

describe('log lines', () => {
  it('when an error message quotes what someone wrote, then the card, the password and the email in it are masked, nested fields too', () => {
    const lines: string[] = [];
    loggerWritingTo(lines).error('write failed for 4111 1111 1111 1111', {
      error: 'INVALID_ARGUMENT: value "my password is Hunter2Secret!" too long',
      details: [{ contact: 'anna.virtanen@example.fi' }],
      ticketId: 't-1',
      attempts: 3,
    });
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line).toEqual({
      severity: 'ERROR',
      message: 'write failed for **** **** **** 1111',
      error: `INVALID_ARGUMENT: value "my password is ${'*'.repeat(14)}" too long`,
      details: [{ contact: '*'.repeat(24) }],
      ticketId: 't-1',
      attempts: 3,
    });
  });

  it('when a caller passes a text under a key that carries text, then the key is left out whatever it holds', () => {
    const lines: string[] = [];
    loggerWritingTo(lines).info('ticket created', { ticketId: 't-1', description: 'harmless', body: 'also harmless' });
    expect(JSON.parse(lines[0] ?? '{}')).toEqual({ severity: 'INFO', message: 'ticket created', ticketId: 't-1' });
  });
});

/** Every line written to stdout while `work` runs (the fallback logger writes there). */
async function stdoutOf(work: () => unknown): Promise<string[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

const CARD = '4111 1111 1111 1111';
const PASSWORD_PHRASE = 'my password is Hunter2Secret!';

describe('logging before the services exist', () => {
  it('when the fallback logger logs an error quoting a card number and a password, then both are masked', async () => {
    const lines = await stdoutOf(() =>
      fallbackLogger.error(`unexpected error in api: card ${CARD}`, { error: `TypeError: cannot parse "${PASSWORD_PHRASE}"` }),
    );
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toEqual({
      severity: 'ERROR',
      message: 'unexpected error in api: card **** **** **** 1111',
      error: `TypeError: cannot parse "my password is ${'*'.repeat(14)}"`,
    });
  });

  it('when a logger is built without a redaction, then it redacts with the strictest one (contact data included)', () => {
    const lines: string[] = [];
    new CloudLoggingLogger('INFO', (line) => lines.push(line)).warn(`mail anna.virtanen@example.fi, card ${CARD}`);
    expect(JSON.parse(lines[0] ?? '{}')).toEqual({ severity: 'WARNING', message: `mail ${'*'.repeat(24)}, card **** **** **** 1111` });
  });
});

describe('errors that others print', () => {
  it('when an error is masked, then its message, stack, string fields and cause are, and its class and code stay', () => {
    const cause = new Error(`inner ${PASSWORD_PHRASE}`);
    const error = Object.assign(new TypeError(`outer ${CARD}`, { cause }), { code: 14, details: `value ${CARD}` });
    expect(maskError(error)).toBe(error);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.code).toBe(14);
    expect(error.message).toBe('outer **** **** **** 1111');
    expect(error.details).toBe('value **** **** **** 1111');
    expect(error.stack).toContain('outer **** **** **** 1111');
    expect(error.stack).not.toContain(CARD);
    expect(cause.message).toBe(`inner my password is ${'*'.repeat(14)}`);
  });

  it('when an error is about to crash the instance, uncaught or an unhandled rejection, then it is masked before anyone prints it', () => {
    maskCrashes();
    maskCrashes();
    const uncaught = new Error(`crash ${CARD}`);
    process.emit('uncaughtExceptionMonitor', uncaught);
    expect(uncaught.message).toBe('crash **** **** **** 1111');
    expect(process.listeners('uncaughtExceptionMonitor')).toHaveLength(1);
    // Placed first, so it masks before the framework's handler prints; called directly here,
    // because emitting the event could reach jest's own handler too.
    const [masking] = process.listeners('unhandledRejection');
    const frameworks = (): void => undefined;
    process.on('unhandledRejection', frameworks);
    const rejected = new Error(`rejected ${PASSWORD_PHRASE}`);
    try {
      masking?.(rejected, Promise.resolve());
    } finally {
      process.off('unhandledRejection', frameworks);
    }
    expect(rejected.message).toBe(`rejected my password is ${'*'.repeat(14)}`);
    // Alone (no framework), it throws the masked reason on, so the process still ends as Node's default would.
    const alone = new Error(`rejected again ${CARD}`);
    expect(() => masking?.(alone, Promise.resolve())).toThrow('rejected again **** **** **** 1111');
  });
});
