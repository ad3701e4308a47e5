import { requireStaffRole, type Principal } from '../../domain/access';
import type { StaffGrant } from '../../domain/account-changes';
import type { AccountDeps } from './admin-deps';

/** `GET /v1/admin/staff-grants`: the grants waiting for a second admin (expired ones left out). */
export async function listStaffGrants(deps: Omit<AccountDeps, 'ids'>, principal: Principal): Promise<StaffGrant[]> {
  requireStaffRole(principal, ['admin']);
  const nowMs = deps.clock.now();
  return (await deps.accountChanges.pendingGrants()).filter((grant) => Date.parse(grant.expiresAt) >= nowMs);
}
