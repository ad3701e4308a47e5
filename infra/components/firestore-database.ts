import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { DEFAULT_BACKUP_RETENTION_DAYS } from '../../functions/src/domain/backups';

/** One composite index: a collection group and its ordered fields. */
export interface CompositeIndexDefinition {
  readonly collection: string;
  readonly fields: readonly (
    | { readonly fieldPath: string; readonly order: 'ASCENDING' | 'DESCENDING' }
    | { readonly fieldPath: string; readonly arrayConfig: 'CONTAINS' }
  )[];
  readonly queryScope?: 'COLLECTION' | 'COLLECTION_GROUP';
}

/**
 * The composite indexes that the Firestore adapters' queries need. Single-field indexes (such as
 * `tickets` by `sla.nextCheckAt`, which the escalation sweep reads) are automatic and are not listed.
 * Add a row here in the same change as a query that filters or orders on more than one field;
 * the emulator does not enforce indexes, production does.
 */
const asc = (fieldPath: string) => ({ fieldPath, order: 'ASCENDING' as const });
const desc = (fieldPath: string) => ({ fieldPath, order: 'DESCENDING' as const });

/**
 * `GET /v1/tickets`: a scope (none for managers, `orgId` for customers, `scopeKey` for agents)
 * with any subset of the `tier`, `status` and `severity` filters, newest first.
 */
function ticketListIndexes(): CompositeIndexDefinition[] {
  const filters = ['tier', 'status', 'severity'];
  const subsets = filters.reduce<string[][]>((all, f) => [...all, ...all.map((s) => [...s, f])], [[]]);
  return [null, 'orgId', 'scopeKey'].flatMap((scope) =>
    subsets
      .map((subset) => [...(scope === null ? [] : [scope]), ...subset])
      .filter((equalities) => equalities.length > 0)
      .map((equalities) => ({
        collection: 'tickets',
        fields: [...equalities.map(asc), desc('createdAt'), desc('__name__')],
      })),
  );
}

/** The retention job and erasure requests (`adapters/firestore-retention.ts`, `firestore-people.ts`): each due selection, in its order. */
function retentionIndexes(): CompositeIndexDefinition[] {
  return [
    // Closed tickets of a product past its retention; resolved ones past auto-close.
    { collection: 'tickets', fields: [asc('product'), asc('status'), asc('closedAt'), asc('__name__')] },
    { collection: 'tickets', fields: [asc('product'), asc('status'), asc('resolvedAt'), asc('__name__')] },
    // Tickets of a product resolved in a window (sealed originals past their time).
    { collection: 'tickets', fields: [asc('product'), asc('resolvedAt'), asc('__name__')] },
    // A customer's tickets (erasure).
    { collection: 'tickets', fields: [asc('customerUid'), asc('createdAt'), asc('__name__')] },
    // Inactive customers; staff deactivated long enough.
    { collection: 'principals', fields: [asc('kind'), asc('lastActiveOn')] },
    { collection: 'principals', fields: [asc('kind'), asc('active'), asc('deactivatedAt')] },
    // A deleted staff member's messages on every ticket.
    { collection: 'messages', queryScope: 'COLLECTION_GROUP', fields: [asc('authorUid'), asc('createdAt')] },
    // Receipts of a period, and of one erasure request.
    { collection: 'deletionReceipts', fields: [asc('requestId'), asc('at')] },
  ];
}

export const COMPOSITE_INDEXES: readonly CompositeIndexDefinition[] = [
  ...ticketListIndexes(),
  // Routing: open tickets per agent (least-loaded first).
  { collection: 'tickets', fields: [asc('assigneeUid'), asc('status')] },
  // Routing: active agents of a tier who speak a language.
  { collection: 'principals', fields: [asc('kind'), asc('role'), asc('tier'), asc('active'), { fieldPath: 'languages', arrayConfig: 'CONTAINS' }] },
  // The outbox relay: unpublished records, oldest first.
  { collection: 'outbox', fields: [asc('publishedAt'), asc('occurredAt')] },
  ...retentionIndexes(),
  // `GET /v1/incidents`: by state, by product, or both, newest first.
  { collection: 'incidents', fields: [asc('open'), desc('createdAt'), desc('__name__')] },
  { collection: 'incidents', fields: [{ fieldPath: 'products', arrayConfig: 'CONTAINS' }, desc('createdAt'), desc('__name__')] },
  { collection: 'incidents', fields: [asc('open'), { fieldPath: 'products', arrayConfig: 'CONTAINS' }, desc('createdAt'), desc('__name__')] },
  // Status subscriptions: the active subscribers of an update's products, in pages by id.
  { collection: 'statusSubscriptions', fields: [asc('state'), { fieldPath: 'products', arrayConfig: 'CONTAINS' }, asc('__name__')] },
  // Webhook deliveries: the retry job's due ones; `GET /v1/status/deliveries?state=`, newest first.
  { collection: 'webhookDeliveries', fields: [asc('state'), asc('nextAttemptAt')] },
  { collection: 'webhookDeliveries', fields: [asc('state'), desc('createdAt'), desc('__name__')] },
];

