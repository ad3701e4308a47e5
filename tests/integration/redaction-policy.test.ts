/** Contact data by choice: an admin turns email and phone redaction on for one organisation. */
import { call, portalTicket, useHarness } from './harness';

const h = useHarness('redaction-policy');

const CONTACT = 'Call me on +358 40 123 4567 or write to anna.virtanen@example.fi.';

describe('redaction policy per organisation', () => {
  it("when an admin turns email and phone numbers on for an organisation, then its new tickets have them masked and other organisations' do not", async () => {
    const put = await call(h.api, 'PUT', '/v1/admin/redaction-policy/demo-org', {
      token: h.tokens.admin,
      body: { kinds: ['email', 'phone_number'] },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ orgId: 'demo-org', kinds: ['email', 'phone_number'] });

    const mine = await call(h.api, 'POST', '/v1/tickets', { token: h.tokens.customer, body: portalTicket({ description: CONTACT }) });
    expect(mine.status).toBe(201);
    expect(mine.body.description).toBe(`Call me on **** ** *** **** or write to ${'*'.repeat('anna.virtanen@example.fi'.length)}.`);
    expect(mine.body.redactions).toEqual([
      { kind: 'email', count: 1 },
      { kind: 'phone_number', count: 1 },
    ]);
    const stored = await h.services.db.collection('tickets').doc(mine.body.id as string).get();
    expect(JSON.stringify(stored.data())).not.toMatch(/anna\.virtanen|123 4567/);

    const theirs = await call(h.api, 'POST', '/v1/tickets', { token: h.tokens.otherCustomer, body: portalTicket({ description: CONTACT }) });
    expect(theirs.status).toBe(201);
    expect(theirs.body.description).toBe(CONTACT);
  });

  it('when the policy is turned off again, then new texts keep their contact data', async () => {
    for (const kinds of [['email'], []]) {
      const put = await call(h.api, 'PUT', '/v1/admin/redaction-policy/demo-org', { token: h.tokens.admin, body: { kinds } });
      expect(put.status).toBe(200);
    }
    const ticket = await call(h.api, 'POST', '/v1/tickets', { token: h.tokens.customer, body: portalTicket({ description: CONTACT }) });
    expect(ticket.body.description).toBe(CONTACT);
  });

  it('when the body names an unknown kind or an unknown field, or the caller is not an admin, then it is refused as problem+json and nothing is stored', async () => {
    const refusals = [
      { token: h.tokens.admin, body: { kinds: ['email', 'postal_address'] }, status: 400 },
      { token: h.tokens.admin, body: { kinds: ['email'], orgId: 'other-org' }, status: 400 },
      { token: h.tokens.admin, body: { kinds: 'email' }, status: 400 },
      { token: h.tokens.manager, body: { kinds: ['email'] }, status: 403 },
      { token: h.tokens.customer, body: { kinds: ['email'] }, status: 403 },
      { body: { kinds: ['email'] }, status: 401 },
    ];
    for (const { status, ...request } of refusals) {
      const answer = await call(h.api, 'PUT', '/v1/admin/redaction-policy/demo-org', request);
      expect([answer.status, answer.headers.get('content-type')]).toEqual([status, expect.stringContaining('application/problem+json')]);
    }
    expect((await h.services.db.collection('redactionPolicies').get()).size).toBe(0);
  });
});
