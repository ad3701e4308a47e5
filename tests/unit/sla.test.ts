import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { businessTimeBetween, calendarFromCatalogEntry, TWENTY_FOUR_SEVEN_UTC } from '../../functions/src/domain/calendar';
import {
  changeSeverity,
  clockCalendar,
  computeNextCheckAt,
  DEFAULT_SLA_TARGETS,
  evaluateSla,
  markBreached,
  markWarned,
  pauseSla,
  recordPublicStaffResponse,
  resolveSlaTarget,
  restartAfterEscalation,
  resumeSla,
  SEVERITIES,
  type Severity,
  type SlaState,
  type SlaTarget,
  startSla,
  stopSla,
} from '../../functions/src/domain/sla';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const ZONE = 'Europe/Stockholm';

/** Support in Swedish: Europe/Stockholm, 08:00–17:00 Mon–Fri (the catalog's `online`/`sv`). */
const stockholm = calendarFromCatalogEntry({
  timeZone: ZONE,
  hours: { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], open: '08:00', close: '17:00' },
});

/** Epoch ms of a Stockholm wall-clock time. 2026-11-27 is a Friday, 2026-11-30 a Monday. */
function sto(local: string): number {
  return Temporal.PlainDateTime.from(local).toZonedDateTime(ZONE).epochMilliseconds;
}

/** Stockholm wall-clock time ("2026-11-30T09:59") of an instant. */
function wall(at: number | null | undefined): string | null {
  if (at === null || at === undefined) return null;
  return Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(ZONE).toPlainDateTime().toString({ smallestUnit: 'minute' });
}

function target(severity: Severity): SlaTarget {
  return resolveSlaTarget(undefined, severity);
}

function ms(at: number | null | undefined): number {
  if (at === null || at === undefined) throw new Error('expected an instant');
  return at;
}

describe('SLA targets', () => {
  it('when no admin override exists, then the defaults of the spec apply', () => {
    expect(DEFAULT_SLA_TARGETS).toEqual([
      { severity: 1, firstResponseSeconds: 1800, nextUpdateSeconds: 3600, resolutionSeconds: 14400, clock: 'calendar' },
      { severity: 2, firstResponseSeconds: 7200, nextUpdateSeconds: 14400, resolutionSeconds: 57600, clock: 'business' },
      { severity: 3, firstResponseSeconds: 28800, nextUpdateSeconds: 57600, resolutionSeconds: 144000, clock: 'business' },
      { severity: 4, firstResponseSeconds: 57600, nextUpdateSeconds: 144000, resolutionSeconds: 288000, clock: 'business' },
    ]);
    for (const severity of SEVERITIES) expect(resolveSlaTarget(undefined, severity).severity).toBe(severity);
  });

  it('when a product overrides one severity, then that severity uses the override and the others the defaults', () => {
    const override: SlaTarget = { severity: 2, firstResponseSeconds: 15, nextUpdateSeconds: 15, resolutionSeconds: 60, clock: 'business' };
    expect(resolveSlaTarget([override], 2)).toBe(override);
    expect(resolveSlaTarget([override], 3)).toEqual(DEFAULT_SLA_TARGETS[2]);
  });

  it('when an override is shorter than 15 seconds, then it is rejected', () => {
    const tooShort: SlaTarget = { severity: 2, firstResponseSeconds: 14, nextUpdateSeconds: 60, resolutionSeconds: 60, clock: 'business' };
    expect(() => resolveSlaTarget([tooShort], 2)).toThrow(/firstResponse.*>= 15/);
  });

  it('when the target clock is calendar, then the clock counts on 24/7 UTC; else on the business calendar', () => {
    expect(clockCalendar(target(1), stockholm)).toBe(TWENTY_FOUR_SEVEN_UTC);
    expect(clockCalendar(target(2), stockholm)).toBe(stockholm);
  });
});

