/**
 * What can go wrong in the local failover drill, as types rather than message prefixes: the
 * report lists every problem's message, and only the fatal ones — the drill did not run to the
 * end, so its checks are missing or unsound — fail it on their own.
 */

/** A problem the drill met; `fatal` says whether it stopped the drill from running to the end. */
export abstract class LocalDrillProblem extends Error {
  abstract readonly fatal: boolean;
}

/** Options that cannot make a drill (the kill must fall inside the load). Thrown before anything starts. */
export class DrillSettingsError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'DrillSettingsError';
  }
}

/** A region process did not come up: missing build, a start error, an early exit or a timeout. */
export class RegionStartError extends LocalDrillProblem {
  readonly fatal = true;
  constructor(detail: string) {
    super(detail);
    this.name = 'RegionStartError';
  }
}

/** A region did not become active (its scheduler or the heartbeat it runs at once). */
export class RegionActivationError extends LocalDrillProblem {
  readonly fatal = true;
  constructor(detail: string) {
    super(detail);
    this.name = 'RegionActivationError';
  }
}

/** The scheduler could not be moved to the secondary when the front ejected the primary. */
export class SchedulerFailoverError extends LocalDrillProblem {
  readonly fatal = true;
  constructor(cause: unknown) {
    super(`scheduler failover: ${messageOf(cause)}`);
    this.name = 'SchedulerFailoverError';
  }
}

/** The primary's heartbeat, the baseline every later check compares with, never arrived. */
export class BaselineHeartbeatMissingError extends LocalDrillProblem {
  readonly fatal = true;
  constructor(region: string, timeoutMs: number) {
    super(`The heartbeat of ${region} was not recorded within ${timeoutMs / 1000} s`);
    this.name = 'BaselineHeartbeatMissingError';
  }
}

/** The front did not answer `/v1/health` before the load, so the load would measure nothing. */
export class FrontUnhealthyError extends LocalDrillProblem {
  readonly fatal = true;
  constructor(status: number) {
    super(`The front answered ${status} to /v1/health before the drill`);
    this.name = 'FrontUnhealthyError';
  }
}

/** Anything else that stopped the drill (an emulator call that failed, a bug). */
class UnexpectedDrillError extends LocalDrillProblem {
  readonly fatal = true;
  constructor(cause: unknown) {
    super(messageOf(cause));
    this.name = 'UnexpectedDrillError';
  }
}

/** The front never ejected the primary; the drill moved the scheduler at the end of the load instead. Not fatal: the checks still run. */
export class PrimaryNeverEjectedWarning extends LocalDrillProblem {
  readonly fatal = false;
  constructor() {
    super('The front never ejected the primary; moving the scheduler at the end of the load instead');
    this.name = 'PrimaryNeverEjectedWarning';
  }
}

/** Drill tickets whose subject carries no key: the duplicate count may miss them. Not fatal. */
export class UntaggedTicketsWarning extends LocalDrillProblem {
  readonly fatal = false;
  constructor(count: number) {
    super(`${count} drill tickets had no key in their subject; the duplicate count may be incomplete`);
    this.name = 'UntaggedTicketsWarning';
  }
}

/** A drill problem from anything thrown: problems stay as they are, anything else is unexpected. */
export function asProblem(error: unknown): LocalDrillProblem {
  return error instanceof LocalDrillProblem ? error : new UnexpectedDrillError(error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
