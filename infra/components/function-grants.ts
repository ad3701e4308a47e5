import { JOBS, TOPICS, type TopicName } from '../../functions/src/manifest';

/**
 * What one function's service account may do beyond reading and writing Firestore
 * (`roles/datastore.user`, which every function gets).
 */
export interface FunctionGrants {
  /** Topics it publishes to (`roles/pubsub.publisher` on each topic, nothing project-wide). */
  readonly publishes: readonly TopicName[];
  /** Encrypts and decrypts redaction originals (`roles/cloudkms.cryptoKeyEncrypterDecrypter` on that key only). */
  readonly redactionKey?: boolean;
  /** Deletes wrapped data keys in the keys database without using the KMS key (retention: destroying needs no decryption). */
  readonly keysDatabase?: boolean;
  /** Reads (`objectViewer`) or writes (`objectAdmin`) snapshots in the backup bucket. */
  readonly backupBucket?: 'read' | 'write';
  /** Starts Firestore managed exports (`roles/datastore.importExportAdmin`). */
  readonly firestoreExport?: boolean;
}

/** Topics that carry domain events, as opposed to the scheduler ticks that only Cloud Scheduler publishes. */
export const EVENT_TOPICS: readonly TopicName[] = Object.values(TOPICS).filter(
  (topic) => !JOBS.some((job) => job.topic === topic),
);

/**
 * Least privilege per function, by deployed function name. A function that is not listed gets
 * Firestore access only; add a row when a new function needs more.
 */
const FUNCTION_GRANTS: Readonly<Record<string, FunctionGrants>> = {
  api: {
    publishes: [
      TOPICS.ticketRouting,
      TOPICS.ticketSeverityOne,
      TOPICS.notifications,
      TOPICS.ticketLifecycle,
      TOPICS.erasureRequested,
      TOPICS.incidentChanges,
      TOPICS.incidentResolved,
      TOPICS.statusUpdates,
      TOPICS.statusEmails,
      TOPICS.webhookDeliveries,
    ],
    redactionKey: true,
  },
  // One email per email subscriber of an update, to the mail provider's topic.
  'fan-out-status-update': { publishes: [TOPICS.statusEmails] },
  'route-ticket': { publishes: [TOPICS.notifications] },
  // The relay publishes whatever the outbox holds: any domain event, never a scheduler tick.
  'relay-outbox': { publishes: EVENT_TOPICS },
  // An escalation routes the ticket at its new tier, notifies, and reports to the support figures.
  'escalation-sweep': { publishes: [TOPICS.notifications, TOPICS.ticketSeverityOne, TOPICS.ticketRouting, TOPICS.ticketLifecycle] },
  'handle-severity-one': { publishes: [TOPICS.notifications] },
  'deliver-notification': { publishes: [] },
  'record-heartbeat': { publishes: [] },
  'record-support-figures': { publishes: [] },
  // Writes snapshots and starts the managed export into the backup bucket.
  'backup-snapshot': { publishes: [], backupBucket: 'write', firestoreExport: true },
  // Reads snapshots, writes drill reports, and opens restored originals with the live data keys.
  'restore-drill': { publishes: [], backupBucket: 'write', redactionKey: true },
  // Deleting a ticket publishes its unpublished events first (the figures count every fact).
  'run-retention': { publishes: EVENT_TOPICS, keysDatabase: true },
  'process-erasure-request': { publishes: EVENT_TOPICS, keysDatabase: true },
};

/** The grants of a function; Firestore only when it has no row. */
export function grantsFor(functionName: string): FunctionGrants {
  return FUNCTION_GRANTS[functionName] ?? { publishes: [] };
}
