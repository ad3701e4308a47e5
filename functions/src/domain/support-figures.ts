/**
 * Support figures for managers (`GET /v1/metrics/support`): share of positive ratings,
 * first-level resolution, SLA attainment per target, counts per tier and severity, and the
 * median first response in business time, over a period of whole UTC days. Pure: the
 * vocabulary of lifecycle events, the counters each event adds, and the figures a set of
 * summed counters gives.
 *
 * Kept as counters updated by events, never by scanning tickets. Every state change that
 * matters writes one lifecycle event to the outbox in its own transaction (topic
 * `ticket-lifecycle`); `recordSupportFigures` adds the event's counters ({@link countersFor})
 * to a shard document of the event's UTC day, together with a processed-event marker in the
 * same atomic commit, so a redelivered event counts once. Days are sharded
 * ({@link FIGURE_SHARDS} documents per day, chosen by a hash of the event id) so that no
 * single counter document is hot. Reading a period sums the shard documents of its days.
 *
 * What is counted, and when (the day of the event, UTC):
 * - `created`, per initial severity: on intake.
 * - `resolved`, per tier and severity at that moment: a ticket's first move into `resolved`
 *   (or straight to `closed` from a working status), once per ticket (`domain/resolution.ts`).
 *   First-level resolution is a resolution at `L1` of a ticket that was never escalated. A
 *   reopened ticket that is resolved again is not counted again (a customer looping reopen →
 *   resolve adds nothing); reopenings are counted on their own (`reopened`).
 * - escalations per tier reached (by the sweep or by hand), and management-review flags.
 * - SLA attainment: each target of a ticket is settled once (`settleSla` in `sla.ts`) — met
 *   or breached — at its first breach, at the first response (first response), or at
 *   resolution (every target whose clock ran). Attainment = met / (met + breached).
 * - CSAT: one answer per ticket; positive = rating 4 or 5.
 * - First response time: in ms of the ticket's SLA clock (business hours, or 24/7 for
 *   severity 1), without paused time, kept as a histogram per day.
 *
 * Precision of the median first response: the histogram is log-scaled with
 * {@link HISTOGRAM_STEPS_PER_DOUBLING} buckets per doubling (bucket `i ≥ 1` holds
 * `[2^((i-1)/4), 2^(i/4))` seconds, bucket 0 holds under one second, the last bucket
 * everything from about 194 days). The median reported is the geometric middle of the
 * bucket that holds the lower median (rank ⌈n/2⌉), so it is within ±9.1 % of the true
 * lower median; the bucket's bounds are reported with it.
 */
import { z } from 'zod';
import type { SlaOutcomes } from './sla';
import { SEVERITIES, SLA_TARGET_NAMES, type SlaTargetName } from './sla-vocabulary';
import { TIERS } from './ticket';

/** Shard documents per day. Eight spreads a busy day's writes well beyond one document's limit. */
export const FIGURE_SHARDS = 8;

/** Histogram resolution: buckets per doubling of the first-response time. */
const HISTOGRAM_STEPS_PER_DOUBLING = 4;
/** The last bucket: everything from 2^24 s (about 194 days). */
const HISTOGRAM_LAST_BUCKET = 1 + 24 * HISTOGRAM_STEPS_PER_DOUBLING;

/** The longest period one request may ask for, in days. */
export const MAX_FIGURE_DAYS = 366;

const LIFECYCLE_EVENT_TYPES = {
  created: 'ticket.created',
  firstResponse: 'ticket.first_response',
  escalated: 'ticket.escalated',
  managementReview: 'ticket.management_review',
  breached: 'sla.breached',
  resolved: 'ticket.resolved',
  reopened: 'ticket.reopened',
  csat: 'ticket.csat',
} as const;

const severity = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
const outcome = z.enum(['met', 'breached']);
const OutcomesSchema = z.object({ firstResponse: outcome.optional(), nextUpdate: outcome.optional(), resolution: outcome.optional() });
const envelope = { id: z.string().min(1), occurredAt: z.iso.datetime({ offset: true }) };

