/**
 * A load generator in its own process (as real clients are): POSTs tickets to a URL at a
 * given concurrency and prints the load result as JSON. Used by the intake benchmark so the
 * server process does only server work.
 */
import { randomUUID } from 'node:crypto';
import { benchTicketBody, runLoad } from './stats';

const [url = '', token = '', count = '0', concurrency = '1'] = process.argv.slice(2);


runLoad(Number(count), Number(concurrency), async (i) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: benchTicketBody(i),
  });
  if (response.status !== 201) throw new Error(`status ${response.status}`);
  await response.arrayBuffer();
}).then(
  (result) => process.stdout.write(JSON.stringify(result)),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
