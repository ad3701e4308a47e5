/** Redaction policy routes: which contact data an organisation's texts have masked. */
import { putRedactionPolicy, type RedactionPolicyDeps } from '../../application/admin/put-redaction-policy';
import { RedactionPolicyPutSchema } from '../../application/redaction/policy-contract';
import type { Callers } from '../../domain/access';
import { parseInput } from './problem';
import { param, principalOf, type DepsProvider, type Route } from './router';

const ADMINS: Callers = { customers: 'forbidden', staff: ['admin'] };

/** The ports of the redaction policy route's use case. */
export type RedactionRouteDeps = RedactionPolicyDeps;

export const redactionRoutes = (deps: DepsProvider<RedactionRouteDeps>): readonly Route[] => [
  {
    method: 'PUT',
    pattern: '/v1/admin/redaction-policy/:orgId',
    summary: "Mask contact data (email addresses, phone numbers) in an organisation's texts from now on; default off",
    auth: true,
    who: 'admin',
    callers: ADMINS,
    body: RedactionPolicyPutSchema,
    successStatus: 200,
    handle: async (request) => {
      const { kinds } = parseInput(RedactionPolicyPutSchema, request.body, 'redaction policy');
      return { status: 200, body: await putRedactionPolicy(await deps(), principalOf(request), param(request, 'orgId'), kinds) };
    },
  },
];
