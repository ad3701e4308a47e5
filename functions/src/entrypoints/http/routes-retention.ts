/**
 * Retention over HTTP: retention policies (admins), legal hold (privacy officers), erasure
 * requests (a customer for themselves, privacy officers for anyone) and deletion receipts
 * (privacy officers). Rules in `domain/retention.ts` and `application/retention/`.
 */
import type { ErasureDeps } from '../../application/retention/erasure-requests';
import type { LegalHoldDeps } from '../../application/retention/legal-hold';
import type { RetentionPolicyDeps } from '../../application/retention/put-retention-policy';
import {
  DeletionReceiptsQuerySchema,
  ErasureRequestCreateSchema,
  LegalHoldSchema,
  RetentionPolicyPutSchema,
} from '../../application/retention/contracts';
import { getErasureRequest, requestErasure } from '../../application/retention/erasure-requests';
import { setLegalHold } from '../../application/retention/legal-hold';
import { listDeletionReceipts } from '../../application/retention/list-receipts';
import { putRetentionPolicy } from '../../application/retention/put-retention-policy';
import { parseInput } from './problem';
import { param, principalOf, type DepsProvider, type Route } from './router';
import { ticketJson } from './routes';

function legalHoldRoute(deps: DepsProvider<LegalHoldDeps>, method: 'PUT' | 'DELETE', action: 'place' | 'lift', summary: string): Route {
  return {
    method,
    pattern: '/v1/tickets/:id/legal-hold',
    summary,
    auth: true,
    who: 'privacy officer',
    callers: { customers: { notFound: 'The ticket' }, staff: ['privacy_officer'] },
    body: LegalHoldSchema,
    successStatus: 200,
    handle: async (request) => {
      const { reason } = parseInput(LegalHoldSchema, request.body, 'legal hold');
      const principal = principalOf(request);
      return { status: 200, body: ticketJson(await setLegalHold(await deps(), principal, param(request, 'id'), action, reason), principal) };
    },
  };
}

/** The ports of the retention routes' use cases. */
export type RetentionRouteDeps = LegalHoldDeps & RetentionPolicyDeps & ErasureDeps;

export const retentionRoutes = (deps: DepsProvider<RetentionRouteDeps>): readonly Route[] => [
  {
    method: 'PUT',
    pattern: '/v1/admin/retention-policies/:product',
    summary: 'How long a product keeps tickets: days after close, auto-close days, days the sealed originals are kept after resolution',
    auth: true,
    who: 'admin',
    callers: { customers: 'forbidden', staff: ['admin'] },
    body: RetentionPolicyPutSchema,
    successStatus: 200,
    handle: async (request) => {
      const policy = parseInput(RetentionPolicyPutSchema, request.body, 'retention policy');
      return { status: 200, body: await putRetentionPolicy(await deps(), principalOf(request), param(request, 'product'), policy) };
    },
  },
  legalHoldRoute(deps, 'PUT', 'place', 'Place a legal hold (audited): no rule or request deletes the ticket until it is lifted (409 if already held)'),
  legalHoldRoute(deps, 'DELETE', 'lift', 'Lift a legal hold (audited; 409 if not held)'),
  {
    method: 'POST',
    pattern: '/v1/erasure-requests',
    summary: 'Ask for a person to be erased: their tickets (held ones anonymised), account and profile; 202 with the request id',
    auth: true,
    who: 'customer (self), privacy officer',
    callers: { customers: 'allowed', staff: ['privacy_officer'] },
    body: ErasureRequestCreateSchema,
    successStatus: 202,
    handle: async (request) => {
      const { subject } = parseInput(ErasureRequestCreateSchema, request.body, 'erasure request');
      const created = await requestErasure(await deps(), principalOf(request), subject);
      return {
        status: 202,
        body: { id: created.id, status: created.status, createdAt: created.createdAt },
        headers: { Location: `/v1/erasure-requests/${created.id}` },
      };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/erasure-requests/:id',
    summary: 'An erasure request: status (received, in_progress, completed) and, once completed, its receipts',
    auth: true,
    who: 'the requester, privacy officer',
    callers: { customers: 'allowed', staff: ['privacy_officer'] },
    successStatus: 200,
    handle: async (request) => ({ status: 200, body: await getErasureRequest(await deps(), principalOf(request), param(request, 'id')) }),
  },
  {
    method: 'GET',
    pattern: '/v1/deletion-receipts',
    summary: 'Deletion receipts of a period, oldest first, paged: what, when, why, counts and a SHA-256 of what was deleted; no personal data',
    auth: true,
    who: 'privacy officer',
    callers: { customers: 'forbidden', staff: ['privacy_officer'] },
    query: DeletionReceiptsQuerySchema,
    successStatus: 200,
    handle: async (request) => {
      const query = parseInput(DeletionReceiptsQuerySchema, request.query, 'query', ['query']);
      return { status: 200, body: await listDeletionReceipts(await deps(), principalOf(request), query) };
    },
  },
];
