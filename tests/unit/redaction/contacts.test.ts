import fc from 'fast-check';
import { redactText, STRICTEST_REDACTION_POLICY, type RedactionPolicy } from '../../../functions/src/domain/redaction';

const EMAIL: RedactionPolicy = { contactKinds: ['email'] };
const PHONE: RedactionPolicy = { contactKinds: ['phone_number'] };

function found(text: string, policy: RedactionPolicy): [string, string][] {
  return redactText(text, policy).findings.map((f) => [f.kind, text.slice(f.start, f.end)]);
}

describe('contact data by policy', () => {
  it('when no policy turns contact data on, then email addresses and phone numbers stay readable', () => {
    expect(found('Reach me at anna.virtanen@example.fi or +358 40 123 4567.', { contactKinds: [] })).toEqual([]);
    expect(redactText('Reach me at anna.virtanen@example.fi').findings).toEqual([]);
  });

  it('when email is on, then addresses are masked whole and phone numbers stay', () => {
    const text = 'Mail anna.virtanen@example.fi, x+tag@sub.example.co.uk. or call 040 123 4567';
    expect(found(text, EMAIL)).toEqual([
      ['email', 'anna.virtanen@example.fi'],
      ['email', 'x+tag@sub.example.co.uk'],
    ]);
  });

  it('when something only resembles an address, then it is not an email address', () => {
    expect(found('user@localhost, a@b, @handle, name@example.c', EMAIL)).toEqual([]);
  });

  it('when phone numbers are on, then Finnish, Swedish and international forms are masked', () => {
    const text = 'Soita 040 123 4567 tai +358 9 1234 5678. Ring 070-123 45 67 eller 08-123 456 78. Call +44 20 7946 0958 or +1 212 736 5000.';
    expect(found(text, PHONE).map(([kind, value]) => [kind, value])).toEqual([
      ['phone_number', '040 123 4567'],
      ['phone_number', '+358 9 1234 5678'],
      ['phone_number', '070-123 45 67'],
      ['phone_number', '08-123 456 78'],
      ['phone_number', '+44 20 7946 0958'],
      ['phone_number', '+1 212 736 5000'],
    ]);
  });

  it('when digits are dates, versions or order numbers written without a trunk prefix or +, then they are not phone numbers', () => {
    expect(found('Build 20261128.1 on 2026-11-28 klo 14.30, order 123456789012, 01.12.2026', PHONE)).toEqual([]);
  });

  it('when an address follows another after a dot and a plus, then both are found in one pass', () => {
    expect(found('anna@example.fi.+anna@example.fi', EMAIL)).toEqual([
      ['email', 'anna@example.fi'],
      ['email', '+anna@example.fi'],
    ]);
  });

  it('when a phone number is read differently once a later one is masked, then the first pass finds both (the property below found this text)', () => {
    const text = '+358 40 123 4567.4111 1111 1111 1111 -040 123 4567';
    const once = redactText(text, STRICTEST_REDACTION_POLICY);
    expect(once.findings.map((f) => [f.kind, text.slice(f.start, f.end)])).toEqual([
      ['phone_number', '+358 40 123 4567'],
      ['phone_number', '040 123 4567'],
    ]);
    expect(redactText(once.text, STRICTEST_REDACTION_POLICY).findings).toEqual([]);
  });

  it('when both kinds are on, then the text stays the same length and a second pass finds nothing', () => {
    const fragments = fc.constantFrom(' ', 'anna@example.fi', '+358 40 123 4567', '040 123 4567', '@', '.', '+', '0', '12', 'x', '-', '4111 1111 1111 1111', 'password: ', 'kortti ');
    fc.assert(
      fc.property(fc.array(fragments, { maxLength: 20 }), (parts) => {
        const text = parts.join('');
        const once = redactText(text, STRICTEST_REDACTION_POLICY);
        expect(once.text).toHaveLength(text.length);
        const twice = redactText(once.text, STRICTEST_REDACTION_POLICY);
        expect(twice.findings).toEqual([]);
        expect(twice.text).toBe(once.text);
      }),
      { numRuns: 1000 },
    );
  });
});