describe('startSla', () => {
  it('when a severity-2 ticket arrives on Friday 16:59, then first response is due Monday 09:59 and next update waits for an answer', () => {
    const sla = startSla(target(2), stockholm, sto('2026-11-27T16:59'));
    expect(wall(sla.clocks.firstResponse?.dueAt)).toBe('2026-11-30T09:59');
    expect(wall(sla.clocks.firstResponse?.warnAt)).toBe('2026-11-30T09:29'); // 75 % of 2 h
    expect(wall(sla.clocks.resolution?.dueAt)).toBe('2026-12-01T14:59'); // 1 min + 9 h + 6 h 59 min
    expect(sla.clocks.nextUpdate).toBeNull();
    expect(sla.nextCheckAt).toBe(sla.clocks.firstResponse?.warnAt);
    expect(sla).toMatchObject({ clock: 'business', paused: false, stopped: false, warned: [], breached: [] });
  });

  it('when a severity-1 ticket arrives on a Saturday, then its clocks run 24/7', () => {
    const t0 = sto('2026-11-28T10:00');
    const sla = startSla(target(1), stockholm, t0);
    expect(ms(sla.clocks.firstResponse?.dueAt)).toBe(t0 + 30 * MINUTE);
    expect(ms(sla.clocks.resolution?.dueAt)).toBe(t0 + 4 * HOUR);
    expect(sla.clock).toBe('calendar');
  });
});

describe('15-second targets', () => {
  const fast: SlaTarget = { severity: 2, firstResponseSeconds: 15, nextUpdateSeconds: 15, resolutionSeconds: 15, clock: 'business' };

  it('when the targets are 15 seconds, then the warning comes at 11.25 s and the breach at 15 s', () => {
    const t0 = sto('2026-11-30T10:00');
    const sla = startSla(fast, stockholm, t0);
    expect(ms(sla.clocks.firstResponse?.dueAt)).toBe(t0 + 15 * SECOND);
    expect(ms(sla.nextCheckAt)).toBe(t0 + 11_250);
    expect(evaluateSla(sla, t0 + 11_249)).toEqual({ warnings: [], breaches: [] });
    expect(evaluateSla(sla, t0 + 11_250)).toEqual({ warnings: ['firstResponse', 'resolution'], breaches: [] });
    expect(evaluateSla(sla, t0 + 15_000)).toEqual({ warnings: [], breaches: ['firstResponse', 'resolution'] });
  });

  it('when a 15-second target starts 5 seconds before closing, then it is due 10 seconds after the next opening', () => {
    const sla = startSla(fast, stockholm, sto('2026-11-27T16:59:55'));
    expect(sla.clocks.firstResponse?.dueAt).toBe(sto('2026-11-30T08:00:10'));
  });
});

