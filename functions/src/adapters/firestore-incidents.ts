/**
 * Incidents in Firestore: `incidents/{id}` (with derived fields the queries use: `open`,
 * `products`, `nextMaintenanceCheckAt`), one lock per product with an open unplanned incident,
 * `openIncidents/{product}` → `{incidentId}`, and the status summary, `statusSummary/current`.
 * Every change is written with its outbox events in one transaction. Stored documents are
 * decoded with zod here, so a malformed document fails loudly instead of reaching the domain.
 */
import { FieldPath, type Firestore, type Transaction } from '@google-cloud/firestore';
import { z } from 'zod';
import type {
  IncidentChange,
  IncidentFilter,
  IncidentOutcome,
  IncidentPage,
  IncidentRepository,
  OrganisationDirectory,
  StatusSummaryStore,
} from '../application/incidents/ports';
import type { Clock } from '../application/ports';
import type { DomainEvent } from '../domain/events';
import { NotFoundError } from '../domain/errors';
import {
  ALL_INCIDENT_STATUSES,
  COMPONENT_STATUSES,
  IMPACTS,
  INCIDENT_KINDS,
  isOpen,
  nextMaintenanceCheck,
  NOTICE_MODES,
  productsOf,
  type Incident,
} from '../domain/incident';
import { emptySummary, type StatusSummary } from '../domain/status-summary';
import { decodeCursor, encodeCursor } from './cursor';
import { expiry } from './expiry';
import { COLLECTIONS } from './firestore-names';
import { writeOutbox } from './outbox-records';

const SUMMARY_DOCUMENT = 'current';

const AffectedSchema = z.array(z.object({ product: z.string(), status: z.enum(COMPONENT_STATUSES) }));
const StatusSchema = z.enum(ALL_INCIDENT_STATUSES as [string, ...string[]]).transform((s) => s as Incident['status']);

