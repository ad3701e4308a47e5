/**
 * The emails of status subscriptions, as the mail provider reads them from the `status-emails`
 * topic: one event per email (a confirmation, or one public update to one subscriber), its id
 * the provider's deduplication key.
 */
import { z } from 'zod';

/** Event types on the topic. */
export const STATUS_EMAIL_TYPES = { confirmation: 'status.subscription_confirmation', update: 'status.update' } as const;

/** The payload (`data`) of a status email event. */
export const StatusEmailDataSchema = z.strictObject({
  to: z.email(),
  subject: z.string().min(1),
  text: z.string().min(1),
  subscriptionId: z.string().min(1),
  unsubscribeUrl: z.string().min(1),
  unsubscribeToken: z.string().min(1),
});
export type StatusEmailData = z.infer<typeof StatusEmailDataSchema>;

/** The whole event as it arrives on the topic. */
export const StatusEmailEventSchema = z.object({
  id: z.string().min(1),
  type: z.enum([STATUS_EMAIL_TYPES.confirmation, STATUS_EMAIL_TYPES.update]),
  occurredAt: z.iso.datetime(),
  data: StatusEmailDataSchema,
});
export type StatusEmailEvent = z.infer<typeof StatusEmailEventSchema>;
