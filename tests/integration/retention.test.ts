/**
 * Retention end to end on the emulators: the retention job (run as Cloud Scheduler would, by a
 * Pub/Sub push to `runRetention`) deletes tickets past retention with everything that belongs
 * to them and a receipt each, keeps those inside retention and under legal hold, resumes a
 * stopped run and agrees with a concurrent one; erasure requests delete a person (anonymising
 * held tickets) with receipts that carry no personal data.
 */
import { FieldValue } from '@google-cloud/firestore';
import { runRetention } from '../../functions/src/application/retention/run-retention';
import { call, eventually, portalTicket, useHarness } from './harness';
import { allDocuments, backdate, CARD, countsByCollection, fullTicket, mentioning, runJob, settled } from './retention-helpers';

const h = useHarness('retention');

describe('the retention job', () => {
  it('when tickets are past retention, inside it, or held, then only the expired unheld ones go, with all their records and one receipt each', async () => {
    const expired = await fullTicket(h);
    const recent = await fullTicket(h, h.tokens.customer, 'Still within retention');
    const held = await fullTicket(h, h.tokens.customer, 'Held for a dispute');
    await backdate(h, expired, 400);
    await backdate(h, held, 400);
    // Resolved and closed 10 days ago: inside every rule (its originals are kept 30 days).
    await backdate(h, recent, 10);
    expect((await call(h.api, 'PUT', `/v1/tickets/${held}/legal-hold`, { token: h.tokens.privacy, body: { reason: 'Dispute 2026-17 with the customer' } })).status).toBe(200);
    await settled(h);
    const before = await allDocuments(h.services.db);
    const belonging = mentioning(before, expired).filter((path) => !path.startsWith('auditLog/'));
    expect(belonging.some((p) => p.startsWith(`tickets/${expired}/messages/`))).toBe(true);
    expect(belonging).toEqual(expect.arrayContaining([`tickets/${expired}`, `dataKeys/${expired}`]));
    expect(belonging.some((p) => p.startsWith(`originals/${expired}/texts/`))).toBe(true);
    expect(belonging.some((p) => p.startsWith('outbox/'))).toBe(true);
    expect(belonging.some((p) => p.startsWith('idempotencyKeys/'))).toBe(true);
    expect(belonging.some((p) => p.startsWith('processedEvents/'))).toBe(true);
    expect(belonging.some((p) => p.startsWith('notifications/'))).toBe(true);

    const summary = await runJob(h);
    expect(summary).toMatchObject({ deleted: 1, held: 1, failed: 0 });
    const after = await allDocuments(h.services.db);
    const receiptPath = `deletionReceipts/ticket-deleted-${expired}`;
    expect(mentioning(after, expired).filter((p) => !p.startsWith('auditLog/'))).toEqual([receiptPath]);
    // Exactly the expired ticket's records went (plus the receipt and the run's own record).
    const expected = countsByCollection(before);
    for (const path of belonging) {
      const collection = path.split('/').slice(-2)[0] ?? '';
      expected[collection] = (expected[collection] ?? 0) - 1;
    }
    expected['deletionReceipts'] = (expected['deletionReceipts'] ?? 0) + 1;
    expected['retentionRuns'] = (expected['retentionRuns'] ?? 0) + 1;
    const { retentionWatermarks: _watermarks, ...afterCounts } = countsByCollection(after);
    expect(afterCounts).toEqual(Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0)));
    const receipt = JSON.parse(after.get(receiptPath) ?? '{}');
    expect(receipt).toMatchObject({ subject: 'ticket', subjectId: expired, action: 'deleted', rule: 'retention.closed_after_days', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // Deleted with its data key and sealed originals (the deletions run before the originals rule, which then has nothing to do for it).
    expect(receipt.counts).toMatchObject({ ticket: 1, message: 2, messageIndex: 1, dataKey: 1, original: expect.any(Number), idempotencyKeys: 1, processedEvents: expect.any(Number), outbox: expect.any(Number), notifications: 1 });
    expect(receipt.counts.outbox).toBeGreaterThanOrEqual(4);
    expect(receipt.counts.destroyedKey).toBeUndefined();
    // The originals are unreadable: the data key is gone and so is the ticket.
    expect((await call(h.api, 'GET', `/v1/tickets/${expired}/originals?reason=audit-check`, { token: h.tokens.privacy })).status).toBe(404);
    expect((await call(h.api, 'GET', `/v1/tickets/${recent}`, { token: h.tokens.customer })).status).toBe(200);
    expect((await call(h.api, 'GET', `/v1/tickets/${held}`, { token: h.tokens.customer })).status).toBe(200);

    // Lifting the hold lets the next run delete it; a second run finds nothing else to do.
    expect((await call(h.api, 'DELETE', `/v1/tickets/${held}/legal-hold`, { token: h.tokens.privacy, body: { reason: 'Dispute settled' } })).status).toBe(200);
    expect(await runJob(h)).toMatchObject({ deleted: 1, held: 0 });
    expect(await runJob(h)).toMatchObject({ deleted: 0, held: 0, skipped: 0 });
  });

  it('when a run stops half-way and another runs, or two run at once, then nothing is deleted twice or left behind', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await fullTicket(h, h.tokens.customer, `Old ticket ${i}`));
    for (const id of ids) await backdate(h, id, 400);
    await settled(h);
    // Tickets from before the index had their records (found by queries) or any index (messages by a query too).
    const [, , unindexed, older] = ids as [string, string, string, string];
    await h.services.db.collection('ticketMessageIds').doc(older).update({ records: FieldValue.delete(), recordsComplete: FieldValue.delete() });
    await h.services.db.collection('ticketMessageIds').doc(unindexed).delete();
    // A run "killed" between committing its first batch and purging what the commit left (the data keys): the store's purge fails once.
    const spy = jest.spyOn(h.services.retentionStore, 'purge').mockImplementationOnce(async () => {
      throw new Error('killed');
    });
    await expect(runRetention(h.services, { batchSize: 2 })).resolves.toMatchObject({ failed: 2 });
    spy.mockRestore();
    const stopped = [...(await allDocuments(h.services.db)).keys()];
    const halfDone = ids.filter((id) => stopped.includes(`deletionReceipts/ticket-deleted-${id}`) && stopped.includes(`dataKeys/${id}`));
    expect(halfDone).toHaveLength(2);
    // The commit took the ticket and its other records with the receipt.
    for (const id of halfDone) expect(stopped.filter((p) => p.includes(id) && !/^(auditLog|retentionCheckpoints)\//.test(p)).sort()).toEqual([`dataKeys/${id}`, `deletionReceipts/ticket-deleted-${id}`]);
    expect(stopped.filter((p) => p.startsWith('retentionCheckpoints/'))).toHaveLength(1);

    // Two runs at once finish the job; the end state is that of one run.
    const [a, b] = await Promise.all([runRetention(h.services, { batchSize: 2 }), runRetention(h.services, { batchSize: 2 })]);
    expect(a.deleted + b.deleted).toBeLessThanOrEqual(4);
    const after = await allDocuments(h.services.db);
    for (const id of ids) {
      expect(mentioning(after, id).filter((p) => !p.startsWith('auditLog/'))).toEqual([`deletionReceipts/ticket-deleted-${id}`]);
      expect([...after.keys()].filter((p) => p.includes(id) && !p.startsWith('deletionReceipts/'))).toEqual([]);
    }
    expect([...after.keys()].filter((p) => p.startsWith('deletionReceipts/'))).toHaveLength(4);
    expect([...after.keys()].filter((p) => p.startsWith('retentionCheckpoints/'))).toEqual([]);
  });
});

