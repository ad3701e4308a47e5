/** `expireAt` of the bookkeeping records that Firestore's TTL policies delete. */
import { expiry } from '../../functions/src/adapters/expiry';
import { EXPIRING_RECORDS, type ExpiringRecord } from '../../functions/src/manifest';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The promised lifetimes, written out so that a changed manifest value fails here. */
const PROMISED_DAYS: Record<ExpiringRecord, number> = { outbox: 30, processedEvents: 35, idempotencyKeys: 7, webhookDeliveries: 30 };

describe('expiry', () => {
  it('the manifest declares exactly the records with a promised lifetime', () => {
    expect(Object.keys(EXPIRING_RECORDS).sort()).toEqual(Object.keys(PROMISED_DAYS).sort());
  });

  it.each(Object.entries(PROMISED_DAYS))('a %s record expires %i days after it was written', (kind, days) => {
    const written = '2026-11-28T09:15:00.000Z';
    const { expireAt } = expiry(kind as ExpiringRecord, written);
    expect(expireAt.toMillis()).toBe(Date.parse(written) + days * DAY_MS);
  });

  it('processed-event markers outlive the outbox records of their events', () => {
    expect(EXPIRING_RECORDS.processedEvents.days).toBeGreaterThan(EXPIRING_RECORDS.outbox.days);
  });

  it('refuses a time that is not a timestamp', () => {
    expect(() => expiry('outbox', 'yesterday')).toThrow('not a timestamp');
  });
});
