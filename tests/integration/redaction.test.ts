/**
 * Redaction end to end: sensitive values never stored in the clear, published or logged;
 * originals encrypted apart from the ticket, readable only by privacy officers, audited, and
 * gone for good once the ticket's data key is destroyed.
 */
import type { Firestore } from '@google-cloud/firestore';
import { PubSub, type Subscription } from '@google-cloud/pubsub';
import { TOPICS } from '../../functions/src/manifest';
import { call, eventually, portalTicket, useHarness } from './harness';

const h = useHarness('redaction');

const SENSITIVE = {
  card: '4111 1111 1111 1111',
  iban: 'FI21 1234 5600 0007 85',
  fi: '131052-308T',
  se: '811218-9876',
  password: 'Hunter2Secret!',
  messagePassword: 'Tr0ub4dor&3x',
};
/** Every raw value, also without separators, as it could appear anywhere. */
const NEEDLES = Object.values(SENSITIVE).flatMap((v) => [v, v.replace(/[\s-]/g, '')]);

const DESCRIPTION = `Please charge card ${SENSITIVE.card} or IBAN ${SENSITIVE.iban}. My hetu is ${SENSITIVE.fi}, my colleague's personnummer ${SENSITIVE.se}, and my password is ${SENSITIVE.password} if you need it.`;

/** Every document of the database, with its path, except the encrypted originals. */
async function allDocumentsOutsideOriginals(db: Firestore): Promise<{ path: string; json: string }[]> {
  const out: { path: string; json: string }[] = [];
  const walk = async (collections: FirebaseFirestore.CollectionReference[]): Promise<void> => {
    for (const collection of collections) {
      if (collection.path.startsWith('originals')) continue;
      for (const ref of await collection.listDocuments()) {
        const snapshot = await ref.get();
        if (snapshot.exists) out.push({ path: ref.path, json: JSON.stringify(snapshot.data()) });
        await walk(await ref.listCollections());
      }
    }
  };
  await walk(await db.listCollections());
  return out;
}

function leaks(text: string): string[] {
  return NEEDLES.filter((needle) => text.includes(needle));
}

describe('automatic redaction at intake', () => {
  it('when a ticket carries a card, an IBAN, Finnish and Swedish identity codes and a password, then no raw value is stored, published or logged outside the encrypted originals', async () => {
    const pubsub = new PubSub({ projectId: h.services.config.GOOGLE_CLOUD_PROJECT });
    const taps: Subscription[] = [];
    for (const topic of Object.values(TOPICS)) {
      const name = `scan-${topic}`;
      await pubsub.subscription(name).delete().catch(() => undefined);
      [taps[taps.length]] = await pubsub.topic(topic).createSubscription(name);
    }
    const logged: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return write(chunk, ...(rest as []));
    });
    try {
      const created = await call(h.api, 'POST', '/v1/tickets', {
        token: h.tokens.customer,
        body: portalTicket({ subject: `Card ${SENSITIVE.card} declined`, description: DESCRIPTION }),
      });
      expect(created.status).toBe(201);
      expect(created.body.redactions).toEqual([
        { kind: 'payment_card', count: 2 },
        { kind: 'iban', count: 1 },
        { kind: 'fi_personal_identity_code', count: 1 },
        { kind: 'se_personal_identity_number', count: 1 },
        { kind: 'password', count: 1 },
      ]);
      expect(created.body.notices[0]).toMatch(/payment card/);
      expect(created.body.subject).toBe('Card **** **** **** 1111 declined');
      expect(leaks(JSON.stringify(created.body))).toEqual([]);
      const id = created.body.id as string;
      const message = await call(h.api, 'POST', `/v1/tickets/${id}/messages`, {
        token: h.tokens.customer,
        body: { body: `Sorry, the password is now ${SENSITIVE.messagePassword}` },
      });
      expect(message.status).toBe(201);
      expect(message.body.redactions).toEqual([{ kind: 'password', count: 1 }]);
      await eventually(async () => ((await h.services.tickets.get(id))?.assigneeUid ? true : undefined), 20_000, 'routing');

      const documents = await allDocumentsOutsideOriginals(h.services.db);
      expect(documents.length).toBeGreaterThan(5);
      expect(documents.filter((d) => leaks(d.json).length > 0).map((d) => d.path)).toEqual([]);

      const published: string[] = [];
      for (const tap of taps) {
        const [response] = await new PubSub({ projectId: h.services.config.GOOGLE_CLOUD_PROJECT }).subscription(tap.name).get();
        await new Promise<void>((resolve) => {
          response.on('message', (m: { data: Buffer; ack(): void }) => {
            published.push(m.data.toString());
            m.ack();
          });
          setTimeout(() => {
            void response.close().then(() => resolve());
          }, 1500);
        });
      }
      expect(published.length).toBeGreaterThan(0);
      expect(published.filter((p) => leaks(p).length > 0)).toEqual([]);
      expect(logged.length).toBeGreaterThan(0);
      expect(logged.filter((line) => leaks(line).length > 0)).toEqual([]);
    } finally {
      spy.mockRestore();
      await Promise.all(taps.map((t) => t.delete().catch(() => undefined)));
      await pubsub.close();
    }
  });
});

