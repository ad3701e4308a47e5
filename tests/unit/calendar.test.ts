import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import catalog from '../../data/support-catalog.json';
import {
  addBusinessTime,
  type BusinessCalendar,
  businessTimeBetween,
  calendarFromCatalogEntry,
  isOpenAt,
  nextOpeningAt,
  subtractBusinessTime,
  TWENTY_FOUR_SEVEN_UTC,
  WEEKDAYS,
} from '../../functions/src/domain/calendar';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Epoch ms of a local wall-clock time ("2026-11-27T16:59") in a zone. */
function at(timeZone: string, local: string): number {
  return Temporal.PlainDateTime.from(local).toZonedDateTime(timeZone).epochMilliseconds;
}

/** Local wall-clock time ("2026-11-30T09:59") of an instant in a zone. */
function wall(timeZone: string, ms: number): string {
  return Temporal.Instant.fromEpochMilliseconds(ms)
    .toZonedDateTimeISO(timeZone)
    .toPlainDateTime()
    .toString({ smallestUnit: 'minute' });
}

const MON_FRI = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'];

const stockholm = calendarFromCatalogEntry({
  timeZone: 'Europe/Stockholm',
  hours: { days: MON_FRI, open: '08:00', close: '17:00' },
});
const helsinki = calendarFromCatalogEntry({
  timeZone: 'Europe/Helsinki',
  hours: { days: MON_FRI, open: '08:00', close: '16:00' },
});
const riyadh = calendarFromCatalogEntry({
  timeZone: 'Asia/Riyadh',
  hours: { days: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu'], open: '09:00', close: '18:00' },
});
const stockholmWithHolidays = calendarFromCatalogEntry(
  { timeZone: 'Europe/Stockholm', hours: { days: MON_FRI, open: '08:00', close: '17:00' } },
  ['2025-12-24', '2025-12-25', '2025-12-26', '2026-06-19', '2026-12-24', '2026-12-25', '2027-12-24', '2028-06-23'],
);
const stockholm247 = calendarFromCatalogEntry({ timeZone: 'Europe/Stockholm', hours: '24/7' });

describe('calendarFromCatalogEntry', () => {
  it('when every entry of the default support catalog is converted, then each gives a calendar', () => {
    const entries = catalog.products.flatMap((product) => product.languages);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      const cal = calendarFromCatalogEntry(entry as Parameters<typeof calendarFromCatalogEntry>[0]);
      expect(cal.timeZone).toBe(entry.timeZone);
    }
  });

  it('when a weekday is not one of Mon…Sun, then it throws a clear error', () => {
    expect(() =>
      calendarFromCatalogEntry({ timeZone: 'Europe/Stockholm', hours: { days: ['Mon', 'Friday'], open: '08:00', close: '17:00' } }),
    ).toThrow('Unknown weekday "Friday"');
  });

  it.each([
    ['8:00', '17:00'],
    ['08:00', '17:60'],
    ['25:00', '26:00'],
    ['08h00', '17:00'],
    ['24:00', '24:00'],
  ])('when the hours are %s–%s, then it throws because a time is not HH:MM', (open, close) => {
    expect(() => calendarFromCatalogEntry({ timeZone: 'Europe/Stockholm', hours: { days: MON_FRI, open, close } })).toThrow(
      /is not HH:MM/,
    );
  });

  it('when close is not after open, then it throws', () => {
    expect(() =>
      calendarFromCatalogEntry({ timeZone: 'Europe/Stockholm', hours: { days: MON_FRI, open: '17:00', close: '08:00' } }),
    ).toThrow(/must be after open/);
  });

  it('when the time zone or a holiday is malformed, then it throws', () => {
    expect(() => calendarFromCatalogEntry({ timeZone: 'Europe/Nowhere', hours: '24/7' })).toThrow(/Unknown time zone/);
    expect(() => calendarFromCatalogEntry({ timeZone: 'Europe/Stockholm', hours: '24/7' }, ['2026-02-30'])).toThrow(
      /not a local date/,
    );
  });

  it('when close is 24:00, then the calendar is open until local midnight', () => {
    const lateNight = calendarFromCatalogEntry({ timeZone: 'Europe/Helsinki', hours: { days: ['Mon'], open: '20:00', close: '24:00' } });
    expect(wall('Europe/Helsinki', addBusinessTime(lateNight, at('Europe/Helsinki', '2026-11-30T20:00'), 4 * HOUR))).toBe(
      '2026-12-01T00:00',
    );
  });
});

