/**
 * A load generator in its own process (as real clients are), so that the server process does
 * only server work. `post-tickets URL TOKEN COUNT CONCURRENCY` POSTs tickets (the intake
 * benchmark); `get URL COUNT CONCURRENCY [STATUSES] [ACCEPT-ENCODING]` GETs a page and expects one of the
 * comma-separated statuses, `200` by default, asking for the content codings given, none by default
 * (the status benchmark; the client reads the bytes as they come and does not inflate them). Prints the load result as JSON, with the CPU it used itself.
 */
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { httpCall } from './http-call';
import { benchTicketBody, runLoad } from './stats';

type Operation = { readonly agent: Agent; readonly count: number; readonly concurrency: number; readonly send: (i: number) => Promise<void> };

function requireStatus(status: number, ...wanted: number[]): void {
  if (!wanted.includes(status)) throw new Error(`status ${status}`);
}

function operation(args: readonly string[]): Operation {
  const [mode = '', url = ''] = args;
  if (mode === 'post-tickets') {
    const [, , token = '', count = '0', concurrency = '1'] = args;
    const agent = new Agent({ keepAlive: true, maxSockets: Number(concurrency) });
    return {
      agent,
      count: Number(count),
      concurrency: Number(concurrency),
      send: async (i) => {
        const body = benchTicketBody(i);
        const headers = {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': randomUUID(),
        };
        requireStatus(await httpCall(agent, url, 'POST', headers, body), 201);
      },
    };
  }
  if (mode === 'get') {
    const [, , count = '0', concurrency = '1', statuses = '200', acceptEncoding] = args;
    const agent = new Agent({ keepAlive: true, maxSockets: Number(concurrency) });
    const accepted = statuses.split(',').map(Number);
    const headers = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
    return { agent, count: Number(count), concurrency: Number(concurrency), send: async () => requireStatus(await httpCall(agent, url, 'GET', headers), ...accepted) };
  }
  throw new Error(`unknown load mode ${mode}: post-tickets or get`);
}

const load = operation(process.argv.slice(2));
runLoad(load.count, load.concurrency, load.send).then(
  (result) => {
    const cpu = process.cpuUsage();
    load.agent.destroy();
    process.stdout.write(JSON.stringify({ ...result, cpuMs: (cpu.user + cpu.system) / 1000 }));
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
