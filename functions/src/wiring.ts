/**
 * The composition root: builds the clients and adapters lazily, once per instance. The cloud
 * SDKs are loaded with dynamic imports on first use, so a cold start answers `GET /v1/health`
 * without paying for gRPC, Firestore, Pub/Sub or firebase-admin.
 *
 * Entry points get {@link Ports} — the use cases' own `…Deps`, typed by the ports of
 * `application/` — never a client or an adapter class: the `api` function hands each route
 * module its deps (`entrypoints/http/all-routes.ts`), and the Pub/Sub shell hands each event
 * handler its deps (`entrypoints/events/pubsub-function.ts`). {@link Services} adds the clients
 * under the ports, for the operator scripts and tests that seed, inspect and close them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import type { PubSub } from '@google-cloud/pubsub';
import type { FirestoreSupportConfiguration } from './adapters/firestore-configuration';
import type { FirestorePrincipalDirectory } from './adapters/firestore-principals';
import type { FirebaseIdentityAdmin } from './adapters/firebase-identity-admin';
import type { KeyWrapper } from './adapters/envelope-key-vault';
import type { AuthenticationDeps } from './application/authenticate';
import type { AdminDeps, AccountDeps } from './application/admin/admin-deps';
import type { AccountAdministration, Clock, IdGenerator, Logger, PrincipalDirectory, SupportConfiguration, SupportFiguresStore } from './application/ports';
import type { FiguresDeps } from './application/support/figures-deps';
import type { RoutingDeps } from './application/routing/route-ticket';
import type { HealthCheck } from './application/health/check-health';
import type { RedactionPolicyDeps } from './application/admin/put-redaction-policy';
import type { TicketDeps } from './application/tickets/ticket-mutation';
import type { ErasureDeps } from './application/retention/erasure-requests';
import type { RetentionJobDeps } from './application/retention/run-retention';
import type { LegalHoldDeps } from './application/retention/legal-hold';
import type { IncidentDeps } from './application/incidents/deps';
import type { SecretGenerator, StatusSubscriptionDeps } from './application/status-subscriptions/ports';
import type { HeartbeatDeps } from './application/operations/record-heartbeat';
import type { NotificationDeps } from './application/operations/record-notification';
import type { RandomSource } from './application/webhooks/ports';
import { CloudLoggingLogger } from './adapters/cloud-logging';
import { firestoreDeadlineSettings } from './adapters/deadlines';
import { parseConfig, type Config } from './config';

/**
 * The scopes entry points run their work in — a deadline on every Firestore and Auth call of a
 * request or delivery, the trace id on every log line — and the logger for failures that
 * happen before the ports exist: entry points reach these adapters only through here.
 */
export { asDependencyFailure, withDeadline, type DeadlineBudget } from './adapters/deadlines';
export { maskCrashes, maskError, withTrace } from './adapters/cloud-logging';

/** Logs what fails before (or without) the instance's ports, at the default level; it redacts like the ports' logger. */
export const fallbackLogger: Logger = new CloudLoggingLogger();

/** A logger that writes from `minimum` up (operator commands keep their output to warnings). */
export function loggerAt(minimum: ConstructorParameters<typeof CloudLoggingLogger>[0]): Logger {
  return new CloudLoggingLogger(minimum);
}

export const systemClock: Clock = { now: () => Date.now() };
export const randomIds: IdGenerator = { newId: () => randomUUID() };
/** 32 random bytes, URL-safe: signing secrets and subscription tokens. */
export const randomSecrets: SecretGenerator = { newSecret: () => randomBytes(32).toString('base64url') };
/** Fractions for the webhook retries' jitter: spread, not secret. */
export const randomFractions: RandomSource = { fraction: () => Math.random() };

/** What entry points are given: every use case's deps, as ports (no client, no adapter class). */
export interface Ports
  extends TicketDeps,
    RoutingDeps,
    AuthenticationDeps,
    RetentionJobDeps,
    ErasureDeps,
    LegalHoldDeps,
    IncidentDeps,
    RedactionPolicyDeps,
    Omit<AdminDeps, 'accounts'>,
    AccountDeps,
    FiguresDeps,
    StatusSubscriptionDeps,
    HeartbeatDeps,
    NotificationDeps {
  readonly config: Config;
  readonly configuration: SupportConfiguration;
  readonly principals: PrincipalDirectory;
  readonly supportFigures: SupportFiguresStore;
  readonly health: HealthCheck;
  readonly accountChanges: AccountAdministration;
}

/** The instance: its ports and the clients under them (operator scripts and tests seed, inspect and close them). */
export interface Services extends Ports {
  readonly db: Firestore;
  readonly pubsub: PubSub;
  readonly configuration: FirestoreSupportConfiguration;
  readonly principals: FirestorePrincipalDirectory;
  /** Sign-in accounts by email (`bootstrap-admin`, the demo users). */
  readonly identities: FirebaseIdentityAdmin;
}

