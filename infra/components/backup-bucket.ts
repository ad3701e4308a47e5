import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

export interface BackupBucketArgs {
  project: pulumi.Input<string>;
  /** A region other than the primary one, so that snapshots survive the loss of the primary. */
  region: string;
  /** Days a snapshot stays current; erased personal data must not live on in backups for longer. */
  retentionDays: number;
  /** Days an overwritten or expired snapshot is still kept as a noncurrent version. */
  noncurrentDays: number;
  /** The Firestore service agent, which writes managed exports into the bucket. */
  exportWriter: pulumi.Input<string>;
}

/**
 * The bucket for the scheduled data snapshots. Versioned (an overwrite or delete keeps the old
 * version for a while), with lifecycle rules instead of a locked retention policy: a bucket cannot
 * have both a retention policy and versioning, and snapshots that contain erased personal data must
 * eventually go.
 */
export class BackupBucket extends pulumi.ComponentResource {
  readonly bucket: gcp.storage.Bucket;

  constructor(name: string, args: BackupBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tuki:gcp:BackupBucket', name, {}, opts);
    this.bucket = new gcp.storage.Bucket(
      `${name}-bucket`,
      {
        project: args.project,
        name: pulumi.interpolate`${args.project}-tuki-backups`,
        location: args.region.toUpperCase(),
        storageClass: 'STANDARD',
        uniformBucketLevelAccess: true,
        publicAccessPrevention: 'enforced',
        versioning: { enabled: true },
        softDeletePolicy: { retentionDurationSeconds: 7 * 24 * 3600 },
        lifecycleRules: [
          { action: { type: 'Delete' }, condition: { age: args.retentionDays, withState: 'LIVE' } },
          {
            action: { type: 'Delete' },
            condition: { daysSinceNoncurrentTime: args.noncurrentDays, withState: 'ARCHIVED' },
          },
        ],
        labels: { app: 'tuki', purpose: 'backups' },
      },
      { parent: this },
    );
    // Bucket-level only; exports need `storage.buckets.get` besides object writes, hence storage.admin.
    new gcp.storage.BucketIAMMember(`${name}-firestore-export`, { bucket: this.bucket.name, role: 'roles/storage.admin', member: args.exportWriter }, { parent: this });
    this.registerOutputs({ bucket: this.bucket.name, location: this.bucket.location });
  }
}
