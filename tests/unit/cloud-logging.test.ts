/** Log lines: text-carrying keys dropped, everything else through the redaction the composition root gives. */
import { CloudLoggingLogger } from '../../functions/src/adapters/cloud-logging';
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
