import { redactText } from '../../../functions/src/domain/redaction';
import { card, fiCode, group, iban, ibanPrinted, seNumber } from './corpus';

/** What was found, as `[kind, the original characters]` pairs. */
function found(text: string): [string, string][] {
  return redactText(text).findings.map((f) => [f.kind, text.slice(f.start, f.end)]);
}

describe('payment card detector', () => {
  const visa = card('4', 16, '000123456789012');

  it('when a Luhn-valid number has a card prefix and a card length, then it is a card', () => {
    expect(found(`pay ${visa} now`)).toEqual([['payment_card', visa]]);
  });

  it('when a Luhn-valid number has no card prefix, then it is not a card', () => {
    const order = card('9', 16, '000123456789012');
    expect(found(`order ${order}`)).toEqual([]);
  });

  it('when a Visa number has a length Visa does not issue, then it is not a card', () => {
    expect(found(`ref ${card('4', 15, '00012345678901')}`)).toEqual([]);
  });

  it('when the digits are grouped unlike a card (a phone number shape), then it is not a card', () => {
    const digits = card('5', 12, '012345678901');
    expect(found(`call ${group(digits, [3, 3, 2, 2, 2])}`)).toEqual([]);
    expect(found(`card ${group(digits, [4, 4, 4])}`)).toEqual([['payment_card', group(digits, [4, 4, 4])]]);
  });

  it('when separators are mixed, then the groups are not one card', () => {
    expect(found(`x ${group(visa, [4, 4, 4, 4], ' ').replace(/ /, '-')}`)).toEqual([]);
  });

  it('when the card is glued to letters, a plus sign or decimals, then it is not a card', () => {
    expect(found(`id${visa}`)).toEqual([]);
    expect(found(`+${visa}`)).toEqual([]);
    expect(found(`${visa}abc`)).toEqual([]);
    expect(found(`3.${visa}`)).toEqual([]);
  });

  it('when the card is the tail of a longer ungrouped number, then it is not a card', () => {
    expect(found(`ref 99${visa}`)).toEqual([]);
  });

  it('when a card is preceded by an unrelated group, then the card window is still found', () => {
    const printed = group(visa, [4, 4, 4, 4]);
    expect(found(`ref 12 ${printed} ok`)).toEqual([['payment_card', printed]]);
  });

  it('when a card stands anywhere in a run of hundreds of digit groups, then it is found there and nothing else is', () => {
    // The scanner holds a run's groups with their Luhn sums in a buffer of 64 and shifts it
    // as it goes: a card before, across and after each shift is found the same.
    const printed = group(visa, [4, 4, 4, 4]);
    for (let before = 0; before <= 140; before += 7) {
      const text = `${'1230-'.repeat(before)}${printed}${'-4560'.repeat(140 - before)}`;
      const start = before * 5;
      expect(redactText(text).findings).toEqual([{ kind: 'payment_card', start, end: start + printed.length }]);
    }
  });
});

describe('IBAN detector', () => {
  const fi = iban('FI', '12345600000785');

  it('when an IBAN is compact, printed in fours or lower-case, then it is found', () => {
    expect(found(`to ${fi}.`)).toEqual([['iban', fi]]);
    expect(found(`to ${ibanPrinted(fi)}.`)).toEqual([['iban', ibanPrinted(fi)]]);
    expect(found(`to ${fi.toLowerCase()}`)).toEqual([['iban', fi.toLowerCase()]]);
  });

  it('when the length is wrong for the country, then it is not an IBAN', () => {
    expect(found(`to ${iban('FI', '123456000007851')}`)).toEqual([]);
    expect(found(`to ${iban('DE', '12345600000785')}`)).toEqual([]);
  });

  it('when spaces are not every fourth character, then it is not read as an IBAN', () => {
    expect(found(`to ${fi.slice(0, 4)} ${fi.slice(4)}`)).toEqual([]);
  });

  it('when the IBAN is glued to a longer token, then it is not an IBAN', () => {
    expect(found(`x${fi}`)).toEqual([]);
    expect(found(`${fi}9`)).toEqual([]);
  });
});

