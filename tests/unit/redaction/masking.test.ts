import {
  maskExact,
  maskSpan,
  REDACTION_ERROR_REASONS,
  redactionNotice,
  redactText,
  RedactionSpanError,
  summarizeFindings,
  type Finding,
} from '../../../functions/src/domain/redaction';
import { ERROR_CODES } from '../../../functions/src/domain/errors';

/** Runs `f` and returns what it threw. */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('redactText masking', () => {
  it('when a card is found, then its digits become asterisks except the last four, separators kept', () => {
    expect(redactText('card 4111 1111 1111 1111 thanks').text).toBe('card **** **** **** 1111 thanks');
    expect(redactText('card 4111-1111-1111-1111.').text).toBe('card ****-****-****-1111.');
    expect(redactText('card 4111111111111111').text).toBe('card ************1111');
  });

  it('when a card is also the stated password, then no digit of it stays visible', () => {
    const { text, findings } = redactText('my password is 4111111111111111');
    expect(text).toBe('my password is ****************');
    expect(findings).toEqual([{ kind: 'payment_card', start: 15, end: 31 }]);
  });

  it('when other values are found, then every character but whitespace is masked and the length is kept', () => {
    const input = 'IBAN FI21 1234 5600 0007 85, hetu 131052-308T, salasana on Kissa123.';
    const { text, findings } = redactText(input);
    expect(text).toBe('IBAN **** **** **** **** **, hetu ***********, salasana on ********.');
    expect(text).toHaveLength(input.length);
    expect(findings.map((f) => f.kind)).toEqual(['iban', 'fi_personal_identity_code', 'password']);
  });

  it('when a password phrase is found, then only the value is masked, not the phrase', () => {
    expect(redactText('Mitt lösenord är nu Hemligt!, tack').text).toBe('Mitt lösenord är nu ********, tack');
    expect(redactText('Authorization: Bearer abc123def456ghi').text).toBe('Authorization: Bearer ***************');
  });

  it('when a private key is pasted, then the whole block is masked, armour included, lines kept', () => {
    const key = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oYFw2\n-----END EC PRIVATE KEY-----';
    const { text, findings } = redactText(`key:\n${key}\nbye`);
    expect(findings).toEqual([{ kind: 'secret', start: 5, end: 5 + key.length }]);
    expect(text.split('\n')).toEqual(['key:', '********** ** ******* ********', '*'.repeat(45), '******** ** ******* ********', 'bye']);
  });

  it('when every few characters are a finding, then each value is masked and the text between is kept', () => {
    const input = 'password is hunter22 '.repeat(1000);
    const { text, findings } = redactText(input);
    expect(findings).toHaveLength(1000);
    expect(text).toBe('password is ******** '.repeat(1000));
  });

  it('when the text holds emoji and lone surrogates, then they survive masking unchanged', () => {
    const input = 'pw: hunter22 \u{1F512} \ud800 lösenordet är Vinter2023 \udfff';
    expect(redactText(input).text).toBe('pw: ******** \u{1F512} \ud800 lösenordet är ********** \udfff');
  });

  it('when a text has nothing sensitive, then it is returned unchanged with no findings', () => {
    const input = 'Order 123456789012 shipped on 2026-11-28; call +358 40 123 4567.';
    expect(redactText(input)).toEqual({ text: input, findings: [] });
  });

  it('when a redacted text is redacted again, then it is unchanged and nothing is found', () => {
    const once = redactText('card 4111 1111 1111 1111, pw: hunter22, key AKIAIOSFODNN7EXAMPLE');
    expect(redactText(once.text)).toEqual({ text: once.text, findings: [] });
  });

  it('when a 1 MB adversarial text is redacted, then it completes with a result of the same length', () => {
    const inputs = [
      '1 2-3 45-6 7 8-9 0 '.repeat(55_000),
      'password '.repeat(116_000),
      'salasana on salasana on '.repeat(43_000),
      'eyJ'.repeat(350_000),
      '-----BEGIN PRIVATE KEY-----\n'.repeat(37_000),
    ];
    for (const input of inputs) expect(redactText(input).text).toHaveLength(input.length);
  });
});

