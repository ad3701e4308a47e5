/**
 * The Pulumi program of tuki: everything in `functions/src/manifest.ts`, deployed to a primary and
 * a secondary region behind one global HTTPS endpoint, with scheduled jobs running in the active
 * region only. This file alone reads the stack config; the shapes live in `components/`.
 */
import * as path from 'node:path';
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { EXPIRE_AT_FIELD, EXPIRING_RECORDS, FUNCTIONS, JOBS, TOPICS } from '../functions/src/manifest';
import {
  REGION_KEYS,
  kmsLocationFor,
  parseStackConfig,
  regionOf,
  storageMultiRegionFor,
  type RegionKey,
} from './config';
import { DEFAULT_BACKUP_RETENTION_DAYS } from '../functions/src/domain/backups';
import { BackupAlerts } from './components/backup-alerts';
import { BackupBucket } from './components/backup-bucket';
import { DrillDatabase } from './components/drill-database';
import { EventTopic } from './components/event-topic';
import { COMPOSITE_INDEXES, FirestoreDatabase, KeysDatabase } from './components/firestore-database';
import { FunctionSource } from './components/function-source';
import { GlobalFrontDoor } from './components/global-front-door';
import { Monitoring } from './components/monitoring';
import { ProjectApis, REQUIRED_APIS } from './components/project-apis';
import { RegionDeployment } from './components/region-deployment';
import { RedactionKey } from './components/redaction-key';

/** The function that the global endpoint serves. */
const API_FUNCTION = 'api';

function readRawConfig(): Record<string, unknown> {
  // Every key in the project namespace, so that a misspelt key is reported instead of ignored.
  const namespace = `${pulumi.getProject()}:`;
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (key.startsWith(namespace)) raw[key.slice(namespace.length)] = value;
  }
  raw.project = new pulumi.Config('gcp').get('project');
  return raw;
}

const cfg = parseStackConfig(readRawConfig());
const project = cfg.project;
const regions: Record<RegionKey, string> = {
  primary: regionOf(cfg, 'primary'),
  secondary: regionOf(cfg, 'secondary'),
};

const apis = new ProjectApis('apis', { project, services: REQUIRED_APIS });
// In the Node SDK, a component's children wait for the component, and the component waits for its
// `dependsOn`; depending on `apis` waits for every enabled service.
const afterApis: pulumi.ComponentResourceOptions = { dependsOn: [apis] };

const projectInfo = gcp.organizations.getProjectOutput({ projectId: project });
const pubsubServiceAgent = pulumi.interpolate`serviceAccount:service-${projectInfo.number}@gcp-sa-pubsub.iam.gserviceaccount.com`;

const topics: Record<string, EventTopic> = {};
for (const topic of Object.values(TOPICS)) {
  topics[topic] = new EventTopic(
    topic,
    { project, topic, persistenceRegions: [regions.primary, regions.secondary], pubsubServiceAgent },
    afterApis,
  );
}

const firestore = new FirestoreDatabase(
  'firestore',
  { project, locationId: cfg.firestoreLocation, indexes: COMPOSITE_INDEXES, expiring: Object.values(EXPIRING_RECORDS), ttlField: EXPIRE_AT_FIELD },
  afterApis,
);
const keys = new KeysDatabase('keys', { project, locationId: cfg.firestoreLocation }, afterApis);
const redaction = new RedactionKey('redaction', { project, location: kmsLocationFor(cfg.primaryRegion) }, afterApis);
const backups = new BackupBucket(
  'backups',
  {
    project,
    region: cfg.backupRegion,
    retentionDays: DEFAULT_BACKUP_RETENTION_DAYS,
    noncurrentDays: 7,
    // Firestore's managed exports (started by the snapshot job) are written by its service agent.
    exportWriter: pulumi.interpolate`serviceAccount:service-${projectInfo.number}@gcp-sa-firestore.iam.gserviceaccount.com`,
  },
  afterApis,
);
const drillDatabase = new DrillDatabase('drill', { project, locationId: cfg.firestoreLocation }, afterApis);
const source = new FunctionSource(
  'function-source',
  { project, location: storageMultiRegionFor(cfg.primaryRegion), rootDir: path.resolve(__dirname, '..') },
  afterApis,
);

const deployments = REGION_KEYS.map(
  (regionKey) =>
    new RegionDeployment(
      regionKey,
      {
        project,
        regionKey,
        region: regions[regionKey],
        active: regionKey === cfg.activeRegion,
        functions: FUNCTIONS,
        jobs: JOBS,
        topics,
        source,
        pubsubServiceAgent,
        redactionKey: redaction.cryptoKey,
        backupBucket: backups.bucket,
        settings: { TUKI_CORS_ALLOWED_ORIGINS: cfg.corsAllowedOrigins.join(','), TUKI_PUBLIC_URL: `https://${cfg.domain}` },
      },
      { dependsOn: [apis, firestore] },
    ),
);

function apiOf(deployment: RegionDeployment) {
  const api = deployment.functions[API_FUNCTION];
  if (!api) throw new Error(`The manifest has no "${API_FUNCTION}" function for the global endpoint`);
  return api;
}

const frontDoor = new GlobalFrontDoor(
  'front-door',
  {
    project,
    domain: cfg.domain,
    rateLimitPerMinute: cfg.rateLimitPerMinute,
    backends: deployments.map((deployment) => ({
      region: deployment.region,
      serviceName: apiOf(deployment).serviceName,
    })),
  },
  afterApis,
);

const monitoring = new Monitoring('monitoring', { project, domain: cfg.domain, alertEmail: cfg.alertEmail }, afterApis);
new BackupAlerts('backup-alerts', { project, notificationChannel: monitoring.channel.name, snapshotOverdueHours: 26, drillOverdueHours: 8 * 24 }, afterApis);

/** The public endpoint: `https://<domain>`; point the domain's DNS A record at `loadBalancerIp`. */
export const endpointUrl = frontDoor.url;
export const loadBalancerIp = frontDoor.ipAddress;
/** The region that runs the scheduled jobs now, and its key. */
export const activeRegion = regions[cfg.activeRegion];
export const activeRegionKey = cfg.activeRegion;
/** Region names by key. */
export const regionNames = regions;
/** Each region's `api` service URI (reachable through the load balancer and from inside the project only). */
export const apiUrls = Object.fromEntries(
  deployments.map((deployment) => [deployment.regionKey, apiOf(deployment).uri]),
) as Record<RegionKey, pulumi.Output<string>>;
/** Topic names, and their dead-letter topics, by manifest topic name. */
export const topicNames = Object.values(TOPICS);
export const deadLetterTopicNames = Object.values(topics).map((topic) => topic.deadLetterTopicName);
export const backupBucketName = backups.bucket.name;
export const redactionKeyId = redaction.cryptoKey.id;
export const firestoreDatabase = firestore.database.name;
export const keysDatabase = keys.database.name;
export const drillDatabaseName = drillDatabase.database.name;
