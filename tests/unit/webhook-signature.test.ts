/** The webhook signature (`Tuki-Signature: t=…,v1=…`, HMAC-SHA256 over `t.body`) and its verification. */
import { createHmac } from 'node:crypto';
import { signatureHeader, verifySignature } from '../../functions/src/domain/webhook-signature';

const SECRET = 'whsec_test-secret';
const BODY = '{"id":"d1","type":"status.update"}';
const NOW = Date.parse('2026-12-01T12:00:00Z');

describe('webhook signatures', () => {
  it('the header is t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">, computable by any receiver', () => {
    const t = NOW / 1000;
    const expected = createHmac('sha256', SECRET).update(`${t}.${BODY}`).digest('hex');
    expect(signatureHeader(SECRET, BODY, NOW)).toBe(`t=${t},v1=${expected}`);
  });

  it('when the body, the secret and the time agree, then it verifies', () => {
    expect(verifySignature(signatureHeader(SECRET, BODY, NOW), BODY, SECRET, NOW + 10_000)).toEqual({ valid: true, timestampSeconds: NOW / 1000 });
  });

  it('when one byte of the body changed or another secret signed it, then it does not verify', () => {
    const header = signatureHeader(SECRET, BODY, NOW);
    expect(verifySignature(header, BODY.replace('d1', 'd2'), SECRET, NOW)).toEqual({ valid: false, reason: 'mismatch' });
    expect(verifySignature(signatureHeader('whsec_other', BODY, NOW), BODY, SECRET, NOW)).toEqual({ valid: false, reason: 'mismatch' });
  });

  it('when the timestamp is more than five minutes away, then it is refused as a replay', () => {
    const header = signatureHeader(SECRET, BODY, NOW);
    expect(verifySignature(header, BODY, SECRET, NOW + 301_000)).toEqual({ valid: false, reason: 'expired' });
    expect(verifySignature(header, BODY, SECRET, NOW - 301_000)).toEqual({ valid: false, reason: 'expired' });
  });

  it('when the timestamp was changed to look fresh, then the signature no longer matches', () => {
    const [, v1] = signatureHeader(SECRET, BODY, NOW - 3_600_000).split(',');
    expect(verifySignature(`t=${NOW / 1000},${v1}`, BODY, SECRET, NOW)).toEqual({ valid: false, reason: 'mismatch' });
  });

  it('when a rotated secret adds a second v1, then either one verifies', () => {
    const header = signatureHeader(SECRET, BODY, NOW);
    const other = signatureHeader('whsec_old', BODY, NOW).split(',')[1];
    expect(verifySignature(`${header},${other}`, BODY, 'whsec_old', NOW).valid).toBe(true);
  });

  it.each([undefined, '', 'v1=abc', 't=1,t=2,v1=00', 't=abc,v1=00', `t=${NOW / 1000}`])('when the header is %p, then it is refused', (header) => {
    expect(verifySignature(header, BODY, SECRET, NOW).valid).toBe(false);
  });
});
