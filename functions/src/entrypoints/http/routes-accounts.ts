/**
 * Staff and customer accounts (admins): every change audited; granting the privacy-officer
 * role answers `202` with a grant that a second admin approves.
 */
import type { AccountDeps, AdminDeps } from '../../application/admin/admin-deps';
import { approveStaffGrant } from '../../application/admin/approve-staff-grant';
import { listStaffGrants } from '../../application/admin/list-staff-grants';
import { putCustomer } from '../../application/admin/put-customer';
import { putStaff } from '../../application/admin/put-staff';
import { CustomerPutSchema, StaffPutSchema } from '../../application/contracts';
import type { Callers } from '../../domain/access';
import { parseInput } from './problem';
import { param, principalOf, type DepsProvider, type Route } from './router';

const ADMINS: Callers = { customers: 'forbidden', staff: ['admin'] };

/** The ports of the account routes' use cases. */
export type AccountRouteDeps = AccountDeps & Pick<AdminDeps, 'accounts'>;

export const accountRoutes = (deps: DepsProvider<AccountRouteDeps>): readonly Route[] => [
  {
    method: 'PUT',
    pattern: '/v1/admin/staff/:uid',
    summary:
      "Create or replace a staff member (audited). Not one's own role; making someone an active privacy officer answers 202 with a grant for a second admin to approve",
    auth: true,
    callers: ADMINS,
    who: 'admin',
    body: StaffPutSchema,
    successStatus: 200,
    alsoAnswers: { 202: 'A pending grant (making someone an active privacy officer): a second admin approves it; Location names it' },
    handle: async (request) => {
      const input = parseInput(StaffPutSchema, request.body, 'staff member');
      const outcome = await putStaff(await deps(), principalOf(request), param(request, 'uid'), input);
      if (outcome.kind === 'applied') return { status: 200, body: outcome.staff };
      return { status: 202, body: outcome.grant, headers: { Location: `/v1/admin/staff-grants/${outcome.grant.grantId}` } };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/admin/staff-grants',
    summary: 'Staff changes waiting for a second admin',
    auth: true,
    callers: ADMINS,
    who: 'admin',
    successStatus: 200,
    handle: async (request) => ({ status: 200, body: { items: await listStaffGrants(await deps(), principalOf(request)) } }),
  },
  {
    method: 'POST',
    pattern: '/v1/admin/staff-grants/:grantId/approve',
    summary: 'Approve a grant another admin requested (not one\'s own request, not for one\'s own account; 409 once the account changed or the grant expired)',
    auth: true,
    callers: ADMINS,
    who: 'admin',
    successStatus: 200,
    handle: async (request) => ({ status: 200, body: await approveStaffGrant(await deps(), principalOf(request), param(request, 'grantId')) }),
  },
  {
    method: 'PUT',
    pattern: '/v1/admin/customers/:uid',
    summary: 'Make a user a customer of an organisation (audited)',
    auth: true,
    callers: ADMINS,
    who: 'admin',
    body: CustomerPutSchema,
    successStatus: 200,
    handle: async (request) => {
      const { orgId } = parseInput(CustomerPutSchema, request.body, 'customer');
      return { status: 200, body: await putCustomer(await deps(), principalOf(request), param(request, 'uid'), orgId) };
    },
  },
];
