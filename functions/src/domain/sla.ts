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
 * What the state holds per running clock ({@link SlaClockTimes}), as epoch milliseconds:
 * - `startedAt`: the clock's start, moved forward by the counted time of every pause, so that
 *   the business time from it to now is exactly the time counted so far;
 * - `warnAt`: the 75 % mark ({@link WARNING_FRACTION}); kept, not derived, so that resuming
 *   and evaluating need no target;
 * - `dueAt`: when the target is breached.
 * Due times of stopped or met clocks are kept for the record. How the state is stored (ISO
 * instants in the ticket document, and the migration of older documents) is the adapter's
 * business: `adapters/firestore-sla-document.ts`.
 *
 * `nextCheckAt` is the earliest instant at which {@link evaluateSla} returns something: the
 * earliest 75 % mark not yet warned, or due time not yet breached, among running clocks; null
 * while paused or stopped. Every transition recomputes it, so
 * `nextCheckAt !== null && nextCheckAt <= now` ⇔ `evaluateSla(state, now)` is not empty. The
 * escalation sweep queries `nextCheckAt <= now` and reads nothing else.
 *
 * The escalation sweep (`sweepDecision`) evaluates a due ticket, escalates once
 * however many clocks breached together and restarts them for the new tier
 * ({@link restartAfterEscalation}; {@link markBreached} at `MANAGEMENT`, where the ladder
 * ends), marks warnings sent ({@link markWarned}), and writes the ticket with a precondition
 * on its version: `nextCheckAt` has moved past `now`, so one breach escalates exactly once.
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

import { addBusinessTime, type BusinessCalendar, businessTimeBetween, subtractBusinessTime } from './calendar';
import { clockCalendar, type SlaClock, type SlaTarget, targetSeconds, WARNING_FRACTION } from './sla-targets';
import { SLA_TARGET_NAMES, type SlaTargetName } from './sla-vocabulary';

export { SEVERITIES, SLA_TARGET_NAMES, type Severity, type SlaTargetName } from './sla-vocabulary';
export {
  assertValidSlaTarget,
  clockCalendar,
  DEFAULT_SLA_TARGETS,
  MAX_SLA_TARGET_SECONDS,
  MIN_SLA_TARGET_SECONDS,
  resolveSlaTarget,
  SLA_CLOCKS,
  type SlaClock,
  type SlaTarget,
  WARNING_FRACTION,
} from './sla-targets';

/** One running or finished clock: its start, 75 % mark and due time, in epoch milliseconds. */
export interface SlaClockTimes {
  readonly startedAt: number;
  readonly warnAt: number;
  readonly dueAt: number;
}

/** The SLA clocks of a ticket. Instants are epoch milliseconds; lists are in {@link SLA_TARGET_NAMES} order. */
export interface SlaState {
  /** The kind of clock every running clock counts on; fixed at start, changed by {@link changeSeverity}. */
  readonly clock: SlaClock;
  /**
   * Per target, its clock; null while it has not started (`nextUpdate` before the first
   * answer). `firstResponse` is kept after the first response, so reports can compare it with
   * `firstRespondedAt`.
   */
  readonly clocks: Readonly<Record<SlaTargetName, SlaClockTimes | null>>;
  /** True while the ticket is `pending_customer` or `on_hold`. */
  readonly paused: boolean;
  readonly pausedAt: number | null;
  /** True once the ticket is resolved or closed; every transition is then a no-op. */
  readonly stopped: boolean;
  /** The first public staff message; it meets (stops) the first-response clock. */
  readonly firstRespondedAt: number | null;
  /** 75 % warnings already sent for the current due times. */
  readonly warned: readonly SlaTargetName[];
  /** Breaches already acted on for the current due times (cleared when a clock restarts). */
  readonly breached: readonly SlaTargetName[];
  /** Targets whose outcome (met or breached) the support figures have counted; never cleared. */
  readonly settled: readonly SlaTargetName[];
  /** Clock time spent paused so far, in ms of the clock's calendar. */
  readonly pausedMs: number;
  /** The earliest instant at which a sweep has something to do; null while paused or stopped. */
  readonly nextCheckAt: number | null;
}

/** What a sweep should act on now. */
export interface SlaEvaluation {
  /** Clocks past their 75 % mark, not yet warned, and not breached. */
  readonly warnings: SlaTargetName[];
  /** Clocks past their due time and not yet acted on. */
  readonly breaches: SlaTargetName[];
}

/** A state without its derived `nextCheckAt`: what transitions build before {@link withNextCheck}. */
type SlaFacts = Omit<SlaState, 'nextCheckAt'>;

/**
 * The clocks of a new ticket: `firstResponse` and `resolution` start at `atMs`; `nextUpdate`
 * waits for the first public staff response.
 */
export function startSla(target: SlaTarget, calendar: BusinessCalendar, atMs: number): SlaState {
  const cal = clockCalendar(target, calendar);
  return withNextCheck({
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
    warned: [],
    breached: [],
    settled: [],
    pausedMs: 0,
  });
}

