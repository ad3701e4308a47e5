import { EVENT_KINDS } from '../../functions/src/domain/events';
import { EVENT_TOPICS, FUNCTIONS, TOPICS } from '../../functions/src/manifest';

describe('event kinds and their topics', () => {
  it('every kind of event has a topic of its own, and the manifest maps no kind the domain does not know', () => {
    expect(Object.keys(EVENT_TOPICS).sort()).toEqual([...EVENT_KINDS].sort());
    const topics = EVENT_KINDS.map((kind) => EVENT_TOPICS[kind]);
    expect(new Set(topics).size).toBe(EVENT_KINDS.length);
    for (const topic of topics) expect(Object.values(TOPICS)).toContain(topic);
  });

  // Status emails are for a mail provider outside tuki: no tuki function reads their topic.
  const CONSUMED_OUTSIDE = ['status.email'];

  it('every kind has a topic that some deployed function consumes, but the mail provider\'s', () => {
    const consumed = new Set(FUNCTIONS.flatMap((f) => (f.trigger.kind === 'pubsub' ? [f.trigger.topic] : [])));
    for (const kind of EVENT_KINDS.filter((k) => !CONSUMED_OUTSIDE.includes(k))) expect(consumed.has(EVENT_TOPICS[kind])).toBe(true);
    for (const kind of CONSUMED_OUTSIDE) expect(consumed.has(EVENT_TOPICS[kind as keyof typeof EVENT_TOPICS])).toBe(false);
  });
});