/** Builds every service from a parsed configuration (tests call it with their own clock and ids). */
export async function buildServices(config: Config, clock: Clock = systemClock, ids: IdGenerator = randomIds): Promise<Services> {
  const [firestore, pubsubModule, adminApp, auth, configuration, principals, tickets, outbox, envelope, originals] = await Promise.all([
    import('@google-cloud/firestore'),
    import('@google-cloud/pubsub'),
    import('firebase-admin/app'),
    import('./adapters/firebase-auth'),
    import('./adapters/firestore-configuration'),
    import('./adapters/firestore-principals'),
    import('./adapters/firestore-tickets'),
    import('./adapters/pubsub-outbox'),
    import('./adapters/envelope-key-vault'),
    import('./adapters/firestore-originals'),
  ]);
  const [{ FirestoreSupportFiguresStore }, probes, { getAuth }, { HealthCheck }, { FirestoreAccountAdministration }, { deadlineAgent }] = await Promise.all([
    import('./adapters/firestore-support-figures'),
    import('./adapters/dependency-probes'),
    import('firebase-admin/auth'),
    import('./application/health/check-health'),
    import('./adapters/firestore-accounts'),
    import('./adapters/deadline-agent'),
  ]);
  const retention = await retentionAdapters();
  const [incidents, operations, identities] = await Promise.all([
    import('./adapters/firestore-incidents'),
    import('./adapters/firestore-operations'),
    import('./adapters/firebase-identity-admin'),
  ]);
  const [{ FirestoreRedactionPolicies }, { PolicyFreeTextRedactor }] = await Promise.all([
    import('./adapters/firestore-redaction-policies'),
    import('./application/redaction/free-text-redactor'),
  ]);
  // Every Firestore call and Auth request is bound to the deadline of the request or event that makes it (adapters/deadlines.ts).
  const db = new firestore.Firestore({ projectId: config.GOOGLE_CLOUD_PROJECT, ignoreUndefinedProperties: true, ...firestoreDeadlineSettings() });
  const pubsub = new pubsubModule.PubSub({ projectId: config.GOOGLE_CLOUD_PROJECT });
  const app =
    adminApp.getApps()[0] ??
    adminApp.initializeApp({
      projectId: config.GOOGLE_CLOUD_PROJECT,
      httpAgent: deadlineAgent(config.FIREBASE_AUTH_EMULATOR_HOST === undefined ? 'https:' : 'http:'),
    });
  const keysDb =
    config.TUKI_KEYS_DATABASE === '(default)'
      ? db
      : new firestore.Firestore({ projectId: config.GOOGLE_CLOUD_PROJECT, databaseId: config.TUKI_KEYS_DATABASE, ...firestoreDeadlineSettings() });
  const originalsRepository = new originals.FirestoreOriginalsRepository(db, keysDb);
  const subscriptionServices = await statusSubscriptionServices(config, db, clock);
  const redactionPolicies = new FirestoreRedactionPolicies(db, clock);
  const redactor = new PolicyFreeTextRedactor(redactionPolicies);
  return {
    config,
    db,
    redactionPolicies,
    redactor,
    ...subscriptionServices,
    pubsub,
    clock,
    ids,
    retentionStore: new retention.store.FirestoreRetentionStore(db, keysDb),
    retentionRuns: new retention.runs.FirestoreRetentionRuns(db),
    retentionPolicies: new retention.runs.FirestoreRetentionPolicies(db, {
      inactiveCustomerDays: config.TUKI_INACTIVE_CUSTOMER_DAYS,
      deactivatedStaffDays: config.TUKI_DEACTIVATED_STAFF_DAYS,
    }),
    retentionWatermarks: new retention.runs.FirestoreRetentionWatermarks(db),
    erasures: new retention.erasure.FirestoreErasureRequests(db),
    receipts: new retention.erasure.FirestoreDeletionReceipts(db),
    people: new retention.people.FirestorePeopleStore(db),
    activity: new retention.people.FirestoreActivityRecorder(db),
    accounts: new retention.accounts.FirebaseAccountAdmin(app),
    originalsDestroyer: originalsRepository,
    // Log lines pass the strictest redaction too: an error message may quote what someone wrote.
    logger: new CloudLoggingLogger(config.LOG_LEVEL, undefined, (text) => redactor.forEveryone(text).text),
    tickets: new tickets.FirestoreTicketRepository(db),
    principals: new principals.FirestorePrincipalDirectory(db),
    configuration: new configuration.FirestoreSupportConfiguration(db, clock),
    outbox: new outbox.PubSubOutboxDispatcher(db, pubsub, clock),
    supportFigures: new FirestoreSupportFiguresStore(db),
    incidents: new incidents.FirestoreIncidentRepository(db),
    statusSummary: new incidents.FirestoreStatusSummaryStore(db, clock),
    organisations: new incidents.FirestoreOrganisationDirectory(db),
    accountChanges: new FirestoreAccountAdministration(db),
    heartbeats: new operations.FirestoreHeartbeatLog(db),
    notifications: new operations.FirestoreNotificationLog(db),
    tokens: auth.FirebaseTokenVerifier.forApp(app),
    identities: new identities.FirebaseIdentityAdmin(app),
    vault: new envelope.EnvelopeKeyVault(await keyWrapper(config, envelope)),
    originals: originalsRepository,
    staffStrongAuth: config.TUKI_STAFF_STRONG_AUTH,
    health: new HealthCheck(
      { firestore: probes.firestoreProbe(db), pubsub: probes.pubsubProbe(pubsub), auth: probes.authProbe(getAuth(app)) },
      clock,
      HEALTH_CACHE_MS,
    ),
  };
}