describe('pause and resume', () => {
  it('when a severity-2 ticket is paused over the weekend, then its due times move by the open hours of the pause only', () => {
    const created = sto('2026-11-27T15:00'); // Friday; first response due at 17:00 (closing)
    const running = startSla(target(2), stockholm, created);
    expect(wall(running.clocks.firstResponse?.dueAt)).toBe('2026-11-27T17:00');

    const pausedAt = sto('2026-11-27T16:00');
    const resumedAt = sto('2026-11-30T10:00'); // Monday
    const paused = pauseSla(running, pausedAt);
    expect(paused.nextCheckAt).toBeNull();
    expect(evaluateSla(paused, sto('2026-12-31T12:00'))).toEqual({ warnings: [], breaches: [] });

    const resumed = resumeSla(paused, stockholm, resumedAt);
    // 1 h counted before the pause, 1 h left after Monday 10:00.
    expect(wall(resumed.clocks.firstResponse?.dueAt)).toBe('2026-11-30T11:00');
    const pausedBusiness = businessTimeBetween(stockholm, pausedAt, resumedAt);
    expect(pausedBusiness).toBe(3 * HOUR); // Friday 16–17 and Monday 08–10, not the weekend
    for (const [before, after] of [
      [running.clocks.firstResponse?.dueAt, resumed.clocks.firstResponse?.dueAt],
      [running.clocks.firstResponse?.warnAt, resumed.clocks.firstResponse?.warnAt],
      [running.clocks.resolution?.dueAt, resumed.clocks.resolution?.dueAt],
    ] as const) {
      expect(businessTimeBetween(stockholm, ms(before), ms(after))).toBe(pausedBusiness);
    }
    expect(resumed).toMatchObject({ paused: false, pausedAt: null, nextCheckAt: resumed.clocks.firstResponse?.warnAt });
  });

  it('when a pause lies wholly in closed hours, then nothing moves', () => {
    const running = startSla(target(3), stockholm, sto('2026-11-27T15:00'));
    const resumed = resumeSla(pauseSla(running, sto('2026-11-28T09:00')), stockholm, sto('2026-11-29T20:00'));
    expect(resumed).toEqual(running);
  });

  it('when a severity-1 ticket is paused, then its due times move by the full wall-clock pause', () => {
    const t0 = sto('2026-11-27T16:00');
    const running = startSla(target(1), stockholm, t0);
    const resumed = resumeSla(pauseSla(running, t0 + 10 * MINUTE), stockholm, t0 + 70 * MINUTE);
    expect(ms(resumed.clocks.firstResponse?.dueAt)).toBe(ms(running.clocks.firstResponse?.dueAt) + HOUR);
  });

  it('when a paused ticket is paused again or a running one resumed, then nothing changes', () => {
    const running = startSla(target(2), stockholm, sto('2026-11-30T09:00'));
    const paused = pauseSla(running, sto('2026-11-30T10:00'));
    expect(pauseSla(paused, sto('2026-11-30T11:00'))).toBe(paused);
    expect(resumeSla(running, stockholm, sto('2026-11-30T11:00'))).toBe(running);
  });
});

describe('public staff responses', () => {
  it('when staff answer publicly for the first time, then first response is met and the next-update clock starts', () => {
    const sla = startSla(target(2), stockholm, sto('2026-11-30T09:00'));
    const answered = recordPublicStaffResponse(sla, target(2), stockholm, sto('2026-11-30T10:00'));
    expect(wall(answered.firstRespondedAt)).toBe('2026-11-30T10:00');
    expect(answered.clocks.firstResponse?.dueAt).toBe(sla.clocks.firstResponse?.dueAt); // kept for the record
    expect(wall(answered.clocks.nextUpdate?.dueAt)).toBe('2026-11-30T14:00');
    expect(evaluateSla(answered, sto('2026-11-30T12:00'))).toEqual({ warnings: [], breaches: [] });
    expect(answered.nextCheckAt).toBe(answered.clocks.nextUpdate?.warnAt); // 13:00, before resolution's 75 %
  });

  it('when staff answer again after a warning, then the next-update clock restarts with its warning cleared', () => {
    const first = recordPublicStaffResponse(startSla(target(2), stockholm, sto('2026-11-30T09:00')), target(2), stockholm, sto('2026-11-30T10:00'));
    const warned = markWarned(first, evaluateSla(first, sto('2026-11-30T13:30')).warnings);
    expect(warned.warned).toEqual(['nextUpdate']);
    const second = recordPublicStaffResponse(warned, target(2), stockholm, sto('2026-11-30T13:45'));
    expect(second.warned).toEqual([]);
    expect(wall(second.clocks.nextUpdate?.dueAt)).toBe('2026-12-01T08:45');
    expect(second.firstRespondedAt).toBe(first.firstRespondedAt);
  });
});

