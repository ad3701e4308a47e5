/**
 * The deployment manifest: every topic, function and scheduled job of tuki, as plain data.
 *
 * One source of truth read by three consumers: the Pulumi program in `infra/` (what is
 * deployed), the local host and scheduler in `scripts/` (what runs on the emulators) and
 * `npm run tuki -- run-job` (what "run now" publishes). Adding a function or a job here is
 * the whole registration; nothing else lists them.
 */
import type { EventKind } from './domain/events';

/** Pub/Sub topics. Every topic gets a dead-letter topic named `${name}-dead-letter` in infra. */
export const TOPICS = {
  /** A ticket needs an agent at its tier: created, or escalated (routing consumes it). */
  ticketRouting: 'ticket-routing',
  /** A ticket reached severity 1 (the incident process consumes it). */
  ticketSeverityOne: 'ticket-severity-one',
  /** Messages for people: agents, managers, customers (a mail/push provider consumes it). */
  notifications: 'notifications',
  /** Facts about a ticket's life (created, answered, escalated, breached, resolved, rated) that the support figures count. */
  ticketLifecycle: 'ticket-lifecycle',
  /** Scheduler tick: run the escalation sweep. */
  escalationSweep: 'escalation-sweep',
  /** Scheduler tick: publish outbox records that the request path did not publish. */
  outboxRelay: 'outbox-relay',
  /** Scheduler tick: write a heartbeat that records the region that ran it (failover drills). */
  heartbeat: 'heartbeat',
  /** Scheduler tick: take today's backup snapshot and prune the expired ones. */
  backupSnapshot: 'backup-snapshot',
  /** Scheduler tick: restore the latest snapshot into the scratch database and verify it. */
  restoreDrill: 'restore-drill',
  /** Scheduler tick: run the retention rules (delete, auto-close, destroy originals, people). */
  retention: 'retention',
  /** An erasure request was received (its processing consumes it). */
  erasureRequested: 'erasure-requested',
  /** An incident changed (the status summary projects it). */
  incidentChanges: 'incident-changes',
  /** An incident was resolved (its linked tickets are resolved with it). */
  incidentResolved: 'incident-resolved',
  /** An update appeared on the public status page (status-page subscriptions consume it; payload: `application/incidents/status-update-event.ts`). */
  statusUpdates: 'status-updates',
  /** Scheduler tick: start and complete planned maintenance whose window has come. */
  maintenanceWindows: 'maintenance-windows',
  /** Emails of status subscriptions for a mail provider (payload: `application/status-subscriptions/status-email-event.ts`). */
  statusEmails: 'status-emails',
  /** A webhook delivery to attempt now (a subscription's challenge). */
  webhookDeliveries: 'webhook-deliveries',
  /** Scheduler tick: attempt the webhook deliveries whose retry is due. */
  webhookRetries: 'webhook-retries',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/**
 * The topic that carries each kind of event the use cases emit (`domain/events.ts`): the one
 * place where event kinds meet Pub/Sub. A new kind is a line here next to its line there.
 */
export const EVENT_TOPICS: Readonly<Record<EventKind, TopicName>> = {
  'ticket.needs_agent': TOPICS.ticketRouting,
  'ticket.severity_one': TOPICS.ticketSeverityOne,
  notification: TOPICS.notifications,
  'ticket.lifecycle': TOPICS.ticketLifecycle,
  'erasure.requested': TOPICS.erasureRequested,
  'incident.changed': TOPICS.incidentChanges,
  'incident.resolved': TOPICS.incidentResolved,
  'status.update_published': TOPICS.statusUpdates,
  'status.email': TOPICS.statusEmails,
  'webhook.delivery_due': TOPICS.webhookDeliveries,
};

/** The field by which Firestore's TTL policies delete bookkeeping records. */
export const EXPIRE_AT_FIELD = 'expireAt';

/**
 * Bookkeeping records that Firestore deletes by itself once they can no longer matter: each
 * carries `expireAt`, and infra declares a TTL policy on that field (Firestore deletes an
 * expired document within a few days at most). Tickets and people are not here: how long they
 * are kept is a product rule, not housekeeping.
 */
export const EXPIRING_RECORDS = {
  /** Outbox records, counted from their publication: a record never published never expires. */
  outbox: { collection: 'outbox', days: 30 },
  /**
   * Processed-event markers: Pub/Sub redelivers for at most 7 days, and the relay republishes
   * only records not yet marked published, so five weeks recognise every duplicate.
   */
  processedEvents: { collection: 'processedEvents', days: 35 },
  /** A retry with the same Idempotency-Key within a week (or until the TTL deletes the key) returns the same ticket. */
  idempotencyKeys: { collection: 'idempotencyKeys', days: 7 },
  /** Webhook deliveries, counted from when they finished (delivered, dead-lettered, cancelled): staff look into a month of them. */
  webhookDeliveries: { collection: 'webhookDeliveries', days: 30 },
} as const;

export type ExpiringRecord = keyof typeof EXPIRING_RECORDS;

/** How a function is triggered. */
export type FunctionTrigger =
  | { readonly kind: 'http'; readonly public: boolean }
  | { readonly kind: 'pubsub'; readonly topic: TopicName };

export interface FunctionDefinition {
  /** The registered Functions Framework name, also the deployed `entryPoint`. */
  readonly entryPoint: string;
  /** Deployed function name (lower-case, dashes). */
  readonly name: string;
  readonly trigger: FunctionTrigger;
  readonly description: string;
  /** Memory in MiB. */
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /**
   * Requests one instance serves at once. The API waits on Firestore and Pub/Sub most of the
   * time, so an instance serves many requests together (and groups their reads and commits,
   * see `adapters/grouped-calls.ts`); event functions take one message at a time and scale out
   * with the backlog. Above 1 the instance gets a whole vCPU, which Cloud Run requires.
   */
  readonly concurrency: number;
}

export const FUNCTIONS: readonly FunctionDefinition[] = [
  {
    entryPoint: 'api',
    name: 'api',
    trigger: { kind: 'http', public: true },
    description: 'The JSON API under /v1',
    memoryMb: 512,
    timeoutSeconds: 60,
    concurrency: 80,
  },
  {
    entryPoint: 'routeTicket',
    name: 'route-ticket',
    trigger: { kind: 'pubsub', topic: TOPICS.ticketRouting },
    description: 'Routes a new or escalated ticket to the least-loaded agent of its tier with its language and product',
    memoryMb: 256,
    timeoutSeconds: 60,
    concurrency: 1,
  },
  {
    entryPoint: 'relayOutbox',
    name: 'relay-outbox',
    trigger: { kind: 'pubsub', topic: TOPICS.outboxRelay },
    description: 'Publishes outbox records that were not published on the request path',
    memoryMb: 256,
    timeoutSeconds: 120,
    concurrency: 1,
  },
  {
    entryPoint: 'escalationSweep',
    name: 'escalation-sweep',
    trigger: { kind: 'pubsub', topic: TOPICS.escalationSweep },
    description: 'Escalates tickets whose SLA targets are breached and warns before they are',
    memoryMb: 512,
    timeoutSeconds: 300,
    concurrency: 1,
  },
  {
    entryPoint: 'handleSeverityOne',
    name: 'handle-severity-one',
    trigger: { kind: 'pubsub', topic: TOPICS.ticketSeverityOne },
    description: 'Opens an incident for a severity-1 ticket, or links the ticket to its product\'s open incident',
    memoryMb: 256,
    timeoutSeconds: 60,
    concurrency: 1,
  },
  {
    entryPoint: 'deliverNotification',
    name: 'deliver-notification',
    trigger: { kind: 'pubsub', topic: TOPICS.notifications },
    description: 'Records each notification once in the notification log that delivery providers read',
    memoryMb: 256,
    timeoutSeconds: 60,
    concurrency: 1,
  },
  {
    entryPoint: 'recordSupportFigures',
    name: 'record-support-figures',
    trigger: { kind: 'pubsub', topic: TOPICS.ticketLifecycle },
    description: 'Adds each ticket lifecycle event once to the sharded daily counters of the support figures',
    memoryMb: 256,
    timeoutSeconds: 60,
    concurrency: 1,
  },
  {
    entryPoint: 'runRetention',
    name: 'run-retention',
    trigger: { kind: 'pubsub', topic: TOPICS.retention },
    description: 'Deletes, closes and anonymises what the retention policies say is due, with a receipt for each deletion',
    memoryMb: 512,
    timeoutSeconds: 540,
    concurrency: 1,
  },
  {
    entryPoint: 'processErasureRequest',
    name: 'process-erasure-request',
    trigger: { kind: 'pubsub', topic: TOPICS.erasureRequested },
    description: "Erases a person: their tickets (held ones anonymised), sign-in account and profile",
    memoryMb: 512,
    timeoutSeconds: 540,
    concurrency: 1,
  },
  {
    entryPoint: 'projectStatusSummary',
    name: 'project-status-summary',
    trigger: { kind: 'pubsub', topic: TOPICS.incidentChanges },
    description: 'Projects each incident change into the status summary document the status page is served from',
    memoryMb: 256,
    timeoutSeconds: 60,
    concurrency: 1,
  },
  {
    entryPoint: 'resolveIncidentTickets',
    name: 'resolve-incident-tickets',
    trigger: { kind: 'pubsub', topic: TOPICS.incidentResolved },
    description: 'Resolves the tickets linked to a resolved incident, with a message to their customers',
    memoryMb: 256,
    timeoutSeconds: 120,
    concurrency: 1,
  },
  {
    entryPoint: 'runMaintenanceWindows',
    name: 'run-maintenance-windows',
    trigger: { kind: 'pubsub', topic: TOPICS.maintenanceWindows },
    description: 'Starts and completes planned maintenance as its window comes',
    memoryMb: 256,
    timeoutSeconds: 120,
    concurrency: 1,
  },
  {
    entryPoint: 'fanOutStatusUpdate',
    name: 'fan-out-status-update',
    trigger: { kind: 'pubsub', topic: TOPICS.statusUpdates },
    description: 'Sends a public status update to every confirmed subscriber of its products: a signed webhook or an email each',
    memoryMb: 512,
    timeoutSeconds: 540,
    concurrency: 1,
  },
  {
    entryPoint: 'attemptWebhookDelivery',
    name: 'attempt-webhook-delivery',
    trigger: { kind: 'pubsub', topic: TOPICS.webhookDeliveries },
    description: 'Attempts one webhook delivery now (a subscription challenge)',
    memoryMb: 256,
    timeoutSeconds: 60,
    concurrency: 1,
  },
  {
    entryPoint: 'retryWebhookDeliveries',
    name: 'retry-webhook-deliveries',
    trigger: { kind: 'pubsub', topic: TOPICS.webhookRetries },
    description: 'Attempts the webhook deliveries whose retry is due, dead-lettering those past their last attempt',
    memoryMb: 512,
    timeoutSeconds: 300,
    concurrency: 1,
  },
  {
    entryPoint: 'recordHeartbeat',
    name: 'record-heartbeat',
    trigger: { kind: 'pubsub', topic: TOPICS.heartbeat },
    description: 'Records which region ran the scheduled heartbeat',
    memoryMb: 256,
    timeoutSeconds: 60,
    concurrency: 1,
  },
  {
    entryPoint: 'backupSnapshot',
    name: 'backup-snapshot',
    trigger: { kind: 'pubsub', topic: TOPICS.backupSnapshot },
    description: "Takes the day's logical snapshot (and, in production, a managed export) and prunes snapshots past the retention",
    memoryMb: 1024,
    // Pub/Sub waits at most 600 s for a push; a longer run would be delivered again meanwhile.
    timeoutSeconds: 540,
    concurrency: 1,
  },
  {
    entryPoint: 'restoreDrill',
    name: 'restore-drill',
    trigger: { kind: 'pubsub', topic: TOPICS.restoreDrill },
    description: 'Restores the latest snapshot into the scratch database, verifies it and records the drill report',
    memoryMb: 1024,
    timeoutSeconds: 540,
    concurrency: 1,
  },
];

export interface JobDefinition {
  /** Job name, as given to `npm run tuki -- run-job <name>`. */
  readonly name: string;
  /** Unix cron expression. */
  readonly schedule: string;
  readonly timeZone: string;
  readonly topic: TopicName;
  readonly description: string;
}

export const JOBS: readonly JobDefinition[] = [
  {
    name: 'escalation-sweep',
    schedule: '* * * * *',
    timeZone: 'Etc/UTC',
    topic: TOPICS.escalationSweep,
    description: 'Escalation sweep, every minute',
  },
  {
    name: 'outbox-relay',
    schedule: '* * * * *',
    timeZone: 'Etc/UTC',
    topic: TOPICS.outboxRelay,
    description: 'Outbox relay safety net, every minute',
  },
  {
    name: 'retention',
    schedule: '30 2 * * *',
    timeZone: 'Etc/UTC',
    topic: TOPICS.retention,
    description: 'Retention deletion, daily at 02:30 UTC',
  },
  {
    name: 'maintenance-windows',
    schedule: '* * * * *',
    timeZone: 'Etc/UTC',
    topic: TOPICS.maintenanceWindows,
    description: 'Planned maintenance moved in and out of progress, every minute',
  },
  {
    name: 'webhook-retries',
    schedule: '* * * * *',
    timeZone: 'Etc/UTC',
    topic: TOPICS.webhookRetries,
    description: 'Webhook delivery retries, every minute',
  },
  {
    name: 'heartbeat',
    schedule: '*/5 * * * *',
    timeZone: 'Etc/UTC',
    topic: TOPICS.heartbeat,
    description: 'Heartbeat that records the active region, every five minutes',
  },
  {
    name: 'backup-snapshot',
    schedule: '30 2 * * *',
    timeZone: 'Etc/UTC',
    topic: TOPICS.backupSnapshot,
    description: 'Backup snapshot and pruning, daily at 02:30 UTC',
  },
  {
    name: 'restore-drill',
    schedule: '30 4 * * 1',
    timeZone: 'Etc/UTC',
    topic: TOPICS.restoreDrill,
    description: 'Restore drill of the latest snapshot, weekly on Monday at 04:30 UTC',
  },
];

/** The job with this name, or undefined. */
export function findJob(name: string): JobDefinition | undefined {
  return JOBS.find((job) => job.name === name);
}
