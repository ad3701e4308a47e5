/**
 * The Pulumi program under mocks: loaded once per stack config (mocks and config set before the
 * program is imported, in an isolated module registry), every created resource collected, and the
 * deployment's invariants asserted over that list.
 */
import type * as PulumiModule from '@pulumi/pulumi';
import { FUNCTIONS, JOBS, TOPICS } from '../../functions/src/manifest';

// Resource inputs as the mock monitor sees them: deserialized JSON-like values.
 
type Json = any;

interface CreatedResource {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Json;
  readonly state: Json;
}

interface LoadedProgram {
  readonly resources: readonly CreatedResource[];
  readonly outputs: Json;
  ofType(type: string): CreatedResource[];
}

const PROJECT = 'tuki-test';
const PROJECT_NUMBER = '123456789012';
const PUBSUB_AGENT = `serviceAccount:service-${PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com`;

const T = {
  account: 'gcp:serviceaccount/account:Account',
  function: 'gcp:cloudfunctionsv2/function:Function',
  runInvoker: 'gcp:cloudrunv2/serviceIamMember:ServiceIamMember',
  topic: 'gcp:pubsub/topic:Topic',
  subscription: 'gcp:pubsub/subscription:Subscription',
  job: 'gcp:cloudscheduler/job:Job',
  database: 'gcp:firestore/database:Database',
  backupSchedule: 'gcp:firestore/backupSchedule:BackupSchedule',
  bucket: 'gcp:storage/bucket:Bucket',
  bucketObject: 'gcp:storage/bucketObject:BucketObject',
  securityPolicy: 'gcp:compute/securityPolicy:SecurityPolicy',
  backendService: 'gcp:compute/backendService:BackendService',
  neg: 'gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup',
  certificate: 'gcp:compute/managedSslCertificate:ManagedSslCertificate',
  forwardingRule: 'gcp:compute/globalForwardingRule:GlobalForwardingRule',
  keyRing: 'gcp:kms/keyRing:KeyRing',
  cryptoKey: 'gcp:kms/cryptoKey:CryptoKey',
  cryptoKeyMember: 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember',
  topicMember: 'gcp:pubsub/topicIAMMember:TopicIAMMember',
  uptimeCheck: 'gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig',
  alertPolicy: 'gcp:monitoring/alertPolicy:AlertPolicy',
  channel: 'gcp:monitoring/notificationChannel:NotificationChannel',
  service: 'gcp:projects/service:Service',
} as const;

/** Computed outputs that the real provider would return and the program reads. */
function mockState(type: string, name: string, inputs: Json): { id: string; state: Json } {
  const project = (inputs.project as string | undefined) ?? PROJECT;
  const state: Json = { ...inputs, name: inputs.name ?? `${name}-mock` };
  let id = `${name}-id`;
  switch (type) {
    case T.account: {
      state.email = `${inputs.accountId}@${project}.iam.gserviceaccount.com`;
      state.name = `projects/${project}/serviceAccounts/${state.email}`;
      id = state.name;
      break;
    }
    case T.topic:
      id = `projects/${project}/topics/${inputs.name}`;
      break;
    case T.function:
      state.serviceConfig = { ...inputs.serviceConfig, uri: `https://${inputs.name}-mock-${inputs.location}.a.run.app` };
      state.url = `https://${inputs.location}-${project}.cloudfunctions.net/${inputs.name}`;
      break;
    case T.keyRing:
      id = `projects/${project}/locations/${inputs.location}/keyRings/${inputs.name}`;
      break;
    case T.cryptoKey:
      id = `${inputs.keyRing}/cryptoKeys/${inputs.name}`;
      break;
    case 'gcp:compute/globalAddress:GlobalAddress':
      state.address = '203.0.113.10';
      break;
    case T.uptimeCheck:
      state.uptimeCheckId = 'tuki-api-health-mock';
      break;
    case T.channel:
      state.name = `projects/${project}/notificationChannels/1`;
      break;
    case T.bucketObject:
      state.generation = 1;
      break;
  }
  if (type.startsWith('gcp:compute/')) {
    state.selfLink = `https://www.googleapis.com/compute/v1/projects/${project}/mock/${state.name}`;
    id = state.selfLink;
  }
  return { id, state };
}