describe('isOpenAt and nextOpeningAt', () => {
  it('when it is Friday afternoon in Riyadh, then support is closed until Sunday 09:00', () => {
    const fridayNoon = at('Asia/Riyadh', '2026-11-27T12:00');
    expect(isOpenAt(riyadh, fridayNoon)).toBe(false);
    expect(wall('Asia/Riyadh', nextOpeningAt(riyadh, fridayNoon) ?? 0)).toBe('2026-11-29T09:00');
    expect(isOpenAt(riyadh, at('Asia/Riyadh', '2026-11-29T12:00'))).toBe(true);
  });

  it('when it is open, then the next opening is now; at closing time it is closed', () => {
    const open = at('Europe/Stockholm', '2026-11-27T10:00');
    expect(nextOpeningAt(stockholm, open)).toBe(open);
    expect(isOpenAt(stockholm, at('Europe/Stockholm', '2026-11-27T08:00'))).toBe(true);
    expect(isOpenAt(stockholm, at('Europe/Stockholm', '2026-11-27T17:00'))).toBe(false);
    expect(isOpenAt(stockholm, at('Europe/Stockholm', '2026-11-27T17:00') - 1)).toBe(true);
  });

  it('when the days before are holidays, then the next opening skips them', () => {
    const christmasEveEve = at('Europe/Stockholm', '2026-12-23T18:00');
    expect(wall('Europe/Stockholm', nextOpeningAt(stockholmWithHolidays, christmasEveEve) ?? 0)).toBe('2026-12-28T08:00');
    expect(isOpenAt(stockholmWithHolidays, at('Europe/Stockholm', '2026-12-24T10:00'))).toBe(false);
  });

  it('when the calendar has no days, then it never opens', () => {
    const never = calendarFromCatalogEntry({ timeZone: 'Europe/Stockholm', hours: { days: [], open: '08:00', close: '17:00' } });
    expect(nextOpeningAt(never, at('Europe/Stockholm', '2026-11-27T10:00'))).toBeNull();
    expect(isOpenAt(never, at('Europe/Stockholm', '2026-11-27T10:00'))).toBe(false);
    expect(() => addBusinessTime(never, 0, HOUR)).toThrow(RangeError);
    expect(businessTimeBetween(never, 0, 1000 * HOUR)).toBe(0);
  });

  it('when the calendar is 24/7, then it is always open, holidays included', () => {
    const t = at('Europe/Stockholm', '2026-12-25T03:00');
    expect(isOpenAt(stockholm247, t)).toBe(true);
    expect(nextOpeningAt(TWENTY_FOUR_SEVEN_UTC, t)).toBe(t);
  });
});

