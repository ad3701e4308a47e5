import { requireStaffRole, type Principal } from '../../domain/access';
import { assertKnownProduct, type AdminDeps } from './admin-deps';

/** `PUT /v1/admin/calendars/{product}/{language}/holidays`. */
export async function putHolidays(
  deps: AdminDeps,
  principal: Principal,
  product: string,
  language: string,
  holidays: readonly string[],
): Promise<{ product: string; language: string; holidays: readonly string[] }> {
  requireStaffRole(principal, ['admin']);
  await assertKnownProduct(deps, product, language);
  const sorted = [...new Set(holidays)].sort();
  await deps.configuration.putHolidays(product, language, sorted);
  return { product, language, holidays: sorted };
}

