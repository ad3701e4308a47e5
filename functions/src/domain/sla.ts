/**
 * SLA clocks: the promised response times of a ticket and the rules that move them. Pure:
 * every function takes the instant it acts at (`atMs`, epoch milliseconds) and returns a new
 * {@link SlaState}; nothing reads a clock, the environment or a database.
 *
 * Three clocks per ticket ({@link SLA_TARGET_NAMES}):
 * - `firstResponse` runs from creation until the first public staff message;
 * - `nextUpdate` ("keep the customer informed") starts at the first public staff message and
 *   restarts at every later one; it does not run before someone has answered, because until
 *   then `firstResponse` is the promise that applies;
 * - `resolution` runs from creation until the ticket is resolved.
 *
 * Each clock counts on one calendar: 24/7 UTC when the target's clock is `calendar`
 * (severity 1), else the business hours of the ticket's product and language. The kind is
 * stored in the state (`clock`) and changes only through {@link changeSeverity}.
 *
 * What the state stores per running clock, as ISO-8601 UTC strings:
 * - `…StartedAt`: the clock's start, moved forward by the counted time of every pause, so that
 *   the business time from it to now is exactly the time counted so far;
 * - `…WarnAt`: the 75 % mark ({@link WARNING_FRACTION}); stored, not derived, so that
 *   resuming and evaluating need no target;
 * - `…DueAt`: when the target is breached.
 * Due times of stopped or met clocks are kept for the record.
 *
 * `nextCheckAt` is the earliest instant at which {@link evaluateSla} returns something: the
 * earliest 75 % mark not yet warned, or due time not yet breached, among running clocks; null
 * while paused or stopped. Every transition recomputes it, so
 * `nextCheckAt !== null && nextCheckAt <= now` ⇔ `evaluateSla(state, now)` is not empty. The
 * escalation sweep queries `nextCheckAt <= now` and reads nothing else.
 *
 * The escalation sweep, per due ticket, in one Firestore transaction:
 * ```ts
 * const { warnings, breaches } = evaluateSla(ticket.sla, now);
 * let sla = ticket.sla;
 * if (breaches.length > 0) {
 *   // One escalation step for the ticket, however many clocks breached together.
 *   escalate(ticket); // L1 → L2 → L3 → MANAGEMENT, severity re-assessed
 *   sla = restartAfterEscalation(sla, breaches, target, calendar, now); // the new tier's own full targets
 *   // at MANAGEMENT, where the ladder ends, `markBreached(sla, breaches)` instead stops re-alerting
 * }
 * if (warnings.length > 0) { notify(warnings); sla = markWarned(sla, warnings); }
 * write({ ...ticket, sla }); // nextCheckAt moved past `now`: a second run finds nothing to do
 * ```
 * A concurrent or repeated sweep re-reads the ticket inside its transaction and evaluates
 * the updated state, so one breach causes exactly one escalation.
 *
 * Reopening (`resolved → open`, by staff or by a customer's answer) is {@link reopenSla}: a
 * reopened ticket is a live promise again, so `resolution` restarts with a full target, and
 * so does `nextUpdate` (or `firstResponse`, when nobody has answered yet); `stopSla` is not
 * final. Due times of the earlier life stay in the escalation history and the figures.
 *
 * For the support figures each target of a ticket is *settled* once, met or breached
 * ({@link settleSla}): at its first breach, at the first response (`firstResponse`) or when
 * the ticket is resolved (every target whose clock ran). `settled` remembers which, so that a
 * reopened or re-escalated ticket is not counted twice. `pausedMs` adds up the clock time
 * spent paused, so that {@link firstResponseBusinessMs} can leave it out.
 */

import {
  addBusinessTime,
  type BusinessCalendar,
  businessTimeBetween,
  subtractBusinessTime,
  TWENTY_FOUR_SEVEN_UTC,
} from './calendar';

import { SLA_TARGET_NAMES, type Severity, type SlaTargetName } from './sla-vocabulary';

export { SEVERITIES, SLA_TARGET_NAMES, type Severity, type SlaTargetName } from './sla-vocabulary';

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

