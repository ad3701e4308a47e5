/**
 * Defence in depth, checked from outside: every positive value of the labelled corpus (every
 * required kind and contact data, in English, Finnish and Swedish) is sent through every field
 * of every endpoint that takes free text, the events flow through Pub/Sub to every function,
 * and then the whole database (every document of every collection, sealed originals included),
 * every message published on every topic and every log line are searched for each raw value.
 * None may appear. The table of endpoints is checked against the route table, so a new route
 * with a free-text field fails this test until it is listed here.
 */
import { PubSub, type Message, type Subscription } from '@google-cloud/pubsub';
import { API_ROUTES } from '../../functions/src/entrypoints/http/all-routes';
import { TOPICS } from '../../functions/src/manifest';
import { CONTACT_POSITIVES, POSITIVES } from '../unit/redaction/corpus';
import { freeTextFields } from './free-text-fields';
import { call, callAsClient, eventually, portalTicket, useHarness, type ApiResult, type DemoName } from './harness';

const h = useHarness('everywhere');

jest.setTimeout(600_000);

const SAMPLES = [...POSITIVES, ...CONTACT_POSITIVES];
/** What a person might send: a field whose pattern admits one of these takes free text. */
const PROBES = SAMPLES.map((sample) => sample.text);

/**
 * What must never appear: each expected value, and its form without separators (a card or an
 * IBAN as someone might paste it twice).
 */
const NEEDLES = [
  ...new Set(
    SAMPLES.flatMap((s) => s.expected.map((e) => e.value)).flatMap((value) => {
      const compact = value.replace(/[\s.-]/g, '');
      return compact !== value && compact.length >= 8 ? [value, compact] : [value];
    }),
  ),
];

/**
 * A needle counts where it stands as a value: not inside a longer run of id or base64
 * characters. Random ids and ciphertext hold short digit runs such as a four-digit PIN by
 * chance; a leaked value has a space, a quote or the end of the text beside it.
 */
const ID_CHAR = /[\p{L}\p{N}_\-+/=]/u;
function found(haystack: string, needle: string): boolean {
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    const before = haystack[at - 1];
    const after = haystack[at + needle.length];
    if ((before === undefined || !ID_CHAR.test(before)) && (after === undefined || !ID_CHAR.test(after))) return true;
  }
  return false;
}

/** Every string in a JSON value (keys too), so that escaping cannot hide a value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      strings(item, out);
    }
  }
  return out;
}

/** `{where, needle}` for each raw value in a source's texts. */
function leaksIn(where: string, texts: readonly string[]): { where: string; needle: string }[] {
  return NEEDLES.filter((needle) => texts.some((text) => found(text, needle))).map((needle) => ({ where, needle }));
}

/** The samples as few texts as fit in `max` characters each (samples longer than `max` are left out of that field). */
function chunks(max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const { text } of SAMPLES) {
    if (text.length > max) continue;
    if (current !== '' && current.length + 1 + text.length > max) {
      out.push(current);
      current = '';
    }
    current = current === '' ? text : `${current}\n${text}`;
  }
  if (current !== '') out.push(current);
  return out;
}

// ---- the endpoints that take free text --------------------------------------------------

type Location = 'body' | 'query';

interface Carrier {
  /** A fresh ticket of the demo customer, with benign text. */
  ticket(): Promise<string>;
  /** A message on a ticket, with benign text that a manual redaction can find. */
  message(ticketId: string): Promise<string>;
}

interface Row {
  readonly route: `${'GET' | 'POST' | 'PUT' | 'DELETE'} ${string}`;
  readonly location: Location;
  /** The field's path in the body or query, as the schema names it. */
  readonly field: string;
  /** The statuses that show the request reached its use case (a `400` would send nothing on). */
  readonly accepted: readonly number[];
  readonly send: (text: string, carrier: Carrier) => Promise<ApiResult>;
}

const as = (name: DemoName) => h.tokens[name];

const request = (method: string, path: string, options: Parameters<typeof call>[3]): Promise<ApiResult> => callAsClient(h.api, method, path, options);
const post = (path: string, who: DemoName, body: unknown) => request('POST', path, { token: as(who), body });
const withReason = (path: string, text: string) => `${path}?reason=${encodeURIComponent(text)}`;

