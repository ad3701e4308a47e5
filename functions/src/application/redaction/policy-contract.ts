/** The HTTP body of `PUT /v1/admin/redaction-policy/{orgId}`. */
import { z } from 'zod';
import { CONTACT_KINDS } from '../../domain/redaction';

/** `{kinds}`: the contact data to mask in the organisation's texts; `[]` turns it off. Unknown fields are refused. */
export const RedactionPolicyPutSchema = z
  .object({
    kinds: z.array(z.enum(CONTACT_KINDS)).max(CONTACT_KINDS.length * 2),
  })
  .strict();
