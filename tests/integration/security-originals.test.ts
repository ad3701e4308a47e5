/**
 * Issue 15, finding 3: what a privacy officer's destroy of a ticket's originals met when
 * customer messages with card numbers arrived at the same time, through the real HTTP server
 * on the emulators.
 */
import { call, portalTicket, useHarness } from './harness';

const h = useHarness('security-originals');

const CARD = '4111 1111 1111 1111';

async function ticketWithCard(): Promise<string> {
  const created = await call(h.api, 'POST', '/v1/tickets', { token: h.tokens.customer, body: portalTicket({ description: `Card ${CARD} was charged twice` }) });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

const message = (id: string, body: string) => call(h.api, 'POST', `/v1/tickets/${id}/messages`, { token: h.tokens.customer, body: { body } });
const destroy = (id: string, query = '') =>
  call(h.api, 'DELETE', `/v1/tickets/${id}/originals?reason=customer%20asked%20for%20erasure${query}`, { token: h.tokens.privacy });
const read = (id: string) => call(h.api, 'GET', `/v1/tickets/${id}/originals?reason=security%20review`, { token: h.tokens.privacy });

describe('finding 3: destroying originals races with new texts', () => {
  it('when a chain of customer messages with card numbers runs next to a destroy, then no text sealed before or after it is readable and reading never fails', async () => {
    for (let round = 0; round < 2; round++) {
      const id = await ticketWithCard();
      const chain = async (): Promise<number[]> => {
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) statuses.push((await message(id, `Attempt ${round}.${i}: card ${CARD} again`)).status);
        return statuses;
      };
      const [destroyed, statuses] = await Promise.all([destroy(id), chain()]);
      expect(destroyed.status).toBe(200);
      expect(destroyed.body).toMatchObject({ ticketId: id, afterwards: 'destroyed' });
      expect(statuses).toEqual([201, 201, 201, 201, 201]);
      const later = await message(id, `And later: ${CARD}`);
      expect(later.status).toBe(201);
      expect(later.body.body).not.toContain('4111');

      const originals = await read(id);
      expect(originals.status).toBe(200);
      // Every text of the chain, sealed before, during or after the destroy, is unreadable: no new key was made.
      expect(originals.body.originals).toEqual([]);
      expect(JSON.stringify(originals.body)).not.toContain('4111');
      expect(originals.body.destroyedOriginals).toEqual(expect.arrayContaining([expect.objectContaining({ source: 'message', messageId: later.body.id })]));
      expect((await h.services.db.collection('dataKeys').doc(id).get()).get('wrapped')).toBeUndefined();
    }
  });

  it('when a privacy officer destroys the originals twice, then both destroys are on record', async () => {
    const id = await ticketWithCard();
    const first = await destroy(id);
    expect(first.status).toBe(200);
    expect(first.body.destroyedTexts).toBe(1);
    expect((await message(id, `New card ${CARD}`)).status).toBe(201);
    const second = await destroy(id);
    expect(second.status).toBe(200);
    expect(second.body.destroyedTexts).toBe(1);

    const originals = await read(id);
    expect(originals.status).toBe(200);
    expect(originals.body.destroys).toEqual([
      expect.objectContaining({ at: first.body.at, by: 'demo-privacy', texts: 1, afterwards: 'destroyed' }),
      expect.objectContaining({ at: second.body.at, by: 'demo-privacy', texts: 1, afterwards: 'destroyed' }),
    ]);
    expect(originals.body.keyDestroyedAt).toBe(second.body.at);
  });

  it('when the privacy officer chose that later texts are refused, then a later message with a card number is 422 and one without is taken', async () => {
    const id = await ticketWithCard();
    const destroyed = await destroy(id, '&afterwards=refused');
    expect(destroyed.status).toBe(200);
    expect(destroyed.body.afterwards).toBe('refused');

    const refused = await message(id, `Here it is again: ${CARD}`);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'ORIGINALS.SEALING_REFUSED', status: 422 });
    expect((await message(id, 'No card this time.')).status).toBe(201);
    const ticket = await call(h.api, 'GET', `/v1/tickets/${id}`, { token: h.tokens.customer });
    expect(ticket.body.messages.map((m: { body: string }) => m.body)).toEqual(['No card this time.']);
    expect((await read(id)).body).toMatchObject({ originals: [], destroyedOriginals: [] });
    expect((await destroy(id, '&afterwards=sometimes')).status).toBe(400);
  });

  it('when a ticket holds texts sealed under different keys, then reading decodes what its key opens and reports the rest as destroyed', async () => {
    const id = await ticketWithCard();
    // A text sealed under a key that is not the ticket's (as the race used to leave behind).
    const stranger = await h.services.vault.newDataKey();
    await h.services.db.collection('originals').doc(id).collection('texts').doc('foreign-text').create({
      id: 'foreign-text',
      ticketId: id,
      source: 'message',
      messageId: 'some-message',
      sealed: h.services.vault.seal(stranger.key, 'unreadable now'),
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    const originals = await read(id);
    expect(originals.status).toBe(200);
    expect(originals.body.originals).toEqual([expect.objectContaining({ source: 'description', text: `Card ${CARD} was charged twice` })]);
    expect(originals.body.destroyedOriginals).toEqual([{ id: 'foreign-text', source: 'message', messageId: 'some-message', createdAt: '2026-01-01T00:00:00.000Z' }]);
  });
});