/**
 * A public staff message at `atMs`. The first one meets the first-response promise
 * (`firstRespondedAt` is set; the first-response clock stays for the record, and no longer
 * runs). Every one (re)starts `nextUpdate` with a full target, clearing its warning and
 * breach. While paused, the new clock starts frozen and counts from the resume.
 */
export function recordPublicStaffResponse(state: SlaState, target: SlaTarget, calendar: BusinessCalendar, atMs: number): SlaState {
  if (state.stopped) return state;
  const cal = calendarFor(state.clock, calendar);
  return withNextCheck({
    ...state,
    firstRespondedAt: state.firstRespondedAt ?? atMs,
    clocks: { ...state.clocks, nextUpdate: clockFrom(cal, clockNow(state, atMs), targetMs(target, 'nextUpdate')) },
    warned: without(state.warned, ['nextUpdate']),
    breached: without(state.breached, ['nextUpdate']),
  });
}

/** The ticket went to `pending_customer` or `on_hold`: every clock freezes. No-op when already paused. */
export function pauseSla(state: SlaState, atMs: number): SlaState {
  if (state.stopped || state.paused) return state;
  return withNextCheck({ ...state, paused: true, pausedAt: atMs });
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
  const cal = calendarFor(state.clock, calendar);
  const pausedFor = businessTimeBetween(cal, state.pausedAt ?? atMs, atMs);
  // Nothing to shift; and adding zero would move a start that lies in closed hours to the
  // next opening, which changes the record without changing any due time.
  if (pausedFor === 0) return withNextCheck({ ...state, paused: false, pausedAt: null });
  const clocks = { ...state.clocks };
  for (const name of SLA_TARGET_NAMES) {
    const clock = clocks[name];
    if (clock === null || !isRunning(state, name) || state.breached.includes(name)) continue;
    const shift = (at: number): number => addBusinessTime(cal, at, pausedFor);
    clocks[name] = { startedAt: shift(clock.startedAt), warnAt: shift(clock.warnAt), dueAt: shift(clock.dueAt) };
  }
  return withNextCheck({ ...state, clocks, paused: false, pausedAt: null, pausedMs: state.pausedMs + pausedFor });
}

/**
 * The ticket is resolved or closed: no clock runs any more; due times stay for the record.
 * Not final: {@link reopenSla} starts the clocks again when a resolved ticket is reopened.
 */
export function stopSla(state: SlaState): SlaState {
  if (state.stopped) return state;
  return withNextCheck({ ...state, stopped: true });
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
  const cal = clockCalendar(target, calendar);
  const restarted: SlaTargetName[] = ['resolution', state.firstRespondedAt === null ? 'firstResponse' : 'nextUpdate'];
  const clocks = { ...state.clocks };
  for (const name of restarted) clocks[name] = clockFrom(cal, atMs, targetMs(target, name));
  const [warned, breached] = [without(state.warned, restarted), without(state.breached, restarted)];
  return withNextCheck({ ...state, clock: target.clock, clocks, stopped: false, paused: false, pausedAt: null, warned, breached });
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
  const outcomes: SlaOutcomes = {};
  for (const name of names) {
    const clock = state.clocks[name];
    if (clock === null || state.settled.includes(name)) continue;
    const fulfilledAt = name === 'firstResponse' ? (state.firstRespondedAt ?? atMs) : atMs;
    const counted = state.paused && state.pausedAt !== null ? Math.min(fulfilledAt, state.pausedAt) : fulfilledAt;
    outcomes[name] = state.breached.includes(name) || counted >= clock.dueAt ? 'breached' : 'met';
  }
  const newly = SLA_TARGET_NAMES.filter((name) => outcomes[name] !== undefined);
  if (newly.length === 0) return { state, outcomes };
  return { state: withNextCheck({ ...state, settled: union(state.settled, newly) }), outcomes };
}

/**
 * How long the first response took (or has taken so far, at `atMs`), in ms of the clock's
 * calendar — business time for business-hours tickets, wall time for 24/7 ones — from
 * creation, without the time the ticket spent paused. A clock kind changed by a severity
 * change is measured on the current kind throughout (the figures accept that imprecision).
 */
