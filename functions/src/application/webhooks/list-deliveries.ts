/** `GET /v1/status/deliveries?state=`: staff look at webhook deliveries (dead-lettered ones, say), newest first. */
import { requireStaffRole, type Principal, type StaffRole } from '../../domain/access';
import type { DeliveryPage, WebhookDeps } from './ports';

/** Staff who may see deliveries: they name subscribers' URLs, not message text. */
export const DELIVERY_READERS: readonly StaffRole[] = ['agent', 'manager', 'admin'];

export async function listDeliveries(
  deps: Pick<WebhookDeps, 'deliveries'>,
  principal: Principal,
  query: { readonly state?: DeliveryPage['deliveries'][number]['state']; readonly limit: number; readonly cursor?: string | undefined },
): Promise<DeliveryPage> {
  requireStaffRole(principal, DELIVERY_READERS);
  return deps.deliveries.list(query.state === undefined ? {} : { state: query.state }, query.limit, query.cursor ?? null);
}