describe('addBusinessTime', () => {
  it('when a ticket is opened on Friday 16:59 in an 08:00–17:00 Mon–Fri calendar with a 2-hour target, then it is due Monday 09:59', () => {
    expect(wall('Europe/Stockholm', addBusinessTime(stockholm, at('Europe/Stockholm', '2026-11-27T16:59'), 2 * HOUR))).toBe(
      '2026-11-30T09:59',
    );
    const helsinki0817 = calendarFromCatalogEntry({
      timeZone: 'Europe/Helsinki',
      hours: { days: MON_FRI, open: '08:00', close: '17:00' },
    });
    const due = addBusinessTime(helsinki0817, Date.parse('2026-11-27T14:59:00.000Z'), 2 * HOUR);
    expect(new Date(due).toISOString()).toBe('2026-11-30T07:59:00.000Z');
  });

  it('when the duration ends exactly at closing time, then it is due at the closing instant, not the next opening', () => {
    const due = addBusinessTime(stockholm, at('Europe/Stockholm', '2026-11-27T08:00'), 9 * HOUR);
    expect(wall('Europe/Stockholm', due)).toBe('2026-11-27T17:00');
  });

  it('when the ticket arrives on a weekend, then the clock starts at Monday opening', () => {
    expect(wall('Europe/Stockholm', addBusinessTime(stockholm, at('Europe/Stockholm', '2026-11-28T11:00'), 30 * MINUTE))).toBe(
      '2026-11-30T08:30',
    );
    expect(wall('Europe/Stockholm', addBusinessTime(stockholm, at('Europe/Stockholm', '2026-11-28T11:00'), 0))).toBe(
      '2026-11-30T08:00',
    );
  });

  describe('across daylight-saving changes', () => {
    it.each([
      // Helsinki 08:00–16:00: spring forward on Sunday 2026-03-29, fall back on Sunday 2026-10-25.
      ['Europe/Helsinki', '2026-03-27T15:00', 8, '2026-03-30T15:00'],
      ['Europe/Helsinki', '2026-03-27T15:00', 16, '2026-03-31T15:00'],
      ['Europe/Helsinki', '2026-10-23T15:00', 8, '2026-10-26T15:00'],
      ['Europe/Helsinki', '2026-10-23T15:00', 16, '2026-10-27T15:00'],
      ['Europe/Helsinki', '2025-03-28T08:00', 40, '2025-04-03T16:00'],
      // Stockholm 08:00–17:00: spring forward 2026-03-29, fall back 2026-10-25; 2025: 03-30, 10-26.
      ['Europe/Stockholm', '2026-03-27T16:00', 9, '2026-03-30T16:00'],
      ['Europe/Stockholm', '2026-10-23T16:00', 9, '2026-10-26T16:00'],
      ['Europe/Stockholm', '2025-10-24T16:00', 18, '2025-10-28T16:00'],
    ])('when a %s ticket starts %s with a %ih target, then it is due at %s local time', (zone, start, hours, expected) => {
      const cal = zone === 'Europe/Helsinki' ? helsinki : stockholm;
      const due = addBusinessTime(cal, at(zone, start), hours * HOUR);
      expect(wall(zone, due)).toBe(expected);
      expect(businessTimeBetween(cal, at(zone, start), due)).toBe(hours * HOUR);
    });

    it('when a Helsinki week contains the spring-forward night, then the wall-clock gap is one hour shorter', () => {
      const start = at('Europe/Helsinki', '2026-03-27T15:00');
      expect(addBusinessTime(helsinki, start, 8 * HOUR) - start).toBe(3 * 24 * HOUR - HOUR);
    });

    it('when a 24/7 Stockholm clock runs over the spring-forward night, then it is plain elapsed time', () => {
      const start = at('Europe/Stockholm', '2026-03-28T12:00');
      const due = addBusinessTime(stockholm247, start, 24 * HOUR);
      expect(due).toBe(start + 24 * HOUR);
      expect(wall('Europe/Stockholm', due)).toBe('2026-03-29T13:00');
    });

    it('when opening hours contain the transition, then the open day is an hour shorter or longer', () => {
      const night = calendarFromCatalogEntry({
        timeZone: 'Europe/Helsinki',
        hours: { days: [...WEEKDAYS], open: '02:00', close: '05:00' },
      });
      const day = (d: string): number => businessTimeBetween(night, at('Europe/Helsinki', `${d}T00:00`), at('Europe/Helsinki', `${d}T12:00`));
      expect(day('2026-03-28')).toBe(3 * HOUR);
      expect(day('2026-03-29')).toBe(2 * HOUR);
      expect(day('2026-10-25')).toBe(4 * HOUR);
    });
  });

  it('when a Riyadh ticket arrives on Thursday 17:00 with a 2-hour target, then the Friday–Saturday weekend is skipped', () => {
    expect(wall('Asia/Riyadh', addBusinessTime(riyadh, at('Asia/Riyadh', '2026-11-26T17:00'), 2 * HOUR))).toBe('2026-11-29T10:00');
    expect(wall('Asia/Riyadh', addBusinessTime(riyadh, at('Asia/Riyadh', '2026-11-27T12:00'), HOUR))).toBe('2026-11-29T10:00');
  });

  it('when the following days are holidays, then they are skipped', () => {
    const due = addBusinessTime(stockholmWithHolidays, at('Europe/Stockholm', '2026-12-23T16:00'), 2 * HOUR);
    expect(wall('Europe/Stockholm', due)).toBe('2026-12-28T09:00');
    expect(wall('Europe/Stockholm', addBusinessTime(stockholm, at('Europe/Stockholm', '2026-12-23T16:00'), 2 * HOUR))).toBe(
      '2026-12-24T09:00',
    );
  });

  it('when the calendar is 24/7, then it is plain addition', () => {
    expect(addBusinessTime(TWENTY_FOUR_SEVEN_UTC, 1_000, 15_000)).toBe(16_000);
    expect(businessTimeBetween(TWENTY_FOUR_SEVEN_UTC, 1_000, 16_000)).toBe(15_000);
  });

  it('when the duration is negative or not finite, then it throws', () => {
    expect(() => addBusinessTime(stockholm, 0, -1)).toThrow(RangeError);
    expect(() => addBusinessTime(stockholm, 0, Number.NaN)).toThrow(RangeError);
  });

  it('when the target is 80 business hours, then it takes well under a millisecond', () => {
    const start = at('Europe/Stockholm', '2026-11-27T16:59');
    const cal = calendarFromCatalogEntry({ timeZone: 'Europe/Stockholm', hours: { days: MON_FRI, open: '08:00', close: '17:00' } });
    addBusinessTime(cal, start, 80 * HOUR); // warm-up
    const runs = 200;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) addBusinessTime(cal, start + i * MINUTE, 80 * HOUR);
    const perCall = (performance.now() - t0) / runs;
    expect(perCall).toBeLessThan(1);
  });
});