/** Incidents need their product free: one lane per product, each incident resolved before the next opens. */
const PRODUCTS = ['online', 'tms', 'health'] as const;
const productLanes = new Map<string, Promise<unknown>>();
async function onFreeProduct<T>(index: number, work: (product: string) => Promise<T>): Promise<T> {
  const product = PRODUCTS[index % PRODUCTS.length] as string;
  const run = (productLanes.get(product) ?? Promise.resolve()).then(() => work(product));
  productLanes.set(product, run.catch(() => undefined));
  return run;
}
let incidentCount = 0;
async function withIncident(build: (product: string) => Record<string, unknown>, then?: (id: string) => Promise<ApiResult>): Promise<ApiResult> {
  return onFreeProduct(incidentCount++, async (product) => {
    const body: Record<string, unknown> = { title: 'Sending is slow', affected: [{ product, status: 'partial_outage' }], message: 'We are looking into it.', ...build(product) };
    const opened = await post('/v1/incidents', 'manager', body);
    if (opened.status !== 201) return opened;
    const answer = then === undefined ? opened : await then(opened.body.id as string);
    const final = body['kind'] === 'maintenance' ? 'completed' : 'resolved';
    const resolved = await post(`/v1/incidents/${opened.body.id as string}/updates`, 'manager', { status: final, message: 'Done.', publish: true });
    expect(resolved.status).toBe(201);
    return answer;
  });
}

const MAINTENANCE_WINDOW = { startsAt: '2030-01-01T01:00:00Z', endsAt: '2030-01-01T03:00:00Z' };

const ROWS: readonly Row[] = [
  ...(['subject', 'description', 'category'] as const).map(
    (field): Row => ({
      route: 'POST /v1/tickets',
      location: 'body',
      field,
      accepted: [201],
      send: (text) => post('/v1/tickets', 'customer', portalTicket({ [field]: text })),
    }),
  ),
  {
    route: 'POST /v1/tickets/:id/messages',
    location: 'body',
    field: 'body',
    accepted: [201],
    send: async (text, carrier) => {
      const id = await carrier.ticket();
      const customers = await post(`/v1/tickets/${id}/messages`, 'customer', { body: text });
      const internal = await post(`/v1/tickets/${id}/messages`, 'manager', { body: text, visibility: 'internal' });
      return customers.status === 201 ? internal : customers;
    },
  },
  {
    route: 'POST /v1/tickets/:id/escalate',
    location: 'body',
    field: 'reason',
    accepted: [200],
    send: async (text, carrier) => post(`/v1/tickets/${await carrier.ticket()}/escalate`, 'manager', { reason: text }),
  },
  {
    route: 'POST /v1/tickets/:id/severity',
    location: 'body',
    field: 'reason',
    accepted: [200],
    send: async (text, carrier) => post(`/v1/tickets/${await carrier.ticket()}/severity`, 'manager', { severity: 4, reason: text }),
  },
  {
    route: 'POST /v1/tickets/:id/csat',
    location: 'body',
    field: 'comment',
    accepted: [201],
    send: async (text, carrier) => {
      const id = await carrier.ticket();
      expect((await post(`/v1/tickets/${id}/status`, 'manager', { status: 'resolved' })).status).toBe(200);
      return post(`/v1/tickets/${id}/csat`, 'customer', { rating: 4, comment: text });
    },
  },
  ...(['reason', 'text', 'messageId'] as const).map(
    (field): Row => ({
      route: 'POST /v1/tickets/:id/redactions',
      location: 'body',
      field,
      // The text and the message id name nothing that is there: the use case looks and refuses.
      accepted: field === 'reason' ? [200] : field === 'text' ? [400, 409, 422] : [404],
      send: async (text, carrier) => {
        const id = await carrier.ticket();
        const messageId = await carrier.message(id);
        return post(`/v1/tickets/${id}/redactions`, 'privacy', { messageId, text: 'Main Street 5', reason: 'Home address', [field]: text });
      },
    }),
  ),
  ...(['GET', 'DELETE'] as const).map(
    (method): Row => ({
      route: `${method} /v1/tickets/:id/originals`,
      location: 'query',
      field: 'reason',
      accepted: [200],
      send: async (text, carrier) => request(method, withReason(`/v1/tickets/${await carrier.ticket()}/originals`, text), { token: as('privacy') }),
    }),
  ),
  {
    route: 'PUT /v1/tickets/:id/legal-hold',
    location: 'body',
    field: 'reason',
    accepted: [200],
    send: async (text, carrier) => request('PUT', `/v1/tickets/${await carrier.ticket()}/legal-hold`, { token: as('privacy'), body: { reason: text } }),
  },
  {
    route: 'DELETE /v1/tickets/:id/legal-hold',
    location: 'body',
    field: 'reason',
    accepted: [200],
    send: async (text, carrier) => {
      const id = await carrier.ticket();
      expect((await request('PUT', `/v1/tickets/${id}/legal-hold`, { token: as('privacy'), body: { reason: 'Court order 12' } })).status).toBe(200);
      return request('DELETE', `/v1/tickets/${id}/legal-hold`, { token: as('privacy'), body: { reason: text } });
    },
  },
  {
    route: 'POST /v1/incidents',
    location: 'body',
    field: 'title',
    accepted: [201],
    send: (text) => withIncident(() => ({ title: text, noticeMode: 'status_page' })),
  },
  {
    route: 'POST /v1/incidents',
    location: 'body',
    field: 'message',
    accepted: [201],
    // Told directly to every organisation that uses the product, and as planned maintenance on the status page.
    send: async (text) => {
      const told = await withIncident(() => ({ message: text, noticeMode: 'direct', notifyAllOrganisations: true }));
      const planned = await withIncident(() => ({ kind: 'maintenance', message: text, window: MAINTENANCE_WINDOW }));
      return told.status === 201 ? planned : told;
    },
  },
  {
    route: 'POST /v1/incidents/:id/updates',
    location: 'body',
    field: 'message',
    accepted: [201],
    send: (text) =>
      withIncident(
        () => ({ noticeMode: 'status_page' }),
        async (id) => {
          const note = await post(`/v1/incidents/${id}/updates`, 'l1', { status: 'investigating', message: text, publish: false });
          const published = await post(`/v1/incidents/${id}/updates`, 'manager', { status: 'identified', message: text, publish: true, noticeMode: 'direct' });
          return note.status === 201 ? published : note;
        },
      ),
  },
  {
    route: 'POST /v1/status/subscriptions',
    location: 'body',
    field: 'webhookUrl',
    // Text where a URL belongs is refused (not an https URL), and must not be echoed into a log.
    accepted: [400],
    send: (text) => request('POST', '/v1/status/subscriptions', { body: { products: ['online'], webhookUrl: text } }),
  },
  ...(
    [
      ['GET /v1/tickets', '/v1/tickets'],
      ['GET /v1/incidents', '/v1/incidents'],
      ['GET /v1/deletion-receipts', '/v1/deletion-receipts?from=2026-01-01&to=2026-01-02'],
      ['GET /v1/status/deliveries', '/v1/status/deliveries'],
    ] as const
  ).map(
    ([route, path]): Row => ({
      route,
      location: 'query',
      field: 'cursor',
      // A cursor is opaque: one that is not ours is refused, and must not be echoed into a log.
      accepted: [400],
      send: (text) => request('GET', `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(text)}`, { token: as(route.includes('receipts') ? 'privacy' : 'manager') }),
    }),
  ),
];

