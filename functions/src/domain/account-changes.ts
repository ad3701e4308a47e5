/**
 * Rules for changing staff and customer accounts (admins only):
 * - nobody changes their own role (an admin cannot make themself a privacy officer, or give
 *   up the admin role by mistake and lock the deployment out);
 * - granting access to originals — an account becoming an active privacy officer — needs a
 *   second admin: the first admin's request waits as a *grant*, and another admin, who is
 *   neither the requester nor the account itself, approves it while the account is still as it
 *   was when the grant was requested, within {@link GRANT_TTL_MS};
 * - every change is audited with who, what, before and after (see `AccountAudit`).
 */
import type { StaffPrincipal } from './access';
import { DomainError, ERROR_CODES, ForbiddenError } from './errors';
import { iso } from './instant';

/** A staff account as stored: role and scope (a staff principal without its uid). */
export type StaffAccount = Omit<StaffPrincipal, 'uid'>;

export interface CustomerAccount {
  readonly kind: 'customer';
  readonly orgId: string;
}

/** What an account is; `null` for a uid tuki does not know yet. */
export type AccountRecord = StaffAccount | CustomerAccount;

/** A change that waits for a second admin. */
export interface StaffGrant {
  readonly grantId: string;
  /** The account the grant is for. */
  readonly uid: string;
  readonly status: 'pending' | 'approved';
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly expiresAt: string;
  /** The account when the grant was requested: approval needs it unchanged. */
  readonly before: AccountRecord | null;
  readonly after: StaffAccount;
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
}

/** What changed, by whom and when: one audit record per change (and per grant requested or approved). */
export interface AccountAudit {
  readonly id: string;
  readonly action: 'staff.changed' | 'customer.changed' | 'staff.grant_requested' | 'staff.grant_approved';
  readonly targetUid: string;
  readonly by: string;
  readonly at: string;
  readonly before: AccountRecord | null;
  readonly after: AccountRecord;
  readonly grantId?: string;
  readonly requestedBy?: string;
}

/** How long a grant waits for its second admin. */
export const GRANT_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** True when the change gives the account access to originals it did not have. */
export function grantsPrivacyAccess(before: AccountRecord | null, after: StaffAccount): boolean {
  const hadAccess = before?.kind === 'staff' && before.role === 'privacy_officer' && before.active;
  return after.role === 'privacy_officer' && after.active && !hadAccess;
}

/**
 * What an admin's staff change does: `apply` it now, or wait for a `second-admin`.
 *
 * @throws ForbiddenError when the admin changes their own role.
 */
export function decideStaffChange(actorUid: string, targetUid: string, before: AccountRecord | null, after: StaffAccount): 'apply' | 'second-admin' {
  if (actorUid === targetUid && (before?.kind !== 'staff' || before.role !== after.role)) {
    throw new ForbiddenError('Nobody changes their own role; ask another admin');
  }
  return grantsPrivacyAccess(before, after) ? 'second-admin' : 'apply';
}

/** A new pending grant for a change that needs a second admin. */
export function requestGrant(grantId: string, uid: string, requestedBy: string, nowMs: number, before: AccountRecord | null, after: StaffAccount): StaffGrant {
  return {
    grantId,
    uid,
    status: 'pending',
    requestedBy,
    requestedAt: iso(nowMs),
    expiresAt: iso(nowMs + GRANT_TTL_MS),
    before,
    after,
    approvedBy: null,
    approvedAt: null,
  };
}

/** Whether two account records are the same (the order of languages and products included). */
function sameAccount(a: AccountRecord | null, b: AccountRecord | null): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(record: AccountRecord | null): unknown {
  if (record === null) return null;
  if (record.kind === 'customer') return ['customer', record.orgId];
  return ['staff', record.role, record.tier, [...record.languages], [...record.products], record.trainedAt, record.active];
}

/**
 * The grant approved by `approverUid` at `nowMs`, against the account as it is now.
 *
 * @throws ForbiddenError when the approver requested the grant or is its account;
 *   DomainError `409` when it was approved already, has expired, or the account changed since.
 */
export function approveGrant(grant: StaffGrant, approverUid: string, current: AccountRecord | null, nowMs: number): StaffGrant {
  if (approverUid === grant.requestedBy) throw new ForbiddenError('A second admin, not the one who asked, must approve this grant');
  if (approverUid === grant.uid) throw new ForbiddenError('Nobody approves a grant for their own account');
  if (grant.status !== 'pending') throw new DomainError(ERROR_CODES.conflict, 'This grant was approved already');
  if (nowMs > Date.parse(grant.expiresAt)) throw new DomainError(ERROR_CODES.conflict, 'This grant has expired; request it again');
  if (!sameAccount(current, grant.before)) {
    throw new DomainError(ERROR_CODES.conflict, 'The account changed after this grant was requested; request it again');
  }
  return { ...grant, status: 'approved', approvedBy: approverUid, approvedAt: iso(nowMs) };
}
