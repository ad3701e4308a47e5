/**
 * Integration harness: the real Functions Framework servers (every function of the manifest)
 * on free ports, Pub/Sub push subscriptions on the emulator, the real Firestore and Auth
 * emulators, data cleared before each test. Run inside `firebase emulators:exec` (npm test).
 */
import type { PublishedEvent } from '../../functions/src/adapters/outbox-records';
import { applyLocalEnv } from '../../scripts/lib/local-env';
import { clearEmulators, PROJECT_ID } from '../../scripts/lib/emulators';
import type { LocalHost } from '../../scripts/lib/local-host';
import { DEMO_USERS, seedDemoData, signIn } from '../../scripts/lib/demo';
import type { Services } from '../../functions/src/wiring';

applyLocalEnv('test-region');

export interface Harness {
  readonly host: LocalHost;
  readonly services: Services;
  /** ID tokens of the demo users, by short name. */
  readonly tokens: Record<DemoName, string>;
}

export type DemoName = 'customer' | 'otherCustomer' | 'l1' | 'l2' | 'l3' | 'manager' | 'admin' | 'privacy';

const DEMO_NAMES: Record<DemoName, string> = {
  customer: 'demo-customer',
  otherCustomer: 'other-customer',
  l1: 'demo-agent-l1',
  l2: 'demo-agent-l2',
  l3: 'demo-agent-l3',
  manager: 'demo-manager',
  admin: 'demo-admin',
  privacy: 'demo-privacy',
};

export interface ApiResult {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
}

let host: LocalHost | undefined;
let running: Services | undefined;

/** The clock every function in the test host reads: real time plus an offset tests may move. */
export const testClock = {
  offsetMs: 0,
  now(): number {
    return Date.now() + this.offsetMs;
  },
  /** Pins "now" to an ISO instant (until `reset`). */
  set(iso: string): void {
    this.offsetMs = Date.parse(iso) - Date.now();
  },
  reset(): void {
    this.offsetMs = 0;
  },
};

/** Starts the host once per test file. */
export async function startHarness(prefix: string): Promise<{ host: LocalHost; services: Services }> {
  const { startLocalHost } = await import('../../scripts/lib/local-host');
  const { buildServices, instanceConfig, services, setServices } = await import('../../functions/src/wiring');
  setServices(buildServices(instanceConfig(), testClock));
  host = await startLocalHost({ project: PROJECT_ID, apiPort: 0, eventPortBase: 0, subscriptionPrefix: `${prefix}-` });
  running = await services();
  return { host, services: running };
}

/** Stops the servers and closes every client, so jest can exit. */
export async function stopHarness(): Promise<void> {
  await host?.close();
  host = undefined;
  if (running !== undefined) {
    const { deleteApp, getApps } = await import('firebase-admin/app');
    await Promise.all([running.db.terminate(), running.pubsub.close(), ...getApps().map((app) => deleteApp(app))]);
    running = undefined;
  }
}

/** Clears the emulators and loads the demo organisation and users; returns their tokens. */
export async function resetData(services: Services): Promise<Record<DemoName, string>> {
  await clearEmulators();
  await seedDemoData(services);
  const entries = await Promise.all(
    (Object.entries(DEMO_NAMES) as [DemoName, string][]).map(async ([name, uid]) => {
      const user = DEMO_USERS.find((u) => u.uid === uid);
      if (user === undefined) throw new Error(`no demo user ${uid}`);
      return [name, await signIn(user.email)] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<DemoName, string>;
}

/** Calls the API over HTTP. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text for the assertion message
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/**
 * A call as a client app makes it: a `503` is retried after its `Retry-After`, for up to a
 * minute and a half (a write is committed whole or not at all). On a loaded machine a request
 * cut at its deadline can leave the emulator's pessimistic lock on a ticket until the emulator
 * expires the transaction; the ticket's next writes are `503`s until then.
 */
export async function callAsClient(baseUrl: string, method: string, path: string, options: Parameters<typeof call>[3]): Promise<ApiResult> {
  const giveUpAt = Date.now() + 90_000;
  for (;;) {
    const answer = await call(baseUrl, method, path, options);
    if (answer.status !== 503 || Date.now() > giveUpAt) return answer;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A portal ticket body that is valid at any time. */
export function portalTicket(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    product: 'online',
    language: 'en',
    channel: 'portal',
    subject: 'Invoices are not delivered',
    description: 'Since this morning our outgoing invoices stay in the queue.',
    ...overrides,
  };
}

/** What a test file works with; filled in by the hooks of `useHarness`. */
export interface HarnessContext {
  api: string;
  /** The servers of every function (event functions' push deliveries can be watched there). */
  host: LocalHost;
  services: Services;
  tokens: Record<DemoName, string>;
}

/**
 * Registers the usual hooks of an integration test file — start the host once, stop it after,
 * reset the clock, data and demo users before each test — and returns the context they fill.
 */
export function useHarness(prefix: string): HarnessContext {
  const context = {} as HarnessContext;
  beforeAll(async () => {
    const started = await startHarness(prefix);
    context.api = started.host.apiUrl;
    context.host = started.host;
    context.services = started.services;
  });
  afterAll(stopHarness);
  beforeEach(async () => {
    testClock.reset();
    context.tokens = await resetData(context.services);
  });
  return context;
}

/** The events in the outbox (each record holds one commit's events) of a topic and type, for one ticket if given. */
export async function outboxEvents(services: Services, topic: string, type: string, ticketId?: string): Promise<PublishedEvent[]> {
  const records = await services.db.collection('outbox').get();
  return records.docs
    .flatMap((doc) => (doc.data() as { events: PublishedEvent[] }).events)
    .filter((e) => e.topic === topic && e.type === type && (ticketId === undefined || e.data['ticketId'] === ticketId));
}
