import { requireStaffRole, type Principal } from '../../domain/access';
import type { SlaTarget } from '../../domain/sla';
import { assertKnownProduct, type AdminDeps } from './admin-deps';

/** `PUT /v1/admin/sla-policies/{product}`: targets for tickets created afterwards. */
export async function putSlaPolicy(deps: AdminDeps, principal: Principal, product: string, targets: readonly SlaTarget[]): Promise<{ product: string; targets: readonly SlaTarget[] }> {
  requireStaffRole(principal, ['admin']);
  await assertKnownProduct(deps, product);
  await deps.configuration.putSlaTargets(product, targets);
  return { product, targets };
}

