/** Admin use cases: staff, customers, SLA policies and calendar holidays. Admins only. */
import { requireStaffRole, type Principal } from '../domain/access';
import { DomainError, ERROR_CODES } from '../domain/errors';
import type { SlaTarget } from '../domain/sla';
import type { StaffPutInput } from './contracts';
import type { Clock, PrincipalDirectory, StaffProfile, SupportConfiguration } from './ports';

export interface AdminDeps {
  readonly principals: PrincipalDirectory;
  readonly configuration: SupportConfiguration;
  readonly clock: Clock;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** `PUT /v1/admin/staff/{uid}`: creates or replaces a staff member's role and scope. */
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
  return { uid, ...profile };
}

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

async function assertKnownProduct(deps: AdminDeps, product: string, language?: string): Promise<void> {
  const catalog = await deps.configuration.catalog();
  const entry = catalog.products.find((p) => p.id === product);
  if (entry === undefined || (language !== undefined && !entry.languages.some((l) => l.language === language))) {
    throw new DomainError(ERROR_CODES.notFound, `${language === undefined ? product : `${product}/${language}`} is not in the catalog`);
  }
}

/** `PUT /v1/admin/sla-policies/{product}`: targets for tickets created afterwards. */
export async function putSlaPolicy(deps: AdminDeps, principal: Principal, product: string, targets: readonly SlaTarget[]): Promise<{ product: string; targets: readonly SlaTarget[] }> {
  requireStaffRole(principal, ['admin']);
  await assertKnownProduct(deps, product);
  await deps.configuration.putSlaTargets(product, targets);
  return { product, targets };
}

/** `PUT /v1/admin/calendars/{product}/{language}/holidays`. */
export async function putHolidays(
  deps: AdminDeps,
  principal: Principal,
  product: string,
  language: string,
  holidays: readonly string[],
): Promise<{ product: string; language: string; holidays: readonly string[] }> {
  requireStaffRole(principal, ['admin']);
  await assertKnownProduct(deps, product, language);
  const sorted = [...new Set(holidays)].sort();
  await deps.configuration.putHolidays(product, language, sorted);
  return { product, language, holidays: sorted };
}

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
