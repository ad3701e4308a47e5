import { requireStaffRole, type Principal } from '../../domain/access';
import type { ContactKind } from '../../domain/redaction';
import { iso } from '../../domain/instant';
import type { Clock } from '../ports';
import type { RedactionPolicyStore } from '../redaction/free-text-redactor';

/** The ports of the redaction-policy use case. */
export interface RedactionPolicyDeps {
  readonly redactionPolicies: RedactionPolicyStore;
  readonly clock: Clock;
}

/**
 * `PUT /v1/admin/redaction-policy/{orgId}`: which contact data (email addresses, phone
 * numbers) is masked in the organisation's texts from now on; an empty list turns it off.
 * Texts stored before keep what they had.
 */
export async function putRedactionPolicy(
  deps: RedactionPolicyDeps,
  principal: Principal,
  orgId: string,
  kinds: readonly ContactKind[],
): Promise<{ orgId: string; kinds: readonly ContactKind[]; updatedAt: string }> {
  requireStaffRole(principal, ['admin']);
  const contactKinds = [...new Set(kinds)];
  const updatedAt = iso(deps.clock.now());
  await deps.redactionPolicies.put({ orgId, contactKinds, updatedAt, updatedBy: principal.uid });
  return { orgId, kinds: contactKinds, updatedAt };
}
