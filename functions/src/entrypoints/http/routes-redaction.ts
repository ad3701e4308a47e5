/** Redaction policy routes: which contact data an organisation's texts have masked. */
import { putRedactionPolicy } from '../../application/admin/put-redaction-policy';
import { RedactionPolicyPutSchema } from '../../application/redaction/policy-contract';
import type { Callers } from '../../domain/access';
import { services } from '../../wiring';
import { parseInput } from './problem';
import { param, principalOf, type Route } from './router';

const ADMINS: Callers = { customers: 'forbidden', staff: ['admin'] };

export const REDACTION_ROUTES: readonly Route[] = [
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
      return { status: 200, body: await putRedactionPolicy(await services(), principalOf(request), param(request, 'orgId'), kinds) };
    },
  },
];