describe('businessTimeBetween and subtractBusinessTime', () => {
  it('when the interval spans a weekend, then only open time counts', () => {
    expect(businessTimeBetween(stockholm, at('Europe/Stockholm', '2026-03-27T16:00'), at('Europe/Stockholm', '2026-03-30T09:00'))).toBe(
      2 * HOUR,
    );
    expect(businessTimeBetween(stockholm, 10, 5)).toBe(0);
  });

  it('when subtracting business time, then it walks back over closed hours', () => {
    expect(wall('Europe/Stockholm', subtractBusinessTime(stockholm, at('Europe/Stockholm', '2026-11-30T09:00'), 2 * HOUR))).toBe(
      '2026-11-27T16:00',
    );
  });
});

// --- properties -----------------------------------------------------------------------------

const CALENDARS: readonly (readonly [string, BusinessCalendar])[] = [
  ['Stockholm 08–17 Mon–Fri + holidays', stockholmWithHolidays],
  ['Helsinki 08–16 Mon–Fri', helsinki],
  ['Riyadh 09–18 Sun–Thu', riyadh],
  ['Stockholm 24/7', stockholm247],
  ['UTC 24/7', TWENTY_FOUR_SEVEN_UTC],
  [
    // Opening hours that contain the DST transitions themselves.
    'Helsinki 02:00–05:00 daily',
    calendarFromCatalogEntry({ timeZone: 'Europe/Helsinki', hours: { days: [...WEEKDAYS], open: '02:00', close: '05:00' } }),
  ],
  [
    // Chile changes its clocks at local midnight: whole-day openings meet the transition.
    'Santiago 00:00–24:00 Sat–Sun',
    calendarFromCatalogEntry({ timeZone: 'America/Santiago', hours: { days: ['Sat', 'Sun'], open: '00:00', close: '24:00' } }),
  ],
];

