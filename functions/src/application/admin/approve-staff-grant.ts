import { requireStaffRole, type Principal } from '../../domain/access';
import { approveGrant, type StaffAccount } from '../../domain/account-changes';
import { NotFoundError } from '../../domain/errors';
import { iso } from '../../domain/instant';
import type { AccountDeps } from './admin-deps';

/**
 * `POST /v1/admin/staff-grants/{grantId}/approve`: a second admin applies a grant another admin
 * requested, while the account is still as it was then; audited with both admins.
 */
export async function approveStaffGrant(deps: AccountDeps, principal: Principal, grantId: string): Promise<Omit<StaffAccount, 'kind'> & { uid: string }> {
  const admin = requireStaffRole(principal, ['admin']);
  const nowMs = deps.clock.now();
  return deps.accountChanges.change({ grantId }, ({ grant, account }) => {
    if (grant === null) throw new NotFoundError('The grant');
    const approved = approveGrant(grant, admin.uid, account, nowMs);
    const { kind: _kind, ...profile } = approved.after;
    return {
      account: { uid: grant.uid, record: approved.after },
      grant: approved,
      audit: {
        id: deps.ids.newId(),
        action: 'staff.grant_approved',
        targetUid: grant.uid,
        by: admin.uid,
        at: iso(nowMs),
        before: account,
        after: approved.after,
        grantId,
        requestedBy: grant.requestedBy,
      },
      result: { uid: grant.uid, ...profile },
    };
  });
}