/** Seven days, the longest that Firestore keeps a daily backup. */
const DAILY_BACKUP_RETENTION = '604800s';
/**
 * Five weeks: the backup retention of tuki (`DEFAULT_BACKUP_RETENTION_DAYS`, 35 days), so that
 * erased data leaves Firestore's own backups within the same time as the snapshots.
 */
const WEEKLY_BACKUP_RETENTION = `${DEFAULT_BACKUP_RETENTION_DAYS * 24 * 3600}s`;

export interface FirestoreDatabaseArgs {
  project: pulumi.Input<string>;
  /** A multi-region such as `eur3`, so that the database outlives any one region. */
  locationId: string;
  indexes: readonly CompositeIndexDefinition[];
  /** Collections whose documents Firestore deletes by a TTL policy on `ttlField`. */
  expiring: readonly { readonly collection: string }[];
  ttlField: string;
}

/**
 * The `(default)` Firestore database, with point-in-time recovery, delete protection, daily and
 * weekly backup schedules, the composite indexes and the TTL policies of bookkeeping records
 * (their TTL field is not indexed: no query reads it, and an index on a timestamp that grows
 * with every write would be a hotspot).
 */
export class FirestoreDatabase extends pulumi.ComponentResource {
  readonly database: gcp.firestore.Database;

  constructor(name: string, args: FirestoreDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tuki:gcp:FirestoreDatabase', name, {}, opts);
    const child = { parent: this };

    this.database = new gcp.firestore.Database(
      `${name}-database`,
      {
        project: args.project,
        name: '(default)',
        locationId: args.locationId,
        type: 'FIRESTORE_NATIVE',
        appEngineIntegrationMode: 'DISABLED',
        pointInTimeRecoveryEnablement: 'POINT_IN_TIME_RECOVERY_ENABLED',
        deleteProtectionState: 'DELETE_PROTECTION_ENABLED',
        // `pulumi destroy` forgets the database and never deletes the data.
        deletionPolicy: 'ABANDON',
      },
      child,
    );
    const database = this.database.name;

    new gcp.firestore.BackupSchedule(
      `${name}-daily-backup`,
      { project: args.project, database, retention: DAILY_BACKUP_RETENTION, dailyRecurrence: {} },
      child,
    );
    new gcp.firestore.BackupSchedule(
      `${name}-weekly-backup`,
      {
        project: args.project,
        database,
        retention: WEEKLY_BACKUP_RETENTION,
        weeklyRecurrence: { day: 'SUNDAY' },
      },
      child,
    );

    args.indexes.forEach((index, position) => {
      new gcp.firestore.Index(
        `${name}-index-${index.collection}-${position}`,
        {
          project: args.project,
          database,
          collection: index.collection,
          queryScope: index.queryScope ?? 'COLLECTION',
          fields: index.fields.map((field) => ({ ...field })),
        },
        child,
      );
    });

    for (const { collection } of args.expiring) {
      new gcp.firestore.Field(
        `${name}-ttl-${collection}`,
        { project: args.project, database, collection, field: args.ttlField, ttlConfig: {}, indexConfig: {} },
        child,
      );
    }

    this.registerOutputs({ database, locationId: args.locationId });
  }
}

/** The id of the database that holds the wrapped data keys of redaction originals. */
export const KEYS_DATABASE_ID = 'tuki-keys';

export interface KeysDatabaseArgs {
  project: pulumi.Input<string>;
  locationId: string;
}

/**
 * The database of wrapped data keys (`dataKeys/{ticketId}`), kept apart from everything else
 * on purpose: no point-in-time recovery and no backup schedule, so that a destroyed key exists
 * in no backup, and the sealed originals that the main database's backups hold stay unreadable
 * for good ("crypto-shredding"). Losing this database loses only the ability to read originals.
 */
export class KeysDatabase extends pulumi.ComponentResource {
  readonly database: gcp.firestore.Database;

  constructor(name: string, args: KeysDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tuki:gcp:KeysDatabase', name, {}, opts);
    this.database = new gcp.firestore.Database(
      `${name}-database`,
      {
        project: args.project,
        name: KEYS_DATABASE_ID,
        locationId: args.locationId,
        type: 'FIRESTORE_NATIVE',
        pointInTimeRecoveryEnablement: 'POINT_IN_TIME_RECOVERY_DISABLED',
        deleteProtectionState: 'DELETE_PROTECTION_ENABLED',
        deletionPolicy: 'ABANDON',
      },
      { parent: this },
    );
    this.registerOutputs({ database: this.database.name });
  }
}
