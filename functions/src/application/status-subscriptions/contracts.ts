/** The status-subscription request bodies and queries of the HTTP contract (strict: unknown fields are a `400`). */
import { z } from 'zod';
import { DELIVERY_STATES } from '../../domain/webhook-delivery';

const productId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a product id from the catalog');
const token = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'must be the token of the subscription');

export const SubscriptionCreateSchema = z
  .strictObject({
    products: z
      .array(productId)
      .min(1)
      .max(30)
      .refine((list) => new Set(list).size === list.length, 'names a product twice')
      .describe('the products whose public updates to receive'),
    webhookUrl: z.string().max(2048).optional().describe('an https URL that answers the challenge; requests are signed (Tuki-Signature)'),
    email: z.email().max(254).optional().describe('an address that confirms by the link it is sent'),
  })
  .refine((body) => (body.webhookUrl === undefined) !== (body.email === undefined), {
    message: 'give either webhookUrl or email',
    path: ['webhookUrl'],
  })
  .meta({ id: 'StatusSubscriptionCreate' });
export type SubscriptionCreateInput = z.infer<typeof SubscriptionCreateSchema>;

/** `?token=`: the unsubscribe token (DELETE) or the confirmation token (confirm). */
export const SubscriptionTokenQuerySchema = z.strictObject({ token });

export const DeliveryListQuerySchema = z.strictObject({
  state: z.enum(DELIVERY_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});