/** What a ticket stores under `sla`. Instants are ISO-8601 UTC (`toISOString()`). */
export interface SlaState {
  /** The kind of clock every running clock counts on; fixed at start, changed by {@link changeSeverity}. */
  readonly clock: SlaClock;
  readonly firstResponseStartedAt: string | null;
  readonly firstResponseWarnAt: string | null;
  /** Kept after the first response, so reports can compare it with `firstRespondedAt`. */
  readonly firstResponseDueAt: string | null;
  /** Null until the first public staff response. */
  readonly nextUpdateStartedAt: string | null;
  readonly nextUpdateWarnAt: string | null;
  readonly nextUpdateDueAt: string | null;
  readonly resolutionStartedAt: string | null;
  readonly resolutionWarnAt: string | null;
  readonly resolutionDueAt: string | null;
  /** True while the ticket is `pending_customer` or `on_hold`. */
  readonly paused: boolean;
  readonly pausedAt: string | null;
  /** True once the ticket is resolved or closed; every transition is then a no-op. */
  readonly stopped: boolean;
  /** The first public staff message; it meets (stops) the first-response clock. */
  readonly firstRespondedAt: string | null;
  /** 75 % warnings already sent for the current due times. */
  readonly warned: readonly SlaTargetName[];
  /** Breaches already acted on for the current due times (cleared when a clock restarts). */
  readonly breached: readonly SlaTargetName[];
  /**
   * Targets whose outcome (met or breached) the support figures have counted; never cleared.
   * Absent on tickets stored before it existed (read as empty).
   */
  readonly settled: readonly SlaTargetName[];
  /** Clock time spent paused so far, in ms of the clock's calendar (absent on old tickets: 0). */
  readonly pausedMs: number;
  /** The earliest instant at which a sweep has something to do; null while paused or stopped. */
  readonly nextCheckAt: string | null;
}

/** What a sweep should act on now. */
export interface SlaEvaluation {
  /** Clocks past their 75 % mark, not yet warned, and not breached. */
  readonly warnings: SlaTargetName[];
  /** Clocks past their due time and not yet acted on. */
  readonly breaches: SlaTargetName[];
}

/**
 * The clocks of a new ticket: `firstResponse` and `resolution` start at `atMs`; `nextUpdate`
 * waits for the first public staff response.
 */
export function startSla(target: SlaTarget, calendar: BusinessCalendar, atMs: number): SlaState {
  const cal = clockCalendar(target, calendar);
  return encode({
    clock: target.clock,
    clocks: {
      firstResponse: clockFrom(cal, atMs, targetMs(target, 'firstResponse')),
      nextUpdate: null,
      resolution: clockFrom(cal, atMs, targetMs(target, 'resolution')),
    },
    paused: false,
    pausedAt: null,
    stopped: false,
    firstRespondedAt: null,
    warned: new Set(),
    breached: new Set(),
    settled: new Set(),
    pausedMs: 0,
  });
}

/**
 * A public staff message at `atMs`. The first one meets the first-response promise
 * (`firstRespondedAt` is set; `firstResponseDueAt` stays for the record, and the clock no
 * longer runs). Every one (re)starts `nextUpdate` with a full target, clearing its
 * warning and breach. While paused, the new clock starts frozen and counts from the resume.
 */
export function recordPublicStaffResponse(
  state: SlaState,
  target: SlaTarget,
  calendar: BusinessCalendar,
  atMs: number,
): SlaState {
  if (state.stopped) return state;
  const m = decode(state);
  const cal = calendarFor(m.clock, calendar);
  return encode({
    ...m,
    firstRespondedAt: m.firstRespondedAt ?? atMs,
    clocks: { ...m.clocks, nextUpdate: clockFrom(cal, clockNow(m, atMs), targetMs(target, 'nextUpdate')) },
    warned: without(m.warned, ['nextUpdate']),
    breached: without(m.breached, ['nextUpdate']),
  });
}

/** The ticket went to `pending_customer` or `on_hold`: every clock freezes. No-op when already paused. */
export function pauseSla(state: SlaState, atMs: number): SlaState {
  if (state.stopped || state.paused) return state;
  return encode({ ...decode(state), paused: true, pausedAt: atMs });
}