const calendarArb = fc.constantFrom(...CALENDARS);
const startArb = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 11, 31) });
const durationArb = fc.oneof(
  fc.integer({ min: 0, max: 300 * HOUR }),
  fc.integer({ min: 0, max: 300 * 60 }).map((minutes) => minutes * MINUTE),
  fc.constantFrom(0, 15_000, 11_250),
);
const RUNS = { numRuns: 200 };

/** Within [open, close] of some open interval: open now, or open just before (the closing instant). */
function withinOpenHours(cal: BusinessCalendar, t: number): boolean {
  return isOpenAt(cal, t) || isOpenAt(cal, t - 1);
}

describe('business-time properties', () => {
  it('when a due time is computed, then it never falls inside closed hours', () => {
    fc.assert(
      fc.property(calendarArb, startArb, durationArb, ([, cal], start, duration) => {
        expect(withinOpenHours(cal, addBusinessTime(cal, start, duration))).toBe(true);
      }),
      RUNS,
    );
  });

  it('when the duration grows, then the due time does not move earlier', () => {
    fc.assert(
      fc.property(calendarArb, startArb, durationArb, durationArb, ([, cal], start, a, b) => {
        const [d1, d2] = a <= b ? [a, b] : [b, a];
        expect(addBusinessTime(cal, start, d1)).toBeLessThanOrEqual(addBusinessTime(cal, start, d2));
      }),
      RUNS,
    );
  });

  it('when durations are added in two steps, then the due time is the same as in one step', () => {
    fc.assert(
      fc.property(calendarArb, startArb, durationArb, durationArb, ([, cal], start, a, b) => {
        expect(addBusinessTime(cal, addBusinessTime(cal, start, a), b)).toBe(addBusinessTime(cal, start, a + b));
      }),
      RUNS,
    );
  });

  it('when measuring from the start to the due time, then exactly the duration has elapsed', () => {
    fc.assert(
      fc.property(calendarArb, startArb, durationArb, ([, cal], start, duration) => {
        expect(businessTimeBetween(cal, start, addBusinessTime(cal, start, duration))).toBe(duration);
      }),
      RUNS,
    );
  });

  it('when subtracting a duration, then exactly that much open time lies between the result and the end', () => {
    fc.assert(
      fc.property(calendarArb, startArb, durationArb, ([, cal], end, duration) => {
        const start = subtractBusinessTime(cal, end, duration);
        expect(start).toBeLessThanOrEqual(end);
        expect(businessTimeBetween(cal, start, end)).toBe(duration);
      }),
      RUNS,
    );
  });

  it('when business time is split at any instant, then the parts add up', () => {
    fc.assert(
      fc.property(calendarArb, startArb, startArb, startArb, ([, cal], x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p - q) as [number, number, number];
        expect(businessTimeBetween(cal, a, b) + businessTimeBetween(cal, b, c)).toBe(businessTimeBetween(cal, a, c));
      }),
      { numRuns: 50 },
    );
  });

  it('when isOpenAt is asked, then it agrees with the local wall clock (weekday, holiday, hours)', () => {
    const weekly = CALENDARS.slice(0, 3);
    fc.assert(
      fc.property(fc.constantFrom(...weekly), startArb, ([, cal], t) => {
        if (cal.hours === '24/7') return;
        const local = Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(cal.timeZone);
        const hhmm = local.toPlainTime().toString({ smallestUnit: 'minute' });
        const expected =
          cal.hours.days.includes(WEEKDAYS[local.dayOfWeek - 1] ?? 'Mon') &&
          !cal.holidays.includes(local.toPlainDate().toString()) &&
          hhmm >= cal.hours.open &&
          hhmm < cal.hours.close;
        expect(isOpenAt(cal, t)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