describe('changeSeverity', () => {
  it('when a severity-3 ticket becomes severity 2, then the new targets count from the original start', () => {
    const created = sto('2026-11-30T08:00');
    const sev3 = startSla(target(3), stockholm, created);
    expect(wall(sev3.clocks.firstResponse?.dueAt)).toBe('2026-11-30T16:00');
    const now = sto('2026-11-30T11:00');
    const sev2 = changeSeverity(sev3, target(2), stockholm, now);
    expect(wall(sev2.clocks.firstResponse?.dueAt)).toBe('2026-11-30T10:00'); // 2 h from 08:00: already past
    expect(wall(sev2.clocks.resolution?.dueAt)).toBe('2026-12-01T15:00'); // 16 h from 08:00
    expect(evaluateSla(sev2, now)).toEqual({ warnings: [], breaches: ['firstResponse'] });
    expect(sev2.nextCheckAt).toBe(sev2.clocks.firstResponse?.warnAt);
  });

  it('when a requested severity 1 started as 2 is confirmed on a Saturday, then its counted business time carries over to a 24/7 clock', () => {
    const sev2 = startSla(target(2), stockholm, sto('2026-11-27T16:40')); // 20 min counted by Friday's close
    const confirmedAt = sto('2026-11-28T10:00');
    const sev1 = changeSeverity(sev2, target(1), stockholm, confirmedAt);
    expect(sev1.clock).toBe('calendar');
    expect(ms(sev1.clocks.firstResponse?.startedAt)).toBe(confirmedAt - 20 * MINUTE);
    expect(ms(sev1.clocks.firstResponse?.dueAt)).toBe(confirmedAt + 10 * MINUTE);
    expect(ms(sev1.clocks.resolution?.dueAt)).toBe(confirmedAt + 4 * HOUR - 20 * MINUTE);
  });

  it('when the severity is lowered after a warning, then the warning is cleared for the later mark', () => {
    const sev2 = startSla(target(2), stockholm, sto('2026-11-30T08:00'));
    const warned = markWarned(sev2, evaluateSla(sev2, sto('2026-11-30T09:40')).warnings);
    expect(warned.warned).toEqual(['firstResponse']);
    const sev3 = changeSeverity(warned, target(3), stockholm, sto('2026-11-30T09:45'));
    expect(sev3.warned).toEqual([]);
    expect(wall(sev3.nextCheckAt)).toBe('2026-11-30T14:00'); // 75 % of 8 h from 08:00
  });

  it('when the severity changes during a pause, then the new due times move with the resume', () => {
    const paused = pauseSla(startSla(target(3), stockholm, sto('2026-11-30T08:00')), sto('2026-11-30T10:00'));
    const sev2 = changeSeverity(paused, target(2), stockholm, sto('2026-11-30T12:00'));
    expect(sev2.nextCheckAt).toBeNull();
    const resumed = resumeSla(sev2, stockholm, sto('2026-11-30T15:00'));
    expect(wall(resumed.clocks.firstResponse?.dueAt)).toBe('2026-11-30T15:00'); // 2 h counted before the pause: due at resume
  });
});

describe('evaluation, escalation and nextCheckAt', () => {
  it('when a severity-2 first response breaches at L1, then it is reported once and restarts with a full target for L2', () => {
    const sla = startSla(target(2), stockholm, sto('2026-11-30T08:00'));
    const breachAt = sto('2026-11-30T10:00');
    expect(evaluateSla(sla, breachAt - 1)).toEqual({ warnings: ['firstResponse'], breaches: [] });
    expect(evaluateSla(sla, breachAt)).toEqual({ warnings: [], breaches: ['firstResponse'] });

    const sweptAt = breachAt + 30 * SECOND;
    const restarted = restartAfterEscalation(sla, ['firstResponse'], target(2), stockholm, sweptAt);
    expect(evaluateSla(restarted, sweptAt)).toEqual({ warnings: [], breaches: [] });
    expect(ms(restarted.clocks.firstResponse?.dueAt)).toBe(sweptAt + 2 * HOUR);
    expect(restarted.clocks.resolution?.dueAt).toBe(sla.clocks.resolution?.dueAt);
    expect(evaluateSla(restarted, sweptAt + 2 * HOUR)).toEqual({ warnings: [], breaches: ['firstResponse'] });
  });

  it('when a breach is marked without a restart, then it is not reported again', () => {
    const sla = startSla(target(2), stockholm, sto('2026-11-30T08:00'));
    const marked = markBreached(sla, ['firstResponse']);
    expect(evaluateSla(marked, sto('2026-11-30T12:00'))).toEqual({ warnings: [], breaches: [] });
    expect(marked.nextCheckAt).toBe(sla.clocks.resolution?.warnAt);
  });

  it('when warnings are sent, then nextCheckAt moves to the earliest pending warning or due time', () => {
    const sla = startSla(target(2), stockholm, sto('2026-11-30T08:00'));
    expect(wall(sla.nextCheckAt)).toBe('2026-11-30T09:30'); // first response at 75 %
    const warned = markWarned(sla, ['firstResponse']);
    expect(wall(warned.nextCheckAt)).toBe('2026-11-30T10:00'); // its due time, before resolution's 75 % (Tue)
    const both = markWarned(warned, ['resolution']);
    expect(both.nextCheckAt).toBe(both.clocks.firstResponse?.dueAt);
    const answered = recordPublicStaffResponse(both, target(2), stockholm, sto('2026-11-30T09:50'));
    expect(answered.nextCheckAt).toBe(answered.clocks.nextUpdate?.warnAt);
  });

  it('when the ticket is resolved, then no clock is checked any more and the due times stay', () => {
    const sla = startSla(target(2), stockholm, sto('2026-11-30T08:00'));
    const stopped = stopSla(sla);
    expect(stopped).toMatchObject({ stopped: true, nextCheckAt: null, clocks: { firstResponse: sla.clocks.firstResponse } });
    expect(evaluateSla(stopped, sto('2027-01-01T12:00'))).toEqual({ warnings: [], breaches: [] });
    expect(pauseSla(stopped, sto('2026-11-30T09:00'))).toBe(stopped);
    expect(stopSla(stopped)).toBe(stopped);
  });
});

