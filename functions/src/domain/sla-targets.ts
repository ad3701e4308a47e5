/**
 * SLA targets: the promised response times of one severity, the spec's defaults, admins'
 * overrides and the calendar a target's clock counts on. Pure. The clock rules are in `sla.ts`.
 */
import { type BusinessCalendar, TWENTY_FOUR_SEVEN_UTC } from './calendar';
import { SLA_TARGET_NAMES, type Severity, type SlaTargetName } from './sla-vocabulary';

/** Clock kinds: `business` counts the product's opening hours, `calendar` counts 24/7. */
export const SLA_CLOCKS = { business: 'business', calendar: 'calendar' } as const;
export type SlaClock = (typeof SLA_CLOCKS)[keyof typeof SLA_CLOCKS];

/** The shortest target an admin may configure (the spec: "targets down to 15 seconds"). */
export const MIN_SLA_TARGET_SECONDS = 15;

/**
 * The longest target an admin may configure: one year of the clock's time. No support promise
 * is longer, and a bound keeps every due time within what calendars and dates can represent.
 */
export const MAX_SLA_TARGET_SECONDS = 365 * 24 * 60 * 60;

/** The share of a target after which agents are warned. */
export const WARNING_FRACTION = 0.75;

/** The targets of one severity, in seconds of the clock's calendar. */
export interface SlaTarget {
  readonly severity: Severity;
  readonly firstResponseSeconds: number;
  readonly nextUpdateSeconds: number;
  readonly resolutionSeconds: number;
  readonly clock: SlaClock;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/** The spec's defaults, one per severity; admins may override them per product. */
export const DEFAULT_SLA_TARGETS: readonly SlaTarget[] = Object.freeze([
  { severity: 1, firstResponseSeconds: 30 * MINUTE, nextUpdateSeconds: 1 * HOUR, resolutionSeconds: 4 * HOUR, clock: 'calendar' },
  { severity: 2, firstResponseSeconds: 2 * HOUR, nextUpdateSeconds: 4 * HOUR, resolutionSeconds: 16 * HOUR, clock: 'business' },
  { severity: 3, firstResponseSeconds: 8 * HOUR, nextUpdateSeconds: 16 * HOUR, resolutionSeconds: 40 * HOUR, clock: 'business' },
  { severity: 4, firstResponseSeconds: 16 * HOUR, nextUpdateSeconds: 40 * HOUR, resolutionSeconds: 80 * HOUR, clock: 'business' },
] as const satisfies readonly SlaTarget[]);

/**
 * The target that applies to a severity: the product's override when there is one, else the
 * default.
 *
 * @throws Error when the override is invalid (a target under {@link MIN_SLA_TARGET_SECONDS}
 *   or over {@link MAX_SLA_TARGET_SECONDS}, not an integer, or an unknown clock): a bad override must not silently stretch a promise.
 */
export function resolveSlaTarget(overrides: readonly SlaTarget[] | undefined, severity: Severity): SlaTarget {
  const override = overrides?.find((target) => target.severity === severity);
  if (override !== undefined) {
    assertValidSlaTarget(override);
    return override;
  }
  const fallback = DEFAULT_SLA_TARGETS.find((target) => target.severity === severity);
  if (fallback === undefined) throw new Error(`No default SLA target for severity ${String(severity)}.`);
  return fallback;
}

/** @throws Error unless every target is a whole number of seconds from 15 to a year and the clock is known. */
export function assertValidSlaTarget(target: SlaTarget): void {
  for (const name of SLA_TARGET_NAMES) {
    const seconds = targetSeconds(target, name);
    if (!Number.isInteger(seconds) || seconds < MIN_SLA_TARGET_SECONDS || seconds > MAX_SLA_TARGET_SECONDS) {
      throw new Error(
        `SLA target ${name} for severity ${String(target.severity)} must be a whole number of seconds >= ${String(MIN_SLA_TARGET_SECONDS)} and <= ${String(MAX_SLA_TARGET_SECONDS)}, got ${String(seconds)}.`,
      );
    }
  }
  if (target.clock !== SLA_CLOCKS.business && target.clock !== SLA_CLOCKS.calendar) {
    throw new Error(`SLA clock must be "business" or "calendar", got "${String(target.clock)}".`);
  }
}

/** The calendar a target's clock counts on: 24/7 UTC for `calendar`, else the business calendar. */
export function clockCalendar(target: Pick<SlaTarget, 'clock'>, businessCalendar: BusinessCalendar): BusinessCalendar {
  return target.clock === SLA_CLOCKS.calendar ? TWENTY_FOUR_SEVEN_UTC : businessCalendar;
}

/** A target's length in seconds of its clock's calendar. */
export function targetSeconds(target: SlaTarget, name: SlaTargetName): number {
  switch (name) {
    case 'firstResponse':
      return target.firstResponseSeconds;
    case 'nextUpdate':
      return target.nextUpdateSeconds;
    case 'resolution':
      return target.resolutionSeconds;
  }
}
