import { createHash } from 'node:crypto';
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { KEYS_DATABASE_ID } from './firestore-database';
import type { FunctionDefinition } from '../../functions/src/manifest';
import type { RegionKey } from '../config';
import type { EventTopic } from './event-topic';
import { MESSAGE_RETENTION } from './event-topic';
import type { FunctionGrants } from './function-grants';
import type { FunctionSource } from './function-source';

/** Delivery attempts before a message goes to the topic's dead-letter topic. */
const MAX_DELIVERY_ATTEMPTS = 5;

const REGION_SUFFIX: Readonly<Record<RegionKey, string>> = { primary: 'pri', secondary: 'sec' };

/**
 * A service account id for one function in one region: `route-ticket-pri`. Ids are 6–30
 * characters, so a long function name is shortened and made unique with a hash of the full name.
 */
function serviceAccountIdFor(functionName: string, regionKey: RegionKey): string {
  const suffix = REGION_SUFFIX[regionKey];
  const id = `${functionName}-${suffix}`;
  if (id.length <= 30) return id.length >= 6 ? id : `fn-${id}`;
  const hash = createHash('sha256').update(functionName).digest('hex').slice(0, 6);
  const stem = functionName.slice(0, 30 - suffix.length - hash.length - 2).replace(/-+$/, '');
  return `${stem}-${hash}-${suffix}`;
}

export interface RegionalFunctionArgs {
  project: pulumi.Input<string>;
  region: string;
  regionKey: RegionKey;
  definition: FunctionDefinition;
  source: FunctionSource;
  /** Every topic, by manifest topic name. */
  topics: Readonly<Record<string, EventTopic>>;
  /** The identity that Pub/Sub push requests of this region carry (OIDC token). */
  pushInvoker: gcp.serviceaccount.Account;
  /** `serviceAccount:service-<number>@gcp-sa-pubsub.iam.gserviceaccount.com`. */
  pubsubServiceAgent: pulumi.Input<string>;
  grants: FunctionGrants;
  redactionKey: gcp.kms.CryptoKey;
  backupBucket: gcp.storage.Bucket;
  /** Environment settings from the stack config (e.g. `TUKI_CORS_ALLOWED_ORIGINS`). */
  settings?: Readonly<Record<string, string>>;
}

/**
 * One manifest function in one region: a 2nd-gen Cloud Function built from the shared source,
 * running as its own service account with only the roles in its grants.
 *
 * Pub/Sub-triggered functions are deployed as HTTP functions behind a push subscription that we
 * own, instead of an `eventTrigger`: the subscription that Eventarc creates for an `eventTrigger`
 * cannot be given a dead-letter topic through the function resource, and ours can. It is also how
 * the local stack delivers (Pub/Sub push to the Functions Framework). Both regions subscribe, so an
 * event is delivered to each region once (handlers are idempotent on the Pub/Sub message id, which
 * is the same in both subscriptions) and a region outage loses no events.
 */
export class RegionalFunction extends pulumi.ComponentResource {
  readonly definition: FunctionDefinition;
  readonly region: string;
  readonly serviceAccount: gcp.serviceaccount.Account;
  readonly function: gcp.cloudfunctionsv2.Function;
  /** The Cloud Run service URI of the function (`https://<name>-<hash>-<region>.a.run.app`). */
  readonly uri: pulumi.Output<string>;
  /** The Cloud Run service name, which is the function name. */
  readonly serviceName: pulumi.Output<string>;
  readonly pushSubscription?: gcp.pubsub.Subscription;