/**
 * The ticket is worked on again: every running clock (start, 75 % mark and due time) moves
 * forward by exactly the business time that passed during the pause, measured on the
 * clock's calendar. A pause over a weekend on business hours therefore shifts by the open
 * hours inside it only. Clocks already breached keep their due time. No-op when running.
 *
 * @param calendar - the ticket's business calendar; ignored when the state's clock is 24/7.
 */
export function resumeSla(state: SlaState, calendar: BusinessCalendar, atMs: number): SlaState {
  if (state.stopped || !state.paused) return state;
  const m = decode(state);
  const cal = calendarFor(m.clock, calendar);
  const pausedFor = businessTimeBetween(cal, m.pausedAt ?? atMs, atMs);
  // Nothing to shift; and adding zero would move a start that lies in closed hours to the
  // next opening, which changes the record without changing any due time.
  if (pausedFor === 0) return encode({ ...m, paused: false, pausedAt: null });
  const pausedMs = m.pausedMs + pausedFor;
  const clocks = { ...m.clocks };
  for (const name of SLA_TARGET_NAMES) {
    const clock = clocks[name];
    if (clock === null || !isRunning(m, name) || m.breached.has(name)) continue;
    clocks[name] = {
      startedAt: addBusinessTime(cal, clock.startedAt, pausedFor),
      warnAt: addBusinessTime(cal, clock.warnAt, pausedFor),
      dueAt: addBusinessTime(cal, clock.dueAt, pausedFor),
    };
  }
  return encode({ ...m, clocks, paused: false, pausedAt: null, pausedMs });
}

/**
 * The ticket is resolved or closed: no clock runs any more; due times stay for the record.
 * Not final: {@link reopenSla} starts the clocks again when a resolved ticket is reopened.
 */
export function stopSla(state: SlaState): SlaState {
  if (state.stopped) return state;
  return encode({ ...decode(state), stopped: true });
}

/**
 * A resolved ticket is reopened at `atMs` (`resolved → open`). The promise is live again:
 * `resolution` restarts with a full target of `target` (the ticket's current severity), and
 * so does the "keep informed" clock, `nextUpdate` once someone has answered, `firstResponse`
 * when nobody has. Their warnings and breaches are cleared; the ticket runs (not paused).
 * Settled outcomes stay settled: the figures count each target of a ticket once. No-op
 * unless stopped.
 */
export function reopenSla(state: SlaState, target: SlaTarget, calendar: BusinessCalendar, atMs: number): SlaState {
  if (!state.stopped) return state;
  const m = decode(state);
  const cal = clockCalendar(target, calendar);
  const restarted: SlaTargetName[] = ['resolution', m.firstRespondedAt === null ? 'firstResponse' : 'nextUpdate'];
  const clocks = { ...m.clocks };
  for (const name of restarted) clocks[name] = clockFrom(cal, atMs, targetMs(target, name));
  return encode({
    ...m,
    clock: target.clock,
    clocks,
    stopped: false,
    paused: false,
    pausedAt: null,
    warned: without(m.warned, restarted),
    breached: without(m.breached, restarted),
  });
}

/** Whether a promise was kept. */
export type SlaOutcome = 'met' | 'breached';
export type SlaOutcomes = Partial<Record<SlaTargetName, SlaOutcome>>;

/**
 * Settles, for the support figures, the outcome of each of `names` that is not settled yet
 * and whose clock has started: `met` when it was fulfilled before its due time, else
 * `breached` (also when a sweep already acted on the breach). `firstResponse` is judged at
 * `firstRespondedAt` when there is one, every other target at `atMs`; while paused, at the
 * pause (paused time does not count). Returns the newly settled outcomes and the state that
 * remembers them, so that calling it again for the same target returns nothing.
 *
 * Callers: the sweep with the breached targets; the first public staff response with
 * `firstResponse`; resolution with every target.
 */
