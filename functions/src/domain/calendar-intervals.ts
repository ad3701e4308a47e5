/**
 * The internals of business calendars (`calendar.ts` is the API): a calendar compiled once,
 * its open interval per local day (memoised), walks over those intervals forwards and
 * backwards, and the runs of *regular* days — no holiday, no time-zone transition — across
 * which whole weeks can be counted at once, since each such week is open exactly as long as
 * the opening hours say.
 */

import { Temporal } from 'temporal-polyfill';

/** Weekday names as the catalog spells them, in ISO order (Monday = 1 … Sunday = 7). */
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Opening hours on the listed days, `open`–`close` local time ("HH:MM", close after open). */
export interface WeeklyHours {
  readonly days: readonly Weekday[];
  readonly open: string;
  /** "HH:MM" after `open`; "24:00" means up to the end of the day. */
  readonly close: string;
}

/** When support is open: weekly hours or 24/7 in one time zone, minus holidays. */
export interface BusinessCalendar {
  /** IANA time zone, e.g. `Europe/Helsinki`. */
  readonly timeZone: string;
  readonly hours: '24/7' | WeeklyHours;
  /** Local dates (`YYYY-MM-DD`) on which the calendar is closed all day. */
  readonly holidays: readonly string[];
}

/** An open interval in epoch milliseconds, `[start, end)`. */
export type Interval = readonly [startMs: number, endMs: number];

/** A calendar prepared for computing: see {@link compile}. */
export interface CompiledCalendar {
  readonly timeZone: string;
  readonly alwaysOpen: boolean;
  /** ISO day numbers, Monday = 1 … Sunday = 7 (Temporal's `dayOfWeek`). */
  readonly openDays: ReadonlySet<number>;
  readonly open: Temporal.PlainTime;
  /** `null` means 24:00, i.e. midnight at the start of the next day. */
  readonly close: Temporal.PlainTime | null;
  readonly holidays: ReadonlySet<string>;
  /** The holidays as local epoch days, ascending: the next or previous one by binary search. */
  readonly holidayDays: readonly number[];
  /** Open time of a week without holidays or transitions: open days × the length of a day's hours. */
  readonly weekMs: number;
  /**
   * Raw open interval by local epoch day. Building one costs two time-zone conversions;
   * looking one up costs a Map read, which is what keeps long targets well under a millisecond.
   */
  readonly days: Map<number, Interval | null>;
  /** Runs of regular days after and before a local day (see {@link regularDaysAfter}), memoised like `days`. */
  readonly regularAfter: Map<number, number>;
  readonly regularBefore: Map<number, number>;
  /**
   * How many consecutive closed days prove that the calendar never opens again: a week of
   * weekdays, plus every holiday, plus slack for days emptied by a DST gap.
   */
  readonly maxClosedRun: number;
}

/**
 * Compiled calendars, memoised twice: per object (the common case: one calendar value used
 * for several computations) and per content, because the application builds a fresh calendar
 * object from the catalog for every request while the catalog holds only a handful of
 * distinct calendars. Both caches are bounded and invisible to callers; results do not depend
 * on them.
 */
const compiledByObject = new WeakMap<BusinessCalendar, CompiledCalendar>();
const compiledByContent = new Map<string, CompiledCalendar>();
const MAX_CACHED_CALENDARS = 256;
const MAX_CACHED_DAYS = 8192;

/** The calendar compiled (validated; memoised). */
export function compile(cal: BusinessCalendar): CompiledCalendar {
  const byObject = compiledByObject.get(cal);
  if (byObject) return byObject;
  const key = JSON.stringify([cal.timeZone, cal.hours, cal.holidays]);
  const compiled = compiledByContent.get(key) ?? compileUncached(cal);
  if (compiledByContent.size >= MAX_CACHED_CALENDARS) compiledByContent.clear();
  compiledByContent.set(key, compiled);
  compiledByObject.set(cal, compiled);
  return compiled;
}

function compileUncached(cal: BusinessCalendar): CompiledCalendar {
  assertTimeZone(cal.timeZone);
  const holidays = new Set(cal.holidays.map(parseHoliday));
  const holidayDays = [...holidays].map((date) => EPOCH_DATE.until(Temporal.PlainDate.from(date)).days).sort((a, b) => a - b);
  const hours = cal.hours;
  if (hours === '24/7') {
    return {
      timeZone: cal.timeZone,
      alwaysOpen: true,
      openDays: new Set([1, 2, 3, 4, 5, 6, 7]),
      open: new Temporal.PlainTime(0, 0),
      close: null,
      holidays,
      holidayDays,
      weekMs: 7 * MS_PER_DAY,
      days: new Map(),
      regularAfter: new Map(),
      regularBefore: new Map(),
      maxClosedRun: 0,
    };
  }
  const openMinute = parseClock(hours.open, 'open', false);
  const closeMinute = parseClock(hours.close, 'close', true);
  if (closeMinute <= openMinute) {
    throw new Error(`Opening hours close ("${hours.close}") must be after open ("${hours.open}").`);
  }
  const openDays = new Set(hours.days.map((day) => WEEKDAYS.indexOf(parseWeekday(day)) + 1));
  return {
    timeZone: cal.timeZone,
    alwaysOpen: false,
    openDays,
    open: minuteToPlainTime(openMinute),
    close: closeMinute === MINUTES_PER_DAY ? null : minuteToPlainTime(closeMinute),
    holidays,
    holidayDays,
    weekMs: openDays.size * (closeMinute - openMinute) * 60_000,
    days: new Map(),
    regularAfter: new Map(),
    regularBefore: new Map(),
    maxClosedRun: holidays.size + 14,
  };
}

