/**
 * Issue 15, findings 1, 6, 7 and 10: what an attacker tried at the HTTP edge, through the real
 * Functions Framework server, with and without a token.
 */
import { call, portalTicket, useHarness } from './harness';
import { expectCleanProblem, rawCall } from './raw-http';

const CONSOLE_ORIGIN = 'https://console.tuki.example';
process.env['TUKI_CORS_ALLOWED_ORIGINS'] = CONSOLE_ORIGIN;
process.env['TUKI_BODY_READ_TIMEOUT_MS'] = '1500';

const h = useHarness('security-edge');

const ticketFor = async (token: string): Promise<string> => {
  const created = await call(h.api, 'POST', '/v1/tickets', { token, body: portalTicket() });
  expect(created.status).toBe(201);
  return created.body.id as string;
};

describe('finding 1: unauthenticated memory exhaustion', () => {
  it('when nobody announces a 30 MB text/plain body to /v1/health, then it is refused with 413 before the body is sent', async () => {
    const answer = await rawCall(h.api, {
      method: 'POST',
      path: '/v1/health',
      headers: { 'content-type': 'text/plain', 'content-length': 30_000_000 },
      chunks: { chunk: Buffer.alloc(1024, 'a'), count: 30_000, gapMs: 5 },
      timeoutMs: 5_000,
    });
    expectCleanProblem(answer, 413);
    expect(answer.bytesSent).toBeLessThan(1_000_000);
  });

  it('when nobody streams an endless chunked body of any type, then the answer is 413 once the limit is passed', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'application/json']) {
      const answer = await rawCall(h.api, {
        method: 'POST',
        path: '/v1/tickets',
        headers: { 'content-type': type, 'transfer-encoding': 'chunked' },
        chunks: { chunk: Buffer.alloc(16 * 1024, 'a'), count: 512, gapMs: 5 },
        timeoutMs: 10_000,
      });
      expectCleanProblem(answer, 413);
      expect([type, answer.bytesSent < 1_000_000]).toEqual([type, true]);
    }
  });

  it('when nobody trickles a body slowly, then the connection is answered 408 after the body read time', async () => {
    const answer = await rawCall(h.api, {
      method: 'POST',
      path: '/v1/health',
      headers: { 'content-type': 'text/plain', 'content-length': 10_000 },
      chunks: { chunk: Buffer.alloc(10, 'a'), count: 1000, gapMs: 100 },
      timeoutMs: 8_000,
    });
    expectCleanProblem(answer, 408);
    expect(answer.headers['connection']).toBe('close');
  });
});

describe('finding 6: stack traces to anyone', () => {
  it('when nobody sends bodies the parsers choke on, then every answer is problem+json without stack or path', async () => {
    const manyFields = Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&');
    const attempts: { headers: Record<string, string>; body: Buffer | string }[] = [
      { headers: { 'content-type': 'text/plain', 'content-encoding': 'x-bogus' }, body: 'hello' },
      { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: 'this is not gzip' },
      { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-16' }, body: Buffer.from('a=1', 'utf16le') },
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: manyFields },
      { headers: { 'content-type': 'application/json; charset=utf-16' }, body: Buffer.from('{}', 'utf16le') },
    ];
    for (const path of ['/v1/health', '/v1/tickets']) {
      for (const attempt of attempts) {
        const answer = await rawCall(h.api, { method: 'POST', path, ...attempt });
        expect([path, attempt.headers, answer.status >= 400 && answer.status < 500]).toEqual([path, attempt.headers, true]);
        expectCleanProblem(answer, answer.status);
      }
    }
  });
});

describe('finding 7: 500 for odd ids and text', () => {
  it('when a caller asks for Firestore-reserved ids, cursors holding them or ill-formed text, then the answer is 404 or 400, never 500', async () => {
    for (const path of ['/v1/tickets/..', '/v1/tickets/.', '/v1/tickets/__x__', '/v1/tickets/__proto__', '/v1/tickets/%2E%2E']) {
      const answer = await rawCall(h.api, { method: 'GET', path, headers: { authorization: `Bearer ${h.tokens.manager}` } });
      expect([path, answer.status]).toEqual([path, 404]);
      expectCleanProblem(answer, 404);
    }
    const staff = await rawCall(h.api, {
      method: 'PUT',
      path: '/v1/admin/staff/__x__',
      headers: { authorization: `Bearer ${h.tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'manager', active: true }),
    });
    expectCleanProblem(staff, 404);

    const cursor = Buffer.from(JSON.stringify({ createdAt: '2026-01-01T00:00:00.000Z', id: '__x__' })).toString('base64url');
    const listed = await call(h.api, 'GET', `/v1/tickets?cursor=${cursor}`, { token: h.tokens.manager });
    expect(listed.status).toBe(400);

    const loneSurrogate = JSON.stringify(portalTicket()).replace('Invoices are not delivered', 'Invoices \\ud800 lost');
    const created = await rawCall(h.api, {
      method: 'POST',
      path: '/v1/tickets',
      headers: { authorization: `Bearer ${h.tokens.customer}`, 'content-type': 'application/json' },
      body: loneSurrogate,
    });
    expectCleanProblem(created, 400);
    expect(created.json.errors).toEqual([{ path: 'subject', message: expect.stringContaining('UTF-16') }]);
    expect((await call(h.api, 'GET', '/v1/tickets', { token: h.tokens.customer })).body.items).toHaveLength(0);
  });
});

describe('finding 10: headers', () => {
  it('when a page on another origin reads an authenticated answer, then it is not cacheable, not sniffable and not shared cross-origin', async () => {
    const id = await ticketFor(h.tokens.customer);
    const evil = { authorization: `Bearer ${h.tokens.privacy}`, origin: 'https://evil.example' };
    for (const path of [`/v1/tickets/${id}`, `/v1/tickets/${id}/originals?reason=security%20probe`, '/v1/tickets/missing-ticket']) {
      const answer = await rawCall(h.api, { method: 'GET', path, headers: evil });
      expect([path, answer.headers['cache-control']]).toEqual([path, 'no-store']);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
    const preflight = await rawCall(h.api, {
      method: 'OPTIONS',
      path: `/v1/tickets/${id}`,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();

    const fromConsole = await rawCall(h.api, { method: 'GET', path: `/v1/tickets/${id}`, headers: { ...evil, origin: CONSOLE_ORIGIN } });
    expect(fromConsole.headers['access-control-allow-origin']).toBe(CONSOLE_ORIGIN);
    expect(fromConsole.headers['vary']).toMatch(/origin/i);
    const consolePreflight = await rawCall(h.api, {
      method: 'OPTIONS',
      path: '/v1/tickets',
      headers: { origin: CONSOLE_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect([consolePreflight.status, consolePreflight.headers['access-control-allow-origin']]).toEqual([204, CONSOLE_ORIGIN]);

    const catalog = await rawCall(h.api, { method: 'GET', path: '/v1/catalog', headers: { origin: 'https://evil.example' } });
    expect(catalog.headers['access-control-allow-origin']).toBe('*');
    expect(catalog.headers['x-content-type-options']).toBe('nosniff');
  });
});