export function settleSla(state: SlaState, names: readonly SlaTargetName[], atMs: number): { state: SlaState; outcomes: SlaOutcomes } {
  const m = decode(state);
  const outcomes: SlaOutcomes = {};
  for (const name of names) {
    const clock = m.clocks[name];
    if (clock === null || m.settled.has(name)) continue;
    const fulfilledAt = name === 'firstResponse' ? (m.firstRespondedAt ?? atMs) : atMs;
    const counted = m.paused && m.pausedAt !== null ? Math.min(fulfilledAt, m.pausedAt) : fulfilledAt;
    outcomes[name] = m.breached.has(name) || counted >= clock.dueAt ? 'breached' : 'met';
  }
  const newly = SLA_TARGET_NAMES.filter((name) => outcomes[name] !== undefined);
  if (newly.length === 0) return { state, outcomes };
  return { state: encode({ ...m, settled: union(m.settled, newly) }), outcomes };
}

/**
 * How long the first response took (or has taken so far, at `atMs`), in ms of the clock's
 * calendar — business time for business-hours tickets, wall time for 24/7 ones — from
 * creation, without the time the ticket spent paused. A clock kind changed by a severity
 * change is measured on the current kind throughout (the figures accept that imprecision).
 */
export function firstResponseBusinessMs(state: SlaState, createdAtMs: number, calendar: BusinessCalendar, atMs: number): number {
  const m = decode(state);
  const responded = m.firstRespondedAt ?? atMs;
  const until = m.paused && m.pausedAt !== null ? Math.min(responded, m.pausedAt) : responded;
  return Math.max(0, businessTimeBetween(calendarFor(m.clock, calendar), createdAtMs, until) - m.pausedMs);
}

/**
 * The severity changed (staff assessment, or re-assessment at an escalation step). Every
 * running clock keeps the time it has counted so far and gets the new target from its
 * original start: `dueAt = start + newTarget`. A stricter target that is already used up is
 * due in the past and breaches at the next sweep.
 *
 * When the clock kind changes (e.g. a requested severity 1 that started as 2 on business
 * hours is confirmed as 1 on 24/7), the counted time is carried over: the clock is re-anchored
 * on the new calendar so that exactly that much time lies between its start and now.
 *
 * A warning already sent stays sent when the new 75 % mark has also passed; otherwise it is
 * cleared so that it is sent again at the new mark. Breached clocks are left alone.
 */
export function changeSeverity(state: SlaState, newTarget: SlaTarget, calendar: BusinessCalendar, atMs: number): SlaState {
  if (state.stopped) return state;
  const m = decode(state);
  const now = clockNow(m, atMs);
  const oldCal = calendarFor(m.clock, calendar);
  const newCal = clockCalendar(newTarget, calendar);
  const clocks = { ...m.clocks };
  const warned = new Set(m.warned);
  for (const name of SLA_TARGET_NAMES) {
    const clock = clocks[name];
    if (clock === null || !isRunning(m, name) || m.breached.has(name)) continue;
    const startedAt =
      m.clock === newTarget.clock
        ? clock.startedAt
        : subtractBusinessTime(newCal, now, businessTimeBetween(oldCal, clock.startedAt, now));
    const next = clockFrom(newCal, startedAt, targetMs(newTarget, name));
    clocks[name] = next;
    if (next.warnAt > now) warned.delete(name);
  }
  return encode({ ...m, clock: newTarget.clock, clocks, warned });
}

/**
 * Which clocks have passed their 75 % mark or due time at `nowMs` and have not been acted on.
 * A clock past its due time is reported as a breach only, not also as a warning. Empty while
 * paused or stopped. Reads only the stored instants, so the sweep needs no calendar for it.
 */
export function evaluateSla(state: SlaState, nowMs: number): SlaEvaluation {
  const warnings: SlaTargetName[] = [];
  const breaches: SlaTargetName[] = [];
  if (state.stopped || state.paused) return { warnings, breaches };
  const m = decode(state);
  for (const name of SLA_TARGET_NAMES) {
    const clock = m.clocks[name];
    if (clock === null || !isRunning(m, name) || m.breached.has(name)) continue;
    if (clock.dueAt <= nowMs) breaches.push(name);
    else if (!m.warned.has(name) && clock.warnAt <= nowMs) warnings.push(name);
  }
  return { warnings, breaches };
}

