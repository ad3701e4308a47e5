/**
 * Admin-managed configuration in Firestore: `configuration/catalog`, `slaPolicies/{product}`
 * and `calendars/{product}~{language}` (holidays). Read on nearly every request, so each
 * instance caches what it read for a few seconds and drops its cache when it writes; another
 * instance sees an admin's change within `ttlMs`.
 */
import type { Firestore } from '@google-cloud/firestore';
import defaultCatalog from '../../../data/support-catalog.json';
import type { Clock, SupportConfiguration } from '../application/ports';
import { CatalogSchema, type Catalog } from '../domain/catalog';
import type { SlaTarget } from '../domain/sla';
import { COLLECTIONS } from './firestore-names';
import { TtlCache } from './ttl-cache';

/** The catalog shipped with tuki, used until an admin stores another. */
export const DEFAULT_CATALOG: Catalog = CatalogSchema.parse(defaultCatalog);

export class FirestoreSupportConfiguration implements SupportConfiguration {
  private readonly cache: TtlCache;

  constructor(
    private readonly db: Firestore,
    clock: Clock,
    ttlMs = 5_000,
  ) {
    this.cache = new TtlCache(clock, ttlMs);
  }

  async catalog(): Promise<Catalog> {
    return this.cached('catalog', async () => {
      const snapshot = await this.db.collection(COLLECTIONS.configuration).doc('catalog').get();
      const stored: unknown = snapshot.get('catalog');
      return stored === undefined ? DEFAULT_CATALOG : CatalogSchema.parse(stored);
    });
  }

  /** Stores a catalog (validated by the caller) as the current one. */
  async putCatalog(catalog: Catalog): Promise<void> {
    await this.db.collection(COLLECTIONS.configuration).doc('catalog').set({ catalog });
    this.cache.delete('catalog');
  }

  async holidays(product: string, language: string): Promise<readonly string[]> {
    return this.cached(`holidays:${product}~${language}`, async () => {
      const snapshot = await this.db.collection(COLLECTIONS.calendars).doc(`${product}~${language}`).get();
      const stored: unknown = snapshot.get('holidays');
      return Array.isArray(stored) ? stored.filter((d): d is string => typeof d === 'string') : [];
    });
  }

  async putHolidays(product: string, language: string, holidays: readonly string[]): Promise<void> {
    await this.db.collection(COLLECTIONS.calendars).doc(`${product}~${language}`).set({ holidays: [...holidays] });
    this.cache.delete(`holidays:${product}~${language}`);
  }

  async slaTargets(product: string): Promise<readonly SlaTarget[]> {
    return this.cached(`sla:${product}`, async () => {
      const snapshot = await this.db.collection(COLLECTIONS.slaPolicies).doc(product).get();
      const stored: unknown = snapshot.get('targets');
      return Array.isArray(stored) ? (stored as SlaTarget[]) : [];
    });
  }

  async putSlaTargets(product: string, targets: readonly SlaTarget[]): Promise<void> {
    await this.db.collection(COLLECTIONS.slaPolicies).doc(product).set({ targets: [...targets] });
    this.cache.delete(`sla:${product}`);
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.cache.get(key, load);
  }
}
