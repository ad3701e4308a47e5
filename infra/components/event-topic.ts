import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

/** Seven days: the longest a subscription keeps unacknowledged messages, so a topic keeps as long for replays. */
export const MESSAGE_RETENTION = '604800s';

export interface EventTopicArgs {
  project: pulumi.Input<string>;
  /** The topic name from the manifest, e.g. `ticket-created`. */
  topic: string;
  /** Regions where Pub/Sub may store messages: both serving regions, so either can fail. */
  persistenceRegions: readonly string[];
  /** `serviceAccount:service-<number>@gcp-sa-pubsub.iam.gserviceaccount.com`, which forwards dead letters. */
  pubsubServiceAgent: pulumi.Input<string>;
}

/**
 * A Pub/Sub topic with its dead-letter topic `${topic}-dead-letter` and a pull subscription on the
 * dead-letter topic, so that messages that exhausted their delivery attempts are kept for inspection
 * and replay (a topic without subscriptions drops what is published to it).
 */
export class EventTopic extends pulumi.ComponentResource {
  readonly topicName: string;
  readonly deadLetterTopicName: string;
  readonly topic: gcp.pubsub.Topic;
  readonly deadLetterTopic: gcp.pubsub.Topic;
  readonly deadLetterSubscription: gcp.pubsub.Subscription;

  constructor(name: string, args: EventTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tuki:gcp:EventTopic', name, {}, opts);
    const child = { parent: this };
    const storage = { allowedPersistenceRegions: [...args.persistenceRegions] };
    this.topicName = args.topic;
    this.deadLetterTopicName = `${args.topic}-dead-letter`;
    const labels = { app: 'tuki', topic: args.topic };

    this.topic = new gcp.pubsub.Topic(
      `${name}-topic`,
      {
        project: args.project,
        name: this.topicName,
        messageRetentionDuration: MESSAGE_RETENTION,
        messageStoragePolicy: storage,
        labels,
      },
      child,
    );
    this.deadLetterTopic = new gcp.pubsub.Topic(
      `${name}-dead-letter-topic`,
      {
        project: args.project,
        name: this.deadLetterTopicName,
        messageRetentionDuration: MESSAGE_RETENTION,
        messageStoragePolicy: storage,
        labels: { ...labels, dead_letter: 'true' },
      },
      child,
    );
    this.deadLetterSubscription = new gcp.pubsub.Subscription(
      `${name}-dead-letter-kept`,
      {
        project: args.project,
        name: this.deadLetterTopicName,
        topic: this.deadLetterTopic.id,
        ackDeadlineSeconds: 60,
        messageRetentionDuration: MESSAGE_RETENTION,
        retainAckedMessages: false,
        // Never expire for inactivity: nobody pulls from it until something has gone wrong.
        expirationPolicy: { ttl: '' },
        labels: { ...labels, dead_letter: 'true' },
      },
      child,
    );
    // The Pub/Sub service agent publishes the dead letters on behalf of every subscription of the topic.
    new gcp.pubsub.TopicIAMMember(
      `${name}-dead-letter-publisher`,
      {
        project: args.project,
        topic: this.deadLetterTopic.name,
        role: 'roles/pubsub.publisher',
        member: args.pubsubServiceAgent,
      },
      child,
    );

    this.registerOutputs({
      topicName: this.topicName,
      deadLetterTopicName: this.deadLetterTopicName,
      topicId: this.topic.id,
      deadLetterTopicId: this.deadLetterTopic.id,
    });
  }
}