/** How long a health probe's result is reused: uptime checks and load balancers must not load the store. */
export const HEALTH_CACHE_MS = 10_000;

/** The retention, erasure and people adapters, loaded with the others on first use. */
async function retentionAdapters() {
  const [store, runs, erasure, people, accounts] = await Promise.all([
    import('./adapters/firestore-retention'),
    import('./adapters/firestore-retention-runs'),
    import('./adapters/firestore-erasure'),
    import('./adapters/firestore-people'),
    import('./adapters/firebase-accounts'),
  ]);
  return { store, runs, erasure, people, accounts };
}

/** Status subscriptions and the webhook machinery they send with. */
async function statusSubscriptionServices(config: Config, db: Firestore, clock: Clock) {
  const [subscriptionsModule, deliveriesModule, sender, { StatusSubscriptionTargets }] = await Promise.all([
    import('./adapters/firestore-status-subscriptions'),
    import('./adapters/firestore-webhook-deliveries'),
    import('./adapters/http-webhook-sender'),
    import('./application/status-subscriptions/subscription-targets'),
  ]);
  const subscriptions = new subscriptionsModule.FirestoreStatusSubscriptionRepository(db);
  const addressPolicy = { allowedAddresses: config.TUKI_WEBHOOK_LOCAL_TARGETS };
  return {
    subscriptions,
    subscriptionsByAddress: subscriptions,
    deliveries: new deliveriesModule.FirestoreWebhookDeliveryStore(db),
    webhookSender: new sender.HttpWebhookSender(addressPolicy),
    webhookTargets: new StatusSubscriptionTargets(subscriptions, clock),
    secrets: randomSecrets,
    random: randomFractions,
    addresses: new sender.DnsAddressResolver(),
    subscriptionSettings: { publicUrl: config.TUKI_PUBLIC_URL, addressPolicy },
  };
}

/** KMS in production (`TUKI_REDACTION_KEY`), the local key in local mode; the KMS client only when needed. */
async function keyWrapper(config: Config, envelope: typeof import('./adapters/envelope-key-vault')): Promise<KeyWrapper> {
  if (config.TUKI_REDACTION_KEY !== undefined) {
    const [{ KeyManagementServiceClient }, { KmsKeyWrapper }] = await Promise.all([import('@google-cloud/kms'), import('./adapters/kms-key-wrapper')]);
    return new KmsKeyWrapper(new KeyManagementServiceClient(), config.TUKI_REDACTION_KEY);
  }
  if (config.TUKI_LOCAL_MASTER_KEY !== undefined) return new envelope.LocalKeyWrapper(config.TUKI_LOCAL_MASTER_KEY);
  return new envelope.UnavailableKeyWrapper();
}

let config: Config | undefined;
let instance: Promise<Services> | undefined;
/** The services once built (the health check answers without waiting for them). */
let ready: Services | undefined;

/** The configuration, parsed once per instance (throws `ConfigError` naming every bad key). */
export function instanceConfig(): Config {
  config ??= parseConfig();
  return config;
}

/** Makes `building` the instance's services; a failed build (a transient error at cold start) is not kept: the next request retries. */
function install(building: Promise<Services>): Promise<Services> {
  instance = building;
  ready = undefined;
  building.then(
    (built) => {
      if (instance === building) ready = built;
    },
    () => {
      if (instance === building) instance = undefined;
    },
  );
  return building;
}

/** The instance's services, built on first use. */
export function services(): Promise<Services> {
  return instance ?? install(buildServices(instanceConfig()));
}

/** The ports of the instance, built on first use: what the entry points' shells hand on. */
export function ports(): Promise<Ports> {
  return services();
}

/** The instance's ports if they are built already, without building them. */
export function readyPorts(): Ports | undefined {
  return ready;
}

/**
 * The instance's health check for `GET /v1/health` (`entrypoints/http/health.ts`): the built
 * one — none on a cold instance, which answers without waiting for the SDKs — and how to build it.
 */
export const instanceHealth = {
  ready: (): HealthCheck | undefined => ready?.health,
  warmUp: async (): Promise<HealthCheck> => (await services()).health,
  instance: (): { region: string; version: string } => ({ region: instanceConfig().TUKI_REGION, version: instanceConfig().TUKI_VERSION }),
};

/** Replaces the instance's services (integration tests and the benchmark inject a clock). */
export function setServices(replacement: Promise<Services> | undefined): void {
  if (replacement === undefined) {
    instance = undefined;
    ready = undefined;
  } else {
    void install(replacement);
  }
}
