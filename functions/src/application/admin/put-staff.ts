import { requireStaffRole, type Principal } from '../../domain/access';
import { decideStaffChange, requestGrant, type StaffAccount, type StaffGrant } from '../../domain/account-changes';
import { iso } from '../../domain/instant';
import type { StaffPutInput } from '../contracts';
import type { AccountDeps, AdminDeps } from './admin-deps';

/** The staff member as changed, or the grant that waits for a second admin. */
export type StaffPutOutcome =
  | { readonly kind: 'applied'; readonly staff: Omit<StaffAccount, 'kind'> & { readonly uid: string } }
  | { readonly kind: 'pending'; readonly grant: StaffGrant };

/**
 * `PUT /v1/admin/staff/{uid}`: creates or replaces a staff member's role and scope, audited.
 * Nobody changes their own role; making someone an active privacy officer waits for a second
 * admin (see `domain/account-changes.ts`). Deactivating takes effect on the next request (the
 * profile is read on every one) and also revokes the member's refresh tokens, so no session
 * outlives it; the directory records since when the member is inactive (the
 * deactivated-staff retention rule counts from then).
 */
export async function putStaff(deps: AccountDeps & Pick<AdminDeps, 'accounts'>, principal: Principal, uid: string, input: StaffPutInput): Promise<StaffPutOutcome> {
  const admin = requireStaffRole(principal, ['admin']);
  const after: StaffAccount = {
    kind: 'staff',
    role: input.role,
    tier: input.tier ?? null,
    languages: input.languages,
    products: input.products,
    trainedAt: input.trainedAt ?? null,
    active: input.active,
  };
  const { kind: _kind, ...profile } = after;
  const nowMs = deps.clock.now();
  const outcome = await deps.accountChanges.change<StaffPutOutcome>({ uid }, ({ account: before }) => {
    const base = { id: deps.ids.newId(), targetUid: uid, by: admin.uid, at: iso(nowMs), before, after };
    if (decideStaffChange(admin.uid, uid, before, after) === 'apply') {
      return { account: { uid, record: after }, audit: { ...base, action: 'staff.changed' }, result: { kind: 'applied', staff: { uid, ...profile } } };
    }
    const grant = requestGrant(deps.ids.newId(), uid, admin.uid, nowMs, before, after);
    return { grant, audit: { ...base, action: 'staff.grant_requested', grantId: grant.grantId }, result: { kind: 'pending', grant } };
  });
  if (outcome.kind === 'applied' && !after.active) await deps.accounts.revokeSessions(uid);
  return outcome;
}