describe('originals', () => {
  async function ticketWithSecrets(): Promise<string> {
    const created = await call(h.api, 'POST', '/v1/tickets', { token: h.tokens.customer, body: portalTicket({ description: DESCRIPTION }) });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  it('a privacy officer reads the originals with a reason, and the read is audited', async () => {
    const id = await ticketWithSecrets();
    const read = await call(h.api, 'GET', `/v1/tickets/${id}/originals?reason=${encodeURIComponent('Customer dispute #42')}`, { token: h.tokens.privacy });
    expect(read.status).toBe(200);
    expect(read.body.originals).toEqual([expect.objectContaining({ source: 'description', text: DESCRIPTION })]);
    const audit = await h.services.db.collection('auditLog').doc(read.body.auditId).get();
    expect(audit.data()).toMatchObject({ action: 'originals.read', ticketId: id, by: 'demo-privacy', reason: 'Customer dispute #42' });
    const stored = await h.services.db.collection('originals').doc(id).collection('texts').get();
    expect(stored.size).toBe(1);
    expect(leaks(JSON.stringify(stored.docs[0]!.data()))).toEqual([]);
  });

  it('a reason is required, and agents, managers and customers are refused', async () => {
    const id = await ticketWithSecrets();
    expect((await call(h.api, 'GET', `/v1/tickets/${id}/originals`, { token: h.tokens.privacy })).status).toBe(400);
    expect((await call(h.api, 'GET', `/v1/tickets/${id}/originals?reason=curious`, { token: h.tokens.l1 })).status).toBe(403);
    expect((await call(h.api, 'GET', `/v1/tickets/${id}/originals?reason=curious`, { token: h.tokens.manager })).status).toBe(403);
    expect((await call(h.api, 'GET', `/v1/tickets/${id}/originals?reason=curious`, { token: h.tokens.customer })).status).toBe(404);
    expect((await call(h.api, 'GET', `/v1/tickets/nope/originals?reason=curious`, { token: h.tokens.privacy })).status).toBe(404);
    const audits = await h.services.db.collection('auditLog').where('ticketId', '==', id).get();
    expect(audits.size).toBe(0);
  });

  it('after the data key is destroyed, the originals are gone', async () => {
    const id = await ticketWithSecrets();
    const destroyed = await call(h.api, 'DELETE', `/v1/tickets/${id}/originals?reason=${encodeURIComponent('Erasure request 7')}`, { token: h.tokens.privacy });
    expect(destroyed.status).toBe(200);
    expect(destroyed.body.destroyedTexts).toBe(1);
    // A tombstone without the wrapped key stands in its place.
    expect((await h.services.db.collection('dataKeys').doc(id).get()).data()).toEqual({ ticketId: id, destroyedAt: destroyed.body.at, afterwards: 'destroyed' });
    expect((await h.services.db.collection('originals').doc(id).collection('texts').get()).size).toBe(0);
    const read = await call(h.api, 'GET', `/v1/tickets/${id}/originals?reason=${encodeURIComponent('Check erasure')}`, { token: h.tokens.privacy });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ originals: [], keyDestroyedAt: destroyed.body.at });
  });
});

describe('manual redaction', () => {
  it('an agent masks exact text in a message; the original is kept for privacy officers', async () => {
    const created = await call(h.api, 'POST', '/v1/tickets', { token: h.tokens.customer, body: portalTicket() });
    const id = created.body.id as string;
    const message = await call(h.api, 'POST', `/v1/tickets/${id}/messages`, { token: h.tokens.customer, body: { body: 'My customer number is CN-99812, address Main Street 5' } });
    const redacted = await call(h.api, 'POST', `/v1/tickets/${id}/redactions`, {
      token: h.tokens.l1,
      body: { messageId: message.body.id, text: 'Main Street 5', reason: 'Home address' },
    });
    expect(redacted.status).toBe(200);
    const ticket = await call(h.api, 'GET', `/v1/tickets/${id}`, { token: h.tokens.customer });
    expect(ticket.body.messages[0].body).toBe('My customer number is CN-99812, address **** ****** *');
    const originals = await call(h.api, 'GET', `/v1/tickets/${id}/originals?reason=audit`, { token: h.tokens.privacy });
    expect(originals.body.originals.map((o: { text: string }) => o.text)).toEqual(['My customer number is CN-99812, address Main Street 5']);
  });

  it('masks by offsets in the description, refuses bad spans and customers', async () => {
    const created = await call(h.api, 'POST', '/v1/tickets', { token: h.tokens.customer, body: portalTicket({ description: 'Call me at home please' }) });
    const id = created.body.id as string;
    const span = await call(h.api, 'POST', `/v1/tickets/${id}/redactions`, { token: h.tokens.l1, body: { field: 'description', start: 11, end: 15, reason: 'Location' } });
    expect(span.status).toBe(200);
    expect((await h.services.tickets.get(id))?.description).toBe('Call me at **** please');
    const outOfRange = await call(h.api, 'POST', `/v1/tickets/${id}/redactions`, { token: h.tokens.l1, body: { field: 'description', start: 5, end: 500, reason: 'x' } });
    expect(outOfRange.status).toBe(400);
    const both = await call(h.api, 'POST', `/v1/tickets/${id}/redactions`, { token: h.tokens.l1, body: { field: 'subject', messageId: 'm', text: 'x', reason: 'x' } });
    expect(both.status).toBe(400);
    expect((await call(h.api, 'POST', `/v1/tickets/${id}/redactions`, { token: h.tokens.customer, body: { field: 'subject', text: 'x', reason: 'x' } })).status).toBe(404);
  });
});
