/**
 * `GET /v1/catalog`: the support catalog as customers choose from it, with what is available
 * and open now per product, language and channel, and the holidays of each calendar.
 */
import { businessCalendar, channelAvailability, type Catalog, type CatalogLanguage } from '../../domain/catalog';
import type { Clock, SupportConfiguration } from '../ports';

export interface CatalogDeps {
  readonly configuration: Pick<SupportConfiguration, 'catalog' | 'holidays'>;
  readonly clock: Clock;
}

/** One channel of a language as the catalog shows it: its catalog state and whether it is open. */
export interface ChannelView {
  readonly state: CatalogLanguage['channels'][string];
  readonly available: boolean;
  readonly openNow: boolean;
  readonly nextOpenAt: string | null;
}

export type LanguageView = Omit<CatalogLanguage, 'channels'> & {
  readonly channels: Readonly<Record<string, ChannelView>>;
  /** A live channel (chat or phone) is offered and open now. */
  readonly openNow: boolean;
  readonly holidays: readonly string[];
};

export interface CatalogView {
  readonly channels: Catalog['channels'];
  readonly products: readonly (Omit<Catalog['products'][number], 'languages'> & { readonly languages: readonly LanguageView[] })[];
  readonly generatedAt: string;
}

/** The catalog with each language's channels as they are at this moment. */
export async function readCatalog(deps: CatalogDeps): Promise<CatalogView> {
  const catalog = await deps.configuration.catalog();
  const now = deps.clock.now();
  const products = await Promise.all(
    catalog.products.map(async (product) => ({
      ...product,
      languages: await Promise.all(
        product.languages.map(async (entry): Promise<LanguageView> => {
          const calendar = businessCalendar(entry, await deps.configuration.holidays(product.id, entry.language));
          const availability = channelAvailability(catalog, entry, calendar, now);
          return {
            ...entry,
            channels: Object.fromEntries(
              availability.map((a) => [
                a.channel,
                { state: entry.channels[a.channel] ?? 'no', available: a.available, openNow: a.openNow, nextOpenAt: a.nextOpenAt },
              ]),
            ),
            openNow: availability.some((a) => a.available && a.openNow && (a.channel === 'chat' || a.channel === 'phone')),
            holidays: calendar.holidays,
          };
        }),
      ),
    })),
  );
  return { channels: catalog.channels, products, generatedAt: new Date(now).toISOString() };
}
