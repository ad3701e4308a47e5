import { requireStaffRole, type Principal } from '../../domain/access';
import type { CustomerAccount } from '../../domain/account-changes';
import { DomainError, ERROR_CODES } from '../../domain/errors';
import { iso } from '../../domain/instant';
import type { AccountDeps } from './admin-deps';

/** `PUT /v1/admin/customers/{uid}`: makes a user a customer of an organisation, audited. */
export async function putCustomer(deps: AccountDeps, principal: Principal, uid: string, orgId: string): Promise<{ uid: string; orgId: string }> {
  const admin = requireStaffRole(principal, ['admin']);
  const after: CustomerAccount = { kind: 'customer', orgId };
  return deps.accountChanges.change({ uid }, ({ account: before }) => {
    if (before?.kind === 'staff') {
      throw new DomainError(ERROR_CODES.conflict, 'This user is a staff member; a staff account cannot also be a customer');
    }
    return {
      account: { uid, record: after },
      audit: { id: deps.ids.newId(), action: 'customer.changed', targetUid: uid, by: admin.uid, at: iso(deps.clock.now()), before, after },
      result: { uid, orgId },
    };
  });
}