/** A lifecycle event as published to `ticket-lifecycle` (an event of an outbox record, its `topic` aside). */
export const LifecycleEventSchema = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal(LIFECYCLE_EVENT_TYPES.created), data: z.object({ ticketId: z.string(), severity }) }),
  z.object({
    ...envelope,
    type: z.literal(LIFECYCLE_EVENT_TYPES.firstResponse),
    data: z.object({ ticketId: z.string(), businessMs: z.number().min(0), outcomes: OutcomesSchema }),
  }),
  z.object({
    ...envelope,
    type: z.literal(LIFECYCLE_EVENT_TYPES.escalated),
    data: z.object({
      ticketId: z.string(),
      from: z.enum(TIERS),
      to: z.enum(TIERS),
      severity,
      manual: z.boolean(),
      reviewFlagged: z.boolean(),
      outcomes: OutcomesSchema,
    }),
  }),
  z.object({
    ...envelope,
    type: z.literal(LIFECYCLE_EVENT_TYPES.managementReview),
    data: z.object({ ticketId: z.string(), outcomes: OutcomesSchema }),
  }),
  z.object({ ...envelope, type: z.literal(LIFECYCLE_EVENT_TYPES.breached), data: z.object({ ticketId: z.string(), outcomes: OutcomesSchema }) }),
  z.object({
    ...envelope,
    type: z.literal(LIFECYCLE_EVENT_TYPES.resolved),
    data: z.object({ ticketId: z.string(), tier: z.enum(TIERS), severity, escalated: z.boolean(), outcomes: OutcomesSchema }),
  }),
  z.object({ ...envelope, type: z.literal(LIFECYCLE_EVENT_TYPES.reopened), data: z.object({ ticketId: z.string() }) }),
  z.object({
    ...envelope,
    type: z.literal(LIFECYCLE_EVENT_TYPES.csat),
    data: z.object({ ticketId: z.string(), rating: z.number().int().min(1).max(5) }),
  }),
]);
export type LifecycleEvent = z.infer<typeof LifecycleEventSchema>;

/** Counter name → amount. Names are plain identifiers (Firestore map keys). */
export type Counters = Record<string, number>;

