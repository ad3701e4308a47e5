/**
 * The request bodies and queries of the HTTP contract as zod schemas. The edge parses every
 * input with them, the use cases take the inferred types, and `GET /v1/openapi.json` is
 * generated from them. Create bodies are strict: an unknown field is a `400`, which is what
 * keeps a customer from setting tier, status or another organisation (no mass assignment).
 */
import { z } from 'zod';
import { STAFF_ROLES } from '../domain/access';
import { isReservedId } from '../domain/ids';
import { MAX_SLA_TARGET_SECONDS, MIN_SLA_TARGET_SECONDS } from '../domain/sla';
import { daysBetween, MAX_FIGURE_DAYS } from '../domain/support-figures';
import { AGENT_TIERS, MESSAGE_VISIBILITIES, TICKET_CHANNELS, TICKET_STATUSES, TIERS } from '../domain/ticket';

const SeveritySchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).describe('1 (critical) … 4 (low)');

const text = (max: number) => z.string().trim().min(1).max(max);
const languageCode = z.string().regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'must be a language code such as en or fi');
const productId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a product id from the catalog');
const notReserved = (id: string): boolean => !isReservedId(id);
const uid = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a user id').refine(notReserved, 'must be a user id');
/** Organisation ids become Firestore document ids: ids of the form `__…__` are reserved there. */
const orgId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an organisation id').refine(notReserved, 'must be an organisation id');

const ticketFields = {
  product: productId,
  language: languageCode,
  channel: z.enum(TICKET_CHANNELS),
  category: z.string().trim().min(1).max(80).default('general'),
  subject: text(200),
  description: text(20_000),
  severity: SeveritySchema.default(3).describe('the severity the requester asks for; staff assess the actual severity'),
};

/** A customer's ticket: their organisation comes from their account, never from the body. */
export const CustomerTicketCreateSchema = z.strictObject(ticketFields).meta({ id: 'CustomerTicketCreate' });

/** An agent's ticket for a customer organisation (e.g. taken over the phone). */
export const AgentTicketCreateSchema = z
  .strictObject({ ...ticketFields, orgId, customerUid: uid.optional() })
  .meta({ id: 'AgentTicketCreate' });

/** The create body as documented: a customer's or an agent's (the route parses the caller's own). */
export const TicketCreateBodySchema = z.union([CustomerTicketCreateSchema, AgentTicketCreateSchema]);

export type TicketCreateInput = z.infer<typeof CustomerTicketCreateSchema> & { orgId?: string; customerUid?: string };

export const TicketListQuerySchema = z.strictObject({
  status: z.enum(TICKET_STATUSES).optional(),
  tier: z.enum(TIERS).optional(),
  severity: z.coerce.number().pipe(SeveritySchema).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});
export type TicketListQuery = z.infer<typeof TicketListQuerySchema>;

export const MessageCreateSchema = z
  .strictObject({ body: text(20_000), visibility: z.enum(MESSAGE_VISIBILITIES).default('public') })
  .meta({ id: 'MessageCreate' });
export type MessageCreateInput = z.infer<typeof MessageCreateSchema>;

export const StatusChangeSchema = z.strictObject({ status: z.enum(TICKET_STATUSES) }).meta({ id: 'StatusChange' });

export const EscalateSchema = z
  .strictObject({ reason: text(1000), toTier: z.enum(TIERS).optional() })
  .meta({ id: 'Escalate' });

export const SeverityAssessmentSchema = z
  .strictObject({ severity: SeveritySchema, reason: text(1000) })
  .meta({ id: 'SeverityAssessment' });

export const CsatSchema = z
  .strictObject({ rating: z.number().int().min(1).max(5), comment: z.string().trim().max(2000).optional() })
  .meta({ id: 'Csat' });
export type CsatInput = z.infer<typeof CsatSchema>;

/**
 * `GET /v1/metrics/support?from&to`: whole UTC days, both inclusive, at most
 * {@link MAX_FIGURE_DAYS} of them.
 */
