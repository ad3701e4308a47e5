/** What the admin use cases share: their ports and the catalog check. Admins only. */
import { DomainError, ERROR_CODES } from '../../domain/errors';
import type { AccountAdministration, Clock, IdGenerator, PrincipalDirectory, SupportConfiguration } from '../ports';
import type { AccountAdmin } from '../retention/ports';

/** The ports of the admin use cases. */
export interface AdminDeps {
  readonly principals: PrincipalDirectory;
  /** Deactivating a staff member also revokes their sessions. */
  readonly accounts: Pick<AccountAdmin, 'revokeSessions'>;
  readonly configuration: SupportConfiguration;
  readonly clock: Clock;
}

/** The ports of the use cases that change staff and customer accounts (audited). */
export interface AccountDeps {
  readonly accountChanges: AccountAdministration;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** `404` unless the product (and the language, when given) is in the catalog. */
export async function assertKnownProduct(deps: AdminDeps, product: string, language?: string): Promise<void> {
  const catalog = await deps.configuration.catalog();
  const entry = catalog.products.find((p) => p.id === product);
  if (entry === undefined || (language !== undefined && !entry.languages.some((l) => l.language === language))) {
    throw new DomainError(ERROR_CODES.notFound, `${language === undefined ? product : `${product}/${language}`} is not in the catalog`);
  }
}