/**
 * Loads `infra/index.ts` under Pulumi mocks with the given stack config (keys without the `tuki:`
 * prefix; `gcp:project` is set unless `project` is null) and collects what it creates.
 */
async function loadProgram(config: Record<string, string>, project: string | null = PROJECT): Promise<LoadedProgram> {
  const resources: CreatedResource[] = [];
  let outputs: Json = {};
  await jest.isolateModulesAsync(async () => {
    // A fresh @pulumi/pulumi per load; mocks and config must be in place before the program is imported.
    const pulumi: typeof PulumiModule = await import('@pulumi/pulumi');
    const all: Record<string, string> = {};
    if (project !== null) all['gcp:project'] = project;
    for (const [key, value] of Object.entries(config)) all[`tuki:${key}`] = value;
    pulumi.runtime.setAllConfig(all);
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          const { id, state } = mockState(args.type, args.name, args.inputs);
          resources.push({ type: args.type, name: args.name, custom: args.custom ?? true, inputs: args.inputs, state });
          return { id, state };
        },
        call: (args): Record<string, unknown> =>
          args.token === 'gcp:organizations/getProject:getProject'
            ? { number: PROJECT_NUMBER, projectId: args.inputs.projectId as string }
            : (args.inputs as Record<string, unknown>),
      },
      'tuki',
      'test',
      false,
    );
    const program: Json = await import('../../infra/index');
    const exported: Json = { ...program };
    outputs = await new Promise((resolve) => pulumi.output(exported).apply((value: Json) => resolve(value)));
    // Resources that no export depends on are still registering: wait for the RPC queue to drain.
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  });
  return { resources, outputs, ofType: (type) => resources.filter((resource) => resource.type === type) };
}

const BASE_CONFIG = { domain: 'support.example.com', alertEmail: 'oncall@example.com' };
const PUBLIC_FUNCTIONS = FUNCTIONS.filter((fn) => fn.trigger.kind === 'http' && fn.trigger.public).map((fn) => fn.name);
const EVENT_FUNCTIONS = FUNCTIONS.filter((fn) => fn.trigger.kind === 'pubsub');

const CASES = [
  {
    activeRegion: 'primary',
    config: { ...BASE_CONFIG, activeRegion: 'primary' },
    regions: { primary: 'europe-west1', secondary: 'europe-west4' },
    rateLimit: 600,
    corsOrigins: '',
  },
  {
    activeRegion: 'secondary',
    config: {
      ...BASE_CONFIG,
      activeRegion: 'secondary',
      primaryRegion: 'europe-west3',
      secondaryRegion: 'europe-west1',
      rateLimitPerMinute: '120',
      corsAllowedOrigins: 'https://console.example.com',
    },
    regions: { primary: 'europe-west3', secondary: 'europe-west1' },
    rateLimit: 120,
    corsOrigins: 'https://console.example.com',
  },
] as const;

