import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { FunctionDefinition, JobDefinition } from '../../functions/src/manifest';
import type { RegionKey } from '../config';
import type { EventTopic } from './event-topic';
import { grantsFor } from './function-grants';
import type { FunctionSource } from './function-source';
import { RegionalFunction } from './regional-function';
import { RegionalScheduler } from './regional-scheduler';

export interface RegionDeploymentArgs {
  project: pulumi.Input<string>;
  regionKey: RegionKey;
  region: string;
  /** Whether this region runs the scheduled jobs. */
  active: boolean;
  functions: readonly FunctionDefinition[];
  jobs: readonly JobDefinition[];
  topics: Readonly<Record<string, EventTopic>>;
  source: FunctionSource;
  pubsubServiceAgent: pulumi.Input<string>;
  redactionKey: gcp.kms.CryptoKey;
  backupBucket: gcp.storage.Bucket;
  /** Environment settings from the stack config that every function of the deployment gets. */
  settings?: Readonly<Record<string, string>>;
}

/** Everything tuki runs in one region: every manifest function, their push subscriptions, and the scheduler jobs. */
export class RegionDeployment extends pulumi.ComponentResource {
  readonly regionKey: RegionKey;
  readonly region: string;
  readonly functions: Readonly<Record<string, RegionalFunction>>;
  readonly scheduler: RegionalScheduler;
  readonly pushInvoker: gcp.serviceaccount.Account;

  constructor(name: string, args: RegionDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tuki:gcp:RegionDeployment', name, {}, opts);
    const child = { parent: this };
    this.regionKey = args.regionKey;
    this.region = args.region;

    this.pushInvoker = new gcp.serviceaccount.Account(
      `${name}-push-invoker`,
      {
        project: args.project,
        accountId: `push-invoker-${args.regionKey === 'primary' ? 'pri' : 'sec'}`,
        displayName: `tuki Pub/Sub push (${args.region})`,
        description: `Identity in the OIDC token of Pub/Sub pushes to the event functions in ${args.region}`,
      },
      child,
    );
    // Pub/Sub mints the push OIDC tokens as this account.
    new gcp.serviceaccount.IAMMember(
      `${name}-push-invoker-token-creator`,
      {
        serviceAccountId: this.pushInvoker.name,
        role: 'roles/iam.serviceAccountTokenCreator',
        member: args.pubsubServiceAgent,
      },
      child,
    );

    const functions: Record<string, RegionalFunction> = {};
    for (const definition of args.functions) {
      functions[definition.name] = new RegionalFunction(
        `${name}-${definition.name}`,
        {
          project: args.project,
          region: args.region,
          regionKey: args.regionKey,
          definition,
          source: args.source,
          topics: args.topics,
          pushInvoker: this.pushInvoker,
          pubsubServiceAgent: args.pubsubServiceAgent,
          grants: grantsFor(definition.name),
          redactionKey: args.redactionKey,
          backupBucket: args.backupBucket,
          ...(args.settings === undefined ? {} : { settings: args.settings }),
        },
        child,
      );
    }
    this.functions = functions;

    this.scheduler = new RegionalScheduler(
      `${name}-scheduler`,
      { project: args.project, region: args.region, active: args.active, jobs: args.jobs, topics: args.topics },
      child,
    );

    this.registerOutputs({ region: args.region, active: args.active, functions: Object.keys(functions) });
  }
}
