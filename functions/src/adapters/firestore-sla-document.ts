/**
 * How a ticket's SLA clocks are stored in its Firestore document (`tickets/{id}.sla`): flat
 * fields of ISO-8601 UTC instants (`toISOString()`), three per clock, so that the escalation
 * sweep can query `sla.nextCheckAt <= now` and a person reading the document sees times.
 * The domain's {@link SlaState} counts in epoch milliseconds; this module maps between the two
 * and migrates documents stored before a field existed.
 */
import { z } from 'zod';
import { SLA_CLOCKS, SLA_TARGET_NAMES, type SlaClockTimes, type SlaState, type SlaTargetName } from '../domain/sla';

const instant = z.iso.datetime({ message: 'must be an ISO-8601 UTC instant' });
const instantOrNull = instant.nullable();
const targetNames = z.array(z.enum(SLA_TARGET_NAMES));

/** The stored SLA fields of one clock, named `${clock}StartedAt` and so on. */
function clockFields<N extends SlaTargetName>(name: N) {
  return {
    [`${name}StartedAt`]: instantOrNull,
    [`${name}WarnAt`]: instantOrNull,
    [`${name}DueAt`]: instantOrNull,
  } as Record<`${N}StartedAt` | `${N}WarnAt` | `${N}DueAt`, typeof instantOrNull>;
}

/**
 * The stored shape, validated as it is read. Migration: documents stored before `settled`
 * and `pausedMs` existed have neither; they read as nothing settled and no time paused.
 */
export const StoredSlaSchema = z
  .object({
    clock: z.enum([SLA_CLOCKS.business, SLA_CLOCKS.calendar]),
    ...clockFields('firstResponse'),
    ...clockFields('nextUpdate'),
    ...clockFields('resolution'),
    paused: z.boolean(),
    pausedAt: instantOrNull,
    stopped: z.boolean(),
    firstRespondedAt: instantOrNull,
    warned: targetNames,
    breached: targetNames,
    settled: targetNames.default([]),
    pausedMs: z.number().nonnegative().default(0),
    nextCheckAt: instantOrNull,
  })
  .superRefine((stored, context) => {
    for (const name of SLA_TARGET_NAMES) {
      const parts = [stored[`${name}StartedAt`], stored[`${name}WarnAt`], stored[`${name}DueAt`]];
      const set = parts.filter((part) => part !== null).length;
      if (set !== 0 && set !== 3) {
        context.addIssue({ code: 'custom', path: [name], message: `clock ${name} is incomplete: start, 75 % mark and due time go together` });
      }
    }
  });

/** The SLA fields as a ticket document holds them. */
export type StoredSla = z.output<typeof StoredSlaSchema>;

function toIso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function toMs(iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso);
}

function decodeClock(stored: StoredSla, name: SlaTargetName): SlaClockTimes | null {
  const [startedAt, warnAt, dueAt] = [stored[`${name}StartedAt`], stored[`${name}WarnAt`], stored[`${name}DueAt`]];
  if (startedAt === null || warnAt === null || dueAt === null) return null;
  return { startedAt: Date.parse(startedAt), warnAt: Date.parse(warnAt), dueAt: Date.parse(dueAt) };
}

/** The domain state of validated stored fields (see {@link StoredSlaSchema}). */
export function slaFromStored(stored: StoredSla): SlaState {
  return {
    clock: stored.clock,
    clocks: {
      firstResponse: decodeClock(stored, 'firstResponse'),
      nextUpdate: decodeClock(stored, 'nextUpdate'),
      resolution: decodeClock(stored, 'resolution'),
    },
    paused: stored.paused,
    pausedAt: toMs(stored.pausedAt),
    stopped: stored.stopped,
    firstRespondedAt: toMs(stored.firstRespondedAt),
    warned: stored.warned,
    breached: stored.breached,
    settled: stored.settled,
    pausedMs: stored.pausedMs,
    nextCheckAt: toMs(stored.nextCheckAt),
  };
}

/** The stored fields of a domain state, in a fixed key order (stable documents). */
export function slaToStored(state: SlaState): StoredSla {
  const { firstResponse, nextUpdate, resolution } = state.clocks;
  return {
    clock: state.clock,
    firstResponseStartedAt: toIso(firstResponse?.startedAt ?? null),
    firstResponseWarnAt: toIso(firstResponse?.warnAt ?? null),
    firstResponseDueAt: toIso(firstResponse?.dueAt ?? null),
    nextUpdateStartedAt: toIso(nextUpdate?.startedAt ?? null),
    nextUpdateWarnAt: toIso(nextUpdate?.warnAt ?? null),
    nextUpdateDueAt: toIso(nextUpdate?.dueAt ?? null),
    resolutionStartedAt: toIso(resolution?.startedAt ?? null),
    resolutionWarnAt: toIso(resolution?.warnAt ?? null),
    resolutionDueAt: toIso(resolution?.dueAt ?? null),
    paused: state.paused,
    pausedAt: toIso(state.pausedAt),
    stopped: state.stopped,
    firstRespondedAt: toIso(state.firstRespondedAt),
    warned: [...state.warned],
    breached: [...state.breached],
    settled: [...state.settled],
    pausedMs: state.pausedMs,
    nextCheckAt: toIso(state.nextCheckAt),
  };
}
