/**
 * A load generator in its own process (as real clients are): POSTs tickets to a URL at a
 * given concurrency over keep-alive connections and prints the load result as JSON, with the
 * CPU it used itself. Used by the intake benchmark so the server process does only server
 * work. It uses `node:http` rather than `fetch`: on a machine whose cores the server and the
 * emulators share, a lean client takes less CPU from what is being measured (fetch cost
 * about 3 ms of CPU per request here, `node:http` under 1 ms).
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { benchTicketBody, runLoad } from './stats';

const [url = '', token = '', count = '0', concurrency = '1'] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true, maxSockets: Number(concurrency) });

function post(body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': randomUUID(),
        },
      },
      (res) => {
        res.on('data', () => undefined);
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

runLoad(Number(count), Number(concurrency), async (i) => {
  const status = await post(benchTicketBody(i));
  if (status !== 201) throw new Error(`status ${status}`);
}).then(
  (result) => {
    const cpu = process.cpuUsage();
    agent.destroy();
    process.stdout.write(JSON.stringify({ ...result, cpuMs: (cpu.user + cpu.system) / 1000 }));
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
