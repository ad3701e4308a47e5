/** The incident request bodies and queries of the HTTP contract (strict: unknown fields are a `400`). */
import { z } from 'zod';
import { ALL_INCIDENT_STATUSES, COMPONENT_STATUSES, INCIDENT_KINDS, NOTICE_MODES, type IncidentStatus } from '../../domain/incident';

const text = (max: number) => z.string().trim().min(1).max(max);
const productId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a product id from the catalog');

const AffectedSchema = z
  .array(z.strictObject({ product: productId, status: z.enum(COMPONENT_STATUSES) }))
  .min(1)
  .max(50)
  .refine((list) => new Set(list.map((a) => a.product)).size === list.length, 'names a product twice');

const WindowSchema = z
  .strictObject({ startsAt: z.iso.datetime(), endsAt: z.iso.datetime() })
  .refine((w) => Date.parse(w.startsAt) < Date.parse(w.endsAt), { message: 'must end after it starts', path: ['endsAt'] });

export const IncidentCreateSchema = z
  .strictObject({
    kind: z.enum(INCIDENT_KINDS).default('incident'),
    title: text(200),
    affected: AffectedSchema,
    message: text(5000).describe('the first public update'),
    noticeMode: z.enum(NOTICE_MODES).optional().describe('direct notices or the status page; by default the status page when more than one organisation is affected'),
    notifyAllOrganisations: z.boolean().default(false).describe('direct notices also to every organisation that uses an affected product'),
    window: WindowSchema.optional().describe('maintenance: the planned window (required for kind maintenance)'),
  })
  .refine((body) => (body.kind === 'maintenance') === (body.window !== undefined), {
    message: 'is required for maintenance and only for maintenance',
    path: ['window'],
  })
  .meta({ id: 'IncidentCreate' });
export type IncidentCreateInput = z.infer<typeof IncidentCreateSchema>;

export const IncidentUpdateSchema = z
  .strictObject({
    status: z.enum(ALL_INCIDENT_STATUSES as [IncidentStatus, ...IncidentStatus[]]),
    message: text(5000),
    publish: z.boolean().describe('true: customers see it (directly or on the status page); false: a staff note'),
    affected: AffectedSchema.optional().describe('new component statuses'),
    noticeMode: z.enum(NOTICE_MODES).optional(),
  })
  .meta({ id: 'IncidentUpdate' });
export type IncidentUpdateInput = z.infer<typeof IncidentUpdateSchema>;

export const IncidentListQuerySchema = z.strictObject({
  state: z.enum(['open', 'resolved']).optional(),
  product: productId.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});
export type IncidentListQuery = z.infer<typeof IncidentListQuerySchema>;
