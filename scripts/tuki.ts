/**
 * `npm run tuki -- <command>`: operator commands, thin over `functions/src`. Each command is a
 * module under `scripts/commands/`; this file only dispatches.
 *
 * Local mode (the default) talks to the emulators that `npm start` runs. With
 * `TUKI_MODE=production` (and Application Default Credentials) commands talk to the real project.
 */
import { restoreCommand, snapshotsCommand } from './commands/backups';
import { bootstrapAdminCommand } from './commands/bootstrap-admin';
import type { Command } from './commands/command';
import { drillCommand } from './commands/drill';
import { readinessCommand } from './commands/readiness';
import { runJobCommand } from './commands/run-job';
import { applyLocalEnv } from './lib/local-env';

const COMMANDS: readonly Command[] = [bootstrapAdminCommand, runJobCommand, readinessCommand, drillCommand, snapshotsCommand, restoreCommand];

function usage(): string {
  return `Usage: npm run tuki -- <command>\n${COMMANDS.map((c) => `  ${c.usage}`).join('\n')}`;
}

async function main(argv: readonly string[]): Promise<void> {
  if (process.env['TUKI_MODE'] !== 'production') applyLocalEnv();
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    console.log(usage());
    if (name !== undefined && name !== 'help' && name !== '--help') process.exitCode = 2;
    return;
  }
  await command.run(rest);
}

main(process.argv.slice(2)).then(
  () => setTimeout(() => process.exit(process.exitCode ?? 0), 100).unref(),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
