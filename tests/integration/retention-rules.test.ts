/**
 * The retention job's rules one by one, end to end on the emulators (the job run as Cloud
 * Scheduler runs it, by a publish to its topic): auto-close of resolved tickets, destruction of
 * sealed originals, inactive customers (with the fallback for profiles without an activity
 * day), deactivated staff, support figures after deletion, and a legal hold on an unknown ticket.
 */
import { getAuth } from 'firebase-admin/auth';
import { call, useHarness } from './harness';
import { allDocuments, answeredTicket, backdate, CARD, DAY, daysAgo, fullTicket, runJob, settled } from './retention-helpers';

const h = useHarness('retention-rules');

const day = (daysBack: number): string => daysAgo(daysBack).slice(0, 10);

/** A ticket answered and resolved by the agent, its resolution moved `days` into the past. */
async function resolvedTicket(daysBack: number, subject: string): Promise<string> {
  const id = await answeredTicket(h, h.tokens.customer, subject);
  expect((await call(h.api, 'POST', `/v1/tickets/${id}/status`, { token: h.tokens.l1, body: { status: 'resolved' } })).status).toBe(200);
  await backdate(h, id, daysBack, ['resolvedAt']);
  return id;
}

async function readOriginals(id: string): Promise<{ originals: { text: string }[]; keyDestroyedAt: string | null }> {
  const read = await call(h.api, 'GET', `/v1/tickets/${id}/originals?reason=retention-check`, { token: h.tokens.privacy });
  expect(read.status).toBe(200);
  return read.body;
}

describe('auto-close of resolved tickets', () => {
  it("when a resolved ticket had no customer reply for the product's configured days, then the job closes it; one the customer answered, or resolved more recently, stays open", async () => {
    expect((await call(h.api, 'PUT', '/v1/admin/retention-policies/online', { token: h.tokens.admin, body: { autoCloseResolvedAfterDays: 3 } })).status).toBe(200);
    const quiet = await resolvedTicket(4, 'Resolved four days ago, no reply');
    const answered = await resolvedTicket(4, 'Resolved four days ago, then answered');
    const recent = await resolvedTicket(2, 'Resolved two days ago');
    // The customer's reply reopens the ticket: "resolved for M days" means "no reply for M days".
    expect((await call(h.api, 'POST', `/v1/tickets/${answered}/messages`, { token: h.tokens.customer, body: { body: 'It happened again today.' } })).status).toBe(201);
    await settled(h);

    expect(await runJob(h)).toMatchObject({ autoClosed: 1, deleted: 0, failed: 0 });
    const closed = await h.services.tickets.get(quiet);
    expect(closed).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    expect(Date.parse(closed?.closedAt ?? '')).toBeGreaterThan(Date.now() - DAY);
    expect(await h.services.tickets.get(answered)).toMatchObject({ status: 'open', closedAt: null });
    expect(await h.services.tickets.get(recent)).toMatchObject({ status: 'resolved', closedAt: null });
    // A closed ticket stays closed: the next run has nothing to close.
    expect(await runJob(h)).toMatchObject({ autoClosed: 0 });
  });
});

