/** Webhook deliveries: claims, the backoff schedule, dead-lettering, and what counts as delivered. */
import {
  afterAttempt,
  ATTEMPT_LEASE_MS,
  claim,
  deliveryIdOf,
  isDue,
  newDelivery,
  outcomeOf,
  retryDelayMs,
  RETRY_SCHEDULE,
  type WebhookDelivery,
} from '../../functions/src/domain/webhook-delivery';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const FAILED = { status: 503, error: 'http_503' };

function aDelivery(overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    ...newDelivery({ id: 'd1', purpose: 'status.update', targetId: 's1', eventId: 'e1', url: 'https://hooks.example.com/x', body: '{}', expectEcho: null }, NOW),
    ...overrides,
  };
}

describe('webhook deliveries', () => {
  it('a delivery keeps only the origin of its URL, not the path or query that may carry a token or a name', () => {
    const delivery = newDelivery(
      { id: 'd1', purpose: 'status.update', targetId: 's1', eventId: 'e1', url: 'https://hooks.example.com:8443/u/jane.doe/hook?token=s3cret', body: '{}', expectEcho: null },
      NOW,
    );
    expect(delivery.origin).toBe('https://hooks.example.com:8443');
    expect(JSON.stringify(delivery)).not.toMatch(/jane|s3cret/);
  });

  it('the delivery of one event to one target always has the same id, and another target another', () => {
    expect(deliveryIdOf('e1', 's1')).toBe(deliveryIdOf('e1', 's1'));
    expect(deliveryIdOf('e1', 's1')).not.toBe(deliveryIdOf('e1', 's2'));
    expect(deliveryIdOf('e1', 's1')).not.toBe(deliveryIdOf('e1s', '1'));
  });

  it('when an attempt claims a delivery, then the attempt is counted and the delivery is not due again until the lease ends', () => {
    const claimed = claim(aDelivery(), NOW);
    expect(claimed.attempts).toBe(1);
    expect(isDue(claimed, NOW + ATTEMPT_LEASE_MS - 1)).toBe(false);
    expect(isDue(claimed, NOW + ATTEMPT_LEASE_MS)).toBe(true);
  });

  it('the backoff doubles from a minute: 1, 2, 4, … 64 minutes at the middle of its jitter', () => {
    expect(Array.from({ length: RETRY_SCHEDULE.maxAttempts - 1 }, (_, i) => retryDelayMs(i + 1, 0.5) / 60_000)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(retryDelayMs(40, 0.5)).toBe(RETRY_SCHEDULE.maxDelaySeconds * 1000);
  });

  it('when the random fraction runs from 0 to 1, then each delay is spread by at most a fifth either way, and a fraction out of range is clamped', () => {
    expect(retryDelayMs(1, 0)).toBe(48_000);
    expect(retryDelayMs(1, 0.25)).toBe(54_000);
    expect(retryDelayMs(3, 0.75)).toBe(264_000);
    expect(retryDelayMs(1, 0.999_999)).toBeLessThanOrEqual(72_000);
    expect(retryDelayMs(1, -3)).toBe(48_000);
    expect(retryDelayMs(1, 7)).toBe(72_000);
    expect(retryDelayMs(40, 0)).toBe(RETRY_SCHEDULE.maxDelaySeconds * 800);
  });

  it('when an attempt fails before the last, then the next one is scheduled by the backoff with the fraction drawn for it', () => {
    let delivery = aDelivery();
    for (let attempt = 1; attempt < RETRY_SCHEDULE.maxAttempts; attempt++) {
      const at = Date.parse(delivery.nextAttemptAt ?? '');
      const fraction = attempt / RETRY_SCHEDULE.maxAttempts;
      delivery = afterAttempt(claim(delivery, at), FAILED, at + 500, fraction);
      expect(delivery).toMatchObject({ state: 'pending', attempts: attempt, lastOutcome: FAILED });
      expect(Date.parse(delivery.nextAttemptAt ?? '') - (at + 500)).toBe(retryDelayMs(attempt, fraction));
    }
    const last = afterAttempt(claim(delivery, NOW + 1e9), FAILED, NOW + 1e9, 0.5);
    expect(last).toMatchObject({ state: 'dead_lettered', attempts: RETRY_SCHEDULE.maxAttempts, nextAttemptAt: null });
    expect(isDue(last, NOW + 1e12)).toBe(false);
  });

  it('when an attempt succeeds, then it is delivered and never due again', () => {
    const delivered = afterAttempt(claim(aDelivery(), NOW), { status: 204, error: null }, NOW + 100, 0.5);
    expect(delivered).toMatchObject({ state: 'delivered', nextAttemptAt: null, finishedAt: new Date(NOW + 100).toISOString() });
    expect(isDue(delivered, NOW + 1e12)).toBe(false);
  });

  it('only a 2xx answer counts; a redirect or no answer is a failure; a challenge must be echoed', () => {
    expect(outcomeOf({ status: 200, body: '' }, null).error).toBeNull();
    expect(outcomeOf({ status: 302, body: '' }, null).error).toBe('http_302');
    expect(outcomeOf({ status: null, error: 'timeout' }, null)).toEqual({ status: null, error: 'timeout' });
    expect(outcomeOf({ status: 200, body: '{"challenge":"abc"}' }, 'abc').error).toBeNull();
    expect(outcomeOf({ status: 200, body: '{"challenge":"abd"}' }, 'abc').error).toBe('challenge_not_echoed');
    expect(outcomeOf({ status: 200, body: 'abc' }, 'abc').error).toBe('challenge_not_echoed');
  });
});
