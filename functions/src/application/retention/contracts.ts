/**
 * The request bodies and queries of retention, legal hold, erasure requests and receipts, as
 * zod schemas (the edge parses with them; the OpenAPI document is generated from them).
 */
import { z } from 'zod';
import { DEFAULT_RETENTION_POLICY } from '../../domain/retention';

const days = (min: number, max: number) => z.number().int().min(min).max(max);

/** Fields left out keep the defaults. */
export const RetentionPolicyPutSchema = z
  .strictObject({
    deleteClosedAfterDays: days(1, 3650).default(DEFAULT_RETENTION_POLICY.deleteClosedAfterDays).describe('delete a ticket this many days after it was closed'),
    autoCloseResolvedAfterDays: days(1, 365)
      .default(DEFAULT_RETENTION_POLICY.autoCloseResolvedAfterDays)
      .describe('close a resolved ticket after this many days without a customer reply'),
    destroyOriginalsAfterResolvedDays: days(0, 3650)
      .default(DEFAULT_RETENTION_POLICY.destroyOriginalsAfterResolvedDays)
      .describe('destroy the sealed originals this many days after resolution'),
  })
  .meta({ id: 'RetentionPolicyPut' });

export const LegalHoldSchema = z.strictObject({ reason: z.string().trim().min(5, 'must say why, in at least 5 characters').max(1000) }).meta({ id: 'LegalHold' });

export const ErasureRequestCreateSchema = z
  .strictObject({ subject: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a user id').describe('the uid of the person to erase') })
  .meta({ id: 'ErasureRequestCreate' });

/** An instant, or a UTC day (`YYYY-MM-DD`, its start). */
const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** `GET /v1/deletion-receipts?from&to`: receipts made from `from` up to `to` (a day `to` is included whole). */
export const DeletionReceiptsQuerySchema = z
  .strictObject({
    from: instant.describe('ISO instant or UTC day: the first receipts'),
    to: instant.describe('ISO instant (exclusive) or UTC day (inclusive): the last receipts'),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(500).optional(),
  })
  .transform((query) => ({
    ...query,
    from: new Date(query.from).toISOString(),
    to: query.to.length === 10 ? new Date(Date.parse(query.to) + 24 * 60 * 60 * 1000).toISOString() : new Date(query.to).toISOString(),
  }))
  .refine((query) => query.from < query.to, { path: ['to'], message: 'must be after from' });
