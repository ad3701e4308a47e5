/**
 * A local webhook receiver for the integration tests and the fan-out benchmark: an HTTP server on
 * 127.0.0.1 that records every request (headers and raw body) and answers as told — echoing
 * challenges and accepting updates, failing updates, or never echoing (a receiver that does not
 * confirm).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceiverBehaviour = 'accept' | 'fail-updates' | 'never-confirm';

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: { type?: string; challenge?: string; [key: string]: unknown };
}

export interface WebhookReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  behaviour: ReceiverBehaviour;
  /** Requests other than challenges. */
  updates(): ReceivedRequest[];
  close(): Promise<void>;
}

export async function startReceiver(behaviour: ReceiverBehaviour = 'accept'): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const receiver = {
    url: '',
    requests,
    behaviour,
    updates: () => requests.filter((r) => r.json.type !== 'challenge'),
    close: async () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: ReceivedRequest['json'] = {};
      try {
        json = JSON.parse(body) as ReceivedRequest['json'];
      } catch {
        // recorded as it came
      }
      requests.push({ path: req.url ?? '', headers: req.headers, body, json });
      if (json.type === 'challenge') {
        const answer = receiver.behaviour === 'never-confirm' ? { ok: true } : { challenge: json.challenge };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      } else if (receiver.behaviour === 'fail-updates') {
        res.writeHead(500).end('down for maintenance');
      } else {
        res.writeHead(204).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/tuki`;
  return receiver;
}