/** The 75 % warnings for `names` were sent; `nextCheckAt` moves on to their due times. */
export function markWarned(state: SlaState, names: readonly SlaTargetName[]): SlaState {
  const m = decode(state);
  return encode({ ...m, warned: union(m.warned, names) });
}

/**
 * The breaches of `names` were acted on without restarting the clocks (e.g. at
 * `MANAGEMENT`, where the ladder ends): they are no longer checked until a restart.
 */
export function markBreached(state: SlaState, names: readonly SlaTargetName[]): SlaState {
  const m = decode(state);
  return encode({ ...m, breached: union(m.breached, names) });
}

/**
 * After an escalation for `breached`, those clocks restart at `atMs` with a full target
 * (each tier gets its own full target), their warning and breach flags cleared, so that
 * the ladder L1 → L2 → L3 → MANAGEMENT continues. Clocks that do not run (first response
 * already met, next update not yet started) are not restarted. While paused, the restarted
 * clocks start frozen and count from the resume.
 */
export function restartAfterEscalation(
  state: SlaState,
  breached: readonly SlaTargetName[],
  target: SlaTarget,
  calendar: BusinessCalendar,
  atMs: number,
): SlaState {
  if (state.stopped) return state;
  const m = decode(state);
  const cal = calendarFor(m.clock, calendar);
  const now = clockNow(m, atMs);
  const clocks = { ...m.clocks };
  const restarted: SlaTargetName[] = [];
  for (const name of SLA_TARGET_NAMES) {
    if (!breached.includes(name) || clocks[name] === null || !isRunning(m, name)) continue;
    clocks[name] = clockFrom(cal, now, targetMs(target, name));
    restarted.push(name);
  }
  return encode({ ...m, clocks, warned: without(m.warned, restarted), breached: without(m.breached, restarted) });
}

/** The `nextCheckAt` that a state should carry (exported so that adapters and tests can check it). */
export function computeNextCheckAt(state: SlaState): string | null {
  return toIso(nextCheck(decode(state)));
}

// ---------------------------------------------------------------------------------------------
// Internals: states are decoded to milliseconds, changed, and encoded back in one place, so
// that every transition recomputes `nextCheckAt` the same way.

interface ClockTimes {
  readonly startedAt: number;
  readonly warnAt: number;
  readonly dueAt: number;
}

interface Model {
  readonly clock: SlaClock;
  readonly clocks: Readonly<Record<SlaTargetName, ClockTimes | null>>;
  readonly paused: boolean;
  readonly pausedAt: number | null;
  readonly stopped: boolean;
  readonly firstRespondedAt: number | null;
  readonly warned: ReadonlySet<SlaTargetName>;
  readonly breached: ReadonlySet<SlaTargetName>;
  readonly settled: ReadonlySet<SlaTargetName>;
  readonly pausedMs: number;
}

function targetSeconds(target: SlaTarget, name: SlaTargetName): number {
  switch (name) {
    case 'firstResponse':
      return target.firstResponseSeconds;
    case 'nextUpdate':
      return target.nextUpdateSeconds;
    case 'resolution':
      return target.resolutionSeconds;
  }
}

function targetMs(target: SlaTarget, name: SlaTargetName): number {
  return Math.round(targetSeconds(target, name) * 1000);
}

function clockFrom(cal: BusinessCalendar, startedAt: number, durationMs: number): ClockTimes {
  return {
    startedAt,
    warnAt: addBusinessTime(cal, startedAt, Math.floor(durationMs * WARNING_FRACTION)),
    dueAt: addBusinessTime(cal, startedAt, durationMs),
  };
}

function calendarFor(clock: SlaClock, businessCalendar: BusinessCalendar): BusinessCalendar {
  return clockCalendar({ clock }, businessCalendar);
}

/** While paused, clock time stands still at the pause: new clocks start there and count from the resume. */
function clockNow(m: Model, atMs: number): number {
  return m.paused && m.pausedAt !== null ? m.pausedAt : atMs;
}

/** A clock runs until it is met: first response by the first public staff message. */
function isRunning(m: Model, name: SlaTargetName): boolean {
  return m.clocks[name] !== null && !(name === 'firstResponse' && m.firstRespondedAt !== null);
}

