/**
 * A labelled corpus for the redaction detectors: valid values of every kind embedded in
 * English, Finnish and Swedish sentences, and decoys that must stay in clear.
 *
 * Check digits come from `redaction-check-digits.ts`, written independently of the production code.
 */
import type { RedactionKind } from '../../functions/src/domain/redaction';
import { card, fiCode, group, iban, ibanPrinted, seNumber } from './redaction-check-digits';

export { card, fiCode, group, iban, ibanPrinted, luhnDigit, seNumber } from './redaction-check-digits';

// ---- corpus --------------------------------------------------------------------------

export interface Expected {
  readonly kind: RedactionKind;
  /** Exactly the characters that must be masked (found in the text by position). */
  readonly value: string;
}

export interface Sample {
  readonly text: string;
  readonly expected: readonly Expected[];
}

const e = (kind: RedactionKind, value: string): Expected => ({ kind, value });

const visa16 = card('4', 16, '539578763621486');
const visa13 = card('4', 13, '222222222222');
const mc51 = card('51', 16, '05105105105100');
const mc2221 = card('2221', 16, '00000000000');
const amex = card('37', 15, '8282246310005');
const discover = card('6011', 16, '111111111111');
const jcb = card('3530', 16, '111333300000');
const diners = card('36', 14, '225963364771');
const maestro19 = card('6759', 19, '649826438453');
const unionpay = card('62', 16, '12345678901234');
const visa19 = card('4', 19, '98765432109876543');

// Every range ISO/IEC 7812 allocates to payment cards (MII 1–6): the brands' own ranges,
// and numbers of a payment-card industry that no brand here issues, printed or named as cards.
const uatp = card('1', 15, '20000000000000');
const gpn = card('1946', 16, '000000000000');
const mir = card('2200', 16, '12345678901');
const borica = card('2205', 16, '98765432109');
const tUnion = card('31', 19, '0000000000000000');
const dinersIntl = card('38', 14, '520000023237');
const rupay = card('60', 16, '8112345678901');
const rupay81 = card('81', 16, '2345678901234');
const verve = card('506099', 16, '0500000');
const verve650 = card('650002', 19, '1234567890');
const maestro50 = card('5018', 16, '00000000000');
const discover65 = card('65', 16, '10000000000000');
const rangeMii1 = card('12', 16, '3456789012345');
const rangeMii2 = card('28', 16, '0012345678901');
const rangeMii3 = card('33', 16, '1234567890123');
const rangeVisa18 = card('4', 18, '12345678901234567');
const orderLuhn16 = card('1', 16, '000000000000000');
const orderLuhn18 = card('27', 18, '99000000000000000');
const orderGrouped = card('29', 16, '0000000000000');
const invoiceGrouped = card('7', 16, '000000000000000');

const fiIban = iban('FI', '12345600000785');
const seIban = iban('SE', '50000000058398257466');
const deIban = iban('DE', '370400440532013000');
const gbIban = iban('GB', 'NWBK60161331926819');
const noIban = iban('NO', '86011117947');
const frIban = iban('FR', '20041010050500013M02606');
const nlIban = iban('NL', 'ABNA0417164300');

const fi1900 = fiCode('131052', '-', '308');
const fi2000 = fiCode('010594', 'A', '903');
const fiNewY = fiCode('240797', 'Y', '217');
const fiNewB = fiCode('150304', 'B', '512');
const fi1800 = fiCode('290296', '+', '118');
const fiLeap = fiCode('290200', 'A', '447');

const se10 = seNumber('811228', '987');
const se10b = seNumber('640823', '323');
const se12 = seNumber('121212', '121');
const seCoord = seNumber('701063', '239');
const sePlus = seNumber('150115', '453');

const jwt =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFubmEifQ.' +
  'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const pem = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi0pXB9bNj0w1tq1yJ8cqXx6m3f',
  'Zq7m2mA1L8m4pXyq4fWf0b0oZkXr1l5s9T3e2w==',
  '-----END RSA PRIVATE KEY-----',
].join('\n');
const pkcs8 = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
  '-----END PRIVATE KEY-----',
].join('\r\n');
const openssh = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
].join('\n');

