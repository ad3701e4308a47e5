import { EVENT_KINDS } from '../../functions/src/domain/events';
import { EVENT_TOPICS, FUNCTIONS, TOPICS } from '../../functions/src/manifest';

describe('event kinds and their topics', () => {
  it('each kind of event travels on the topic its consumer is subscribed to', () => {
    expect(EVENT_TOPICS).toEqual({
      'ticket.needs_agent': TOPICS.ticketRouting,
      'ticket.severity_one': TOPICS.ticketSeverityOne,
      notification: TOPICS.notifications,
      'ticket.lifecycle': TOPICS.ticketLifecycle,
      'erasure.requested': TOPICS.erasureRequested,
    });
  });

  it('every kind has a topic that some deployed function consumes', () => {
    const consumed = new Set(FUNCTIONS.flatMap((f) => (f.trigger.kind === 'pubsub' ? [f.trigger.topic] : [])));
    for (const kind of EVENT_KINDS) expect(consumed.has(EVENT_TOPICS[kind])).toBe(true);
  });
});
