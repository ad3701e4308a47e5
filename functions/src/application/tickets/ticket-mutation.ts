/**
 * What the ticket use cases share: their dependencies, reading a ticket the caller may see,
 * its support calendar, and running a decision on a ticket in one transaction and then
 * dispatching the events it committed (the relay job is the safety net).
 */
import { canSeeTicket, type Principal } from '../../domain/access';
import { businessCalendar, findLanguage, type CatalogLanguage } from '../../domain/catalog';
import type { BusinessCalendar } from '../../domain/calendar';
import { DomainError, ERROR_CODES, NotFoundError } from '../../domain/errors';
import type { Ticket } from '../../domain/ticket';
import type { OriginalsDeps } from '../originals/seal-originals';
import type { FreeTextRedactor } from '../redaction/free-text-redactor';
import type {
  Clock,
  IdGenerator,
  Logger,
  MutationOutcome,
  OutboxDispatcher,
  SupportConfiguration,
  TicketChange,
  TicketRepository,
} from '../ports';
import type { DomainEvent } from '../../domain/events';

/** The ports of the ticket use cases. */
export interface TicketDeps extends OriginalsDeps {
  readonly tickets: TicketRepository;
  readonly configuration: SupportConfiguration;
  readonly outbox: OutboxDispatcher;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** Every free text passes through it before it is stored, published or logged. */
  readonly redactor: FreeTextRedactor;
}

/** The catalog entry and business calendar for a product and language; `422` if not offered. */
export async function supportCalendar(
  deps: Pick<TicketDeps, 'configuration'>,
  product: string,
  language: string,
): Promise<{ entry: CatalogLanguage; calendar: BusinessCalendar }> {
  const catalog = await deps.configuration.catalog();
  const entry = findLanguage(catalog, product, language);
  if (entry === undefined) {
    const offered = catalog.products.find((p) => p.id === product);
    throw new DomainError(ERROR_CODES.channelUnavailable, `Support for ${product} in ${language} is not offered`, {
      availableLanguages: offered?.languages.map((l) => l.language) ?? [],
      availableProducts: catalog.products.map((p) => p.id),
    });
  }
  return { entry, calendar: businessCalendar(entry, await deps.configuration.holidays(product, language)) };
}

/** The SLA calendar of a ticket (its product and language, with holidays). */
export async function ticketCalendar(deps: Pick<TicketDeps, 'configuration'>, ticket: Ticket): Promise<BusinessCalendar> {
  return (await supportCalendar(deps, ticket.product, ticket.language)).calendar;
}

/** The ticket if the principal may see it; `404` otherwise, as if it did not exist. */
export async function visibleTicket(deps: Pick<TicketDeps, 'tickets'>, principal: Principal, id: string): Promise<Ticket> {
  const ticket = await deps.tickets.get(id);
  if (ticket === null || !canSeeTicket(principal, ticket)) throw new NotFoundError('The ticket');
  return ticket;
}

/**
 * Publishes committed events now. A failure is logged, not raised: the events are safe in the
 * outbox and the relay job publishes them.
 */
export async function dispatchQuietly(deps: Pick<TicketDeps, 'outbox' | 'logger'>, events: readonly DomainEvent[]): Promise<void> {
  try {
    await deps.outbox.dispatch(events);
  } catch (error) {
    deps.logger.warn('outbox dispatch deferred to the relay', {
      eventIds: events.map((e) => e.id),
      reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown',
    });
  }
}

/**
 * Runs a ticket decision in one transaction (see `TicketRepository.mutate`) and dispatches the
 * events it committed. `404` when the ticket is gone.
 */
export async function mutateTicket<R>(
  deps: Pick<TicketDeps, 'tickets' | 'outbox' | 'logger'>,
  id: string,
  decide: (ticket: Ticket) => TicketChange<R>,
  idempotencyKey?: string,
): Promise<MutationOutcome<R>> {
  const outcome = await deps.tickets.mutate(id, decide, idempotencyKey);
  if (outcome.applied) await dispatchQuietly(deps, outcome.events);
  return outcome;
}

/**
 * `mutateTicket` on behalf of a caller: the caller's right to see the ticket is checked on the
 * ticket as the transaction reads it, not only on a copy read before it. Between the two reads
 * a concurrent request may have moved the ticket out of the caller's scope (an L1 agent's
 * first escalation moves it to L2); a decision taken on the old copy would act on a ticket the
 * caller may no longer see. `404` then, as for a ticket that does not exist; nothing is written.
 */
export async function mutateVisibleTicket<R>(
  deps: Pick<TicketDeps, 'tickets' | 'outbox' | 'logger'>,
  principal: Principal,
  id: string,
  decide: (ticket: Ticket) => TicketChange<R>,
): Promise<Extract<MutationOutcome<R>, { applied: true }>> {
  const outcome = await mutateTicket(deps, id, (ticket) => {
    if (!canSeeTicket(principal, ticket)) throw new NotFoundError('The ticket');
    return decide(ticket);
  });
  if (!outcome.applied) throw new NotFoundError('The ticket');
  return outcome;
}
