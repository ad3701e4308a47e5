/**
 * The support catalog: products × languages × channels × opening hours, and what is available
 * and open at a given instant. Chat and phone follow the language's opening hours; the portal
 * and email always take tickets; guides are articles, not a ticket channel.
 */
import { z } from 'zod';
import { calendarFromCatalogEntry, isOpenAt, nextOpeningAt, type BusinessCalendar } from './calendar';
import { TICKET_CHANNELS, type TicketChannel } from './ticket';

const HoursSchema = z.union([
  z.literal('24/7'),
  z.object({
    days: z.array(z.enum(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'])).min(1),
    open: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    close: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/),
  }).refine((hours) => hours.close > hours.open, { message: 'must close after it opens', path: ['close'] }),
]);

const ChannelStateSchema = z.enum(['yes', 'soon', 'no']);

const CatalogLanguageSchema = z.object({
  language: z.string().min(2).max(8),
  timeZone: z.string().refine(isKnownTimeZone, 'must be an IANA time zone'),
  hours: HoursSchema,
  channels: z.record(z.string(), ChannelStateSchema),
});

export const CatalogSchema = z.object({
  comment: z.string().optional(),
  channels: z.array(z.string()),
  products: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9-]+$/),
        name: z.string(),
        languages: z.array(CatalogLanguageSchema).min(1),
      }),
    )
    .min(1),
});

export type Catalog = z.infer<typeof CatalogSchema>;
export type CatalogLanguage = z.infer<typeof CatalogLanguageSchema>;

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Channels that follow the opening hours; the others take tickets at any time. */
const HOURS_BOUND_CHANNELS: readonly string[] = ['chat', 'phone'];

export interface ChannelAvailability {
  readonly channel: string;
  /** Offered for this product and language (`yes` in the catalog). */
  readonly available: boolean;
  readonly openNow: boolean;
  /** ISO instant of the next opening; equals now when open, null when never. */
  readonly nextOpenAt: string | null;
}

export function findLanguage(catalog: Catalog, product: string, language: string): CatalogLanguage | undefined {
  return catalog.products.find((p) => p.id === product)?.languages.find((l) => l.language === language);
}

/** The business calendar of a product and language (its hours, zone and holidays). */
export function businessCalendar(entry: CatalogLanguage, holidays: readonly string[]): BusinessCalendar {
  return calendarFromCatalogEntry(entry, holidays);
}

/** Availability of every catalog channel of one language at `nowMs`. */
export function channelAvailability(
  catalog: Catalog,
  entry: CatalogLanguage,
  calendar: BusinessCalendar,
  nowMs: number,
): ChannelAvailability[] {
  const channels = [...new Set([...catalog.channels, ...Object.keys(entry.channels)])];
  return channels.map((channel) => {
    const available = entry.channels[channel] === 'yes';
    if (!available) return { channel, available, openNow: false, nextOpenAt: null };
    if (!HOURS_BOUND_CHANNELS.includes(channel)) {
      return { channel, available, openNow: true, nextOpenAt: new Date(nowMs).toISOString() };
    }
    const next = nextOpeningAt(calendar, nowMs);
    return {
      channel,
      available,
      openNow: isOpenAt(calendar, nowMs),
      nextOpenAt: next === null ? null : new Date(next).toISOString(),
    };
  });
}

/** Why a ticket cannot be taken over a channel now, or null when it can. */
export type ChannelRefusal =
  | { readonly reason: 'unavailable'; readonly availableChannels: readonly string[] }
  | { readonly reason: 'closed'; readonly nextOpenAt: string | null; readonly openChannels: readonly string[] };

/** Checks a ticket channel against the catalog at `nowMs`. */
export function checkTicketChannel(
  availability: readonly ChannelAvailability[],
  channel: TicketChannel,
): ChannelRefusal | null {
  const ticketChannels = availability.filter((a) => (TICKET_CHANNELS as readonly string[]).includes(a.channel));
  const wanted = ticketChannels.find((a) => a.channel === channel);
  if (!wanted?.available) {
    return { reason: 'unavailable', availableChannels: ticketChannels.filter((a) => a.available).map((a) => a.channel) };
  }
  if (!wanted.openNow) {
    return {
      reason: 'closed',
      nextOpenAt: wanted.nextOpenAt,
      openChannels: ticketChannels.filter((a) => a.available && a.openNow).map((a) => a.channel),
    };
  }
  return null;
}