/** Values that must be found, each in a sentence. */
export const POSITIVES: readonly Sample[] = [
  // payment cards
  { text: `My card number is ${group(visa16, [4, 4, 4, 4])}, expiry 12/27.`, expected: [e('payment_card', group(visa16, [4, 4, 4, 4]))] },
  { text: `Korttini on ${group(visa16, [4, 4, 4, 4], '-')} ja se veloitettiin kahdesti.`, expected: [e('payment_card', group(visa16, [4, 4, 4, 4], '-'))] },
  { text: `Old Visa ${visa13} was replaced.`, expected: [e('payment_card', visa13)] },
  { text: `Mitt kort: ${group(mc51, [4, 4, 4, 4])}.`, expected: [e('payment_card', group(mc51, [4, 4, 4, 4]))] },
  { text: `Charged to mastercard ${mc2221} twice`, expected: [e('payment_card', mc2221)] },
  { text: `Amex ${group(amex, [4, 6, 5])} (company card)`, expected: [e('payment_card', group(amex, [4, 6, 5]))] },
  { text: `Discover: ${group(discover, [4, 4, 4, 4])}`, expected: [e('payment_card', group(discover, [4, 4, 4, 4]))] },
  { text: `JCB-kortti ${jcb}, voitteko tarkistaa?`, expected: [e('payment_card', jcb)] },
  { text: `Diners ${group(diners, [4, 6, 4])} declined`, expected: [e('payment_card', group(diners, [4, 6, 4]))] },
  { text: `Maestro ${group(maestro19, [4, 4, 4, 4, 3])} funkar inte`, expected: [e('payment_card', group(maestro19, [4, 4, 4, 4, 3]))] },
  { text: `UnionPay card (${unionpay}) was refused`, expected: [e('payment_card', unionpay)] },
  { text: `Visa ${visa19}.`, expected: [e('payment_card', visa19)] },
  { text: `Refund to ref 123 ${group(visa16, [4, 4, 4, 4])} please`, expected: [e('payment_card', group(visa16, [4, 4, 4, 4]))] },
  { text: `UATP ${uatp} was used for the flight`, expected: [e('payment_card', uatp)] },
  { text: `Lentokortti ${group(uatp, [4, 4, 4, 3])} veloitettiin`, expected: [e('payment_card', group(uatp, [4, 4, 4, 3]))] },
  { text: `Flygkortet ${uatp} drogs två gånger`, expected: [e('payment_card', uatp)] },
  { text: `Мир / GPN ${group(gpn, [4, 4, 4, 4], '.')} refused`, expected: [e('payment_card', group(gpn, [4, 4, 4, 4], '.'))] },
  { text: `Mir-kortti ${mir} ei käy`, expected: [e('payment_card', mir)] },
  { text: `Borica ${group(borica, [4, 4, 4, 4], '-')} fungerar inte`, expected: [e('payment_card', group(borica, [4, 4, 4, 4], '-'))] },
  { text: `T-Union ${tUnion} charged twice`, expected: [e('payment_card', tUnion)] },
  { text: `Diners Club ${dinersIntl}.`, expected: [e('payment_card', dinersIntl)] },
  { text: `RuPay ${group(rupay, [4, 4, 4, 4])} och ${rupay81}`, expected: [e('payment_card', group(rupay, [4, 4, 4, 4])), e('payment_card', rupay81)] },
  { text: `Verve ${verve}, Verve ${verve650}`, expected: [e('payment_card', verve), e('payment_card', verve650)] },
  { text: `Dankort ${group(maestro50, [4, 4, 4, 4], '.')} virker ikke`, expected: [e('payment_card', group(maestro50, [4, 4, 4, 4], '.'))] },
  { text: `Korttini numero on ${discover65}`, expected: [e('payment_card', discover65)] },
  { text: `My card number is ${rangeMii1}`, expected: [e('payment_card', rangeMii1)] },
  { text: `Maksoin kortilla ${group(rangeMii2, [4, 4, 4, 4])} eilen`, expected: [e('payment_card', group(rangeMii2, [4, 4, 4, 4]))] },
  { text: `Betalade med ${group(rangeMii3, [4, 4, 4, 4], '-')} i går`, expected: [e('payment_card', group(rangeMii3, [4, 4, 4, 4], '-'))] },
  { text: `kreditkort ${rangeVisa18} spärrat?`, expected: [e('payment_card', rangeVisa18)] },
  // IBANs
  { text: `Please refund to ${ibanPrinted(fiIban)}.`, expected: [e('iban', ibanPrinted(fiIban))] },
  { text: `Tilinumeroni on ${fiIban.toLowerCase()} kiitos`, expected: [e('iban', fiIban.toLowerCase())] },
  { text: `Mitt kontonummer är ${ibanPrinted(seIban)}`, expected: [e('iban', ibanPrinted(seIban))] },
  { text: `IBAN: ${deIban}`, expected: [e('iban', deIban)] },
  { text: `Account ${ibanPrinted(gbIban)}, sort code on file`, expected: [e('iban', ibanPrinted(gbIban))] },
  { text: `Norsk konto ${noIban}.`, expected: [e('iban', noIban)] },
  { text: `(${ibanPrinted(frIban)})`, expected: [e('iban', ibanPrinted(frIban))] },
  { text: `Rekening ${nlIban} graag`, expected: [e('iban', nlIban)] },
  // Finnish personal identity codes
  { text: `Henkilötunnukseni on ${fi1900}.`, expected: [e('fi_personal_identity_code', fi1900)] },
  { text: `My Finnish ID is ${fi2000}, born 1 May 2094?`, expected: [e('fi_personal_identity_code', fi2000)] },
  { text: `Tunnus ${fiNewY} (uusi välimerkki)`, expected: [e('fi_personal_identity_code', fiNewY)] },
  { text: `Lapsen hetu: ${fiNewB}`, expected: [e('fi_personal_identity_code', fiNewB)] },
  { text: `Isoisän tunnus oli ${fi1800}`, expected: [e('fi_personal_identity_code', fi1800)] },
  { text: `karkauspäivä ${fiLeap.toLowerCase()} ok`, expected: [e('fi_personal_identity_code', fiLeap.toLowerCase())] },
  // Swedish personal identity numbers
  { text: `Mitt personnummer är ${se10.slice(0, 6)}-${se10.slice(6)}.`, expected: [e('se_personal_identity_number', `${se10.slice(0, 6)}-${se10.slice(6)}`)] },
  { text: `personnummer ${se10b}`, expected: [e('se_personal_identity_number', se10b)] },
  { text: `Swedish ID 20${se12.slice(0, 6)}-${se12.slice(6)} for the account`, expected: [e('se_personal_identity_number', `20${se12.slice(0, 6)}-${se12.slice(6)}`)] },
  { text: `pnr 19${se10} tack`, expected: [e('se_personal_identity_number', `19${se10}`)] },
  { text: `Samordningsnummer ${seCoord.slice(0, 6)}-${seCoord.slice(6)}`, expected: [e('se_personal_identity_number', `${seCoord.slice(0, 6)}-${seCoord.slice(6)}`)] },
  { text: `Farfars nummer är ${sePlus.slice(0, 6)}+${sePlus.slice(6)}`, expected: [e('se_personal_identity_number', `${sePlus.slice(0, 6)}+${sePlus.slice(6)}`)] },
  // passwords in prose
  { text: 'My password is hunter2, can you check?', expected: [e('password', 'hunter2')] },
  { text: 'password: Sommar2024!', expected: [e('password', 'Sommar2024!')] },
  { text: 'pw: x7Gq9', expected: [e('password', 'x7Gq9')] },
  { text: 'The password is now Vaihda#123.', expected: [e('password', 'Vaihda#123')] },
  { text: 'Salasana on kissa123', expected: [e('password', 'kissa123')] },
  { text: 'salasana: Talvi2025', expected: [e('password', 'Talvi2025')] },
  { text: 'Salasanani on nyt "koira ja kissa"', expected: [e('password', 'koira ja kissa')] },
  { text: 'lösenord: Hemlis99', expected: [e('password', 'Hemlis99')] },
  { text: 'Lösenordet är Vinter2023 sedan i går', expected: [e('password', 'Vinter2023')] },
  { text: 'Mitt lösenord är nu katt_hund', expected: [e('password', 'katt_hund')] },
  { text: 'The password for my account is Tr0ub4dor&3 and it still fails', expected: [e('password', 'Tr0ub4dor&3')] },
  { text: 'Lösenordet till mitt konto är fotboll77', expected: [e('password', 'fotboll77')] },
  { text: 'I changed my password to Qwerty!2 yesterday', expected: [e('password', 'Qwerty!2')] },
  { text: 'Vaihdoin salasanaksi Mustikka7 eilen', expected: [e('password', 'Mustikka7')] },
  { text: 'Jag bytte lösenord till Blåbär88 i morse', expected: [e('password', 'Blåbär88')] },
  { text: 'DB_PASSWORD=s3cr3t-pa55 in the config', expected: [e('password', 's3cr3t-pa55')] },
  { text: 'My PIN is 4321', expected: [e('password', '4321')] },
  { text: "passphrase is 'correct horse battery staple'", expected: [e('password', 'correct horse battery staple')] },
  // secrets
  { text: 'Our key is AKIAIOSFODNN7EXAMPLE, sorry', expected: [e('secret', 'AKIAIOSFODNN7EXAMPLE')] },
  { text: 'temporary ASIAY34FZKBOKMUTVV7A expires soon', expected: [e('secret', 'ASIAY34FZKBOKMUTVV7A')] },
  { text: 'maps key AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI', expected: [e('secret', 'AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI')] },
  { text: 'token ghp_16C7e42F292c6912E7710c838347Ae178B4a used in CI', expected: [e('secret', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a')] },
  { text: 'github_pat_11ABCDEFG0123456789abc_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx1234567', expected: [e('secret', 'github_pat_11ABCDEFG0123456789abc_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx1234567')] },
  { text: 'GitLab: glpat-xXxXxXxXxXxXxXxXxXxX, thanks', expected: [e('secret', 'glpat-xXxXxXxXxXxXxXxXxXxX')] },
  { text: 'slack xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy', expected: [e('secret', 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy')] },
  { text: 'Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0 fails', expected: [e('secret', '9f8e7d6c5b4a39281706f5e4d3c2b1a0')] },
  { text: `curl -H "Authorization: Bearer ${jwt}" https://api.example.com`, expected: [e('secret', jwt)] },
  { text: `Här är min token: ${jwt}`, expected: [e('secret', jwt)] },
  { text: `Avain:\n${pem}\nkiitos`, expected: [e('secret', pem)] },
  { text: `key file:\r\n${pkcs8}\r\nthanks`, expected: [e('secret', pkcs8)] },
  { text: `truncated paste:\n${openssh}`, expected: [e('secret', openssh)] },
  { text: 'Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l', expected: [e('secret', 'YWxhZGRpbjpvcGVuc2VzYW1l')] },
  { text: 'stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc leaked', expected: [e('secret', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc')] },
  { text: 'api key: 3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c', expected: [e('secret', '3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c')] },
  // secrets that a secret word introduces, in inflected forms of all three languages
  { text: 'The API key we were issued is g47wiSB9O1YJjvpXFrvqGEA1, please rotate it', expected: [e('secret', 'g47wiSB9O1YJjvpXFrvqGEA1')] },
  { text: 'Our secret: 4ZRWxhigczD/MBBjg9x2YR88WcXr==', expected: [e('secret', '4ZRWxhigczD/MBBjg9x2YR88WcXr==')] },
  { text: 'The webhook secrets are TEgdgd4RYeH5a6aOQs1k and 0TfHfOWkZBHU6VAkps.', expected: [e('secret', 'TEgdgd4RYeH5a6aOQs1k'), e('secret', '0TfHfOWkZBHU6VAkps')] },
  { text: 'credentials = "srSceEjKCBwIELwnxcuI2e2o_Bg0kM"', expected: [e('secret', 'srSceEjKCBwIELwnxcuI2e2o_Bg0kM')] },
  { text: 'API-avaimemme on 563ff2dbd6845e5ce93f7051b6610ff5, eikä se toimi.', expected: [e('secret', '563ff2dbd6845e5ce93f7051b6610ff5')] },
  { text: 'API-avain dcmt3o6ctv5vxky1ocna98 vanheni', expected: [e('secret', 'dcmt3o6ctv5vxky1ocna98')] },
  { text: 'Pääsyavaimeni on nyt BMyC9uNG1fiiRdh0d68cfvtLTR', expected: [e('secret', 'BMyC9uNG1fiiRdh0d68cfvtLTR')] },
  { text: 'Salaisuutemme, jota käytämme tuotannossa, on 01EDD87B9877FE1A8332B1BC523E406976EA', expected: [e('secret', '01EDD87B9877FE1A8332B1BC523E406976EA')] },
  { text: 'Tokenimme: "g47wiSB9O1YJjvpXFrvqGEA1" (tuotanto)', expected: [e('secret', 'g47wiSB9O1YJjvpXFrvqGEA1')] },
  { text: 'Käytämme avainta TEgdgd4RYeH5a6aOQs1k kaikissa ympäristöissä', expected: [e('secret', 'TEgdgd4RYeH5a6aOQs1k')] },
  { text: 'Nyckeln vi använder är 4ZRWxhigczD/MBBjg9x2YR88WcXr== sedan i våras', expected: [e('secret', '4ZRWxhigczD/MBBjg9x2YR88WcXr==')] },
  { text: 'API-nyckeln: 3cef39498feebc5afc4229d29c4850c20edd79ac', expected: [e('secret', '3cef39498feebc5afc4229d29c4850c20edd79ac')] },
  { text: 'Hemligheten är fortfarande srSceEjKCBwIELwnxcuI2e2o_Bg0kM.', expected: [e('secret', 'srSceEjKCBwIELwnxcuI2e2o_Bg0kM')] },
  { text: 'Åtkomstnyckeln för testmiljön är BMyC9uNG1fiiRdh0d68cfvtLTR', expected: [e('secret', 'BMyC9uNG1fiiRdh0d68cfvtLTR')] },
  { text: 'Vår token är dcmt3o6ctv5vxky1ocna98', expected: [e('secret', 'dcmt3o6ctv5vxky1ocna98')] },
  // several kinds in one message
  {
    text: `Hei! Korttini ${group(mc51, [4, 4, 4, 4])} veloitettiin, tilini ${ibanPrinted(fiIban)}, hetu ${fi1900} ja salasana on Kes4kuu.`,
    expected: [
      e('payment_card', group(mc51, [4, 4, 4, 4])),
      e('iban', ibanPrinted(fiIban)),
      e('fi_personal_identity_code', fi1900),
      e('password', 'Kes4kuu'),
    ],
  },
];

/** Texts in which nothing must be masked. */
export const DECOYS: readonly string[] = [
  // order numbers, ticket ids, amounts, versions
  'Order 123456789012 has not arrived.',
  `Tilaus ${visa16.slice(0, 15)}${(Number(visa16.slice(15)) + 1) % 10} (väärä tarkiste) ei näy.`,
  'Ordernummer 900123456789 och 100000000008.',
  'Invoice INV-2026-004211 for 1 249,90 € is overdue.',
  'Ticket TCK-000123-45 was merged into #98231.',
  'Amount: 12 345,67 EUR, or 1,234.56 USD.',
  'Running version 10.0.19045.2364 and app 4.12.1-beta.3.',
  'Build 20261128.1 failed; see log line 4111 1111.',
  'Order reference 4111 1111 1111 1112 (not a card, Luhn fails)',
  'A 22-digit reference 4539578763621486000000 is not a card.',
  `Tilausnumero ${orderLuhn16} on vahvistettu.`,
  `Order ${orderLuhn18} shipped.`,
  `Ordernummer ${group(orderGrouped, [4, 4, 4, 4])} har skickats.`,
  `Lasku ${group(invoiceGrouped, [4, 4, 4, 4])} erääntyy.`,
  `Invoice reference ${group(rangeMii1, [4, 4, 4, 4])} is paid.`,
  `Viitenumero ${group(rangeMii3, [4, 4, 4, 4], ' ')} kiitos`,
  `Beställning ${rangeMii2} levererad.`,
  // dates
  'Delivery on 2026-11-28, or 28.11.2026, or 28/11/2026.',
  'Tapahtui 1.12.2026 klo 14.30.',
  'Leverans 2026-12-01 kl. 09:00.',
  // phone numbers
  'Call me on +358 40 123 4567 or 040 123 4567.',
  'Ring 070-123 45 67 eller +46 70 123 45 67.',
  'Phone +44 20 7946 0958, fax +1 (555) 010-9999.',
  'Numero 0401234567 on käytössä.',
  'Puhelin +358 50 123 4567, vaihde 09 1234 5678.',
  'Ring +46 8 123 456 78 eller 08-123 456 78.',
  'Call +1 415 555 0132 or +44 7700 900123.',
  // identity-number look-alikes that fail their checks
  `Koodi ${fi1900.slice(0, 10)}${fi1900.endsWith('U') ? 'V' : 'U'} on väärä.`,
  'Päiväys 310299-1234 ei ole olemassa.',
  `personnummer ${se10.slice(0, 6)}-${se10.slice(6, 9)}${(Number(se10.slice(9)) + 1) % 10} stämmer inte`,
  'Datum 19991332-1234 finns inte.',
  `IBAN ${ibanPrinted(fiIban).slice(0, -1)}${(Number(fiIban.slice(-1)) + 1) % 10} has a wrong check digit.`,
  'Country XX21 1234 5600 0007 85 does not exist.',
  // password decoys
  'I forgot my password.',
  'Please reset your password using the password reset link.',
  'Unohdin salasanani, voitteko auttaa?',
  'Jag har glömt mitt lösenord.',
  'The password is wrong.',
  'The password is incorrect and the password is expired.',
  'My password is not working.',
  'Salasana on väärä.',
  'Salasanani on vanhentunut.',
  'Lösenordet är fel.',
  'Mitt lösenord är inte giltigt längre.',
  'Password: forgotten',
  'The password is case-sensitive.',
  'Your password must be at least 12 characters.',
  'Change password / Vaihda salasana / Byt lösenord',
  'The passenger passed the passport check.',
  'I was given a boarding pass yesterday.',
  'I need my password to log in to the portal.',
  'Valitse salasanaksi vähintään 12 merkkiä.',
  'Salasanaksi kelpaa vain pitkä lause.',
  // secret look-alikes
  'We use a Bearer token for the API.',
  'Bearer authentication is enabled.',
  'The token is expired, please refresh it.',
  'Key id AKIA12345 is too short.',
  '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----',
  '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkq\n-----END CERTIFICATE-----',
  'The header eyJ is the start of many JSON objects.',
  // long ids and hashes that no secret word introduces, and secret words with no token
  'commit 3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a fixed it',
  'SHA-256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'Tiivisteen (MD5) arvo on 9e107d9d372bb6826bd81d3542a419d6.',
  'Kontrollsumman är 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12.',
  'Request id 5f2b9c1e8d7a6b4c3e2f1a0b9c8d7e6f failed after the token endpoint answered 401.',
  'Tunniste 550e8400-e29b-41d4-a716-446655440000 ei löydy.',
  'Ärende-id 01HF8Z3Q9X7K2M4N6P8R0T1V3W är stängt.',
  'Session g47wiSB9O1YJjvpXFrvqGEA1 timed out.',
  'The key is to restart the app before the update.',
  'The monkey 9f8e7d6c5b4a39281706f5e4d3c2b1a0 is a build name.',
  'Avain on hukassa, ja tokenin voimassaolo päättyi eilen.',
  'API-avaimen tunniste on prod-eu-west-1.',
  'Salaisuus on siinä, että sovellus käynnistetään uudelleen.',
  'Nyckeln till framgång är tålamod.',
  'Hemligheten bakom appen är enkelheten i gränssnittet.',
  'Our secret sauce is version2release2026 of the installer.',
  'The tokenization service is internationalization-ready.',
  // plain prose
  'Hello, the app crashes when I open the settings page. Thanks!',
  'Hei, sovellus kaatuu kun avaan asetukset. Kiitos!',
  'Hej, appen kraschar när jag öppnar inställningarna. Tack!',
];

/**
 * Contact data, scored with every kind on (an organisation that turned it on): email
 * addresses and phone numbers of Finland, Sweden and international forms.
 */
export const CONTACT_POSITIVES: readonly Sample[] = [
  { text: 'Reach me at anna.virtanen@example.fi, thanks', expected: [e('email', 'anna.virtanen@example.fi')] },
  { text: 'Sähköpostini on matti+tuki@yritys.example.com.', expected: [e('email', 'matti+tuki@yritys.example.com')] },
  { text: 'Skicka till karin_lund@foretag.se eller ring mig', expected: [e('email', 'karin_lund@foretag.se')] },
  { text: '(billing: INVOICES@ACME-CORP.CO.UK)', expected: [e('email', 'INVOICES@ACME-CORP.CO.UK')] },
  { text: 'Copy j.doe@mail.example.org and a.b@c.example.net', expected: [e('email', 'j.doe@mail.example.org'), e('email', 'a.b@c.example.net')] },
  { text: 'Call me on +358 40 123 4567 tomorrow', expected: [e('phone_number', '+358 40 123 4567')] },
  { text: 'Puhelinnumeroni on 040 123 4567.', expected: [e('phone_number', '040 123 4567')] },
  { text: 'Soita vaihteeseen 09 1234 5678', expected: [e('phone_number', '09 1234 5678')] },
  { text: 'Ring mig på 070-123 45 67 efter lunch', expected: [e('phone_number', '070-123 45 67')] },
  { text: 'Växeln: 08-123 456 78', expected: [e('phone_number', '08-123 456 78')] },
  { text: 'Mitt nummer är +46 70 123 45 67', expected: [e('phone_number', '+46 70 123 45 67')] },
  { text: 'UK office +44 20 7946 0958, US +1 212 736 5000', expected: [e('phone_number', '+44 20 7946 0958'), e('phone_number', '+1 212 736 5000')] },
  { text: 'Numero 0401234567 toimii', expected: [e('phone_number', '0401234567')] },
  {
    text: 'Kortti 4111 1111 1111 1111, sähköposti liisa@example.fi, puhelin +358 50 765 4321',
    expected: [e('payment_card', '4111 1111 1111 1111'), e('email', 'liisa@example.fi'), e('phone_number', '+358 50 765 4321')],
  },
];

/** Texts with every kind on in which nothing must be masked: numbers and at-signs that are not contact data. */
export const CONTACT_DECOYS: readonly string[] = [
  'Order 123456789012 has not arrived.',
  'Build 20261128.1 failed on 2026-11-28 at 14.30.',
  'Tapahtui 1.12.2026 klo 14.30, tilaus 900123456789.',
  'Leverans 2026-12-01 kl. 09:00, ordernummer 100000000008.',
  'Version 10.0.19045.2364 and app 4.12.1-beta.3.',
  'Amount: 12 345,67 EUR.',
  'Mention @support in the chat, or write to support at example dot com.',
  'The host is user@localhost and the handle is @tuki_fi.',
  'Invoice INV-2026-004211 for 1 249,90 €.',
];
