import { requireStaffRole, type Principal } from '../../domain/access';
import { DomainError, ERROR_CODES } from '../../domain/errors';
import { iso } from '../../domain/instant';
import { type AdminDeps } from './admin-deps';

/** `PUT /v1/admin/customers/{uid}`: makes a user a customer of an organisation. */
export async function putCustomer(deps: AdminDeps, principal: Principal, uid: string, orgId: string): Promise<{ uid: string; orgId: string }> {
  requireStaffRole(principal, ['admin']);
  const existing = await deps.principals.find(uid);
  if (existing?.kind === 'staff') {
    throw new DomainError(ERROR_CODES.conflict, 'This user is a staff member; a staff account cannot also be a customer');
  }
  await deps.principals.putCustomer(uid, orgId, iso(deps.clock.now()));
  return { uid, orgId };
}
