/**
 * One HTTP request over a keep-alive agent, answering the status code once the body is read:
 * what the benchmarks' load clients send. `node:http` rather than `fetch`: on a machine whose
 * cores the server and the emulators share, a lean client takes less CPU from what is being
 * measured (fetch cost about 3 ms of CPU per request here, `node:http` under 1 ms).
 */
import { request, type Agent, type OutgoingHttpHeaders } from 'node:http';

export function httpCall(agent: Agent, url: string, method: string, headers: OutgoingHttpHeaders, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers }, (res) => {
      res.on('data', () => undefined);
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(body);
  });
}