  constructor(name: string, args: RegionalFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tuki:gcp:RegionalFunction', name, {}, opts);
    const child = { parent: this };
    const def = args.definition;
    this.definition = def;
    this.region = args.region;
    const labels = { app: 'tuki', function: def.name, region_key: args.regionKey };

    this.serviceAccount = new gcp.serviceaccount.Account(
      `${name}-sa`,
      {
        project: args.project,
        accountId: serviceAccountIdFor(def.name, args.regionKey),
        displayName: `tuki ${def.name} (${args.region})`,
        description: `Runtime identity of the ${def.name} function in ${args.region}`,
      },
      child,
    );
    const member = pulumi.interpolate`serviceAccount:${this.serviceAccount.email}`;

    const grants: pulumi.Resource[] = [
      new gcp.projects.IAMMember(
        `${name}-datastore-user`,
        { project: args.project, role: 'roles/datastore.user', member },
        child,
      ),
    ];
    for (const topicName of args.grants.publishes) {
      const topic = args.topics[topicName];
      if (!topic) throw new Error(`Function ${def.name} publishes to unknown topic ${topicName}`);
      grants.push(
        new gcp.pubsub.TopicIAMMember(
          `${name}-publishes-${topicName}`,
          { project: args.project, topic: topic.topic.name, role: 'roles/pubsub.publisher', member },
          child,
        ),
      );
    }
    const environment: Record<string, pulumi.Input<string>> = {
      ...args.settings,
      // Express and its middleware keep stack traces out of answers only in production.
      NODE_ENV: 'production',
      TUKI_MODE: 'production',
      TUKI_REGION: args.region,
      GOOGLE_CLOUD_PROJECT: args.project,
    };
    if (args.grants.redactionKey) {
      grants.push(
        new gcp.kms.CryptoKeyIAMMember(
          `${name}-redaction-key`,
          { cryptoKeyId: args.redactionKey.id, role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter', member },
          child,
        ),
      );
      environment.TUKI_REDACTION_KEY = args.redactionKey.id;
    }
    if (args.grants.redactionKey || args.grants.keysDatabase) environment.TUKI_KEYS_DATABASE = KEYS_DATABASE_ID;
    if (args.grants.backupBucket) {
      grants.push(
        new gcp.storage.BucketIAMMember(
          `${name}-backups`,
          {
            bucket: args.backupBucket.name,
            role: args.grants.backupBucket === 'write' ? 'roles/storage.objectAdmin' : 'roles/storage.objectViewer',
            member,
          },
          child,
        ),
      );
      environment.TUKI_BACKUP_BUCKET = args.backupBucket.name;
    }

    if (args.grants.firestoreExport) {
      grants.push(
        new gcp.projects.IAMMember(`${name}-firestore-export`, { project: args.project, role: 'roles/datastore.importExportAdmin', member }, child),
      );
    }

    const trigger = def.trigger;
    const isPublic = trigger.kind === 'http' && trigger.public;
    this.function = new gcp.cloudfunctionsv2.Function(
      `${name}-function`,
      {
        project: args.project,
        location: args.region,
        name: def.name,
        description: def.description,
        labels,
        buildConfig: {
          runtime: 'nodejs20',
          entryPoint: def.entryPoint,
          serviceAccount: args.source.builderId,
          source: {
            storageSource: { bucket: args.source.bucket.name, object: args.source.object.name },
          },
        },
        serviceConfig: {
          availableMemory: `${def.memoryMb}Mi`,
          timeoutSeconds: def.timeoutSeconds,
          maxInstanceRequestConcurrency: def.concurrency,
          ...(def.concurrency > 1 ? { availableCpu: '1' } : {}),
          serviceAccountEmail: this.serviceAccount.email,
          environmentVariables: environment,
          allTrafficOnLatestRevision: true,
          // Public functions are reached through the global load balancer only, so Cloud Armor's
          // rate limit cannot be bypassed through the run.app URL. Push requests from Pub/Sub in
          // the same project count as internal traffic.
          ingressSettings:
            trigger.kind === 'pubsub'
              ? 'ALLOW_INTERNAL_ONLY'
              : isPublic
                ? 'ALLOW_INTERNAL_AND_GCLB'
                : 'ALLOW_ALL',
        },
      },
      { parent: this, dependsOn: [...grants, ...args.source.ready] },
    );
    this.serviceName = this.function.name;
    this.uri = this.function.serviceConfig.apply((service) => {
      if (!service?.uri) throw new Error(`Function ${def.name} in ${args.region} has no service URI`);
      return service.uri;
    });

    if (isPublic) {
      // Anyone may reach the API; it authenticates callers itself with Identity Platform tokens.
      new gcp.cloudrunv2.ServiceIamMember(
        `${name}-public-invoker`,
        {
          project: args.project,
          location: args.region,
          name: this.serviceName,
          role: 'roles/run.invoker',
          member: 'allUsers',
        },
        child,
      );
    }

    if (trigger.kind === 'pubsub') {
      const topic = args.topics[trigger.topic];
      if (!topic) throw new Error(`Function ${def.name} is triggered by unknown topic ${trigger.topic}`);
      const invoker = new gcp.cloudrunv2.ServiceIamMember(
        `${name}-push-invoker`,
        {
          project: args.project,
          location: args.region,
          name: this.serviceName,
          role: 'roles/run.invoker',
          member: pulumi.interpolate`serviceAccount:${args.pushInvoker.email}`,
        },
        child,
      );
      const subscriptionName = `${def.name}-${args.region}`;
      this.pushSubscription = new gcp.pubsub.Subscription(
        `${name}-push`,
        {
          project: args.project,
          name: subscriptionName,
          topic: topic.topic.id,
          labels,
          // Pub/Sub waits this long for the push response before it redelivers.
          ackDeadlineSeconds: Math.min(600, Math.max(10, def.timeoutSeconds)),
          messageRetentionDuration: MESSAGE_RETENTION,
          expirationPolicy: { ttl: '' },
          pushConfig: {
            pushEndpoint: this.uri,
            oidcToken: { serviceAccountEmail: args.pushInvoker.email, audience: this.uri },
          },
          retryPolicy: { minimumBackoff: '10s', maximumBackoff: '600s' },
          deadLetterPolicy: {
            deadLetterTopic: topic.deadLetterTopic.id,
            maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS,
          },
        },
        { parent: this, dependsOn: [invoker] },
      );
      // The Pub/Sub service agent acknowledges a message on this subscription when it dead-letters it.
      new gcp.pubsub.SubscriptionIAMMember(
        `${name}-push-dead-letter-forwarder`,
        {
          project: args.project,
          subscription: this.pushSubscription.name,
          role: 'roles/pubsub.subscriber',
          member: args.pubsubServiceAgent,
        },
        child,
      );
    }

    this.registerOutputs({
      functionName: this.function.name,
      region: args.region,
      uri: this.uri,
      serviceAccount: this.serviceAccount.email,
      pushSubscription: this.pushSubscription?.name,
    });
  }
}
