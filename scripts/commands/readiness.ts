/**
 * `readiness`: the on-call readiness check. Lists every product and language of the catalog
 * with fewer than two trained, active L3 agents and exits with status 1 if there is any, so a
 * scheduled CI job or a pre-release gate can fail on it. `--json` prints the report as JSON.
 */
import { parseArgs } from 'node:util';
import type { Command } from './command';

export const readinessCommand: Command = {
  name: 'readiness',
  usage: 'readiness [--json]                  list products and languages with fewer than two trained, active L3 agents (exit 1 if any)',
  async run(args) {
    const { values } = parseArgs({ args: [...args], options: { json: { type: 'boolean', default: false } } });
    const { services } = await import('../../functions/src/wiring');
    const { checkOnCallReadiness } = await import('../../functions/src/application/readiness/check-on-call-readiness');
    const report = await checkOnCallReadiness(await services());
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
    } else if (report.gaps.length === 0) {
      console.log(`Ready: all ${report.checked} products and languages have at least ${report.minimum} trained, active L3 agents.`);
    } else {
      console.log(`Not ready: ${report.gaps.length} of ${report.checked} products and languages have fewer than ${report.minimum} trained, active L3 agents.`);
      const width = Math.max(...report.gaps.map((g) => `${g.product}/${g.language}`.length));
      for (const gap of report.gaps) {
        const who = gap.agentUids.length === 0 ? 'none' : gap.agentUids.join(', ');
        console.log(`  ${`${gap.product}/${gap.language}`.padEnd(width)}  ${gap.agentUids.length} L3 (${who}), ${gap.missing} missing`);
      }
    }
    if (report.gaps.length > 0) process.exitCode = 1;
  },
};