describe.each(CASES)('the Pulumi program with activeRegion $activeRegion', ({ activeRegion, config, regions, rateLimit, corsOrigins }) => {
  let program: LoadedProgram;
  const activeName = regions[activeRegion];
  const passiveName = activeRegion === 'primary' ? regions.secondary : regions.primary;
  const regionNames = [regions.primary, regions.secondary];

  beforeAll(async () => {
    program = await loadProgram(config);
  });

  const functionIn = (name: string, region: string): CreatedResource => {
    const matches = program.ofType(T.function).filter((fn) => fn.inputs.name === name && fn.inputs.location === region);
    expect(matches).toHaveLength(1);
    return matches[0]!;
  };

  it('then exactly one region, the active one, has its scheduler jobs unpaused', () => {
    const jobs = program.ofType(T.job);
    expect(jobs).toHaveLength(JOBS.length * 2);
    const running = jobs.filter((job) => job.inputs.paused !== true);
    expect(new Set(running.map((job) => job.inputs.region as string))).toEqual(new Set([activeName]));
    expect(running.map((job) => job.inputs.name as string).sort()).toEqual(JOBS.map((job) => job.name).sort());
    const paused = jobs.filter((job) => job.inputs.paused === true);
    expect(new Set(paused.map((job) => job.inputs.region as string))).toEqual(new Set([passiveName]));
  });

  it('then every scheduler job publishes a non-empty payload naming the job to its topic', () => {
    for (const job of program.ofType(T.job)) {
      const definition = JOBS.find((candidate) => candidate.name === job.inputs.name);
      expect(definition).toBeDefined();
      expect(job.inputs.schedule).toBe(definition!.schedule);
      expect(job.inputs.timeZone).toBe(definition!.timeZone);
      expect(job.inputs.pubsubTarget.topicName).toBe(`projects/${PROJECT}/topics/${definition!.topic}`);
      const payload = Buffer.from(job.inputs.pubsubTarget.data as string, 'base64').toString('utf8');
      expect(JSON.parse(payload)).toEqual({ job: definition!.name });
    }
  });

  it('then every function in the manifest is deployed in both regions from the shared source', () => {
    const functions = program.ofType(T.function);
    expect(functions).toHaveLength(FUNCTIONS.length * 2);
    const sources = new Set<string>();
    for (const definition of FUNCTIONS) {
      for (const region of regionNames) {
        const fn = functionIn(definition.name, region);
        expect(fn.inputs.buildConfig.runtime).toBe('nodejs20');
        expect(fn.inputs.buildConfig.entryPoint).toBe(definition.entryPoint);
        expect(fn.inputs.serviceConfig.availableMemory).toBe(`${definition.memoryMb}Mi`);
        expect(fn.inputs.serviceConfig.timeoutSeconds).toBe(definition.timeoutSeconds);
        expect(fn.inputs.serviceConfig.maxInstanceRequestConcurrency).toBe(definition.concurrency);
        expect(fn.inputs.serviceConfig.availableCpu).toBe(definition.concurrency > 1 ? '1' : undefined);
        expect(fn.inputs.serviceConfig.environmentVariables).toMatchObject({
          NODE_ENV: 'production',
          TUKI_CORS_ALLOWED_ORIGINS: corsOrigins,
          TUKI_MODE: 'production',
          TUKI_REGION: region,
          GOOGLE_CLOUD_PROJECT: PROJECT,
        });
        const storage = fn.inputs.buildConfig.source.storageSource;
        sources.add(`${storage.bucket}/${storage.object}`);
      }
    }
    expect(sources.size).toBe(1);
    expect(program.ofType(T.bucketObject)).toHaveLength(1);
  });

  it('then the API serves many requests per instance on a whole vCPU; event functions one message at a time', () => {
    for (const region of regionNames) {
      expect(functionIn('api', region).inputs.serviceConfig).toMatchObject({ maxInstanceRequestConcurrency: 80, availableCpu: '1' });
      expect(functionIn('route-ticket', region).inputs.serviceConfig.maxInstanceRequestConcurrency).toBe(1);
    }
  });

  it('then no function but the public ones allows unauthenticated invocation', () => {
    const open = program.resources.filter((resource) => {
      const members: unknown[] = [resource.inputs.member, ...((resource.inputs.members as unknown[] | undefined) ?? [])];
      const policy = typeof resource.inputs.policyData === 'string' ? resource.inputs.policyData : '';
      return members.some((m) => m === 'allUsers' || m === 'allAuthenticatedUsers') || /allUsers|allAuthenticatedUsers/.test(policy);
    });
    for (const binding of open) {
      expect(binding.type).toBe(T.runInvoker);
      expect(binding.inputs.role).toBe('roles/run.invoker');
      expect(PUBLIC_FUNCTIONS).toContain(binding.inputs.name);
    }
    expect(open.map((binding) => `${binding.inputs.name}@${binding.inputs.location}`).sort()).toEqual(
      PUBLIC_FUNCTIONS.flatMap((name) => regionNames.map((region) => `${name}@${region}`)).sort(),
    );
  });

  it('then the public API is reachable only through the load balancer and event functions only from inside', () => {
    for (const region of regionNames) {
      for (const name of PUBLIC_FUNCTIONS) {
        expect(functionIn(name, region).inputs.serviceConfig.ingressSettings).toBe('ALLOW_INTERNAL_AND_GCLB');
      }
      for (const definition of EVENT_FUNCTIONS) {
        expect(functionIn(definition.name, region).inputs.serviceConfig.ingressSettings).toBe('ALLOW_INTERNAL_ONLY');
      }
    }
  });

  it('then event functions can be invoked only by the push invoker of their region', () => {
    for (const definition of EVENT_FUNCTIONS) {
      for (const [key, region] of Object.entries(regions)) {
        const invokers = program
          .ofType(T.runInvoker)
          .filter((binding) => binding.inputs.name === definition.name && binding.inputs.location === region);
        expect(invokers.map((binding) => binding.inputs.member as string)).toEqual([
          `serviceAccount:push-invoker-${key === 'primary' ? 'pri' : 'sec'}@${PROJECT}.iam.gserviceaccount.com`,
        ]);
      }
    }
  });

  it('then every function has its own service account, distinct per function and region', () => {
    const accounts = new Set(program.ofType(T.account).map((account) => account.state.email as string));
    const used = program.ofType(T.function).map((fn) => fn.inputs.serviceConfig.serviceAccountEmail as string);
    expect(used).toHaveLength(FUNCTIONS.length * 2);
    expect(new Set(used).size).toBe(used.length);
    for (const email of used) {
      expect(accounts).toContain(email);
      expect(email).not.toMatch(/-compute@developer\.gserviceaccount\.com$|@appspot\.gserviceaccount\.com$/);
    }
  });

  it('then only the api and the restore drill (which opens restored originals) may use the redaction key, and each function publishes only to its own topics', () => {
    const keyUsers = program.ofType(T.cryptoKeyMember).map((binding) => binding.inputs.member as string);
    expect(keyUsers.sort()).toEqual(
      ['api', 'restore-drill']
        .flatMap((name) => regionNames.map((region) => `serviceAccount:${functionIn(name, region).inputs.serviceConfig.serviceAccountEmail}`))
        .sort(),
    );
    for (const binding of program.ofType(T.cryptoKeyMember)) {
      expect(binding.inputs.role).toBe('roles/cloudkms.cryptoKeyEncrypterDecrypter');
    }
    const publishers = program.ofType(T.topicMember).filter((binding) => binding.inputs.member !== PUBSUB_AGENT);
    const publishedBy = (name: string) =>
      new Set(
        publishers
          .filter((binding) => (binding.inputs.member as string).startsWith(`serviceAccount:${name}-`))
          .map((binding) => binding.inputs.topic as string),
      );
    expect(publishedBy('record-heartbeat').size).toBe(0);
    expect(publishedBy('api')).toEqual(
      new Set([
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
      ]),
    );
    expect(publishedBy('fan-out-status-update')).toEqual(new Set([TOPICS.statusEmails]));
    for (const binding of publishers) expect(binding.inputs.role).toBe('roles/pubsub.publisher');
  });

  it('then every event function gets its own push subscription per region with a dead-letter policy and retries', () => {
    const pushSubscriptions = program.ofType(T.subscription).filter((subscription) => subscription.inputs.pushConfig);
    expect(pushSubscriptions).toHaveLength(EVENT_FUNCTIONS.length * 2);
    for (const subscription of pushSubscriptions) {
      const topic = (subscription.inputs.topic as string).split('/').pop();
      expect(subscription.inputs.deadLetterPolicy).toEqual({
        deadLetterTopic: `projects/${PROJECT}/topics/${topic}-dead-letter`,
        maxDeliveryAttempts: 5,
      });
      expect(subscription.inputs.retryPolicy).toEqual({ minimumBackoff: '10s', maximumBackoff: '600s' });
      expect(subscription.inputs.pushConfig.oidcToken.serviceAccountEmail).toMatch(/^push-invoker-(pri|sec)@/);
    }
    for (const definition of EVENT_FUNCTIONS) {
      if (definition.trigger.kind !== 'pubsub') continue;
      for (const region of regionNames) {
        const fn = functionIn(definition.name, region);
        // Delivery goes through our subscription, not an Eventarc trigger that could not dead-letter.
        expect(fn.inputs.eventTrigger).toBeUndefined();
        const uri = fn.state.serviceConfig.uri as string;
        const mine = pushSubscriptions.filter((subscription) => subscription.inputs.pushConfig.pushEndpoint === uri);
        expect(mine).toHaveLength(1);
        expect(mine[0]!.inputs.topic).toBe(`projects/${PROJECT}/topics/${definition.trigger.topic}`);
        expect(mine[0]!.inputs.pushConfig.oidcToken.audience).toBe(uri);
      }
    }
  });

  it('then every topic has a dead-letter topic whose messages are kept by a subscription', () => {
    const topicNames = new Set(program.ofType(T.topic).map((topic) => topic.inputs.name as string));
    const pulled = program.ofType(T.subscription).filter((subscription) => !subscription.inputs.pushConfig);
    for (const topic of Object.values(TOPICS)) {
      expect(topicNames).toContain(topic);
      expect(topicNames).toContain(`${topic}-dead-letter`);
      expect(pulled.map((subscription) => subscription.inputs.topic as string)).toContain(`projects/${PROJECT}/topics/${topic}-dead-letter`);
    }
    const agentPublishers = program
      .ofType(T.topicMember)
      .filter((binding) => binding.inputs.member === PUBSUB_AGENT)
      .map((binding) => binding.inputs.topic as string);
    expect(agentPublishers.sort()).toEqual(Object.values(TOPICS).map((topic) => `${topic}-dead-letter`).sort());
  });

  it('then Firestore is the multi-region default database with PITR, delete protection and daily backups', () => {
    const [database, ...others] = program.ofType(T.database).filter((db) => db.inputs.name === '(default)');
    expect(others).toHaveLength(0);
    expect(database!.inputs).toMatchObject({
      name: '(default)',
      locationId: 'eur3',
      type: 'FIRESTORE_NATIVE',
      pointInTimeRecoveryEnablement: 'POINT_IN_TIME_RECOVERY_ENABLED',
      deleteProtectionState: 'DELETE_PROTECTION_ENABLED',
    });
    const schedules = program.ofType(T.backupSchedule);
    expect(schedules.some((schedule) => schedule.inputs.dailyRecurrence !== undefined)).toBe(true);
  });

  it('then Firestore deletes expired bookkeeping records (outbox, processed-event markers, idempotency keys, finished webhook deliveries) by a TTL policy', () => {
    const fields = program.ofType('gcp:firestore/field:Field').map((field) => field.inputs);
    expect(fields.map((f) => f.collection).sort()).toEqual(['idempotencyKeys', 'outbox', 'processedEvents', 'webhookDeliveries']);
    for (const field of fields) {
      expect(field).toMatchObject({ field: 'expireAt', ttlConfig: {}, indexConfig: {} });
    }
  });

  it('then the composite indexes the queries need exist: ticket lists by scope and filters, the outbox relay, routing', () => {
    const indexes = program.ofType('gcp:firestore/index:Index').map((index) => ({
      collection: index.inputs.collection as string,
      fields: (index.inputs.fields as { fieldPath: string; order?: string; arrayConfig?: string }[]).map((f) => `${f.fieldPath}:${f.order ?? f.arrayConfig}`).join(','),
    }));
    const has = (collection: string, fields: string) => indexes.some((i) => i.collection === collection && i.fields === fields);
    expect(has('tickets', 'orgId:ASCENDING,createdAt:DESCENDING,__name__:DESCENDING')).toBe(true);
    expect(has('tickets', 'scopeKey:ASCENDING,tier:ASCENDING,status:ASCENDING,severity:ASCENDING,createdAt:DESCENDING,__name__:DESCENDING')).toBe(true);
    expect(has('outbox', 'publishedAt:ASCENDING,occurredAt:ASCENDING')).toBe(true);
    expect(has('principals', 'kind:ASCENDING,role:ASCENDING,tier:ASCENDING,active:ASCENDING,languages:CONTAINS')).toBe(true);
    expect(indexes.length).toBeLessThanOrEqual(200);
  });

  it('then the retention job and erasure requests have the indexes of their due queries', () => {
    const indexes = program.ofType('gcp:firestore/index:Index').map((index) => ({
      collection: index.inputs.collection as string,
      scope: index.inputs.queryScope as string,
      fields: (index.inputs.fields as { fieldPath: string; order?: string }[]).map((f) => `${f.fieldPath}:${f.order}`).join(','),
    }));
    const has = (collection: string, fields: string, scope = 'COLLECTION') =>
      indexes.some((i) => i.collection === collection && i.fields === fields && i.scope === scope);
    expect(has('tickets', 'product:ASCENDING,status:ASCENDING,closedAt:ASCENDING,__name__:ASCENDING')).toBe(true);
    expect(has('tickets', 'product:ASCENDING,status:ASCENDING,resolvedAt:ASCENDING,__name__:ASCENDING')).toBe(true);
    expect(has('tickets', 'product:ASCENDING,resolvedAt:ASCENDING,__name__:ASCENDING')).toBe(true);
    expect(has('tickets', 'customerUid:ASCENDING,createdAt:ASCENDING,__name__:ASCENDING')).toBe(true);
    expect(has('principals', 'kind:ASCENDING,lastActiveOn:ASCENDING')).toBe(true);
    expect(has('principals', 'kind:ASCENDING,active:ASCENDING,deactivatedAt:ASCENDING')).toBe(true);
    expect(has('messages', 'authorUid:ASCENDING,createdAt:ASCENDING', 'COLLECTION_GROUP')).toBe(true);
    expect(has('deletionReceipts', 'requestId:ASCENDING,at:ASCENDING')).toBe(true);
  });

  it('then wrapped data keys live in a database of their own without PITR or backups (destroyed keys are gone everywhere)', () => {
    const keys = program.ofType(T.database).filter((db) => db.inputs.name === 'tuki-keys');
    expect(keys).toHaveLength(1);
    expect(keys[0]!.inputs.pointInTimeRecoveryEnablement).toBe('POINT_IN_TIME_RECOVERY_DISABLED');
    expect(program.ofType(T.backupSchedule).every((schedule) => schedule.inputs.database !== 'tuki-keys')).toBe(true);
    const sealing = program.ofType(T.function).filter((fn) => fn.inputs.serviceConfig.environmentVariables?.TUKI_REDACTION_KEY !== undefined);
    expect(sealing.length).toBeGreaterThan(0);
    for (const fn of sealing) expect(fn.inputs.serviceConfig.environmentVariables.TUKI_KEYS_DATABASE).toBe('tuki-keys');
  });

  it('then the backup bucket is versioned, expires snapshots and is in another region than the primary', () => {
    const [backups] = program.ofType(T.bucket).filter((bucket) => bucket.inputs.name === `${PROJECT}-tuki-backups`);
    expect(backups).toBeDefined();
    expect((backups!.inputs.location as string).toLowerCase()).toBe('europe-north1');
    expect((backups!.inputs.location as string).toLowerCase()).not.toBe(regions.primary);
    expect(backups!.inputs.versioning).toEqual({ enabled: true });
    expect(backups!.inputs.lifecycleRules.length).toBeGreaterThan(0);
  });

  it('then the backup functions write the backup bucket, the snapshot job may start managed exports, and the Firestore agent may write them', () => {
    const [bucket] = program.ofType(T.bucket).filter((candidate) => candidate.inputs.name === `${PROJECT}-tuki-backups`);
    for (const name of ['backup-snapshot', 'restore-drill']) {
      for (const region of regionNames) {
        const fn = functionIn(name, region);
        expect(fn.inputs.serviceConfig.environmentVariables.TUKI_BACKUP_BUCKET).toBe(bucket!.state.name);
        const member = `serviceAccount:${fn.inputs.serviceConfig.serviceAccountEmail}`;
        expect(program.ofType('gcp:storage/bucketIAMMember:BucketIAMMember').filter((b) => b.inputs.member === member).map((b) => b.inputs.role)).toEqual(['roles/storage.objectAdmin']);
        const exporter = program.ofType('gcp:projects/iAMMember:IAMMember').filter((b) => b.inputs.member === member && b.inputs.role === 'roles/datastore.importExportAdmin');
        expect(exporter).toHaveLength(name === 'backup-snapshot' ? 1 : 0);
      }
    }
    const agent = program.ofType('gcp:storage/bucketIAMMember:BucketIAMMember').filter((b) => String(b.inputs.member).includes('gcp-sa-firestore'));
    expect(agent.map((b) => b.inputs.role)).toEqual(['roles/storage.admin']);
    expect(bucket!.inputs.lifecycleRules).toEqual(expect.arrayContaining([{ action: { type: 'Delete' }, condition: { age: 35, withState: 'LIVE' } }]));
  });

  it('then the daily snapshot and the weekly restore drill are scheduled jobs, and drills restore into a disposable scratch database', () => {
    const jobs = program.ofType(T.job).filter((job) => job.inputs.region === activeName);
    expect(jobs.find((job) => job.inputs.name === 'backup-snapshot')?.inputs).toMatchObject({ schedule: '30 2 * * *', paused: false });
    expect(jobs.find((job) => job.inputs.name === 'restore-drill')?.inputs).toMatchObject({ schedule: '30 4 * * 1', paused: false });
    const drill = program.ofType(T.database).find((db) => db.inputs.name === 'tuki-drill');
    expect(drill?.inputs).toMatchObject({ pointInTimeRecoveryEnablement: 'POINT_IN_TIME_RECOVERY_DISABLED', deleteProtectionState: 'DELETE_PROTECTION_DISABLED' });
    expect(program.ofType(T.backupSchedule).every((schedule) => schedule.inputs.database !== 'tuki-drill')).toBe(true);
  });

  it('then Firestore backs up daily and weekly, and keeps no backup longer than the 35-day backup retention', () => {
    const schedules = program.ofType(T.backupSchedule);
    expect(schedules.some((schedule) => schedule.inputs.dailyRecurrence !== undefined)).toBe(true);
    expect(schedules.some((schedule) => schedule.inputs.weeklyRecurrence !== undefined)).toBe(true);
    for (const schedule of schedules) expect(Number.parseInt(schedule.inputs.retention as string, 10)).toBeLessThanOrEqual(35 * 86_400);
  });

  it('then on-call hears when no snapshot succeeded for 26 hours, no drill passed for 8 days, or a drill failed', () => {
    const metrics = program.ofType('gcp:logging/metric:Metric').map((m) => [m.inputs.name, m.inputs.filter]);
    expect(metrics).toEqual(
      expect.arrayContaining([
        ['tuki_backup_snapshot_succeeded', 'jsonPayload.event="backup.snapshot.succeeded"'],
        ['tuki_backup_drill_succeeded', 'jsonPayload.event="backup.drill.succeeded"'],
      ]),
    );
    const queries = program.ofType(T.alertPolicy).flatMap((alert) => (alert.inputs.conditions as Json[]).map((c) => c.conditionPrometheusQueryLanguage?.query as string | undefined));
    expect(queries).toEqual(
      expect.arrayContaining([
        'absent_over_time(logging_googleapis_com:user_tuki_backup_snapshot_succeeded[26h])',
        'absent_over_time(logging_googleapis_com:user_tuki_backup_drill_succeeded[192h])',
      ]),
    );
    const failed = program.ofType(T.alertPolicy).find((alert) => alert.inputs.displayName === 'tuki restore drill failed');
    expect(failed?.inputs.conditions[0].conditionMatchedLog.filter).toContain('backup.drill.failed');
  });

  it('then the redaction key rotates every 90 days in the multi-region of the primary', () => {
    const [ring] = program.ofType(T.keyRing);
    expect(ring!.inputs.location).toBe('europe');
    const [key] = program.ofType(T.cryptoKey);
    expect(key!.inputs.rotationPeriod).toBe('7776000s');
  });

  it('then one global HTTPS endpoint serves the api of both regions behind a rate-limiting Cloud Armor policy', () => {
    const negs = program.ofType(T.neg);
    expect(negs.map((neg) => neg.inputs.region as string).sort()).toEqual([...regionNames].sort());
    for (const neg of negs) {
      expect(neg.inputs.networkEndpointType).toBe('SERVERLESS');
      expect(neg.inputs.cloudRun).toEqual({ service: 'api' });
    }
    const [backend, ...otherBackends] = program.ofType(T.backendService);
    expect(otherBackends).toHaveLength(0);
    expect(backend!.inputs.loadBalancingScheme).toBe('EXTERNAL_MANAGED');
    expect(backend!.inputs.backends).toHaveLength(2);
    expect(backend!.inputs.outlierDetection).toBeDefined();

    const [policy] = program.ofType(T.securityPolicy);
    expect(backend!.inputs.securityPolicy).toBe(policy!.state.selfLink);
    const limits = (policy!.inputs.rules as Json[]).filter(
      (rule) => rule.action === 'throttle' || rule.action === 'rate_based_ban',
    );
    expect(limits).toHaveLength(1);
    expect(limits[0].rateLimitOptions).toMatchObject({
      enforceOnKey: 'IP',
      rateLimitThreshold: { count: rateLimit, intervalSec: 60 },
      exceedAction: 'deny(429)',
    });

    const [certificate] = program.ofType(T.certificate);
    expect(certificate!.inputs.managed.domains).toEqual(['support.example.com']);
    const ports = program.ofType(T.forwardingRule).map((rule) => rule.inputs.portRange as string);
    expect(ports).toContain('443');
  });

  it('then an uptime check on /v1/health alerts the on-call email', () => {
    const [check] = program.ofType(T.uptimeCheck);
    expect(check!.inputs.httpCheck).toMatchObject({ path: '/v1/health', useSsl: true, port: 443 });
    expect(check!.inputs.monitoredResource.labels.host).toBe('support.example.com');
    const [channel] = program.ofType(T.channel);
    expect(channel!.inputs).toMatchObject({ type: 'email', labels: { email_address: 'oncall@example.com' } });
    const alerts = program.ofType(T.alertPolicy);
    expect(alerts.some((alert) => JSON.stringify(alert.inputs.conditions).includes('tuki-api-health-mock'))).toBe(true);
    for (const alert of alerts) expect(alert.inputs.notificationChannels).toEqual([channel!.state.name]);
  });

  it('then every resource is named after the component that owns it', () => {
    const components = program.resources.filter((resource) => !resource.custom).map((resource) => resource.name);
    expect(components.length).toBeGreaterThan(0);
    for (const resource of program.resources.filter((candidate) => candidate.custom)) {
      expect(components.some((component) => resource.name.startsWith(`${component}-`))).toBe(true);
    }
  });

  it('then the APIs that the resources need are enabled', () => {
    const services = program.ofType(T.service).map((service) => service.inputs.service as string);
    for (const api of ['cloudfunctions', 'run', 'cloudbuild', 'pubsub', 'cloudscheduler', 'firestore', 'cloudkms', 'compute']) {
      expect(services).toContain(`${api}.googleapis.com`);
    }
  });

  it('then the stack exports the endpoint, each region’s api URL, the active region and the topics', () => {
    expect(program.outputs.endpointUrl).toBe('https://support.example.com');
    expect(program.outputs.activeRegion).toBe(activeName);
    expect(program.outputs.activeRegionKey).toBe(activeRegion);
    expect(program.outputs.apiUrls).toEqual({
      primary: `https://api-mock-${regions.primary}.a.run.app`,
      secondary: `https://api-mock-${regions.secondary}.a.run.app`,
    });
    expect(program.outputs.topicNames).toEqual(Object.values(TOPICS));
  });
});

describe('the Pulumi program with an invalid stack config', () => {
  it('when activeRegion is bad, domain missing and both regions equal, then it fails naming every key', async () => {
    const loading = loadProgram({
      alertEmail: 'oncall@example.com',
      activeRegion: 'tertiary',
      primaryRegion: 'europe-west1',
      secondaryRegion: 'europe-west1',
    });
    await expect(loading).rejects.toThrow(/^Invalid stack config: /);
    await expect(loading).rejects.toThrow(/activeRegion: /);
    await expect(loading).rejects.toThrow(/domain: required/);
    await expect(loading).rejects.toThrow(/secondaryRegion: must differ from primaryRegion/);
  });

  it('when gcp:project is not set, then it fails naming project', async () => {
    await expect(loadProgram(BASE_CONFIG, null)).rejects.toThrow(/project: required/);
  });
});