const MINUTES_PER_DAY = 24 * 60;
const MS_PER_DAY = 24 * 60 * 60 * 1000;
const EPOCH_DATE = new Temporal.PlainDate(1970, 1, 1);

function minuteToPlainTime(minute: number): Temporal.PlainTime {
  return new Temporal.PlainTime(Math.floor(minute / 60), minute % 60);
}

/** The raw open interval of one local date (days since 1970-01-01), or null when closed all day. */
function rawInterval(c: CompiledCalendar, epochDay: number): Interval | null {
  const cached = c.days.get(epochDay);
  if (cached !== undefined) return cached;
  const date = EPOCH_DATE.add({ days: epochDay });
  let interval: Interval | null = null;
  if (c.openDays.has(date.dayOfWeek) && !c.holidays.has(date.toString())) {
    const start = date.toZonedDateTime({ timeZone: c.timeZone, plainTime: c.open }).epochMilliseconds;
    // 24:00 is the start of the next day, which Temporal resolves even when midnight is skipped.
    const end =
      c.close === null
        ? date.add({ days: 1 }).toZonedDateTime({ timeZone: c.timeZone }).epochMilliseconds
        : date.toZonedDateTime({ timeZone: c.timeZone, plainTime: c.close }).epochMilliseconds;
    // A short opening that falls wholly in a spring-forward gap maps to nothing.
    interval = end > start ? [start, end] : null;
  }
  if (c.days.size >= MAX_CACHED_DAYS) c.days.clear();
  c.days.set(epochDay, interval);
  return interval;
}

/**
 * The open interval of one local date, clipped so that it never overlaps the previous day's.
 * Overlap needs a DST transition at midnight (e.g. America/Santiago) and opening hours right
 * after it; clipping here, rather than in the iterators, keeps forward and backward walks
 * over exactly the same intervals.
 */
function openInterval(c: CompiledCalendar, epochDay: number): Interval | null {
  const raw = rawInterval(c, epochDay);
  if (raw === null) return null;
  const previous = rawInterval(c, epochDay - 1);
  const start = previous === null ? raw[0] : Math.max(raw[0], previous[1]);
  return raw[1] > start ? [start, raw[1]] : null;
}

/** The local date of an instant, as days since 1970-01-01; the offset comes from Temporal. */
export function localEpochDay(c: CompiledCalendar, atMs: number): number {
  const offsetMs = Temporal.Instant.fromEpochMilliseconds(atMs).toZonedDateTimeISO(c.timeZone).offsetNanoseconds / 1e6;
  return Math.floor((atMs + offsetMs) / MS_PER_DAY);
}

/**
 * Asked before each local day of a walk, with the local day of the instant the walk started
 * from: how many days, from this one on, the caller has counted as whole weeks itself (0 to
 * walk this day). See {@link regularDaysAfter}.
 */
export type SkipDays = (day: number, startDay: number) => number;

const walkEveryDay: SkipDays = () => 0;

/**
 * Open intervals in time order, starting with the first one whose end is at or after `atMs`
 * (an interval that closes exactly at `atMs` is included: it is where a due time may sit).
 * Ends when the calendar has no open day left. Days that `skip` claims are not visited.
 */
export function* openIntervalsFrom(c: CompiledCalendar, atMs: number, skip: SkipDays = walkEveryDay): Generator<Interval> {
  yield* walkOpenIntervals(c, atMs, skip, 1);
}

/**
 * Open intervals in reverse time order, starting with the last one that opens at or before
 * `atMs`. Days that `skip` claims (from this one backwards) are not visited.
 */
export function* openIntervalsBefore(c: CompiledCalendar, atMs: number, skip: SkipDays = walkEveryDay): Generator<Interval> {
  yield* walkOpenIntervals(c, atMs, skip, -1);
}

/**
 * Walks the local days from `atMs` forwards (`step` 1) or backwards (-1), yielding the open
 * intervals that end at or after `atMs` (forwards) or open at or before it (backwards).
 */
