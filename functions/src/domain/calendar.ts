/**
 * Business-hours calendars: weekly opening hours in an IANA time zone, or 24/7, with public
 * holidays. All instants are epoch milliseconds (UTC); all wall-clock reasoning goes through
 * the Temporal API (polyfill), never through hand-made offset tables.
 *
 * Model. A weekly calendar is open, on each listed weekday that is not a holiday, during one
 * interval `[open, close)` of local wall-clock time. Each interval is turned into instants
 * with Temporal's `compatible` disambiguation (a wall time inside a spring-forward gap moves
 * forward by the gap; a repeated wall time during fall-back takes the earlier instant), so a
 * business day is 9 h long on every day of the year unless the opening hours themselves
 * contain the transition. A 24/7 calendar is always open and ignores holidays: round-the-
 * clock support does not close for public holidays.
 *
 * Conventions.
 * - "Open at t" is half-open: open at the opening instant, closed at the closing instant.
 * - {@link addBusinessTime} returns the *earliest* instant at which the duration has elapsed.
 *   A duration that runs out exactly at closing time is due at the closing instant itself
 *   (not at the next opening), so a due time always lies within `[open, close]` of some
 *   open interval. This makes the arithmetic additive:
 *   `add(add(s, a), b) === add(s, a + b)` and `businessTimeBetween(s, add(s, d)) === d`.
 *
 * Cost. The functions step whole open intervals (one per local day), never minutes, and
 * count runs of regular weeks (no holiday, no offset transition: each is open exactly
 * `weekMs`) at once, so the cost depends on the holidays and transitions a duration crosses,
 * not on its length: an 80-hour target costs about two weeks of day lookups, a year's about
 * as much plus two transitions. Each day's interval is computed once per calendar and
 * memoised (see `compile`): ~40 µs for an 80-hour target once warm, ~1 ms the first time a
 * calendar meets those dates.
 */

import {
  assertDuration,
  compile,
  localEpochDay,
  openIntervalsBefore,
  openIntervalsFrom,
  parseWeekday,
  regularDaysAfter,
  regularDaysBefore,
  type BusinessCalendar,
  type CompiledCalendar,
  type SkipDays,
} from './calendar-intervals';

const MS_PER_DAY = 24 * 60 * 60 * 1000;

export { WEEKDAYS, type BusinessCalendar, type Weekday, type WeeklyHours } from './calendar-intervals';

/** Round-the-clock calendar in UTC: the clock of severity-1 tickets. */
export const TWENTY_FOUR_SEVEN_UTC: BusinessCalendar = Object.freeze({
  timeZone: 'Etc/UTC',
  hours: '24/7',
  holidays: Object.freeze([]),
});

/** Opening hours as they appear in the support catalog (`data/support-catalog.json`). */
export interface CatalogHoursEntry {
  readonly timeZone: string;
  readonly hours: '24/7' | { readonly days: readonly string[]; readonly open: string; readonly close: string };
}

/**
 * Builds a calendar from a support-catalog entry, validating it.
 *
 * @param holidays - local dates (`YYYY-MM-DD`) on which support is closed all day.
 * @throws Error on an unknown time zone, an unknown weekday, a time that is not "HH:MM",
 *   a closing time not after the opening time, or a malformed holiday.
 */
export function calendarFromCatalogEntry(
  entry: CatalogHoursEntry,
  holidays: readonly string[] = [],
): BusinessCalendar {
  const hours = entry.hours;
  const calendar: BusinessCalendar = {
    timeZone: entry.timeZone,
    hours:
      hours === '24/7'
        ? '24/7'
        : { days: hours.days.map(parseWeekday), open: hours.open, close: hours.close },
    holidays: [...holidays],
  };
  compile(calendar); // validates the rest
  return calendar;
}

/** Whether the calendar is open at the instant (open at opening time, closed at closing time). */
export function isOpenAt(cal: BusinessCalendar, atMs: number): boolean {
  return nextOpeningAt(cal, atMs) === atMs;
}

/**
 * The instant support is next open: `atMs` itself when open now, else the next opening
 * instant (holidays skipped); `null` when the calendar never opens (no days).
 */
export function nextOpeningAt(cal: BusinessCalendar, atMs: number): number | null {
  const c = compile(cal);
  if (c.alwaysOpen) return atMs;
  for (const [start, end] of openIntervalsFrom(c, atMs)) {
    // An interval that closes exactly at `atMs` is already closed.
    if (end > atMs) return Math.max(start, atMs);
  }
  return null;
}

