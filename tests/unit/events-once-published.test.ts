import { keptOncePublished, newEventWithId } from '../../functions/src/domain/events';

describe('what an outbox record keeps of an event once it is published', () => {
  it('when a status email is published, then its record keeps which subscription it was for and nothing of the address, text or tokens', () => {
    const email = newEventWithId('mail-1', 'status.email', 'status.update', '2026-12-01T10:00:00.000Z', {
      to: 'jane.doe@example.com',
      subject: '[resolved] TMS is slow',
      text: 'Fixed. Unsubscribe: https://status.example.com/v1/status/subscriptions/s1?token=t0ken',
      subscriptionId: 's1',
      unsubscribeUrl: 'https://status.example.com/v1/status/subscriptions/s1?token=t0ken',
      unsubscribeToken: 't0ken',
    });
    const kept = keptOncePublished(email);
    expect(kept).toEqual({ id: 'mail-1', kind: 'status.email', type: 'status.update', occurredAt: '2026-12-01T10:00:00.000Z', data: { subscriptionId: 's1' } });
    expect(JSON.stringify(kept)).not.toMatch(/jane|t0ken/);
  });

  it('when an event of another kind is published, then its record keeps it whole (the same event)', () => {
    const lifecycle = newEventWithId('e-1', 'ticket.lifecycle', 'ticket.created', '2026-12-01T10:00:00.000Z', { ticketId: 't-1', product: 'tms' });
    expect(keptOncePublished(lifecycle)).toBe(lifecycle);
  });
});