function nextCheck(m: Model): number | null {
  if (m.paused || m.stopped) return null;
  let earliest: number | null = null;
  for (const name of SLA_TARGET_NAMES) {
    const clock = m.clocks[name];
    if (clock === null || !isRunning(m, name) || m.breached.has(name)) continue;
    const at = m.warned.has(name) ? clock.dueAt : clock.warnAt;
    if (earliest === null || at < earliest) earliest = at;
  }
  return earliest;
}

function union(set: ReadonlySet<SlaTargetName>, names: readonly SlaTargetName[]): Set<SlaTargetName> {
  return new Set([...set, ...names]);
}

function without(set: ReadonlySet<SlaTargetName>, names: readonly SlaTargetName[]): Set<SlaTargetName> {
  return new Set([...set].filter((name) => !names.includes(name)));
}

function toIso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function fromIso(iso: string, field: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`SLA state field ${field} is not an ISO-8601 instant: "${iso}".`);
  return ms;
}

function fromIsoOrNull(iso: string | null, field: string): number | null {
  return iso === null ? null : fromIso(iso, field);
}

function decodeClock(state: SlaState, name: SlaTargetName): ClockTimes | null {
  const startedAt = state[`${name}StartedAt` as const];
  const warnAt = state[`${name}WarnAt` as const];
  const dueAt = state[`${name}DueAt` as const];
  if (startedAt === null && warnAt === null && dueAt === null) return null;
  if (startedAt === null || warnAt === null || dueAt === null) {
    throw new Error(`SLA state clock ${name} is incomplete: start, 75 % mark and due time go together.`);
  }
  return {
    startedAt: fromIso(startedAt, `${name}StartedAt`),
    warnAt: fromIso(warnAt, `${name}WarnAt`),
    dueAt: fromIso(dueAt, `${name}DueAt`),
  };
}

function decode(state: SlaState): Model {
  return {
    clock: state.clock,
    clocks: {
      firstResponse: decodeClock(state, 'firstResponse'),
      nextUpdate: decodeClock(state, 'nextUpdate'),
      resolution: decodeClock(state, 'resolution'),
    },
    paused: state.paused,
    pausedAt: fromIsoOrNull(state.pausedAt, 'pausedAt'),
    stopped: state.stopped,
    firstRespondedAt: fromIsoOrNull(state.firstRespondedAt, 'firstRespondedAt'),
    warned: new Set(state.warned),
    breached: new Set(state.breached),
    // Tickets stored before these fields existed have neither.
    settled: new Set((state as Partial<SlaState>).settled ?? []),
    pausedMs: (state as Partial<SlaState>).pausedMs ?? 0,
  };
}

function encode(m: Model): SlaState {
  const { firstResponse, nextUpdate, resolution } = m.clocks;
  // Canonical order keeps equal states deep-equal (and Firestore writes stable).
  const ordered = (set: ReadonlySet<SlaTargetName>): SlaTargetName[] => SLA_TARGET_NAMES.filter((name) => set.has(name));
  return {
    clock: m.clock,
    firstResponseStartedAt: toIso(firstResponse?.startedAt ?? null),
    firstResponseWarnAt: toIso(firstResponse?.warnAt ?? null),
    firstResponseDueAt: toIso(firstResponse?.dueAt ?? null),
    nextUpdateStartedAt: toIso(nextUpdate?.startedAt ?? null),
    nextUpdateWarnAt: toIso(nextUpdate?.warnAt ?? null),
    nextUpdateDueAt: toIso(nextUpdate?.dueAt ?? null),
    resolutionStartedAt: toIso(resolution?.startedAt ?? null),
    resolutionWarnAt: toIso(resolution?.warnAt ?? null),
    resolutionDueAt: toIso(resolution?.dueAt ?? null),
    paused: m.paused,
    pausedAt: toIso(m.pausedAt),
    stopped: m.stopped,
    firstRespondedAt: toIso(m.firstRespondedAt),
    warned: ordered(m.warned),
    breached: ordered(m.breached),
    settled: ordered(m.settled),
    pausedMs: m.pausedMs,
    nextCheckAt: toIso(nextCheck(m)),
  };
}