/**
 * The instant when `durationMs` of open time has elapsed after `startMs`: the earliest instant
 * `t >= startMs` with `businessTimeBetween(startMs, t) === durationMs` that lies within
 * `[open, close]` of an open interval. A duration ending at closing time is due at the
 * closing instant; a zero duration from closed hours is due at the next opening.
 *
 * @throws RangeError when `durationMs` is negative or not finite, or the calendar never opens.
 */
export function addBusinessTime(cal: BusinessCalendar, startMs: number, durationMs: number): number {
  assertDuration(durationMs);
  const c = compile(cal);
  if (c.alwaysOpen) return startMs + durationMs;
  let remaining = durationMs;
  // Whole weeks after the start's own day, leaving the last (partial) week to the walk.
  const skip = wholeWeeks(c, 'forward', (day, startDay) => (day > startDay ? Math.ceil(remaining / c.weekMs) - 1 : 0), (weeks) => {
    remaining -= weeks * c.weekMs;
  });
  for (const [start, end] of openIntervalsFrom(c, startMs, skip)) {
    const from = Math.max(start, startMs);
    const available = end - from;
    if (remaining <= available) return from + remaining;
    remaining -= available;
  }
  throw new RangeError(`The calendar in ${cal.timeZone} never opens: no due time exists.`);
}

/**
 * The latest instant `t <= endMs` with `businessTimeBetween(t, endMs) === durationMs`: the
 * inverse of {@link addBusinessTime}. Used to re-anchor a clock when its calendar changes
 * (e.g. a severity-2 ticket on business hours confirmed as severity 1 on 24/7).
 *
 * @throws RangeError when `durationMs` is negative or not finite, or the calendar never opens.
 */
export function subtractBusinessTime(cal: BusinessCalendar, endMs: number, durationMs: number): number {
  assertDuration(durationMs);
  const c = compile(cal);
  if (c.alwaysOpen || durationMs === 0) return endMs - durationMs;
  let remaining = durationMs;
  const skip = wholeWeeks(c, 'backward', (day, endDay) => (day < endDay ? Math.ceil(remaining / c.weekMs) - 1 : 0), (weeks) => {
    remaining -= weeks * c.weekMs;
  });
  for (const [start, end] of openIntervalsBefore(c, endMs, skip)) {
    const to = Math.min(end, endMs);
    const available = to - start;
    if (remaining <= available) return to - remaining;
    remaining -= available;
  }
  throw new RangeError(`The calendar in ${cal.timeZone} never opens: no start time exists.`);
}

/** Open time elapsed in `[fromMs, toMs)`, in milliseconds; 0 when `toMs <= fromMs`. */
export function businessTimeBetween(cal: BusinessCalendar, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  const c = compile(cal);
  if (c.alwaysOpen) return toMs - fromMs;
  let total = 0;
  // Whole weeks strictly between the two instants' own days (the end's looked up only for spans over a week).
  let toDay: number | undefined;
  const weeksBefore = (day: number, fromDay: number): number => {
    if (day <= fromDay || toMs - fromMs < 8 * MS_PER_DAY) return 0;
    toDay ??= localEpochDay(c, toMs);
    return Math.floor((toDay - day) / 7);
  };
  const skip = wholeWeeks(c, 'forward', weeksBefore, (weeks) => {
    total += weeks * c.weekMs;
  });
  for (const [start, end] of openIntervalsFrom(c, fromMs, skip)) {
    if (start >= toMs) break;
    total += Math.min(end, toMs) - Math.max(start, fromMs);
  }
  return total;
}


/**
 * A {@link SkipDays} for a walk that counts whole regular weeks at once: on each day it asks
 * how many weeks the walk may take (`wanted`), takes as many as the run of regular days from
 * that day allows, and reports them to `claim`. After a run too short for a week it walks
 * day by day past the holiday or transition that ended it before asking again.
 */
function wholeWeeks(
  c: CompiledCalendar,
  direction: 'forward' | 'backward',
  wanted: (day: number, startDay: number) => number,
  claim: (weeks: number) => void,
): SkipDays {
  const step = direction === 'forward' ? 1 : -1;
  let walkUntil: number | null = null;
  return (day, startDay) => {
    if (c.weekMs === 0 || (walkUntil !== null && (day - walkUntil) * step < 0)) return 0;
    const weeksWanted = wanted(day, startDay);
    if (weeksWanted < 1) return 0;
    const regular = direction === 'forward' ? regularDaysAfter(c, day) : regularDaysBefore(c, day);
    const weeks = Math.min(weeksWanted, Math.floor(regular / 7));
    if (weeks < 1) {
      // The run ends at a holiday or within a day of a transition: walk three days past it.
      walkUntil = day + step * (regular + 3);
      return 0;
    }
    claim(weeks);
    return weeks * 7;
  };
}
