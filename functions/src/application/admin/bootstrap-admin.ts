import { iso } from '../../domain/instant';
import { type AdminDeps } from './admin-deps';

/** Finds or creates sign-in accounts (Firebase Auth / Identity Platform). */
export interface IdentityAdmin {
  /** The uid of the account with this email, creating the account (without password) if none. */
  ensureUser(email: string): Promise<string>;
}

/**
 * `npm run tuki -- bootstrap-admin --email …`: the first admin of a deployment. Makes the
 * account with this email an active, trained admin. Safe to run again.
 */
export async function bootstrapAdmin(deps: Pick<AdminDeps, 'principals' | 'clock'> & { identities: IdentityAdmin }, email: string): Promise<{ uid: string; email: string }> {
  const uid = await deps.identities.ensureUser(email);
  const at = iso(deps.clock.now());
  await deps.principals.putStaff(uid, { role: 'admin', tier: null, languages: [], products: [], trainedAt: at, active: true }, at);
  return { uid, email };
}