describe('SLA invariants over random histories', () => {
  type Op =
    | { kind: 'pause' }
    | { kind: 'resume' }
    | { kind: 'respond' }
    | { kind: 'severity'; severity: Severity }
    | { kind: 'sweep' };

  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.constant<Op>({ kind: 'pause' }),
    fc.constant<Op>({ kind: 'resume' }),
    fc.constant<Op>({ kind: 'respond' }),
    fc.constantFrom(...SEVERITIES).map((severity): Op => ({ kind: 'severity', severity })),
    fc.constant<Op>({ kind: 'sweep' }),
  );
  const stepArb = fc.record({ advance: fc.integer({ min: 0, max: 20 * HOUR }), op: opArb });

  it('when any history of transitions is applied, then nextCheckAt is due exactly when a sweep has work, and a sweep acts once', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEVERITIES),
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 11, 1) }),
        fc.array(stepArb, { maxLength: 12 }),
        fc.integer({ min: 0, max: 100 * HOUR }),
        (initial, t0, steps, probe) => {
          let severity: Severity = initial;
          let now = t0;
          let sla: SlaState = startSla(target(severity), stockholm, now);
          const check = (state: SlaState, at: number): void => {
            expect(state.nextCheckAt).toBe(computeNextCheckAt(state));
            const hasWork = evaluateSla(state, at);
            const due = state.nextCheckAt !== null && ms(state.nextCheckAt) <= at;
            expect(hasWork.warnings.length + hasWork.breaches.length > 0).toBe(due);
          };
          for (const { advance, op } of steps) {
            now += advance;
            switch (op.kind) {
              case 'pause':
                sla = pauseSla(sla, now);
                break;
              case 'resume':
                sla = resumeSla(sla, stockholm, now);
                break;
              case 'respond':
                sla = recordPublicStaffResponse(sla, target(severity), stockholm, now);
                break;
              case 'severity':
                severity = op.severity;
                sla = changeSeverity(sla, target(severity), stockholm, now);
                break;
              case 'sweep': {
                const { warnings, breaches } = evaluateSla(sla, now);
                sla = markWarned(restartAfterEscalation(sla, breaches, target(severity), stockholm, now), warnings);
                expect(evaluateSla(sla, now)).toEqual({ warnings: [], breaches: [] });
                break;
              }
            }
            check(sla, now);
            check(sla, now + probe);
            if (sla.nextCheckAt !== null) {
              check(sla, ms(sla.nextCheckAt));
              check(sla, ms(sla.nextCheckAt) - 1);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