/** The UTC day (`YYYY-MM-DD`) of an ISO-8601 instant. */
export function utcDay(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an ISO-8601 instant: "${iso}"`);
  return new Date(ms).toISOString().slice(0, 10);
}

/** The shard of an event: a stable hash of its id (FNV-1a), so a redelivery hits the same document. */
export function shardFor(eventId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < eventId.length; i++) {
    hash ^= eventId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % FIGURE_SHARDS;
}

/** The histogram bucket of a duration in seconds (see the module doc). */
export function histogramBucket(seconds: number): number {
  if (!(seconds >= 1)) return 0;
  // The small epsilon keeps exact powers of two (16 s) out of the bucket below them despite rounding.
  const index = 1 + Math.floor(Math.log2(seconds) * HISTOGRAM_STEPS_PER_DOUBLING + 1e-9);
  return Math.min(index, HISTOGRAM_LAST_BUCKET);
}

/** The seconds a bucket holds: `[low, high)`; the last bucket is open (`high` is Infinity). */
export function bucketBounds(index: number): { low: number; high: number } {
  if (index <= 0) return { low: 0, high: 1 };
  const low = 2 ** ((index - 1) / HISTOGRAM_STEPS_PER_DOUBLING);
  return { low, high: index >= HISTOGRAM_LAST_BUCKET ? Number.POSITIVE_INFINITY : 2 ** (index / HISTOGRAM_STEPS_PER_DOUBLING) };
}

const HISTOGRAM_PREFIX = 'firstResponseBucket';

function outcomeCounters(outcomes: SlaOutcomes, counters: Counters): void {
  for (const name of SLA_TARGET_NAMES) {
    const value = outcomes[name];
    if (value !== undefined) counters[`${value}_${name}`] = 1;
  }
}

/** The counters one lifecycle event adds. */
export function countersFor(event: LifecycleEvent): Counters {
  const counters: Counters = {};
  switch (event.type) {
    case 'ticket.created':
      counters['created'] = 1;
      counters[`created_severity${event.data.severity}`] = 1;
      break;
    case 'ticket.first_response':
      counters['firstResponses'] = 1;
      counters[`${HISTOGRAM_PREFIX}${histogramBucket(event.data.businessMs / 1000)}`] = 1;
      outcomeCounters(event.data.outcomes, counters);
      break;
    case 'ticket.escalated':
      counters['escalations'] = 1;
      counters[`escalations_to${event.data.to}`] = 1;
      if (event.data.manual) counters['escalations_manual'] = 1;
      if (event.data.reviewFlagged) counters['managementReviews'] = 1;
      outcomeCounters(event.data.outcomes, counters);
      break;
    case 'ticket.management_review':
      counters['managementReviews'] = 1;
      outcomeCounters(event.data.outcomes, counters);
      break;
    case 'sla.breached':
      outcomeCounters(event.data.outcomes, counters);
      break;
    case 'ticket.resolved':
      counters['resolved'] = 1;
      counters[`resolved_tier${event.data.tier}`] = 1;
      counters[`resolved_severity${event.data.severity}`] = 1;
      if (event.data.tier === 'L1' && !event.data.escalated) counters['resolved_firstLevel'] = 1;
      outcomeCounters(event.data.outcomes, counters);
      break;
    case 'ticket.reopened':
      counters['reopened'] = 1;
      break;
    case 'ticket.csat':
      counters['csatResponses'] = 1;
      counters[`csat_rating${event.data.rating}`] = 1;
      break;
  }
  return counters;
}

/** Adds counters into `total` (summing the shard documents of a period). */
export function addCounters(total: Counters, more: Readonly<Counters>): Counters {
  for (const [name, value] of Object.entries(more)) {
    if (typeof value === 'number' && Number.isFinite(value)) total[name] = (total[name] ?? 0) + value;
  }
  return total;
}

/** The figures of a period, computed from its summed counters. Shares are null when nothing was counted. */
export interface SupportFigures {
  readonly period: { readonly from: string; readonly to: string; readonly days: number };
  readonly tickets: {
    readonly created: number;
    readonly createdBySeverity: Record<string, number>;
    readonly resolved: number;
    readonly resolvedByTier: Record<string, number>;
    readonly resolvedBySeverity: Record<string, number>;
    readonly reopened: number;
  };
  readonly firstLevelResolution: { readonly resolvedAtL1WithoutEscalation: number; readonly resolved: number; readonly share: number | null };
  readonly escalations: {
    readonly total: number;
    readonly manual: number;
    readonly byTier: Record<string, number>;
    readonly managementReviews: number;
  };
  readonly slaAttainment: Record<SlaTargetName, { readonly met: number; readonly breached: number; readonly attainment: number | null }>;
  readonly satisfaction: {
    readonly responses: number;
    readonly byRating: Record<string, number>;
    readonly positive: number;
    readonly positiveShare: number | null;
  };
  readonly firstResponseTime: {
    readonly responses: number;
    readonly medianBusinessSeconds: number | null;
    /** The histogram bucket that holds the median: the true lower median lies in `[low, high)`. */
    readonly medianRangeSeconds: { readonly low: number; readonly high: number | null } | null;
    readonly precision: string;
  };
}

const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** The lower median (rank ⌈n/2⌉) of a histogram of counters, as the geometric middle of its bucket. */
export function histogramMedian(counters: Readonly<Counters>): { seconds: number; low: number; high: number } | null {
  const buckets: [number, number][] = [];
  for (const [name, count] of Object.entries(counters)) {
    if (!name.startsWith(HISTOGRAM_PREFIX) || count <= 0) continue;
    buckets.push([Number(name.slice(HISTOGRAM_PREFIX.length)), count]);
  }
  buckets.sort((a, b) => a[0] - b[0]);
  const n = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (n === 0) return null;
  const rank = Math.ceil(n / 2);
  let seen = 0;
  for (const [index, count] of buckets) {
    seen += count;
    if (seen < rank) continue;
    const { low, high } = bucketBounds(index);
    const seconds = index === 0 ? 0.5 : Number.isFinite(high) ? Math.sqrt(low * high) : low;
    return { seconds, low, high };
  }
  return null;
}

/** The figures for `from`..`to` (UTC days, inclusive) from the summed counters of those days. */
export function supportFigures(counters: Readonly<Counters>, from: string, to: string): SupportFigures {
  const c = (name: string): number => counters[name] ?? 0;
  const by = <K extends string | number>(keys: readonly K[], name: (key: K) => string): Record<string, number> =>
    Object.fromEntries(keys.map((key) => [String(key), c(name(key))]));
  const median = histogramMedian(counters);
  const ratings = [1, 2, 3, 4, 5] as const;
  const positive = c('csat_rating4') + c('csat_rating5');
  const attainment = Object.fromEntries(
    SLA_TARGET_NAMES.map((name) => {
      const met = c(`met_${name}`);
      const breached = c(`breached_${name}`);
      return [name, { met, breached, attainment: share(met, met + breached) }];
    }),
  ) as SupportFigures['slaAttainment'];
  return {
    period: { from, to, days: daysBetween(from, to) + 1 },
    tickets: {
      created: c('created'),
      createdBySeverity: by(SEVERITIES, (s) => `created_severity${s}`),
      resolved: c('resolved'),
      resolvedByTier: by(TIERS, (t) => `resolved_tier${t}`),
      resolvedBySeverity: by(SEVERITIES, (s) => `resolved_severity${s}`),
      reopened: c('reopened'),
    },
    firstLevelResolution: {
      resolvedAtL1WithoutEscalation: c('resolved_firstLevel'),
      resolved: c('resolved'),
      share: share(c('resolved_firstLevel'), c('resolved')),
    },
    escalations: {
      total: c('escalations'),
      manual: c('escalations_manual'),
      byTier: by(TIERS.filter((t) => t !== 'L1'), (t) => `escalations_to${t}`),
      managementReviews: c('managementReviews'),
    },
    slaAttainment: attainment,
    satisfaction: {
      responses: c('csatResponses'),
      byRating: by(ratings, (r) => `csat_rating${r}`),
      positive,
      positiveShare: share(positive, c('csatResponses')),
    },
    firstResponseTime: {
      responses: c('firstResponses'),
      medianBusinessSeconds: median === null ? null : Math.round(median.seconds * 10) / 10,
      medianRangeSeconds: median === null ? null : { low: median.low, high: Number.isFinite(median.high) ? median.high : null },
      precision: `log-scaled histogram, ${HISTOGRAM_STEPS_PER_DOUBLING} buckets per doubling: the median is the geometric middle of its bucket, within ±9.1 %`,
    },
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `from` to `to` (`YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