describe('maskSpan', () => {
  it('when the span is inside the text, then exactly that span is masked, whitespace kept', () => {
    expect(maskSpan('call Matti Virtanen now', 5, 19)).toBe('call ***** ******** now');
  });

  it.each([
    [-1, 3],
    [2, 2],
    [3, 2],
    [0, 99],
    [0.5, 2],
    [Number.NaN, 2],
  ])('when the span is [%p, %p), then it is refused as out of range', (start, end) => {
    const err = thrown(() => maskSpan('hello', start, end));
    expect(err).toBeInstanceOf(RedactionSpanError);
    expect(err).toMatchObject({
      reason: REDACTION_ERROR_REASONS.spanOutOfRange,
      code: ERROR_CODES.invalidInput,
    });
  });
});

describe('maskExact', () => {
  it('when the text occurs several times, then every occurrence is masked', () => {
    expect(maskExact('Matti called; Matti again', 'Matti')).toBe('***** called; ***** again');
  });

  it('when occurrences overlap, then all their characters are masked', () => {
    expect(maskExact('xaaay', 'aa')).toBe('x***y');
  });

  it('when the text is absent, then it is refused without repeating the text in the error', () => {
    const err = thrown(() => maskExact('hello', 'secret-value'));
    expect(err).toBeInstanceOf(RedactionSpanError);
    expect(err).toMatchObject({ reason: REDACTION_ERROR_REASONS.textNotFound });
    expect(JSON.stringify(err)).not.toContain('secret-value');
    expect((err as Error).message).not.toContain('secret-value');
  });

  it('when the text to mask is empty, then it is refused', () => {
    expect(thrown(() => maskExact('hello', ''))).toMatchObject({ reason: REDACTION_ERROR_REASONS.emptyNeedle });
  });
});

describe('summarizeFindings and redactionNotice', () => {
  const f = (kind: Finding['kind']): Finding => ({ kind, start: 0, end: 1 });

  it('when findings come in any order, then the summary follows the fixed kind order', () => {
    const summary = summarizeFindings([f('password'), f('payment_card'), f('password'), f('iban')]);
    expect(summary).toEqual([
      { kind: 'payment_card', count: 1 },
      { kind: 'iban', count: 1 },
      { kind: 'password', count: 2 },
    ]);
    expect(summarizeFindings([f('iban'), f('password'), f('password'), f('payment_card')])).toEqual(summary);
  });

  it('when a card and a password were hidden, then the notice says so and warns not to share them', () => {
    const notice = redactionNotice(summarizeFindings([f('password'), f('payment_card')]));
    expect(notice).toBe(
      'We hid 1 payment card number and 1 password from your message. ' +
        'Never share card numbers or passwords in a support ticket: support staff will never ask for them.',
    );
  });

  it('when identity and account numbers were hidden, then the notice asks to leave them out', () => {
    const notice = redactionNotice(
      summarizeFindings([f('fi_personal_identity_code'), f('iban'), f('iban'), f('secret')]),
    );
    expect(notice).toBe(
      'We hid 2 bank account numbers (IBAN), 1 Finnish personal identity code and 1 access key or token from your message. ' +
        'Never share access keys in a support ticket: support staff will never ask for them. ' +
        'Please leave bank account numbers and personal identity codes out of your messages; ' +
        'if we ever need one, we will ask for it through a secure channel.',
    );
  });

  it('when the ticket is in Finnish or Swedish, then the notice is too', () => {
    const summary = summarizeFindings([f('payment_card'), f('password'), f('password')]);
    expect(redactionNotice(summary, 'fi')).toBe(
      'Piilotimme viestistäsi 1 maksukortin numeron ja 2 salasanaa. ' +
        'Älä koskaan jaa korttinumeroita tai salasanoja tukipyynnössä: tukihenkilöstö ei koskaan kysy niitä.',
    );
    expect(redactionNotice(summary, 'sv')).toBe(
      'Vi dolde 1 betalkortsnummer och 2 lösenord i ditt meddelande. ' +
        'Dela aldrig kortnummer eller lösenord i ett supportärende: supportpersonalen ber aldrig om dem.',
    );
  });

  it('when nothing was hidden, then there is no notice', () => {
    expect(redactionNotice([])).toBeNull();
  });
});