const rowKey = (route: string, location: Location, field: string) => `${route} ${location}.${field}`;

/** Every free-text field of every route, by row key, with its maximum length. */
function routeTextFields(): Map<string, number> {
  const fields = new Map<string, number>();
  for (const route of API_ROUTES) {
    for (const location of ['body', 'query'] as const) {
      const schema = route[location];
      if (schema === undefined) continue;
      for (const [field, max] of freeTextFields(schema, PROBES)) fields.set(rowKey(`${route.method} ${route.pattern}`, location, field), max);
    }
  }
  return fields;
}

// ---- where values could end up ----------------------------------------------------------

/** Every document of a database as the emulator's REST API exports it: one kindless query over all of them, subcollections included. */
async function exportDatabase(database: string): Promise<unknown[]> {
  const project = h.services.config.GOOGLE_CLOUD_PROJECT;
  const response = await fetch(`http://${process.env['FIRESTORE_EMULATOR_HOST']}/v1/projects/${project}/databases/${database}/documents:runQuery`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer owner' },
    body: JSON.stringify({ structuredQuery: { from: [{ allDescendants: true }] } }),
  });
  expect(response.status).toBe(200);
  const rows = (await response.json()) as { document?: unknown }[];
  return rows.flatMap((row) => (row.document === undefined ? [] : [row.document]));
}

/** One pull subscription on every topic of the manifest and its dead-letter topic, made before anything is sent. */
async function tapEveryTopic(pubsub: PubSub): Promise<Subscription[]> {
  const taps: Subscription[] = [];
  for (const topic of Object.values(TOPICS).flatMap((name) => [name, `${name}-dead-letter`])) {
    const name = `everywhere-tap-${topic}`;
    await pubsub.subscription(name).delete().catch(() => undefined);
    const [subscription] = await pubsub.topic(topic).createSubscription(name);
    taps.push(subscription);
  }
  return taps;
}

/** Everything a tap received, read until it has been quiet for three seconds (ten before the first message). */
async function drain(tap: Subscription): Promise<string[]> {
  const received: string[] = [];
  await new Promise<void>((resolve) => {
    let quiet: NodeJS.Timeout | undefined;
    const done = () => {
      tap.removeAllListeners('message');
      void tap.close().then(() => resolve());
    };
    const rearm = (ms: number) => {
      clearTimeout(quiet);
      quiet = setTimeout(done, ms);
    };
    tap.on('message', (message: Message) => {
      received.push(message.data.toString('utf8'), ...Object.values(message.attributes));
      message.ack();
      rearm(3_000);
    });
    rearm(10_000);
  });
  return received;
}

