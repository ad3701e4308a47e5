import { requireStaffRole, type Principal } from '../../domain/access';
import type { StaffPutInput } from '../contracts';
import type { StaffProfile } from '../ports';
import { iso } from '../../domain/instant';
import { type AdminDeps } from './admin-deps';

/**
 * `PUT /v1/admin/staff/{uid}`: creates or replaces a staff member's role and scope. Deactivating
 * takes effect on the next request (the profile is read on every one) and also revokes the
 * member's refresh tokens, so no session outlives it; the directory records since when the
 * member is inactive (the deactivated-staff retention rule counts from then).
 */
export async function putStaff(deps: AdminDeps, principal: Principal, uid: string, input: StaffPutInput): Promise<StaffProfile & { uid: string }> {
  requireStaffRole(principal, ['admin']);
  const profile: StaffProfile = {
    role: input.role,
    tier: input.tier ?? null,
    languages: input.languages,
    products: input.products,
    trainedAt: input.trainedAt ?? null,
    active: input.active,
  };
  await deps.principals.putStaff(uid, profile, iso(deps.clock.now()));
  if (!profile.active) await deps.accounts.revokeSessions(uid);
  return { uid, ...profile };
}

