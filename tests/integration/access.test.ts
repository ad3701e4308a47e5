/**
 * From the attacker's side: a caller who may not call an endpoint is refused before anything
 * they sent is validated, so a malformed request earns a `403` (or the `404` that hides a ticket
 * from a customer), never a `400` that tells them how to shape the next attempt.
 */
import { API_ROUTES } from '../../functions/src/entrypoints/http/all-routes';
import { call, useHarness, type DemoName } from './harness';

const h = useHarness('access');

/** Nothing any schema accepts: an unknown field in the body, malformed values in the query. */
const JUNK_BODY = { unexpected: true };
const JUNK_QUERY = '?reason=x&from=not-a-day&to=&limit=-1';

/** Who is refused where, and with what. The ticket need not exist: the refusal comes first. */
const REFUSALS: readonly (readonly [method: string, pattern: string, caller: DemoName, status: number])[] = [
  ['POST', '/v1/tickets', 'manager', 403],
  ['POST', '/v1/tickets', 'admin', 403],
  ['POST', '/v1/tickets', 'privacy', 403],
  ['POST', '/v1/tickets/:id/messages', 'admin', 403],
  ['POST', '/v1/tickets/:id/messages', 'privacy', 403],
  ['POST', '/v1/tickets/:id/status', 'admin', 403],
  ['POST', '/v1/tickets/:id/status', 'privacy', 403],
  ['POST', '/v1/tickets/:id/escalate', 'customer', 403],
  ['POST', '/v1/tickets/:id/escalate', 'admin', 403],
  ['POST', '/v1/tickets/:id/escalate', 'privacy', 403],
  ['POST', '/v1/tickets/:id/severity', 'customer', 403],
  ['POST', '/v1/tickets/:id/severity', 'admin', 403],
  ['POST', '/v1/tickets/:id/severity', 'privacy', 403],
  ['POST', '/v1/tickets/:id/csat', 'l1', 403],
  ['POST', '/v1/tickets/:id/csat', 'manager', 403],
  ['POST', '/v1/tickets/:id/csat', 'privacy', 403],
  ['GET', '/v1/metrics/support', 'customer', 403],
  ['GET', '/v1/metrics/support', 'l2', 403],
  ['GET', '/v1/metrics/support', 'admin', 403],
  ['GET', '/v1/metrics/support', 'privacy', 403],
  ['GET', '/v1/tickets/:id/originals', 'l1', 403],
  ['GET', '/v1/tickets/:id/originals', 'manager', 403],
  ['GET', '/v1/tickets/:id/originals', 'customer', 404],
  ['DELETE', '/v1/tickets/:id/originals', 'l3', 403],
  ['DELETE', '/v1/tickets/:id/originals', 'admin', 403],
  ['DELETE', '/v1/tickets/:id/originals', 'customer', 404],
  ['POST', '/v1/tickets/:id/redactions', 'manager', 403],
  ['POST', '/v1/tickets/:id/redactions', 'admin', 403],
  ['POST', '/v1/tickets/:id/redactions', 'customer', 404],
  ['PUT', '/v1/admin/staff/:uid', 'manager', 403],
  ['PUT', '/v1/admin/staff/:uid', 'customer', 403],
  ['PUT', '/v1/admin/customers/:uid', 'privacy', 403],
  ['PUT', '/v1/admin/customers/:uid', 'l1', 403],
  ['PUT', '/v1/admin/sla-policies/:product', 'manager', 403],
  ['PUT', '/v1/admin/sla-policies/:product', 'customer', 403],
  ['PUT', '/v1/admin/calendars/:product/:language/holidays', 'l2', 403],
  ['PUT', '/v1/admin/calendars/:product/:language/holidays', 'otherCustomer', 403],
  ['PUT', '/v1/admin/redaction-policy/:orgId', 'privacy', 403],
  ['GET', '/v1/admin/staff-grants', 'manager', 403],
  ['POST', '/v1/admin/staff-grants/:grantId/approve', 'privacy', 403],
  ['PUT', '/v1/admin/redaction-policy/:orgId', 'customer', 403],
  ['POST', '/v1/incidents', 'customer', 403],
  ['POST', '/v1/incidents', 'admin', 403],
  ['POST', '/v1/incidents', 'privacy', 403],
  ['GET', '/v1/status/deliveries', 'customer', 403],
  ['GET', '/v1/status/deliveries', 'privacy', 403],
  ['GET', '/v1/incidents', 'customer', 403],
  ['GET', '/v1/incidents/:id', 'otherCustomer', 403],
  ['POST', '/v1/incidents/:id/updates', 'customer', 403],
  ['POST', '/v1/incidents/:id/updates', 'privacy', 403],
  ['PUT', '/v1/admin/retention-policies/:product', 'manager', 403],
  ['PUT', '/v1/admin/retention-policies/:product', 'customer', 403],
  ['PUT', '/v1/tickets/:id/legal-hold', 'l1', 403],
  ['PUT', '/v1/tickets/:id/legal-hold', 'customer', 404],
  ['DELETE', '/v1/tickets/:id/legal-hold', 'manager', 403],
  ['DELETE', '/v1/tickets/:id/legal-hold', 'customer', 404],
  ['GET', '/v1/deletion-receipts', 'manager', 403],
  ['GET', '/v1/deletion-receipts', 'customer', 403],
  ['POST', '/v1/erasure-requests', 'l1', 403],
  ['GET', '/v1/erasure-requests/:id', 'manager', 403],
];

/** Authenticated routes every signed-in caller may call; their scope decides what they see. */
const OPEN_TO_EVERY_CALLER = ['GET /v1/tickets', 'GET /v1/tickets/:id'];

const concrete = (pattern: string): string => pattern.replace(/:[a-z]+/gi, (name) => (name === ':language' ? 'en' : name === ':product' ? 'online' : 'probe-id'));

describe('a caller who may not call an endpoint', () => {
  it.each(REFUSALS)('%s %s by %s with a malformed request is refused with %i, not validated', async (method, pattern, caller, status) => {
    const answer = await call(h.api, method, `${concrete(pattern)}${JUNK_QUERY}`, {
      token: h.tokens[caller],
      ...(method === 'GET' || method === 'DELETE' ? {} : { body: JUNK_BODY }),
    });
    expect({ status: answer.status, errors: answer.body?.errors }).toEqual({ status, errors: undefined });
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });

  it('an agent asking for the originals with a reason too short is told 403, not 400', async () => {
    const answer = await call(h.api, 'GET', '/v1/tickets/probe-id/originals?reason=x', { token: h.tokens.l1 });
    expect(answer.status).toBe(403);
  });

  it('the same malformed request from a caller who may call it is a 400 with the invalid fields', async () => {
    const answer = await call(h.api, 'GET', '/v1/tickets/probe-id/originals?reason=x', { token: h.tokens.privacy });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ path: 'query.reason' })]);
  });

  it('every authenticated route has its refusals listed here, or is open to every signed-in caller', () => {
    const listed = new Set([...REFUSALS.map(([method, pattern]) => `${method} ${pattern}`), ...OPEN_TO_EVERY_CALLER]);
    const authenticated = API_ROUTES.filter((route) => route.auth).map((route) => `${route.method} ${route.pattern}`);
    expect(authenticated.filter((route) => !listed.has(route))).toEqual([]);
  });
});