function* walkOpenIntervals(c: CompiledCalendar, atMs: number, skip: SkipDays, step: 1 | -1): Generator<Interval> {
  const startDay = localEpochDay(c, atMs);
  // Start a day before (forwards) or after (backwards): an interval of the neighbouring local date may reach `atMs`.
  let closedRun = 0;
  for (let day = startDay - step; ; day += step) {
    const skipped = skip(day, startDay);
    if (skipped > 0) {
      day += step * (skipped - 1);
      closedRun = 0;
      continue;
    }
    const interval = openInterval(c, day);
    if (interval === null) {
      if (++closedRun > c.maxClosedRun) return;
      continue;
    }
    closedRun = 0;
    if (step === 1 ? interval[1] >= atMs : interval[0] <= atMs) yield interval;
  }
}

/** The instant of local midnight at the start of a local epoch day. */
function localMidnight(c: CompiledCalendar, epochDay: number): number {
  return EPOCH_DATE.add({ days: epochDay }).toZonedDateTime({ timeZone: c.timeZone }).epochMilliseconds;
}

/** The local epoch day of the time zone's next (or previous) offset transition after (before) an instant, or ±Infinity. */
function transitionDay(c: CompiledCalendar, atMs: number, direction: 'next' | 'previous'): number {
  const transition = Temporal.Instant.fromEpochMilliseconds(atMs).toZonedDateTimeISO(c.timeZone).getTimeZoneTransition(direction);
  if (transition === null) return direction === 'next' ? Infinity : -Infinity;
  return localEpochDay(c, transition.epochMilliseconds);
}

/** Index of the first holiday day >= `day` in the ascending list (its length when none). */
function firstHolidayIndexFrom(c: CompiledCalendar, day: number): number {
  let low = 0;
  let high = c.holidayDays.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((c.holidayDays[middle] ?? Infinity) < day) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * How many consecutive local days from `day` on are regular: no holiday, and no offset
 * transition on them or on a neighbouring day (a transition on the day after changes where a
 * 24:00 close falls; on the day before, how the day's opening is clipped). Each regular day is
 * open exactly its opening hours, at a constant offset, so a run of 7·n regular days holds
 * exactly n·`weekMs` of open time. Costs one transition lookup and one binary search, once
 * per calendar and day (many tickets start on the same days).
 */
export function regularDaysAfter(c: CompiledCalendar, day: number): number {
  return memoised(c.regularAfter, day, () => {
    const nextHoliday = c.holidayDays[firstHolidayIndexFrom(c, day)] ?? Infinity;
    const nextTransition = transitionDay(c, localMidnight(c, day - 1), 'next');
    return Math.max(0, Math.min(nextHoliday - day, nextTransition - 1 - day));
  });
}

/** How many consecutive local days up to and including `day`, going backwards, are regular. */
export function regularDaysBefore(c: CompiledCalendar, day: number): number {
  return memoised(c.regularBefore, day, () => {
    const previousHoliday = c.holidayDays[firstHolidayIndexFrom(c, day + 1) - 1] ?? -Infinity;
    const previousTransition = transitionDay(c, localMidnight(c, day + 2), 'previous');
    return Math.max(0, Math.min(day - previousHoliday, day - 1 - previousTransition));
  });
}

function memoised(cache: Map<number, number>, day: number, compute: () => number): number {
  const cached = cache.get(day);
  if (cached !== undefined) return cached;
  const value = compute();
  if (cache.size >= MAX_CACHED_DAYS) cache.clear();
  cache.set(day, value);
  return value;
}

/** A weekday as the catalog spells it, or an error naming the valid ones. */
export function parseWeekday(day: string): Weekday {
  const found = WEEKDAYS.find((weekday) => weekday === day);
  if (found === undefined) {
    throw new Error(`Unknown weekday "${day}" in opening hours; expected one of ${WEEKDAYS.join(', ')}.`);
  }
  return found;
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after local midnight; "24:00" only as a closing time. */
function parseClock(value: string, which: 'open' | 'close', allowEndOfDay: boolean): number {
  if (allowEndOfDay && value === '24:00') return MINUTES_PER_DAY;
  const match = CLOCK.exec(value);
  if (match === null) {
    throw new Error(`Opening hours ${which} time "${value}" is not HH:MM (00:00–23:59).`);
  }
  return Number(match[1]) * 60 + Number(match[2]);
}

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseHoliday(value: string): string {
  if (LOCAL_DATE.test(value)) {
    try {
      // Round-trips only for real dates (rejects 2026-02-30).
      if (Temporal.PlainDate.from(value, { overflow: 'reject' }).toString() === value) return value;
    } catch {
      // fall through to the error below
    }
  }
  throw new Error(`Holiday "${value}" is not a local date YYYY-MM-DD.`);
}

function assertTimeZone(timeZone: string): void {
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(timeZone);
  } catch {
    throw new Error(`Unknown time zone "${timeZone}"; expected an IANA zone such as Europe/Helsinki.`);
  }
}

/** Durations are finite and not negative. */
export function assertDuration(durationMs: number): void {
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new RangeError(`A business-time duration must be a finite number >= 0, got ${durationMs}.`);
  }
}
