import type { StaffAccount } from '../../domain/account-changes';
import { iso } from '../../domain/instant';
import type { AccountDeps } from './admin-deps';

/** Finds or creates sign-in accounts (Firebase Auth / Identity Platform). */
export interface IdentityAdmin {
  /** The uid of the account with this email, creating the account (without password) if none. */
  ensureUser(email: string): Promise<string>;
}

/** Who the audit log names for accounts made by `npm run tuki -- bootstrap-admin`. */
const BOOTSTRAP_ACTOR = 'operator:bootstrap-admin';

/**
 * `npm run tuki -- bootstrap-admin --email …`: the first admin of a deployment. Makes the
 * account with this email an active, trained admin, audited. Safe to run again.
 */
export async function bootstrapAdmin(deps: AccountDeps & { identities: IdentityAdmin }, email: string): Promise<{ uid: string; email: string }> {
  const uid = await deps.identities.ensureUser(email);
  const at = iso(deps.clock.now());
  const after: StaffAccount = { kind: 'staff', role: 'admin', tier: null, languages: [], products: [], trainedAt: at, active: true };
  await deps.accountChanges.change({ uid }, ({ account: before }) => ({
    account: { uid, record: after },
    audit: { id: deps.ids.newId(), action: 'staff.changed', targetUid: uid, by: BOOTSTRAP_ACTOR, at, before, after },
    result: undefined,
  }));
  return { uid, email };
}
