/**
 * How tuki signs the webhook requests it sends, as Stripe does: the header
 * `Tuki-Signature: t=<unix seconds>,v1=<hex>` where `v1` is the lower-case hex
 * HMAC-SHA256, keyed with the subscription's secret, of `<t>.<raw request body>`.
 *
 * A receiver verifies a request by parsing the header, computing the same HMAC over the
 * timestamp, a dot and the body exactly as received (before any JSON parsing), comparing it
 * in constant time with each `v1` of the header, and refusing a timestamp more than
 * {@link SIGNATURE_TOLERANCE_SECONDS} away from its own clock (a replayed request).
 * {@link verifySignature} does exactly that and is what the tests verify deliveries with.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the signature. */
export const SIGNATURE_HEADER = 'Tuki-Signature';

/** How far a signature's timestamp may be from the receiver's clock. */
const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The hex HMAC-SHA256 of `${timestampSeconds}.${body}` keyed with `secret`. */
function signatureOf(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
}

/** The `Tuki-Signature` value for `body` sent at `nowMs`. */
export function signatureHeader(secret: string, body: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${signatureOf(secret, t, body)}`;
}

/** What a verification found. */
export type SignatureCheck =
  | { readonly valid: true; readonly timestampSeconds: number }
  | { readonly valid: false; readonly reason: 'missing' | 'malformed' | 'mismatch' | 'expired' };

/**
 * Verifies a `Tuki-Signature` header against the raw `body` and the subscription's `secret`
 * at `nowMs`. Several `v1` entries (while a secret is being rotated) are accepted if any matches.
 */
export function verifySignature(
  header: string | null | undefined,
  body: string,
  secret: string,
  nowMs: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  if (header === null || header === undefined || header === '') return { valid: false, reason: 'missing' };
  const pairs = header.split(',').map((part) => part.trim().split('='));
  const timestamps = pairs.filter(([key]) => key === 't').map(([, value]) => value ?? '');
  const signatures = pairs.filter(([key]) => key === 'v1').map(([, value]) => value ?? '');
  const [t] = timestamps;
  if (timestamps.length !== 1 || t === undefined || !/^\d{1,12}$/.test(t) || signatures.length === 0) return { valid: false, reason: 'malformed' };
  const timestampSeconds = Number(t);
  const expected = Buffer.from(signatureOf(secret, timestampSeconds, body), 'hex');
  const matches = signatures.some((candidate) => {
    if (!/^[0-9a-f]{64}$/.test(candidate)) return false;
    return timingSafeEqual(expected, Buffer.from(candidate, 'hex'));
  });
  if (!matches) return { valid: false, reason: 'mismatch' };
  if (Math.abs(nowMs / 1000 - timestampSeconds) > toleranceSeconds) return { valid: false, reason: 'expired' };
  return { valid: true, timestampSeconds };
}
