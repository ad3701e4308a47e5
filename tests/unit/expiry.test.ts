/** `expireAt` of the bookkeeping records that Firestore's TTL policies delete. */
import { expiry } from '../../functions/src/adapters/expiry';
import { EXPIRING_RECORDS } from '../../functions/src/manifest';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('expiry', () => {
  it.each(Object.entries(EXPIRING_RECORDS))('a %s record expires its days after it was written', (kind, { days }) => {
    const written = '2026-11-28T09:15:00.000Z';
    const { expireAt } = expiry(kind as keyof typeof EXPIRING_RECORDS, written);
    expect(expireAt.toMillis()).toBe(Date.parse(written) + days * DAY_MS);
  });

  it('processed-event markers outlive the outbox records of their events', () => {
    expect(EXPIRING_RECORDS.processedEvents.days).toBeGreaterThan(EXPIRING_RECORDS.outbox.days);
  });

  it('refuses a time that is not a timestamp', () => {
    expect(() => expiry('outbox', 'yesterday')).toThrow('not a timestamp');
  });
});