describe('Finnish personal identity code detector', () => {
  it.each([
    ['+', '010180', '1800s'],
    ['-', '010180', '1900s'],
    ['Y', '010180', '1900s, 2023 sign'],
    ['U', '010180', '1900s, 2023 sign'],
    ['A', '010118', '2000s'],
    ['F', '010118', '2000s, 2023 sign'],
  ])('when the century sign is %p (%s, %s), then the code is found', (sign, date) => {
    const code = fiCode(date, sign, '123');
    expect(found(`tunnus ${code}`)).toEqual([['fi_personal_identity_code', code]]);
  });

  it('when the date does not exist, then it is not a code even with the right check character', () => {
    expect(found(`tunnus ${fiCode('290223', 'A', '123')}`)).toEqual([]);
    expect(found(`tunnus ${fiCode('290200', 'A', '123')}`)).toEqual([['fi_personal_identity_code', fiCode('290200', 'A', '123')]]);
    expect(found(`tunnus ${fiCode('290200', '-', '123')}`)).toEqual([]);
  });

  it('when the century sign is not one of the allowed ones, then it is not a code', () => {
    const code = fiCode('010180', '-', '123');
    expect(found(`tunnus ${code.slice(0, 6)}G${code.slice(7)}`)).toEqual([]);
  });
});

describe('Swedish personal identity number detector', () => {
  const ten = seNumber('811228', '987');

  it.each([
    [ten, '10 digits'],
    [`${ten.slice(0, 6)}-${ten.slice(6)}`, 'with dash'],
    [`${ten.slice(0, 6)}+${ten.slice(6)}`, 'with plus (100 or older)'],
    [`19${ten}`, '12 digits'],
    [`19${ten.slice(0, 6)}-${ten.slice(6)}`, '12 digits with dash'],
  ])('when the number is written %p (%s), then it is found whole', (value) => {
    expect(found(`nr ${value} tack`)).toEqual([['se_personal_identity_number', value]]);
  });

  it('when the day is a coordination-number day (+60), then it is found', () => {
    const coordination = seNumber('811288', '987');
    expect(found(`nr ${coordination}`)).toEqual([['se_personal_identity_number', coordination]]);
  });

  it('when a 12-digit form has an impossible century, then it is not a number', () => {
    expect(found(`nr 17${ten}`)).toEqual([]);
  });

  it('when the 10-digit form sits inside a 12-digit run, then only the whole run is considered', () => {
    expect(found(`nr 55${ten}`)).toEqual([]);
  });
});

describe('password phrase detector', () => {
  it.each([
    ['my password is hunter22', 'hunter22'],
    ['Password: Sommar2024!', 'Sommar2024!'],
    ['pw=abc123', 'abc123'],
    ['pass: Vinter99', 'Vinter99'],
    ['salasanasi on Kesä2025', 'Kesä2025'],
    ['lösen: Blå123', 'Blå123'],
    ['spring.datasource.password=s3cret', 's3cret'],
    ['The PIN code is 0042', '0042'],
    ['salasanaksi on asetettu Omena77', 'Omena77'],
    ['password:\nhunter22', 'hunter22'],
  ])('when the text is %p, then %p is masked', (text, value) => {
    expect(found(text)).toEqual([['password', value]]);
  });

  it.each([
    'I forgot my password',
    'reset your password',
    'password reset link',
    'unohdin salasanani',
    'jag har glömt mitt lösenord',
    'the password is wrong',
    'the password is incorrect',
    'the password is expired',
    'salasana on väärä',
    'lösenordet är fel',
    'pass is valid until Friday',
    'the pass is ABC123',
    'my password is ********',
    'Change the password to log in',
    'THE PASSWORD IS WRONG',
    'LÖSENORDET ÄR FEL',
    'Salasana on VÄÄRÄ',
    'the password is https://example.com/reset',
  ])('when the text is %p, then nothing is masked', (text) => {
    expect(found(text)).toEqual([]);
  });

  it('when two phrases share a sentence, then each value is its own', () => {
    expect(found('salasana on Omena1 ja tunnus on matti')).toEqual([['password', 'Omena1']]);
  });
});

describe('secret detector', () => {
  it('when an access key is longer than its format, then it is not an access key', () => {
    expect(found('AKIAIOSFODNN7EXAMPLEX')).toEqual([]);
  });

  it('when a JWT is found, then the whole token is masked', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    expect(found(`t=${jwt}`)).toEqual([['secret', jwt]]);
  });

  it('when only the armour line of a private key is pasted, then nothing is masked', () => {
    expect(found('-----BEGIN PRIVATE KEY----- is the first line of the file')).toEqual([]);
  });

  it('when a truncated key is pasted, then its base64 lines are masked and the prose after stays', () => {
    const text = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nMIIEvQIBADANBgkq\n\nThanks, Anna';
    const [[kind, value] = ['', '']] = found(text);
    expect(kind).toBe('secret');
    expect(value.endsWith('MIIEvQIBADANBgkq')).toBe(true);
  });

  it('when a token keyword is followed by a short or word-only value, then nothing is masked', () => {
    expect(found('token: abc123')).toEqual([]);
    expect(found('the access token is expiredexpiredexpired')).toEqual([]);
  });
});

