/** An operator command of `npm run tuki -- <name> …`. */
export interface Command {
  readonly name: string;
  /** One usage line, e.g. `run-job <job>   run a scheduled job now`. */
  readonly usage: string;
  run(args: readonly string[]): Promise<void>;
}
