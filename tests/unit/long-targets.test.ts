/**
 * Issue 15, finding 11: business-time arithmetic counts whole regular weeks at once, so its
 * cost does not grow with the length of a target. The reference is the same arithmetic in
 * steps shorter than a week (which never skip), made exact by additivity.
 */
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import {
  addBusinessTime,
  type BusinessCalendar,
  businessTimeBetween,
  calendarFromCatalogEntry,
  subtractBusinessTime,
  WEEKDAYS,
} from '../../functions/src/domain/calendar';
import { MAX_SLA_TARGET_SECONDS, resolveSlaTarget } from '../../functions/src/domain/sla';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const at = (timeZone: string, local: string): number => Temporal.PlainDateTime.from(local).toZonedDateTime(timeZone).epochMilliseconds;

const CALENDARS: Readonly<Record<string, BusinessCalendar>> = {
  // Weekdays, DST twice a year, holidays in several years.
  helsinki: calendarFromCatalogEntry({ timeZone: 'Europe/Helsinki', hours: { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], open: '08:00', close: '16:00' } }, [
    '2026-12-24',
    '2026-12-25',
    '2027-01-01',
    '2027-06-25',
    '2028-05-01',
  ]),
  // Opening hours that contain the transitions themselves.
  nightShift: calendarFromCatalogEntry({ timeZone: 'Europe/Helsinki', hours: { days: [...WEEKDAYS], open: '02:00', close: '05:00' } }),
  // Transitions at midnight, and days open until 24:00.
  santiago: calendarFromCatalogEntry({ timeZone: 'America/Santiago', hours: { days: ['Sat', 'Sun', 'Mon'], open: '00:00', close: '24:00' } }, ['2027-04-05']),
  // No transitions at all.
  riyadh: calendarFromCatalogEntry({ timeZone: 'Asia/Riyadh', hours: { days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu'], open: '09:00', close: '18:00' } }),
};

/** `addBusinessTime` in steps of at most `stepMs` (shorter than a week of open time: no step skips). */
function addInSteps(cal: BusinessCalendar, startMs: number, durationMs: number, stepMs: number): number {
  let due = startMs;
  for (let left = durationMs; left > 0; left -= Math.min(left, stepMs)) due = addBusinessTime(cal, due, Math.min(left, stepMs));
  return durationMs === 0 ? addBusinessTime(cal, startMs, 0) : due;
}

const START = at('Europe/Helsinki', '2026-01-01T00:00');
const arbitraryCase = fc.record({
  name: fc.constantFrom(...Object.keys(CALENDARS)),
  startMs: fc.integer({ min: START, max: START + 400 * DAY }),
  durationMs: fc.integer({ min: 0, max: 2_000 * HOUR }),
});

describe('business time over many weeks', () => {
  it('when a long duration is added, then the due time is the one a walk in steps of under a week finds', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ name, startMs, durationMs }) => {
        const cal = CALENDARS[name]!;
        expect(addBusinessTime(cal, startMs, durationMs)).toBe(addInSteps(cal, startMs, durationMs, 5 * HOUR));
      }),
      { numRuns: 60 },
    );
  });

  it('when open time is measured over many weeks, then it equals the sum of its parts of under a week', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ name, startMs, durationMs }) => {
        const cal = CALENDARS[name]!;
        const endMs = startMs + durationMs * 3;
        let parts = 0;
        for (let from = startMs; from < endMs; from += 2 * DAY) parts += businessTimeBetween(cal, from, Math.min(endMs, from + 2 * DAY));
        expect(businessTimeBetween(cal, startMs, endMs)).toBe(parts);
      }),
      { numRuns: 60 },
    );
  });

  it('when a long duration is subtracted, then exactly that much open time lies between the result and the end, and no later start has it', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ name, startMs, durationMs }) => {
        const cal = CALENDARS[name]!;
        const endMs = startMs + 500 * DAY;
        const begin = subtractBusinessTime(cal, endMs, durationMs);
        expect(businessTimeBetween(cal, begin, endMs)).toBe(durationMs);
        if (durationMs > 0) expect(businessTimeBetween(cal, begin + 1, endMs)).toBeLessThan(durationMs);
      }),
      { numRuns: 60 },
    );
  });

  it('when a year of business hours is added across DST changes and holidays, then the due time is exact in local time', () => {
    // 52 weeks of 5 × 8 h from Friday 2026-12-18 08:00 run out at closing time on Thursday
    // 2027-12-16 without holidays; four holidays fall on weekdays (2026-12-24 Thu, 12-25 Fri,
    // 2027-01-01 Fri, 06-25 Fri), which moves the due time four business days on.
    const cal = CALENDARS['helsinki']!;
    const start = at('Europe/Helsinki', '2026-12-18T08:00');
    const due = addBusinessTime(cal, start, 52 * 40 * HOUR);
    expect(Temporal.Instant.fromEpochMilliseconds(due).toZonedDateTimeISO('Europe/Helsinki').toPlainDateTime().toString()).toBe('2027-12-22T16:00:00');
  });

  it('when the target is a hundred years of business time, then it costs no more time-zone work than a few years of transitions', () => {
    const cal = calendarFromCatalogEntry({ timeZone: 'Europe/Stockholm', hours: { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], open: '08:00', close: '17:00' } });
    const conversions = jest.spyOn(Temporal.PlainDate.prototype, 'toZonedDateTime');
    try {
      addBusinessTime(cal, at('Europe/Stockholm', '2026-11-27T16:59'), 100 * 52 * 45 * HOUR);
      // A day-by-day walk converts two instants per open day: some 52,000 here. Whole weeks
      // leave about ten days around each of the ~200 transitions.
      expect(conversions.mock.calls.length).toBeLessThan(200 * 30);
    } finally {
      conversions.mockRestore();
    }
  });
});

describe('SLA target bounds', () => {
  it('when an override is longer than a year, then it is rejected before any due time is computed', () => {
    const target = { severity: 3, firstResponseSeconds: 9007199254740991, nextUpdateSeconds: 3600, resolutionSeconds: 3600, clock: 'business' } as const;
    expect(() => resolveSlaTarget([target], 3)).toThrow(/firstResponse.*<= 31536000/);
    expect(resolveSlaTarget([{ ...target, firstResponseSeconds: MAX_SLA_TARGET_SECONDS }], 3).firstResponseSeconds).toBe(365 * 24 * 3600);
  });
});
