/**
 * Every Firestore collection tuki writes, and the gRPC status codes its adapters act on: named
 * once, here. The bookkeeping collections that expire by TTL take their names from the
 * manifest (`EXPIRING_RECORDS`), which infra reads to declare the TTL policies.
 */
import { EXPIRING_RECORDS } from '../manifest';

export const COLLECTIONS = {
  tickets: 'tickets',
  /** Subcollection of a ticket. */
  messages: 'messages',
  /** The ids of a ticket's messages, by ticket id (`adapters/message-index.ts`). */
  ticketMessageIds: 'ticketMessageIds',
  outbox: EXPIRING_RECORDS.outbox.collection,
  idempotencyKeys: EXPIRING_RECORDS.idempotencyKeys.collection,
  processedEvents: EXPIRING_RECORDS.processedEvents.collection,
  /** Wrapped data keys of redaction originals (in the keys database in production). */
  dataKeys: 'dataKeys',
  originals: 'originals',
  /** Subcollection of `originals/{ticketId}`. */
  originalTexts: 'texts',
  destroyedKeys: 'destroyedKeys',
  auditLog: 'auditLog',
  principals: 'principals',
  /** Staff changes waiting for a second admin (granting the privacy-officer role). */
  staffGrants: 'staffGrants',
  configuration: 'configuration',
  slaPolicies: 'slaPolicies',
  calendars: 'calendars',
  supportFigureShards: 'supportFigureShards',
  heartbeats: 'heartbeats',
  notifications: 'notifications',
  /** Restore drill reports. */
  drills: 'drills',
  /** Retention (`adapters/firestore-retention*.ts`, `firestore-erasure.ts`). */
  deletionReceipts: 'deletionReceipts',
  retentionPolicies: 'retentionPolicies',
  retentionRuns: 'retentionRuns',
  retentionCheckpoints: 'retentionCheckpoints',
  retentionWatermarks: 'retentionWatermarks',
  erasureRequests: 'erasureRequests',
  /** A person's deletion begun and not finished: its receipt and subscription ids, by uid. */
  personDeletions: 'personDeletions',
  incidents: 'incidents',
  /** One lock per product with an open unplanned incident: `{incidentId}`. */
  openIncidents: 'openIncidents',
  /** The one status summary document the public status views read. */
  statusSummary: 'statusSummary',
  /** Status-page subscriptions (webhook and email), by id. */
  statusSubscriptions: 'statusSubscriptions',
  /** Webhook deliveries with their attempts (`domain/webhook-delivery.ts`). */
  webhookDeliveries: EXPIRING_RECORDS.webhookDeliveries.collection,
  /** Organisations' redaction policies (contact data), by orgId. */
  redactionPolicies: 'redactionPolicies',
} as const;

/** The gRPC status codes (google.rpc.Code) that tuki's adapters tell apart. */
export const GRPC_STATUS = {
  CANCELLED: 1,
  UNKNOWN: 2,
  DEADLINE_EXCEEDED: 4,
  /** A write to (or precondition on) a document that does not exist. */
  NOT_FOUND: 5,
  /** A `create` whose document exists. */
  ALREADY_EXISTS: 6,
  RESOURCE_EXHAUSTED: 8,
  /** A write whose precondition (`lastUpdateTime`) no longer holds. */
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

/** True when `error` carries the gRPC status `code`. */
export function hasGrpcStatus(error: unknown, code: (typeof GRPC_STATUS)[keyof typeof GRPC_STATUS]): boolean {
  return (error as { code?: unknown } | null)?.code === code;
}