describe('sealed originals', () => {
  it('when a ticket was resolved more than K days ago, then its originals are destroyed and the ticket stays; inside K days, or held, they stay readable', async () => {
    expect((await call(h.api, 'PUT', '/v1/admin/retention-policies/online', { token: h.tokens.admin, body: { destroyOriginalsAfterResolvedDays: 20 } })).status).toBe(200);
    const old = await fullTicket(h, h.tokens.customer, 'Resolved 21 days ago');
    const young = await fullTicket(h, h.tokens.customer, 'Resolved 19 days ago');
    const held = await fullTicket(h, h.tokens.customer, 'Resolved 21 days ago, held');
    await backdate(h, old, 21);
    await backdate(h, young, 19);
    await backdate(h, held, 21);
    expect((await call(h.api, 'PUT', `/v1/tickets/${held}/legal-hold`, { token: h.tokens.privacy, body: { reason: 'Dispute 2026-31 with the customer' } })).status).toBe(200);
    for (const id of [old, young, held]) expect(JSON.stringify((await readOriginals(id)).originals)).toContain(CARD);
    await settled(h);

    expect(await runJob(h)).toMatchObject({ originalsDestroyed: 1, deleted: 0, failed: 0 });
    expect(await readOriginals(old)).toEqual(expect.objectContaining({ originals: [], keyDestroyedAt: expect.any(String) }));
    expect((await h.services.db.collection('originals').doc(old).collection('texts').get()).size).toBe(0);
    // The data key is gone; a tombstone without the wrapped key stands in its place (no key is made again).
    const tombstone = await h.services.db.collection('dataKeys').doc(old).get();
    expect(tombstone.exists).toBe(true);
    expect(tombstone.get('wrapped')).toBeUndefined();
    expect((await call(h.api, 'GET', `/v1/tickets/${old}`, { token: h.tokens.customer })).status).toBe(200);
    for (const id of [young, held]) expect(JSON.stringify((await readOriginals(id)).originals)).toContain(CARD);
    expect(await runJob(h)).toMatchObject({ originalsDestroyed: 0 });
  });
});

describe('people', () => {
  it('when a customer has had no activity for 24 months, then their account and profile go with a receipt; a profile without an activity day falls back to the account', async () => {
    await h.services.db.collection('principals').doc('other-customer').update({ lastActiveOn: day(731) });
    await h.services.db.collection('principals').doc('demo-customer').update({ lastActiveOn: day(729) });
    // Profiles written before activity was recorded: no lastActiveOn at all.
    const legacy = { kind: 'customer', orgId: 'demo-org' };
    await getAuth().importUsers([
      { uid: 'legacy-dormant', email: 'dormant@demo-org.example', metadata: { creationTime: daysAgo(900), lastSignInTime: daysAgo(800) } },
      { uid: 'legacy-recent', email: 'recent@demo-org.example', metadata: { creationTime: daysAgo(900), lastSignInTime: daysAgo(10) } },
    ]);
    for (const uid of ['legacy-dormant', 'legacy-recent', 'legacy-unknown']) await h.services.db.collection('principals').doc(uid).set(legacy);
    // A status subscription at the dormant customer's sign-in address goes with them; another stays.
    const theirs = await call(h.api, 'POST', '/v1/status/subscriptions', { body: { products: ['tms'], email: 'Dormant@demo-org.example' } });
    const kept = await call(h.api, 'POST', '/v1/status/subscriptions', { body: { products: ['tms'], email: 'recent@demo-org.example' } });
    expect([theirs.status, kept.status]).toEqual([202, 202]);

    const summary = await runJob(h);
    expect(summary).toMatchObject({ peopleDeleted: 2, failed: 0 });
    for (const uid of ['other-customer', 'legacy-dormant']) {
      expect((await h.services.db.collection('principals').doc(uid).get()).exists).toBe(false);
      await expect(getAuth().getUser(uid)).rejects.toMatchObject({ code: 'auth/user-not-found' });
      const receipt = (await h.services.db.collection('deletionReceipts').doc(`person-deleted-${uid}`).get()).data();
      expect(receipt).toMatchObject({ subject: 'person', subjectId: uid, rule: 'retention.inactive_customer', counts: { profile: 1, account: 1 } });
      expect(JSON.stringify(receipt)).not.toMatch(/@|Other Customer/);
    }
    expect((await h.services.db.collection('deletionReceipts').doc('person-deleted-legacy-dormant').get()).get('counts')).toMatchObject({ statusSubscription: 1 });
    expect(await h.services.subscriptions.get(theirs.body.id)).toBeNull();
    expect((await h.services.subscriptions.get(kept.body.id))?.email).toBe('recent@demo-org.example');
    expect((await getAuth().getUser('demo-customer')).uid).toBe('demo-customer');
    // The fallback: the last sign-in 10 days ago; nothing known, the day the job first saw them.
    expect((await h.services.db.collection('principals').doc('legacy-recent').get()).get('lastActiveOn')).toBe(day(10));
    expect((await h.services.db.collection('principals').doc('legacy-unknown').get()).get('lastActiveOn')).toBe(day(0));
    expect(await runJob(h)).toMatchObject({ peopleDeleted: 0 });
  });

  it('when a staff member was deactivated more than 30 days ago, then their account and profile go and their messages stay under former-staff; 29 days ago, they stay', async () => {
    const ticket = await answeredTicket(h);
    const deactivate = async (uid: string, tier: string, daysBack: number): Promise<void> => {
      const body = { role: 'agent', tier, languages: ['en', 'fi', 'sv'], products: ['online'], trainedAt: daysAgo(100), active: false };
      expect((await call(h.api, 'PUT', `/v1/admin/staff/${uid}`, { token: h.tokens.admin, body })).status).toBe(200);
      await h.services.db.collection('principals').doc(uid).update({ deactivatedAt: daysAgo(daysBack) });
    };
    await deactivate('demo-agent-l1', 'L1', 31);
    await deactivate('demo-agent-l3', 'L3', 29);
    await settled(h);

    expect(await runJob(h)).toMatchObject({ peopleDeleted: 1, failed: 0 });
    expect((await h.services.db.collection('principals').doc('demo-agent-l1').get()).exists).toBe(false);
    await expect(getAuth().getUser('demo-agent-l1')).rejects.toMatchObject({ code: 'auth/user-not-found' });
    expect((await h.services.db.collection('principals').doc('demo-agent-l3').get()).get('active')).toBe(false);
    const messages = (await h.services.db.collection('tickets').doc(ticket).collection('messages').get()).docs.map((doc) => doc.data());
    expect(messages.map((m) => m['authorUid']).sort()).toEqual(['demo-customer', 'former-staff']);
    expect(messages.find((m) => m['authorUid'] === 'former-staff')?.['body']).toBe('We are on it.');
    const read = await call(h.api, 'GET', `/v1/tickets/${ticket}`, { token: h.tokens.customer });
    expect(read.body.messages.map((m: { body: string }) => m.body)).toEqual(expect.arrayContaining(['We are on it.']));
    const receipt = (await h.services.db.collection('deletionReceipts').doc('person-deleted-demo-agent-l1').get()).data();
    expect(receipt).toMatchObject({ rule: 'retention.deactivated_staff', counts: { profile: 1, account: 1, messagesNeutralised: 1 } });
  });
});