const StoredIncidentSchema = z.object({
  id: z.string(),
  kind: z.enum(INCIDENT_KINDS),
  title: z.string(),
  status: StatusSchema,
  affected: AffectedSchema,
  noticeMode: z.enum(NOTICE_MODES),
  noticeModeChosen: z.boolean(),
  notifyAllOrganisations: z.boolean(),
  ownerUid: z.string().nullable(),
  linkedTickets: z.array(z.object({ ticketId: z.string(), orgId: z.string(), customerUid: z.string().nullable(), linkedAt: z.string() })),
  updates: z.array(
    z.object({
      id: z.string(),
      status: StatusSchema,
      message: z.string(),
      publish: z.boolean(),
      at: z.string(),
      byUid: z.string().nullable(),
      affected: AffectedSchema,
    }),
  ),
  window: z.object({ startsAt: z.string(), endsAt: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  resolvedAt: z.string().nullable(),
  revision: z.number().int(),
});

const PublicIncidentSchema = z.object({
  id: z.string(),
  kind: z.enum(INCIDENT_KINDS),
  title: z.string(),
  status: StatusSchema,
  impact: z.enum(IMPACTS),
  affected: AffectedSchema,
  window: z.object({ startsAt: z.string(), endsAt: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  resolvedAt: z.string().nullable(),
  updates: z.array(z.object({ id: z.string(), status: StatusSchema, message: z.string(), at: z.string(), affected: AffectedSchema })),
});

const StoredSummarySchema = z.object({
  revision: z.number().int(),
  updatedAt: z.string(),
  incidents: z.record(z.string(), PublicIncidentSchema),
  seen: z.record(z.string(), z.number().int()),
});

function toStored(incident: Incident): Record<string, unknown> {
  return { ...incident, open: isOpen(incident), products: productsOf(incident), nextMaintenanceCheckAt: nextMaintenanceCheck(incident) };
}

function fromStored(data: FirebaseFirestore.DocumentData | undefined): Incident {
  return StoredIncidentSchema.parse(data);
}

export class FirestoreIncidentRepository implements IncidentRepository {
  constructor(private readonly db: Firestore) {}

  private incidentRef(id: string): FirebaseFirestore.DocumentReference {
    return this.db.collection(COLLECTIONS.incidents).doc(id);
  }

  private lockRef(product: string): FirebaseFirestore.DocumentReference {
    return this.db.collection(COLLECTIONS.openIncidents).doc(product);
  }

  async get(id: string): Promise<Incident | null> {
    const snapshot = await this.incidentRef(id).get();
    return snapshot.exists ? fromStored(snapshot.data()) : null;
  }

  async list(filter: IncidentFilter, limit: number, cursor: string | null): Promise<IncidentPage> {
    const after = decodeCursor(cursor);
    let query: FirebaseFirestore.Query = this.db.collection(COLLECTIONS.incidents);
    if (filter.state !== undefined) query = query.where('open', '==', filter.state === 'open');
    if (filter.product !== undefined) query = query.where('products', 'array-contains', filter.product);
    query = query.orderBy('createdAt', 'desc').orderBy(FieldPath.documentId(), 'desc');
    if (after !== null) query = query.startAfter(after.createdAt, after.id);
    const snapshot = await query.limit(limit + 1).get();
    const found = snapshot.docs.map((doc) => fromStored(doc.data()));
    const incidents = found.slice(0, limit);
    const last = incidents[incidents.length - 1];
    return { incidents, nextCursor: found.length > limit && last !== undefined ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
  }

  async create(incident: Incident, events: readonly DomainEvent[]): Promise<{ created: true } | { created: false; openIncidentId: string }> {
    return this.db.runTransaction(async (tx) => {
      const locks = incident.kind === 'incident' ? productsOf(incident).map((p) => this.lockRef(p)) : [];
      const held = locks.length === 0 ? [] : await tx.getAll(...locks);
      const taken = held.find((snapshot) => snapshot.exists);
      if (taken !== undefined) return { created: false as const, openIncidentId: String(taken.get('incidentId')) };
      for (const lock of locks) tx.create(lock, { incidentId: incident.id, at: incident.createdAt });
      tx.create(this.incidentRef(incident.id), toStored(incident));
      writeOutbox(this.db, tx, events);
      return { created: true as const };
    });
  }

  async openOrLink<R>(eventId: string, product: string, decide: (open: Incident | null) => IncidentChange<R>): Promise<IncidentOutcome<R>> {
    return this.db.runTransaction(async (tx) => {
      const markerRef = this.db.collection(COLLECTIONS.processedEvents).doc(eventId);
      const [marker, lock] = await tx.getAll(markerRef, this.lockRef(product));
      if (marker?.exists === true) return { applied: false as const };
      const openId = lock?.exists === true ? String(lock.get('incidentId')) : null;
      const openSnapshot = openId === null ? null : await tx.get(this.incidentRef(openId));
      const stored = openSnapshot?.exists === true ? fromStored(openSnapshot.data()) : null;
      // A lock left by an incident that is closed (written before locks were released with it) holds nothing.
      const open = stored !== null && isOpen(stored) ? stored : null;
      const change = decide(open);
      if (open === null) {
        for (const p of productsOf(change.incident)) tx.set(this.lockRef(p), { incidentId: change.incident.id, at: change.incident.createdAt });
      }
      this.write(tx, change);
      tx.create(markerRef, { incidentId: change.incident.id, at: change.incident.updatedAt, ...expiry('processedEvents', change.incident.updatedAt) });
      return { applied: true as const, incident: change.incident, events: change.events, result: change.result };
    });
  }

  async mutate<R>(id: string, decide: (incident: Incident) => IncidentChange<R> | null, idempotencyKey?: string): Promise<IncidentOutcome<R>> {
    return this.db.runTransaction(async (tx) => {
      const markerRef = idempotencyKey === undefined ? null : this.db.collection(COLLECTIONS.processedEvents).doc(idempotencyKey);
      const [snapshot, marker] = await tx.getAll(...(markerRef === null ? [this.incidentRef(id)] : [this.incidentRef(id), markerRef]));
      if (marker?.exists === true) return { applied: false as const };
      if (snapshot === undefined || !snapshot.exists) throw new NotFoundError('The incident');
      const before = fromStored(snapshot.data());
      const change = decide(before);
      if (change === null) return { applied: false as const };
      // Reads come before writes in a transaction: the locks to release are read first.
      const releasing = isOpen(before) && !isOpen(change.incident) ? productsOf(before).map((p) => this.lockRef(p)) : [];
      const locks = releasing.length === 0 ? [] : await tx.getAll(...releasing);
      for (const lock of locks) if (lock.exists && lock.get('incidentId') === id) tx.delete(lock.ref);
      this.write(tx, change);
      if (markerRef !== null) tx.create(markerRef, { incidentId: id, at: change.incident.updatedAt, ...expiry('processedEvents', change.incident.updatedAt) });
      return { applied: true as const, incident: change.incident, events: change.events, result: change.result };
    });
  }

  private write(tx: Transaction, change: IncidentChange<unknown>): void {
    tx.set(this.incidentRef(change.incident.id), toStored(change.incident));
    writeOutbox(this.db, tx, change.events);
  }

  async dueMaintenance(nowIso: string, limit: number): Promise<Incident[]> {
    const snapshot = await this.db
      .collection(COLLECTIONS.incidents)
      .where('nextMaintenanceCheckAt', '<=', nowIso)
      .orderBy('nextMaintenanceCheckAt')
      .limit(limit)
      .get();
    return snapshot.docs.map((doc) => fromStored(doc.data()));
  }
}

/** The status summary document. */
export class FirestoreStatusSummaryStore implements StatusSummaryStore {
  constructor(
    private readonly db: Firestore,
    private readonly clock: Clock,
  ) {}

  private ref(): FirebaseFirestore.DocumentReference {
    return this.db.collection(COLLECTIONS.statusSummary).doc(SUMMARY_DOCUMENT);
  }

  private decode(snapshot: FirebaseFirestore.DocumentSnapshot): StatusSummary {
    return snapshot.exists ? StoredSummarySchema.parse(snapshot.data()) : emptySummary(new Date(this.clock.now()).toISOString());
  }

  async read(): Promise<StatusSummary> {
    return this.decode(await this.ref().get());
  }

  /**
   * The document's update time, read with a field mask of one small field: the whole summary
   * (about 350 KB with 90 days of incidents) took some 20 ms of the event loop to decode and
   * parse, its update time about 3 ms. A rewrite after a deletion gets a new time too.
   */
  async version(): Promise<string> {
    const [snapshot] = await this.db.getAll(this.ref(), { fieldMask: ['revision'] });
    const time = snapshot?.updateTime;
    return time === undefined ? 'none' : `${time.seconds}.${String(time.nanoseconds).padStart(9, '0')}`;
  }

  async update(change: (summary: StatusSummary) => StatusSummary | null): Promise<boolean> {
    return this.db.runTransaction(async (tx) => {
      const next = change(this.decode(await tx.get(this.ref())));
      if (next === null) return false;
      tx.set(this.ref(), next);
      return true;
    });
  }
}

/** Organisations by product, from their tickets (read only when staff ask to tell every organisation). */
export class FirestoreOrganisationDirectory implements OrganisationDirectory {
  constructor(private readonly db: Firestore) {}

  async usingProducts(products: readonly string[]): Promise<string[]> {
    if (products.length === 0) return [];
    const snapshot = await this.db.collection(COLLECTIONS.tickets).where('product', 'in', products.slice(0, 30)).select('orgId').get();
    return [...new Set(snapshot.docs.map((doc) => String(doc.get('orgId'))))];
  }
}
