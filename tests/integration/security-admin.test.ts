/**
 * Issue 15, findings 4 and 11: what an admin tried against the admin API, through the real
 * HTTP server on the emulators.
 */
import { getApps } from 'firebase-admin/app';
import { FirebaseIdentityAdmin } from '../../functions/src/adapters/firebase-identity-admin';
import { DEMO_PASSWORD, signIn } from '../../scripts/lib/demo';
import { call, portalTicket, useHarness } from './harness';

const h = useHarness('security-admin');

const TRAINED = '2026-01-05T09:00:00.000Z';
const privacyOfficer = { role: 'privacy_officer', active: true, trainedAt: TRAINED };

/** A second admin, made behind the API's back (as `bootstrap-admin` would). */
async function secondAdmin(): Promise<string> {
  const app = getApps()[0];
  if (app === undefined) throw new Error('firebase-admin is not initialised');
  await new FirebaseIdentityAdmin(app).ensureDemoUser('second-admin', 'admin-2@tuki.example', DEMO_PASSWORD, 'Second Admin');
  await h.services.principals.putStaff('second-admin', { role: 'admin', tier: null, languages: [], products: [], trainedAt: TRAINED, active: true }, TRAINED);
  return signIn('admin-2@tuki.example');
}

async function auditOf(targetUid: string): Promise<Record<string, any>[]> {
  const records = await h.services.db.collection('auditLog').where('targetUid', '==', targetUid).get();
  return records.docs.map((doc) => doc.data()).sort((a, b) => String(a['at']).localeCompare(String(b['at'])));
}

const readOriginals = async (token: string): Promise<number> => {
  const created = await call(h.api, 'POST', '/v1/tickets', { token: h.tokens.customer, body: portalTicket({ description: 'Card 4111 1111 1111 1111 was charged' }) });
  expect(created.status).toBe(201);
  return (await call(h.api, 'GET', `/v1/tickets/${created.body.id}/originals?reason=security%20probe`, { token })).status;
};