describe('overlap resolution', () => {
  it('when a value is both a password and a secret, then one finding names the more specific kind', () => {
    const token = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
    expect(found(`password: ${token}`)).toEqual([['secret', token]]);
  });

  it('when a DDMMYY-NNNC value is valid both as a Finnish and a Swedish number, then it is one finding, named Finnish', () => {
    const value = '090161-3034';
    expect(fiCode('090161', '-', '303')).toBe(value);
    expect(seNumber('090161', '303')).toBe(value.replace('-', ''));
    expect(found(`id ${value}`)).toEqual([['fi_personal_identity_code', value]]);
  });
});

describe('payment card coverage', () => {
  it('when a UATP number (MII 1, 15 digits) passes Luhn, then it is a card wherever it stands', () => {
    const uatp = card('1', 15, '20000000000000');
    expect(found(`ticket paid with ${uatp}`)).toEqual([['payment_card', uatp]]);
  });

  it('when a card is printed with dots, then it is found and keeps its dots and last four', () => {
    const visa = group(card('4', 16, '000123456789012'), [4, 4, 4, 4], '.');
    expect(found(`card ${visa}`)).toEqual([['payment_card', visa]]);
    expect(redactText(`card ${visa}`).text).toBe(`card ****.****.****.${visa.slice(-4)}`);
  });

  it('when a payment-card industry number no brand issues is ungrouped and unnamed, then it is kept; named a card, it is masked', () => {
    const number = card('33', 16, '1234567890123');
    expect(found(`number ${number}`)).toEqual([]);
    expect(found(`kortti ${number}`)).toEqual([['payment_card', number]]);
    expect(found(`Mitt kreditkort: ${number}`)).toEqual([['payment_card', number]]);
  });

  it('when such a number is printed in fours, then it is masked unless a reference word names it', () => {
    const printed = group(card('28', 16, '0012345678901'), [4, 4, 4, 4]);
    expect(found(`paid with ${printed}`)).toEqual([['payment_card', printed]]);
    expect(found(`Lasku ${printed} maksettu`)).toEqual([]);
    expect(found(`Invoice reference ${printed}`)).toEqual([]);
  });

  it('when a card-length window would be cut out of a longer run of fours, then it is not a card', () => {
    const maestro12 = card('50', 12, '00000000000');
    expect(found(`order 1206 ${group(maestro12, [4, 4, 4])}`)).toEqual([]);
    expect(found(`card ${group(maestro12, [4, 4, 4])}`)).toEqual([['payment_card', group(maestro12, [4, 4, 4])]]);
  });
});

describe('secrets introduced by a secret word', () => {
  it('when an inflected Finnish or Swedish secret word introduces a high-entropy token, then the token is masked', () => {
    expect(found('API-avaimemme on 563ff2dbd6845e5ce93f7051b6610ff5')).toEqual([['secret', '563ff2dbd6845e5ce93f7051b6610ff5']]);
    expect(found('nyckeln vi använder är Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5')).toEqual([['secret', 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5']]);
    expect(found('Tokenimme on nyt eW91ckFjY2Vzc1Rva2VuMTIz')).toEqual([['secret', 'eW91ckFjY2Vzc1Rva2VuMTIz']]);
  });

  it('when the token is more than five words after the secret word, or in the next sentence, then it is kept', () => {
    expect(found('The key we were given by the vendor last week is 563ff2dbd6845e5ce93f7051b6610ff5')).toEqual([]);
    expect(found('The key is lost. Build 563ff2dbd6845e5ce93f7051b6610ff5 failed.')).toEqual([]);
  });

  it('when a token follows a secret word without a connector after other words, then it is kept', () => {
    expect(found('The token endpoint returned request id 5f2b9c1e8d7a6b4c3e2f1a0b9c8d7e6f')).toEqual([]);
  });

  it('when "key" is part of another English word, then it introduces nothing', () => {
    expect(found('monkey 9f8e7d6c5b4a39281706f5e4d3c2b1a0')).toEqual([]);
    expect(found('keyboard: 9f8e7d6c5b4a39281706f5e4d3c2b1a0')).toEqual([]);
    expect(found('apikey: 9f8e7d6c5b4a39281706f5e4d3c2b1a0')).toEqual([['secret', '9f8e7d6c5b4a39281706f5e4d3c2b1a0']]);
  });

  it('when a secret word introduces a word with a number, then it is kept', () => {
    expect(found('The secret is Customersupport2024 and nothing else')).toEqual([]);
    expect(found('Avain on salasana2024kissa')).toEqual([]);
  });
});