describe('retention input', () => {
  it('when a policy is malformed, a hold names an unknown ticket, or the caller lacks the role, then problem+json and nothing changes', async () => {
    const bad = await call(h.api, 'PUT', '/v1/admin/retention-policies/online', { token: h.tokens.admin, body: { deleteClosedAfterDays: -1, keepForever: true } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['deleteClosedAfterDays', 'keepForever']);
    expect((await call(h.api, 'PUT', '/v1/admin/retention-policies/no-such-product', { token: h.tokens.admin, body: {} })).status).toBe(404);
    expect((await call(h.api, 'PUT', '/v1/admin/retention-policies/online', { token: h.tokens.manager, body: {} })).status).toBe(403);
    expect((await h.services.db.collection('retentionPolicies').get()).size).toBe(0);
    const put = await call(h.api, 'PUT', '/v1/admin/retention-policies/online', { token: h.tokens.admin, body: { deleteClosedAfterDays: 90 } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ product: 'online', deleteClosedAfterDays: 90, autoCloseResolvedAfterDays: 7, destroyOriginalsAfterResolvedDays: 30 });

    const unknown = await call(h.api, 'PUT', '/v1/tickets/no-such-ticket/legal-hold', { token: h.tokens.privacy, body: { reason: 'Court order 12' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const id = (await call(h.api, 'POST', '/v1/tickets', { token: h.tokens.customer, body: portalTicket() })).body.id as string;
    expect((await call(h.api, 'PUT', `/v1/tickets/${id}/legal-hold`, { token: h.tokens.privacy, body: {} })).status).toBe(400);
    expect((await call(h.api, 'PUT', `/v1/tickets/${id}/legal-hold`, { token: h.tokens.manager, body: { reason: 'Court order 12' } })).status).toBe(403);
    expect((await call(h.api, 'PUT', `/v1/tickets/${id}/legal-hold`, { token: h.tokens.customer, body: { reason: 'Court order 12' } })).status).toBe(404);
    expect((await h.services.tickets.get(id))?.legalHold ?? null).toBeNull();
    expect((await call(h.api, 'DELETE', `/v1/tickets/${id}/legal-hold`, { token: h.tokens.privacy, body: { reason: 'Nothing to lift' } })).status).toBe(409);
  });
});

describe('erasure requests', () => {
  async function erase(token: string, subject: string): Promise<{ id: string; receipts: Record<string, unknown>[] }> {
    const requested = await call(h.api, 'POST', '/v1/erasure-requests', { token, body: { subject } });
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({ id: expect.any(String), status: 'received' });
    const id = requested.body.id as string;
    const done = await eventually(async () => {
      const read = await call(h.api, 'GET', `/v1/erasure-requests/${id}`, { token: h.tokens.privacy });
      return read.body.status === 'completed' ? read.body : undefined;
    }, 30_000, 'the erasure to complete');
    return { id, receipts: done.receipts };
  }

  it('when a customer erases themselves, then their account, profile and tickets go, the held one is anonymised, and the receipts hold nothing of theirs', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const free = await fullTicket(h, h.tokens.customer, 'Delivery for Demo Customer');
    const held = await fullTicket(h, h.tokens.customer, 'Refund dispute of customer@demo-org.example');
    expect((await call(h.api, 'PUT', `/v1/tickets/${held}/legal-hold`, { token: h.tokens.privacy, body: { reason: 'Chargeback case 99' } })).status).toBe(200);
    await settled(h);
    const figures = async () => (await call(h.api, 'GET', `/v1/metrics/support?from=${today}&to=${today}`, { token: h.tokens.manager })).body;
    const figuresBefore = await figures();
    const heldBefore = await call(h.api, 'GET', `/v1/tickets/${held}`, { token: h.tokens.privacy });

    const { receipts } = await erase(h.tokens.customer, 'demo-customer');
    const { getAuth } = await import('firebase-admin/auth');
    await expect(getAuth().getUser('demo-customer')).rejects.toMatchObject({ code: 'auth/user-not-found' });
    expect((await h.services.db.collection('principals').doc('demo-customer').get()).exists).toBe(false);
    expect((await h.services.db.collection('tickets').doc(free).get()).exists).toBe(false);
    expect((await call(h.api, 'GET', '/v1/tickets', { token: h.tokens.customer })).status).toBeGreaterThanOrEqual(401);

    const anonymised = await call(h.api, 'GET', `/v1/tickets/${held}`, { token: h.tokens.privacy });
    expect(anonymised.status).toBe(200);
    const json = JSON.stringify(anonymised.body);
    for (const personal of ['Demo Customer', 'customer@demo-org.example', 'demo-customer', 'Refund dispute', 'charged twice', 'Any news', 'Thanks']) {
      expect(json).not.toContain(personal);
    }
    expect(anonymised.body).toMatchObject({ id: held, status: 'closed', createdAt: heldBefore.body.createdAt, legalHold: expect.any(Object) });
    expect(anonymised.body.messages.map((m: { body: string }) => m.body)).toEqual(expect.arrayContaining(['We are on it.']));
    expect(anonymised.body.messages).toHaveLength(heldBefore.body.messages.length);

    expect(receipts.map((r) => `${String(r['subject'])}:${String(r['action'])}`).sort()).toEqual(['person:deleted', 'ticket:anonymised', 'ticket:deleted']);
    const receiptText = JSON.stringify(receipts);
    for (const personal of ['Demo Customer', 'customer@demo-org.example', 'Delivery for', 'Refund dispute', 'charged twice', 'Any news', 'Hunter2Secret', 'Thanks', CARD]) {
      expect(receiptText).not.toContain(personal);
    }
    // The figures are about work done: deleting the tickets leaves them as they were.
    expect(await figures()).toEqual(figuresBefore);
  });

  it('when a customer names someone else, or an officer names nobody, then 404 and nothing is stored', async () => {
    const other = await call(h.api, 'POST', '/v1/erasure-requests', { token: h.tokens.customer, body: { subject: 'other-customer' } });
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await call(h.api, 'POST', '/v1/erasure-requests', { token: h.tokens.privacy, body: { subject: 'nobody-here' } })).status).toBe(404);
    expect((await call(h.api, 'POST', '/v1/erasure-requests', { token: h.tokens.privacy, body: { subject: 'a/b' } })).status).toBe(400);
    expect((await call(h.api, 'POST', '/v1/erasure-requests', { token: h.tokens.manager, body: { subject: 'other-customer' } })).status).toBe(403);
    expect((await h.services.db.collection('erasureRequests').get()).size).toBe(0);
    expect((await h.services.principals.find('other-customer'))?.kind).toBe('customer');
    const mine = await call(h.api, 'POST', '/v1/erasure-requests', { token: h.tokens.privacy, body: { subject: 'other-customer' } });
    expect(mine.status).toBe(202);
    expect((await call(h.api, 'GET', `/v1/erasure-requests/${mine.body.id as string}`, { token: h.tokens.customer })).status).toBe(404);
    // Let the erasure finish here, so that its processing does not run on into the next test.
    await eventually(async () => {
      const read = await call(h.api, 'GET', `/v1/erasure-requests/${mine.body.id as string}`, { token: h.tokens.privacy });
      return read.body.status === 'completed' ? true : undefined;
    }, 30_000, 'the erasure to complete');
  });

  it('when privacy officers list receipts, then they page through a period; others may not', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await call(h.api, 'POST', '/v1/tickets', { token: h.tokens.customer, body: portalTicket() })).body.id as string);
    await settled(h);
    await erase(h.tokens.privacy, 'demo-customer');
    const today = new Date().toISOString().slice(0, 10);
    const first = await call(h.api, 'GET', `/v1/deletion-receipts?from=${today}&to=${today}&limit=2`, { token: h.tokens.privacy });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    const second = await call(h.api, 'GET', `/v1/deletion-receipts?from=${today}&to=${today}&limit=2&cursor=${first.body.nextCursor as string}`, { token: h.tokens.privacy });
    expect(second.body.items).toHaveLength(2);
    expect(second.body.nextCursor).toBeNull();
    const subjects = [...first.body.items, ...second.body.items].map((r: { subjectId: string }) => r.subjectId).sort();
    expect(subjects).toEqual([...ids, 'demo-customer'].sort());
    expect((await call(h.api, 'GET', `/v1/deletion-receipts?from=${today}&to=${today}`, { token: h.tokens.manager })).status).toBe(403);
    expect((await call(h.api, 'GET', `/v1/deletion-receipts?from=tomorrow&to=${today}`, { token: h.tokens.privacy })).status).toBe(400);
  });
});

describe('staff lifecycle', () => {
  it('when an admin deactivates a staff member, then their refresh tokens are revoked and their next request is refused', async () => {
    const { getAuth } = await import('firebase-admin/auth');
    const before = (await getAuth().getUser('demo-agent-l2')).tokensValidAfterTime;
    await new Promise((r) => setTimeout(r, 1100));
    const put = await call(h.api, 'PUT', '/v1/admin/staff/demo-agent-l2', {
      token: h.tokens.admin,
      body: { role: 'agent', tier: 'L2', languages: ['en'], products: ['online'], trainedAt: new Date().toISOString(), active: false },
    });
    expect(put.status).toBe(200);
    expect(Date.parse((await getAuth().getUser('demo-agent-l2')).tokensValidAfterTime ?? '')).toBeGreaterThan(Date.parse(before ?? ''));
    // The ID token itself is refused now (revoked, 401), before the deactivated profile would be (403).
    expect((await call(h.api, 'GET', '/v1/tickets', { token: h.tokens.l2 })).status).toBe(401);
    expect((await h.services.db.collection('principals').doc('demo-agent-l2').get()).get('deactivatedAt')).toEqual(expect.any(String));
  });
});