export function firstResponseBusinessMs(state: SlaState, createdAtMs: number, calendar: BusinessCalendar, atMs: number): number {
  const responded = state.firstRespondedAt ?? atMs;
  const until = state.paused && state.pausedAt !== null ? Math.min(responded, state.pausedAt) : responded;
  return Math.max(0, businessTimeBetween(calendarFor(state.clock, calendar), createdAtMs, until) - state.pausedMs);
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
  const now = clockNow(state, atMs);
  const oldCal = calendarFor(state.clock, calendar);
  const newCal = clockCalendar(newTarget, calendar);
  const clocks = { ...state.clocks };
  const cleared: SlaTargetName[] = [];
  for (const name of SLA_TARGET_NAMES) {
    const clock = clocks[name];
    if (clock === null || !isRunning(state, name) || state.breached.includes(name)) continue;
    const startedAt = state.clock === newTarget.clock ? clock.startedAt : subtractBusinessTime(newCal, now, businessTimeBetween(oldCal, clock.startedAt, now));
    const next = clockFrom(newCal, startedAt, targetMs(newTarget, name));
    clocks[name] = next;
    if (next.warnAt > now) cleared.push(name);
  }
  return withNextCheck({ ...state, clock: newTarget.clock, clocks, warned: without(state.warned, cleared) });
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
  for (const name of SLA_TARGET_NAMES) {
    const clock = state.clocks[name];
    if (clock === null || !isRunning(state, name) || state.breached.includes(name)) continue;
    if (clock.dueAt <= nowMs) breaches.push(name);
    else if (!state.warned.includes(name) && clock.warnAt <= nowMs) warnings.push(name);
  }
  return { warnings, breaches };
}

/** The 75 % warnings for `names` were sent; `nextCheckAt` moves on to their due times. */
export function markWarned(state: SlaState, names: readonly SlaTargetName[]): SlaState {
  return withNextCheck({ ...state, warned: union(state.warned, names) });
}

/**
 * The breaches of `names` were acted on without restarting the clocks (e.g. at
 * `MANAGEMENT`, where the ladder ends): they are no longer checked until a restart.
 */
export function markBreached(state: SlaState, names: readonly SlaTargetName[]): SlaState {
  return withNextCheck({ ...state, breached: union(state.breached, names) });
}

/**
 * After an escalation for `breached`, those clocks restart at `atMs` with a full target
 * (each tier gets its own full target), their warning and breach flags cleared, so that
 * the ladder L1 → L2 → L3 → MANAGEMENT continues. Clocks that do not run (first response
 * already met, next update not yet started) are not restarted. While paused, the restarted
 * clocks start frozen and count from the resume.
 */
export function restartAfterEscalation(
  state: SlaState, breached: readonly SlaTargetName[], target: SlaTarget, calendar: BusinessCalendar, atMs: number,
): SlaState {
  if (state.stopped) return state;
  const cal = calendarFor(state.clock, calendar);
  const now = clockNow(state, atMs);
  const clocks = { ...state.clocks };
  const restarted: SlaTargetName[] = [];
  for (const name of SLA_TARGET_NAMES) {
    if (!breached.includes(name) || clocks[name] === null || !isRunning(state, name)) continue;
    clocks[name] = clockFrom(cal, now, targetMs(target, name));
    restarted.push(name);
  }
  return withNextCheck({ ...state, clocks, warned: without(state.warned, restarted), breached: without(state.breached, restarted) });
}

/**
 * The earliest instant at which {@link evaluateSla} returns something: the earliest 75 % mark
 * not yet warned, or due time not yet breached, among running clocks; null while paused or
 * stopped. Every transition stores it as `nextCheckAt`; adapters and tests check it with this.
 */
export function computeNextCheckAt(state: SlaFacts): number | null {
  if (state.paused || state.stopped) return null;
  let earliest: number | null = null;
  for (const name of SLA_TARGET_NAMES) {
    const clock = state.clocks[name];
    if (clock === null || !isRunning(state, name) || state.breached.includes(name)) continue;
    const at = state.warned.includes(name) ? clock.dueAt : clock.warnAt;
    if (earliest === null || at < earliest) earliest = at;
  }
  return earliest;
}

/** The state with its `nextCheckAt` recomputed: every transition ends here, so all compute it alike. */
function withNextCheck(facts: SlaFacts): SlaState {
  return { ...facts, nextCheckAt: computeNextCheckAt(facts) };
}

function targetMs(target: SlaTarget, name: SlaTargetName): number {
  return Math.round(targetSeconds(target, name) * 1000);
}

function clockFrom(cal: BusinessCalendar, startedAt: number, durationMs: number): SlaClockTimes {
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
function clockNow(state: SlaFacts, atMs: number): number {
  return state.paused && state.pausedAt !== null ? state.pausedAt : atMs;
}

/** A clock runs until it is met: first response by the first public staff message. */
function isRunning(state: SlaFacts, name: SlaTargetName): boolean {
  return state.clocks[name] !== null && !(name === 'firstResponse' && state.firstRespondedAt !== null);
}

/** Canonical order keeps equal states deep-equal (and stored documents stable). */
function union(names: readonly SlaTargetName[], more: readonly SlaTargetName[]): SlaTargetName[] {
  return SLA_TARGET_NAMES.filter((name) => names.includes(name) || more.includes(name));
}

function without(names: readonly SlaTargetName[], removed: readonly SlaTargetName[]): SlaTargetName[] {
  return SLA_TARGET_NAMES.filter((name) => names.includes(name) && !removed.includes(name));
}
