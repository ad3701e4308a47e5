/** `PUT /v1/admin/retention-policies/{product}`: admins set how long a product's tickets are kept. */
import { requireStaffRole, type Principal } from '../../domain/access';
import { NotFoundError } from '../../domain/errors';
import type { RetentionPolicy } from '../../domain/retention';
import type { Clock, SupportConfiguration } from '../ports';
import type { RetentionPolicies } from './ports';

export interface RetentionPolicyDeps {
  readonly retentionPolicies: RetentionPolicies;
  readonly configuration: Pick<SupportConfiguration, 'catalog'>;
  readonly clock: Clock;
}

/** Stores the product's policy (fields left out keep the defaults); `404` for a product not in the catalog. */
export async function putRetentionPolicy(
  deps: RetentionPolicyDeps,
  principal: Principal,
  product: string,
  policy: RetentionPolicy,
): Promise<{ product: string } & RetentionPolicy> {
  const admin = requireStaffRole(principal, ['admin']);
  const catalog = await deps.configuration.catalog();
  if (!catalog.products.some((p) => p.id === product)) throw new NotFoundError(`The product ${product}`);
  await deps.retentionPolicies.put(product, policy, new Date(deps.clock.now()).toISOString(), admin.uid);
  return { product, ...policy };
}
