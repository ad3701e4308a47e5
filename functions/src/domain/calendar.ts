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
 * Cost. The functions step whole open intervals (one per local day), never minutes, so an
 * 80-hour target costs about two weeks of day lookups. Each day's interval is computed once
 * per calendar and memoised (see `compile`): ~40 µs for an 80-hour target once warm, ~1 ms
 * the first time a calendar meets those dates.
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
  for (const [start, end] of openIntervalsFrom(c, startMs)) {
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
  for (const [start, end] of openIntervalsBefore(c, endMs)) {
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
  for (const [start, end] of openIntervalsFrom(c, fromMs)) {
    if (start >= toMs) break;
    total += Math.min(end, toMs) - Math.max(start, fromMs);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Internals

type Interval = readonly [startMs: number, endMs: number];

interface CompiledCalendar {
  readonly timeZone: string;
  readonly alwaysOpen: boolean;
  /** ISO day numbers, Monday = 1 … Sunday = 7 (Temporal's `dayOfWeek`). */
  readonly openDays: ReadonlySet<number>;
  readonly open: Temporal.PlainTime;
  /** `null` means 24:00, i.e. midnight at the start of the next day. */
  readonly close: Temporal.PlainTime | null;
  readonly holidays: ReadonlySet<string>;
  /**
   * Raw open interval by local epoch day. Building one costs two time-zone conversions;
   * looking one up costs a Map read, which is what keeps long targets well under a millisecond.
   */
  readonly days: Map<number, Interval | null>;
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

function compile(cal: BusinessCalendar): CompiledCalendar {
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
  const hours = cal.hours;
  if (hours === '24/7') {
    return {
      timeZone: cal.timeZone,
      alwaysOpen: true,
      openDays: new Set([1, 2, 3, 4, 5, 6, 7]),
      open: new Temporal.PlainTime(0, 0),
      close: null,
      holidays,
      days: new Map(),
      maxClosedRun: 0,
    };
  }
  const openMinute = parseClock(hours.open, 'open', false);
  const closeMinute = parseClock(hours.close, 'close', true);
  if (closeMinute <= openMinute) {
    throw new Error(`Opening hours close ("${hours.close}") must be after open ("${hours.open}").`);
  }
  return {
    timeZone: cal.timeZone,
    alwaysOpen: false,
    openDays: new Set(hours.days.map((day) => WEEKDAYS.indexOf(parseWeekday(day)) + 1)),
    open: minuteToPlainTime(openMinute),
    close: closeMinute === MINUTES_PER_DAY ? null : minuteToPlainTime(closeMinute),
    holidays,
    days: new Map(),
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
function localEpochDay(c: CompiledCalendar, atMs: number): number {
  const offsetMs = Temporal.Instant.fromEpochMilliseconds(atMs).toZonedDateTimeISO(c.timeZone).offsetNanoseconds / 1e6;
  return Math.floor((atMs + offsetMs) / MS_PER_DAY);
}

/**
 * Open intervals in time order, starting with the first one whose end is at or after `atMs`
 * (an interval that closes exactly at `atMs` is included: it is where a due time may sit).
 * Ends when the calendar has no open day left.
 */
function* openIntervalsFrom(c: CompiledCalendar, atMs: number): Generator<Interval> {
  // Start a day early: an interval of the previous local date may still be running.
  let day = localEpochDay(c, atMs) - 1;
  let closedRun = 0;
  for (;; day++) {
    const interval = openInterval(c, day);
    if (interval === null) {
      if (++closedRun > c.maxClosedRun) return;
      continue;
    }
    closedRun = 0;
    if (interval[1] >= atMs) yield interval;
  }
}

/** Open intervals in reverse time order, starting with the last one that opens at or before `atMs`. */
function* openIntervalsBefore(c: CompiledCalendar, atMs: number): Generator<Interval> {
  let day = localEpochDay(c, atMs) + 1;
  let closedRun = 0;
  for (;; day--) {
    const interval = openInterval(c, day);
    if (interval === null) {
      if (++closedRun > c.maxClosedRun) return;
      continue;
    }
    closedRun = 0;
    if (interval[0] <= atMs) yield interval;
  }
}

function parseWeekday(day: string): Weekday {
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

function assertDuration(durationMs: number): void {
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new RangeError(`A business-time duration must be a finite number >= 0, got ${durationMs}.`);
  }
}
