/**
 * The local front: a small HTTP reverse proxy that stands in for the global load balancer in the
 * local failover drill. It forwards every request to the first backend (the primary) and moves
 * to the next one the way the load balancer's outlier detection does
 * (`infra/components/global-front-door.ts`): a backend that refuses connections, resets them, or
 * answers `consecutive5xx` server errors in a row is ejected for `ejectionMs`; the last backend
 * standing is never ejected (`maxEjectionPercent: 50` with two regions).
 *
 * What it retries, and why: a request whose connection was refused never reached the backend, so
 * the front sends it to the next backend at once, whatever its method. A connection that breaks
 * *after* the request was sent (the primary was killed mid-request) may have been processed, so
 * a non-idempotent request (POST) gets a `502` and the client decides; tuki's clients retry with
 * the same `Idempotency-Key`, which the drill checks. A 5xx answer is passed through, as by the
 * load balancer. Every response carries `x-tuki-backend` with the backend that answered.
 */
import { request as httpRequest, createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FrontBackend {
  /** Shown in `x-tuki-backend` and in the drill report (`primary`, `secondary`). */
  readonly name: string;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
}

export interface LocalFrontOptions {
  /** In order of preference: the first is the primary. */
  readonly backends: readonly FrontBackend[];
  /** Port to listen on (0 for any free port). */
  readonly port?: number;
  /** Server errors in a row that eject a backend (the load balancer's `consecutiveErrors`: 5). */
  readonly consecutive5xx?: number;
  /** How long an ejected backend is left alone (the load balancer's `baseEjectionTime`: 30 s). */
  readonly ejectionMs?: number;
  /** How long a backend may take to answer before the front gives up with a 504. */
  readonly upstreamTimeoutMs?: number;
  /** Called when a backend is ejected. */
  readonly onEject?: (backend: string, reason: string, atMs: number) => void;
  readonly now?: () => number;
}

export interface FrontEjection {
  readonly backend: string;
  readonly reason: string;
  readonly atMs: number;
}

export interface LocalFront {
  readonly url: string;
  /** Every ejection so far. */
  readonly ejections: readonly FrontEjection[];
  /** Requests forwarded to each backend that got an answer from it. */
  readonly answered: Readonly<Record<string, number>>;
  close(): Promise<void>;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);
const MAX_BODY_BYTES = 2 * 1024 * 1024;

interface BackendState {
  readonly backend: FrontBackend;
  readonly target: URL;
  consecutive5xx: number;
  ejectedUntil: number;
}

type Attempt =
  | { readonly kind: 'answered'; readonly response: IncomingMessage }
  | { readonly kind: 'refused'; readonly error: string }
  | { readonly kind: 'broken'; readonly error: string }
  | { readonly kind: 'timeout' };

/** Starts the front; resolves once it listens. */
export async function startLocalFront(options: LocalFrontOptions): Promise<LocalFront> {
  const now = options.now ?? Date.now;
  const threshold = options.consecutive5xx ?? 5;
  const ejectionMs = options.ejectionMs ?? 30_000;
  const upstreamTimeoutMs = options.upstreamTimeoutMs ?? 30_000;
  const states: BackendState[] = options.backends.map((backend) => ({ backend, target: new URL(backend.url), consecutive5xx: 0, ejectedUntil: 0 }));
  const ejections: FrontEjection[] = [];
  const answered: Record<string, number> = Object.fromEntries(options.backends.map((b) => [b.name, 0]));

  const eject = (state: BackendState, reason: string): void => {
    const at = now();
    if (state.ejectedUntil > at) return;
    const othersUp = states.filter((s) => s !== state && s.ejectedUntil <= at).length;
    if (othersUp === 0) return; // never eject the last backend standing
    state.ejectedUntil = at + ejectionMs;
    state.consecutive5xx = 0;
    ejections.push({ backend: state.backend.name, reason, atMs: at });
    options.onEject?.(state.backend.name, reason, at);
  };

  const forward = (state: BackendState, req: IncomingMessage, body: Buffer): Promise<Attempt> =>
    new Promise((resolve) => {
      let connected = false;
      let settled = false;
      const settle = (attempt: Attempt): void => {
        if (!settled) {
          settled = true;
          resolve(attempt);
        }
      };
      const headers: IncomingHttpHeaders = { ...req.headers, host: state.target.host, 'x-forwarded-for': req.socket.remoteAddress ?? '' };
      delete headers['connection'];
      const upstream = httpRequest(
        {
          hostname: state.target.hostname,
          port: state.target.port,
          path: req.url,
          method: req.method,
          headers: { ...headers, 'content-length': String(body.length) },
          // A fresh connection per request: a pooled socket to a killed backend would turn a
          // clean "refused" (safe to retry anywhere) into an ambiguous "reset".
          agent: false,
          timeout: upstreamTimeoutMs,
        },
        (response) => settle({ kind: 'answered', response }),
      );
      upstream.on('socket', (socket) => socket.once('connect', () => (connected = true)));
      upstream.on('timeout', () => {
        upstream.destroy();
        settle({ kind: 'timeout' });
      });
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        const detail = error.code ?? error.message;
        settle(connected || error.code !== 'ECONNREFUSED' ? { kind: 'broken', error: detail } : { kind: 'refused', error: detail });
      });
      upstream.end(body);
    });

  const relay = (state: BackendState, response: IncomingMessage, res: ServerResponse): void => {
    const headers: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(response.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(key)) headers[key] = value;
    }
    headers['x-tuki-backend'] = state.backend.name;
    res.writeHead(response.statusCode ?? 502, headers);
    response.pipe(res);
  };

  const fail = (res: ServerResponse, status: number, detail: string, backend?: string): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/problem+json', ...(backend === undefined ? {} : { 'x-tuki-backend': backend }) });
    res.end(JSON.stringify({ type: 'about:blank', title: status === 504 ? 'Gateway Timeout' : 'Bad Gateway', status, detail }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return fail(res, 413, 'request body too large for the front');
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks);
    const at = now();
    // Backends in preference order, ejected ones last (tried only when nothing else answers).
    const order = [...states.filter((s) => s.ejectedUntil <= at), ...states.filter((s) => s.ejectedUntil > at)];
    let lastError = 'no backend';
    for (const state of order) {
      const attempt = await forward(state, req, body);
      if (attempt.kind === 'answered') {
        const status = attempt.response.statusCode ?? 502;
        if (status >= 500) {
          state.consecutive5xx += 1;
          if (state.consecutive5xx >= threshold) eject(state, `${state.consecutive5xx} consecutive ${status}`);
        } else {
          state.consecutive5xx = 0;
        }
        answered[state.backend.name] = (answered[state.backend.name] ?? 0) + 1;
        return relay(state, attempt.response, res);
      }
      if (attempt.kind === 'timeout') return fail(res, 504, `${state.backend.name} did not answer in time`, state.backend.name);
      eject(state, attempt.kind === 'refused' ? `connection refused (${attempt.error})` : `connection broken (${attempt.error})`);
      lastError = `${state.backend.name}: ${attempt.error}`;
      if (attempt.kind === 'broken' && !IDEMPOTENT_METHODS.has(req.method ?? 'GET')) {
        return fail(res, 502, `the connection to ${state.backend.name} broke after the request was sent; retry with the same Idempotency-Key`, state.backend.name);
      }
    }
    fail(res, 502, `no backend answered (${lastError})`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => fail(res, 502, error instanceof Error ? error.message : 'front error'));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    ejections,
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