/** The outbox once every record is published and no new record came for three seconds: the events have flowed to every function and back. */
async function eventsSettled(): Promise<void> {
  let last = -1;
  await eventually(
    async () => {
      const outbox = await h.services.db.collection('outbox').get();
      const settled = outbox.docs.every((doc) => doc.get('publishedAt') !== null) && outbox.size === last;
      last = outbox.size;
      if (settled) return true;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      return undefined;
    },
    180_000,
    'every outbox record published and no new one',
  );
}

/** Every line written to stdout and stderr while `capture` is on: the log of the API and of every function (they run in this process). */
function captureOutput(): { lines: string[]; stop(): void } {
  const lines: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) => {
    const write = stream.write.bind(stream);
    return jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return write(chunk, ...(rest as []));
    });
  });
  return { lines, stop: () => spies.forEach((spy) => spy.mockRestore()) };
}

/** A log line's strings: its JSON values when it is JSON, the line as written otherwise. */
function logStrings(line: string): string[] {
  try {
    return [line, ...strings(JSON.parse(line))];
  } catch {
    return [line];
  }
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

// ---- the test ---------------------------------------------------------------------------

describe('every free text is redacted before it is stored, published or logged', () => {
  it('the table lists every free-text field of every route, so that a new route cannot be missed', () => {
    const listed = new Set(ROWS.map((row) => rowKey(row.route, row.location, row.field)));
    expect([...routeTextFields().keys()].filter((key) => !listed.has(key))).toEqual([]);
    expect([...listed].filter((key) => !routeTextFields().has(key))).toEqual([]);
  });

  it('when the corpus goes through every text-taking endpoint, then no raw value is in the database, on any topic or in the log', async () => {
    const pubsub = new PubSub({ projectId: h.services.config.GOOGLE_CLOUD_PROJECT });
    const taps = await tapEveryTopic(pubsub);
    const output = captureOutput();
    try {
      const policy = await request('PUT', '/v1/admin/redaction-policy/demo-org', { token: as('admin'), body: { kinds: ['email', 'phone_number'] } });
      expect(policy.status).toBe(200);
      const carrier: Carrier = {
        ticket: async () => {
          const created = await post('/v1/tickets', 'customer', portalTicket());
          expect(created.status).toBe(201);
          return created.body.id as string;
        },
        message: async (ticketId) => {
          const added = await post(`/v1/tickets/${ticketId}/messages`, 'customer', { body: 'Please send it to Main Street 5' });
          expect(added.status).toBe(201);
          return added.body.id as string;
        },
      };
      const maxima = routeTextFields();
      const requests = ROWS.flatMap((row) => chunks(maxima.get(rowKey(row.route, row.location, row.field)) ?? 0).map((text) => ({ row, text })));
      const refused: string[] = [];
      await pool(requests, 2, async ({ row, text }) => {
        const answer = await row.send(text, carrier);
        if (!row.accepted.includes(answer.status)) refused.push(`${rowKey(row.route, row.location, row.field)}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
      });
      expect(refused).toEqual([]);
      // Every field got every sample that fits it; the short ones (subject, category, titles) most of them.
      expect(requests.length).toBeGreaterThan(ROWS.length * 2);

      await eventsSettled();
      const published = (await Promise.all(taps.map(drain))).flat();
      output.stop();

      const documents = [...(await exportDatabase('(default)')), ...(h.services.config.TUKI_KEYS_DATABASE === '(default)' ? [] : await exportDatabase(h.services.config.TUKI_KEYS_DATABASE))];
      const paths = documents.map((d) => (d as { name: string }).name);
      // The export holds what was sent: tickets, their messages, sealed originals, incidents, audit records.
      const expectedParts = ['/tickets/', '/messages/', '/originals/', '/incidents/', '/auditLog/', '/statusSummary/'];
      expect(expectedParts.filter((part) => !paths.some((path) => path.includes(part)))).toEqual([]);
      expect(published.length).toBeGreaterThan(100);
      expect(output.lines.length).toBeGreaterThan(100);

      const leaks = [
        ...documents.flatMap((document) => leaksIn((document as { name: string }).name.replace(/^.*\/documents\//, ''), strings(document))),
        ...leaksIn('published messages', published),
        ...leaksIn('log', output.lines.flatMap(logStrings)),
      ];
      expect(leaks).toEqual([]);
    } finally {
      output.stop();
      await Promise.all(taps.map((tap) => tap.delete().catch(() => undefined)));
      await pubsub.close();
    }
  });
});