describe('support figures', () => {
  it('when the job deletes tickets past retention, then the support figures of their period are unchanged', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const ids = [await fullTicket(h), await fullTicket(h, h.tokens.customer, 'A second rated ticket')];
    await settled(h);
    const figures = async (): Promise<unknown> => {
      const read = await call(h.api, 'GET', `/v1/metrics/support?from=${today}&to=${today}`, { token: h.tokens.manager });
      expect(read.status).toBe(200);
      return read.body;
    };
    const before = await figures();
    expect(JSON.stringify(before)).toContain('"resolved":2');
    for (const id of ids) await backdate(h, id, 400);

    expect(await runJob(h)).toMatchObject({ deleted: 2, failed: 0 });
    for (const id of ids) expect((await h.services.db.collection('tickets').doc(id).get()).exists).toBe(false);
    expect(await figures()).toEqual(before);
  });
});

describe('legal hold on an unknown ticket', () => {
  it('when a privacy officer places or lifts a hold on a ticket that does not exist, then 404 problem+json and no document changes', async () => {
    const before = await allDocuments(h.services.db);
    for (const method of ['PUT', 'DELETE']) {
      const answer = await call(h.api, method, '/v1/tickets/no-such-ticket/legal-hold', { token: h.tokens.privacy, body: { reason: 'Court order 12 of 2026' } });
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(answer.body).toMatchObject({ status: 404, title: expect.any(String) });
    }
    expect(await allDocuments(h.services.db)).toEqual(before);
  });
});
