/**
 * The `status.update_published` event: emitted once, through the outbox, for every update
 * that appears on the public status page (to the `status-updates` topic). Status-page
 * subscriptions (webhooks, email) consume it; this schema is what they parse it with.
 */
import { z } from 'zod';
import { IMPACTS, INCIDENT_KINDS, ALL_INCIDENT_STATUSES } from '../../domain/incident';

/** The event type. */
export const STATUS_UPDATE_PUBLISHED = 'status.update_published';

/** The payload (`data`) of the event. `message` and `title` are redacted. */
const StatusUpdatePublishedDataSchema = z.strictObject({
  incidentId: z.string().min(1),
  updateId: z.string().min(1),
  kind: z.enum(INCIDENT_KINDS),
  products: z.array(z.string().min(1)).min(1),
  status: z.enum(ALL_INCIDENT_STATUSES as [string, ...string[]]),
  impact: z.enum(IMPACTS),
  title: z.string(),
  message: z.string(),
  publishedAt: z.iso.datetime(),
});
export type StatusUpdatePublishedData = z.infer<typeof StatusUpdatePublishedDataSchema>;

/** The whole event as it arrives on the topic (the outbox's envelope around `data`). */
export const StatusUpdatePublishedEventSchema = z.object({
  id: z.string().min(1),
  type: z.literal(STATUS_UPDATE_PUBLISHED),
  occurredAt: z.iso.datetime(),
  data: StatusUpdatePublishedDataSchema,
});
