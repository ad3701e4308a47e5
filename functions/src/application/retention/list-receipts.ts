/** `GET /v1/deletion-receipts?from&to`: privacy officers read the receipts of a period, paged. */
import { requireStaffRole, type Principal } from '../../domain/access';
import { NotFoundError } from '../../domain/errors';
import type { DeletionReceipt } from '../../domain/retention';
import type { DeletionReceipts } from './ports';

export async function listDeletionReceipts(
  deps: { readonly receipts: DeletionReceipts },
  principal: Principal,
  query: { from: string; to: string; limit: number; cursor?: string | undefined },
): Promise<{ items: DeletionReceipt[]; nextCursor: string | null }> {
  // Customers are not told that receipts exist; staff without the role are told why.
  if (principal.kind === 'customer') throw new NotFoundError('The resource');
  requireStaffRole(principal, ['privacy_officer']);
  const page = await deps.receipts.list(query.from, query.to, query.limit, query.cursor ?? null);
  return { items: page.receipts, nextCursor: page.nextCursor };
}