describe('finding 4: an admin can make themself a privacy officer, unrecorded', () => {
  it('when an admin changes their own role to privacy officer, then it is refused and they still cannot read originals', async () => {
    const own = await call(h.api, 'PUT', '/v1/admin/staff/demo-admin', { token: h.tokens.admin, body: privacyOfficer });
    expect(own.status).toBe(403);
    expect(own.headers.get('content-type')).toContain('application/problem+json');
    expect(await readOriginals(h.tokens.admin)).toBe(403);
    expect(await h.services.principals.find('demo-admin')).toMatchObject({ role: 'admin' });
    // Their own languages are theirs to change; the role is not.
    const languages = await call(h.api, 'PUT', '/v1/admin/staff/demo-admin', { token: h.tokens.admin, body: { role: 'admin', active: true, trainedAt: TRAINED, languages: ['fi'] } });
    expect(languages.status).toBe(200);
  });

  it('when an admin grants the privacy-officer role, then it waits for a second admin, and the first cannot approve it', async () => {
    const requested = await call(h.api, 'PUT', '/v1/admin/staff/demo-manager', { token: h.tokens.admin, body: privacyOfficer });
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({ grantId: expect.any(String), uid: 'demo-manager', status: 'pending', requestedBy: 'demo-admin' });
    expect(requested.headers.get('location')).toBe(`/v1/admin/staff-grants/${requested.body.grantId}`);
    expect(await readOriginals(h.tokens.manager)).toBe(403);

    const approve = (token: string) => call(h.api, 'POST', `/v1/admin/staff-grants/${requested.body.grantId}/approve`, { token });
    expect((await approve(h.tokens.admin)).status).toBe(403);
    expect((await approve(h.tokens.manager)).status).toBe(403);
    const pending = await call(h.api, 'GET', '/v1/admin/staff-grants', { token: h.tokens.admin });
    expect(pending.body.items).toEqual([expect.objectContaining({ grantId: requested.body.grantId, uid: 'demo-manager', status: 'pending' })]);

    const second = await secondAdmin();
    const approved = await approve(second);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ uid: 'demo-manager', role: 'privacy_officer' });
    expect(await readOriginals(h.tokens.manager)).toBe(200);
    expect((await approve(second)).status).toBe(409);

    expect(await auditOf('demo-manager')).toEqual([
      expect.objectContaining({ action: 'staff.grant_requested', by: 'demo-admin', before: expect.objectContaining({ role: 'manager' }), after: expect.objectContaining({ role: 'privacy_officer' }) }),
      expect.objectContaining({ action: 'staff.grant_approved', by: 'second-admin', requestedBy: 'demo-admin', before: expect.objectContaining({ role: 'manager' }), after: expect.objectContaining({ role: 'privacy_officer' }) }),
    ]);
  });

  it('when an admin changes staff and customers, then each change is audited with who, what, before and after', async () => {
    const staff = await call(h.api, 'PUT', '/v1/admin/staff/demo-agent-l1', {
      token: h.tokens.admin,
      body: { role: 'agent', tier: 'L2', languages: ['en'], products: ['online'], trainedAt: TRAINED, active: false },
    });
    expect(staff.status).toBe(200);
    const customer = await call(h.api, 'PUT', '/v1/admin/customers/demo-customer', { token: h.tokens.admin, body: { orgId: 'other-org' } });
    expect(customer.status).toBe(200);
    const fresh = await call(h.api, 'PUT', '/v1/admin/customers/new-customer', { token: h.tokens.admin, body: { orgId: 'demo-org' } });
    expect(fresh.status).toBe(200);

    expect(await auditOf('demo-agent-l1')).toEqual([
      expect.objectContaining({
        action: 'staff.changed',
        by: 'demo-admin',
        at: expect.any(String),
        before: expect.objectContaining({ kind: 'staff', role: 'agent', tier: 'L1', active: true }),
        after: expect.objectContaining({ kind: 'staff', role: 'agent', tier: 'L2', active: false }),
      }),
    ]);
    expect(await auditOf('demo-customer')).toEqual([
      expect.objectContaining({ action: 'customer.changed', by: 'demo-admin', before: { kind: 'customer', orgId: 'demo-org' }, after: { kind: 'customer', orgId: 'other-org' } }),
    ]);
    expect(await auditOf('new-customer')).toEqual([expect.objectContaining({ action: 'customer.changed', before: null, after: { kind: 'customer', orgId: 'demo-org' } })]);
  });
});

describe('finding 11: unbounded SLA targets', () => {
  it('when an admin sets a target of 2^53 − 1 seconds, then it is refused; a year on a business clock still lets tickets be created at once', async () => {
    const huge = await call(h.api, 'PUT', '/v1/admin/sla-policies/online', {
      token: h.tokens.admin,
      body: { targets: [{ severity: 3, firstResponseSeconds: 9007199254740991, nextUpdateSeconds: 3600, resolutionSeconds: 3600, clock: 'business' }] },
    });
    expect(huge.status).toBe(400);
    expect(huge.body.errors).toEqual([{ path: 'targets.0.firstResponseSeconds', message: expect.any(String) }]);

    const year = 365 * 24 * 3600;
    const longest = await call(h.api, 'PUT', '/v1/admin/sla-policies/online', {
      token: h.tokens.admin,
      body: { targets: [{ severity: 3, firstResponseSeconds: year, nextUpdateSeconds: year, resolutionSeconds: year, clock: 'business' }] },
    });
    expect(longest.status).toBe(200);
    const started = Date.now();
    const created = await call(h.api, 'POST', '/v1/tickets', { token: h.tokens.customer, body: portalTicket({ severity: 3, language: 'fi' }) });
    expect(created.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(5_000);
    // A year of business hours (8 h a day, five days a week) is more than four calendar years.
    expect(Date.parse(created.body.sla.resolutionDueAt) - Date.parse(created.body.createdAt)).toBeGreaterThan(4 * year * 1000);
  });
});
