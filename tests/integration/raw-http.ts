/**
 * An attacker's HTTP client for the security tests: exact paths (no URL normalisation, so
 * `/v1/tickets/..` reaches the server as sent), any headers, and bodies that are announced
 * larger than sent, streamed without end, or trickled slowly.
 */
import { request, type IncomingHttpHeaders } from 'node:http';

export interface RawResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: any;
  /** How many body bytes the client had written when the answer arrived. */
  readonly bytesSent: number;
  readonly elapsedMs: number;
}

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string | number>;
  /** Sent whole. */
  readonly body?: Buffer | string;
  /** Chunks written one after another, `gapMs` apart, until the answer arrives or they run out. */
  readonly chunks?: { readonly chunk: Buffer; readonly count: number; readonly gapMs: number };
  /** Fails the call when no answer arrives in time. */
  readonly timeoutMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends a request as given and resolves with the answer (or rejects after `timeoutMs`). */
export function rawCall(baseUrl: string, spec: RawRequest): Promise<RawResult> {
  const url = new URL(baseUrl);
  const started = Date.now();
  let bytesSent = 0;
  let answered = false;
  return new Promise<RawResult>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: spec.method, path: spec.path, headers: spec.headers, agent: false });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${spec.timeoutMs} ms (${bytesSent} body bytes sent)`));
    }, spec.timeoutMs ?? 15_000);
    // The server may close the connection after answering while the client still writes.
    req.on('error', (error) => {
      if (!answered) {
        clearTimeout(timer);
        reject(error);
      }
    });
    req.on('response', (res) => {
      answered = true;
      const sentWhenAnswered = bytesSent;
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('error', () => undefined);
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(parts).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, bytesSent: sentWhenAnswered, elapsedMs: Date.now() - started });
        req.destroy();
      });
    });
    void (async () => {
      if (spec.body !== undefined) {
        bytesSent += Buffer.byteLength(spec.body);
        req.end(spec.body);
        return;
      }
      if (spec.chunks === undefined) {
        req.end();
        return;
      }
      req.flushHeaders();
      for (let i = 0; i < spec.chunks.count && !answered && !req.destroyed; i++) {
        req.write(spec.chunks.chunk);
        bytesSent += spec.chunks.chunk.length;
        await sleep(spec.chunks.gapMs);
      }
      if (!answered && !req.destroyed) req.end();
    })();
  });
}

/** A 400/404/413-style answer must be problem+json and give nothing of the server away. */
export function expectCleanProblem(result: RawResult, status: number): void {
  expect([result.status, result.headers['content-type']]).toEqual([status, expect.stringContaining('application/problem+json')]);
  expect(result.json).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  expect(result.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\/work\/|<html|<pre/i);
}
