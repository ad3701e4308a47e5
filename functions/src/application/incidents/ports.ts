/**
 * The ports of the incident capability: incidents with their per-product "open incident"
 * locks, the status summary document the public views read, and who uses a product.
 */
import type { Incident } from '../../domain/incident';
import type { StatusSummary } from '../../domain/status-summary';
import type { DomainEvent } from '../../domain/events';

/** A decision taken inside an incident transaction: the incident as it is to be written, with its events. */
export interface IncidentChange<R> {
  readonly incident: Incident;
  readonly events: readonly DomainEvent[];
  readonly result: R;
}

/** What an incident transaction did. */
export type IncidentOutcome<R> =
  | { readonly applied: true; readonly incident: Incident; readonly events: readonly DomainEvent[]; readonly result: R }
  | { readonly applied: false };

export interface IncidentFilter {
  /** `open`: not resolved or completed; `resolved`: the others. */
  readonly state?: 'open' | 'resolved';
  readonly product?: string;
}

export interface IncidentPage {
  readonly incidents: readonly Incident[];
  readonly nextCursor: string | null;
}

export interface IncidentRepository {
  get(id: string): Promise<Incident | null>;
  /** Newest first, with a cursor. */
  list(filter: IncidentFilter, limit: number, cursor: string | null): Promise<IncidentPage>;
  /**
   * Writes a new incident with its events. An unplanned incident takes the "open incident"
   * lock of each of its products in the same commit; when one is held, nothing is written and
   * the id of the incident holding it is returned instead.
   */
  create(incident: Incident, events: readonly DomainEvent[]): Promise<{ created: true } | { created: false; openIncidentId: string }>;
  /**
   * For a severity-1 ticket: in one transaction, reads the product's lock and the incident
   * holding it, lets `decide` link the ticket to it or open a new one (which then takes the
   * lock), and records `eventId` as processed. Two tickets arriving together serialise on the
   * lock; a redelivered event is not applied again (`applied: false`).
   */
  openOrLink<R>(eventId: string, product: string, decide: (open: Incident | null) => IncidentChange<R>): Promise<IncidentOutcome<R>>;
  /**
   * Reads the incident, lets `decide` change it (null: no change) and writes it with its
   * events in one transaction; an incident that closes releases its products' locks. `404`
   * when it does not exist; `applied: false` when `idempotencyKey` was applied before or
   * `decide` changed nothing.
   */
  mutate<R>(id: string, decide: (incident: Incident) => IncidentChange<R> | null, idempotencyKey?: string): Promise<IncidentOutcome<R>>;
  /** Open maintenance whose window starts or ends at or before `nowIso` (one indexed query). */
  dueMaintenance(nowIso: string, limit: number): Promise<Incident[]>;
}

/** The one status summary document. */
export interface StatusSummaryStore {
  read(): Promise<StatusSummary>;
  /**
   * A token that changes whenever the summary is written (and only then), read without the
   * summary's bytes: the public views ask it every few seconds and read the summary only when
   * it changed.
   */
  version(): Promise<string>;
  /**
   * Reads the summary, lets `change` compute the next one (null: no change) and writes it,
   * in one transaction. True when something was written.
   */
  update(change: (summary: StatusSummary) => StatusSummary | null): Promise<boolean>;
}

/** Organisations by the products they use. */
export interface OrganisationDirectory {
  /** The organisations that have tickets for any of `products`. */
  usingProducts(products: readonly string[]): Promise<string[]>;
}