export const SupportFiguresQuerySchema = z
  .strictObject({
    from: z.iso.date().describe('first UTC day of the period, YYYY-MM-DD'),
    to: z.iso.date().describe('last UTC day of the period, YYYY-MM-DD (inclusive)'),
  })
  .superRefine((query, ctx) => {
    const days = daysBetween(query.from, query.to);
    if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (days + 1 > MAX_FIGURE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `the period is at most ${MAX_FIGURE_DAYS} days` });
  });
export type SupportFiguresQuery = z.infer<typeof SupportFiguresQuerySchema>;

export const StaffPutSchema = z
  .strictObject({
    role: z.enum(STAFF_ROLES),
    tier: z.enum(AGENT_TIERS).optional(),
    languages: z.array(languageCode).max(20).default([]),
    products: z.array(productId).max(20).default([]),
    trainedAt: z.iso.datetime().nullable().optional(),
    active: z.boolean(),
  })
  .superRefine((staff, ctx) => {
    if (staff.role === 'agent' && staff.tier === undefined) {
      ctx.addIssue({ code: 'custom', path: ['tier'], message: 'is required for agents' });
    }
    if (staff.role !== 'agent' && staff.tier !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['tier'], message: 'is only for agents' });
    }
  })
  .meta({ id: 'StaffPut' });
export type StaffPutInput = z.infer<typeof StaffPutSchema>;

export const CustomerPutSchema = z
  .strictObject({ orgId })
  .meta({ id: 'CustomerPut' });

/** A target in seconds: from 15 s (the spec) to a year ({@link MAX_SLA_TARGET_SECONDS}). */
const targetSeconds = z.number().int().min(MIN_SLA_TARGET_SECONDS).max(MAX_SLA_TARGET_SECONDS);

export const SlaPolicyPutSchema = z
  .strictObject({
    targets: z
      .array(
        z.strictObject({
          severity: SeveritySchema,
          firstResponseSeconds: targetSeconds,
          nextUpdateSeconds: targetSeconds,
          resolutionSeconds: targetSeconds,
          clock: z.enum(['business', 'calendar']),
        }),
      )
      .min(1)
      .max(4)
      .refine((targets) => new Set(targets.map((t) => t.severity)).size === targets.length, 'each severity at most once'),
  })
  .meta({ id: 'SlaPolicyPut' });

export const HolidaysPutSchema = z
  .strictObject({ holidays: z.array(z.iso.date()).max(366) })
  .meta({ id: 'HolidaysPut' });

export const BootstrapAdminSchema = z.strictObject({ email: z.email() });

/** Reading or destroying originals always says why (it goes to the audit log). */
export const AccessReasonQuerySchema = z.strictObject({
  reason: z.string().trim().min(5, 'must say why, in at least 5 characters').max(500),
});

/**
 * `DELETE …/originals`: the reason, and what happens to texts with sensitive data that arrive
 * afterwards — sealed under a key that is destroyed too (`destroyed`, the default) or refused.
 */
export const DestroyOriginalsQuerySchema = AccessReasonQuerySchema.extend({
  afterwards: z.enum(['destroyed', 'refused']).default('destroyed'),
});

export const ManualRedactionSchema = z
  .strictObject({
    messageId: z.string().min(1).max(128).optional(),
    field: z.enum(['subject', 'description']).optional(),
    start: z.number().int().min(0).optional(),
    end: z.number().int().min(1).optional(),
    text: z.string().min(1).max(20_000).optional(),
    reason: text(500),
  })
  .superRefine((body, ctx) => {
    if ((body.messageId === undefined) === (body.field === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['messageId'], message: 'give exactly one of messageId or field' });
    }
    const bySpan = body.start !== undefined || body.end !== undefined;
    if (bySpan === (body.text !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'give either text or start and end' });
    } else if (bySpan && (body.start === undefined || body.end === undefined || body.end <= body.start)) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'start and end are both required, with end after start' });
    }
  })
  .meta({ id: 'ManualRedaction' });
