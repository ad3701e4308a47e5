/**
 * Demo data for local mode: the default catalog in Firestore, a demo organisation with a
 * customer, one agent per tier, a manager, an admin and a privacy officer in the Auth
 * emulator, and a second organisation to try tenant isolation with.
 */
import type { Services } from '../../functions/src/wiring';
import { FirebaseIdentityAdmin } from '../../functions/src/adapters/firebase-identity-admin';
import { DEFAULT_CATALOG } from '../../functions/src/adapters/firestore-configuration';
import type { StaffProfile } from '../../functions/src/application/ports';
import { EMULATOR_HOSTS } from './emulators';

export const DEMO_PASSWORD = 'tuki-demo-password';

const ALL_LANGUAGES = ['en', 'fi', 'sv'];
const ALL_PRODUCTS = DEFAULT_CATALOG.products.map((p) => p.id);

interface DemoUser {
  readonly uid: string;
  readonly email: string;
  readonly name: string;
  readonly customerOf?: string;
  readonly staff?: Omit<StaffProfile, 'trainedAt' | 'active'>;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { uid: 'demo-customer', email: 'customer@demo-org.example', name: 'Demo Customer', customerOf: 'demo-org' },
  { uid: 'other-customer', email: 'customer@other-org.example', name: 'Other Customer', customerOf: 'other-org' },
  { uid: 'demo-agent-l1', email: 'agent-l1@tuki.example', name: 'Agent L1', staff: { role: 'agent', tier: 'L1', languages: ALL_LANGUAGES, products: ALL_PRODUCTS } },
  { uid: 'demo-agent-l2', email: 'agent-l2@tuki.example', name: 'Agent L2', staff: { role: 'agent', tier: 'L2', languages: ALL_LANGUAGES, products: ALL_PRODUCTS } },
  { uid: 'demo-agent-l3', email: 'agent-l3@tuki.example', name: 'Agent L3', staff: { role: 'agent', tier: 'L3', languages: ALL_LANGUAGES, products: ALL_PRODUCTS } },
  { uid: 'demo-manager', email: 'manager@tuki.example', name: 'Manager', staff: { role: 'manager', tier: null, languages: [], products: [] } },
  { uid: 'demo-admin', email: 'admin@tuki.example', name: 'Admin', staff: { role: 'admin', tier: null, languages: [], products: [] } },
  { uid: 'demo-privacy', email: 'privacy@tuki.example', name: 'Privacy Officer', staff: { role: 'privacy_officer', tier: null, languages: [], products: [] } },
];

/** Loads the catalog and the demo users (idempotent). */
export async function seedDemoData(s: Services): Promise<void> {
  const { getApps } = await import('firebase-admin/app');
  const app = getApps()[0];
  if (app === undefined) throw new Error('firebase-admin is not initialised');
  const identities = new FirebaseIdentityAdmin(app);
  await s.configuration.putCatalog(DEFAULT_CATALOG);
  const at = new Date(s.clock.now()).toISOString();
  for (const user of DEMO_USERS) {
    await identities.ensureDemoUser(user.uid, user.email, DEMO_PASSWORD, user.name);
    if (user.customerOf !== undefined) await s.principals.putCustomer(user.uid, user.customerOf, at);
    if (user.staff !== undefined) await s.principals.putStaff(user.uid, { ...user.staff, trainedAt: at, active: true }, at);
  }
}

/** Signs in with email and password at the Auth emulator; returns the ID token. */
export async function signIn(email: string, password = DEMO_PASSWORD): Promise<string> {
  const response = await fetch(
    `http://${EMULATOR_HOSTS.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-api-key`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password, returnSecureToken: true }) },
  );
  const body = (await response.json()) as { idToken?: string; error?: { message: string } };
  if (body.idToken === undefined) throw new Error(`Sign-in failed for ${email}: ${body.error?.message ?? response.status}`);
  return body.idToken;
}
