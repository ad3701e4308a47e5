import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

/**
 * What the function source leaves out of the repository root: dependencies and build output
 * (Cloud Build installs and compiles), tests, the Pulumi program, local state and anything hidden.
 */
const SOURCE_EXCLUDES: readonly string[] = [
  'node_modules',
  'dist',
  'tests',
  'infra',
  'coverage',
  'bench-results',
  'drill-reports',
  'Pulumi.yaml',
];

/** The top-level entries of `rootDir` that go into the source archive. */
function sourceEntries(rootDir: string): string[] {
  return fs
    .readdirSync(rootDir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.'))
    .filter((entry) => !SOURCE_EXCLUDES.includes(entry.name))
    .filter((entry) => !/^Pulumi\..*\.ya?ml$/.test(entry.name) && !entry.name.endsWith('.log'))
    .filter((entry) => entry.isDirectory() || entry.isFile())
    .map((entry) => entry.name)
    .sort();
}

/** A content hash over the archived files, so that a changed source gets a new object and every function rebuilds. */
function hashSource(rootDir: string, entries: readonly string[]): string {
  const hash = createHash('sha256');
  const visit = (relative: string): void => {
    const absolute = path.join(rootDir, relative);
    const stat = fs.statSync(absolute);
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(absolute).sort()) {
        if (child === 'node_modules' || child.startsWith('.')) continue;
        visit(path.join(relative, child));
      }
      return;
    }
    hash.update(relative.split(path.sep).join('/')).update('\0').update(fs.readFileSync(absolute)).update('\0');
  };
  entries.forEach(visit);
  return hash.digest('hex');
}

export interface FunctionSourceArgs {
  project: pulumi.Input<string>;
  /** Bucket location; a multi-region so that the secondary can still build when the primary region is down. */
  location: string;
  /** The repository root. */
  rootDir: string;
}

/**
 * The one source archive that every function in every region is built from, and the service
 * account that Cloud Build uses for those builds (instead of the Compute Engine default account).
 * The build installs dependencies and runs the `gcp-build` script (`tsc`).
 */
export class FunctionSource extends pulumi.ComponentResource {
  readonly bucket: gcp.storage.Bucket;
  readonly object: gcp.storage.BucketObject;
  readonly builder: gcp.serviceaccount.Account;
  /** `projects/<project>/serviceAccounts/<email>`, as `buildConfig.serviceAccount` wants it. */
  readonly builderId: pulumi.Output<string>;
  /** Resources that must exist before a function build can start. */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: FunctionSourceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tuki:gcp:FunctionSource', name, {}, opts);
    const child = { parent: this };
    const entries = sourceEntries(args.rootDir);
    const archive = new pulumi.asset.AssetArchive(
      Object.fromEntries(
        entries.map((entry) => {
          const absolute = path.join(args.rootDir, entry);
          const asset = fs.statSync(absolute).isDirectory()
            ? new pulumi.asset.FileArchive(absolute)
            : new pulumi.asset.FileAsset(absolute);
          return [entry, asset];
        }),
      ),
    );

    this.bucket = new gcp.storage.Bucket(
      `${name}-bucket`,
      {
        project: args.project,
        location: args.location,
        uniformBucketLevelAccess: true,
        publicAccessPrevention: 'enforced',
        forceDestroy: true,
        labels: { app: 'tuki', purpose: 'function-source' },
      },
      child,
    );
    this.object = new gcp.storage.BucketObject(
      `${name}-archive`,
      {
        bucket: this.bucket.name,
        name: `tuki-source-${hashSource(args.rootDir, entries).slice(0, 16)}.zip`,
        source: archive,
        contentType: 'application/zip',
      },
      child,
    );

    this.builder = new gcp.serviceaccount.Account(
      `${name}-builder`,
      {
        project: args.project,
        accountId: 'tuki-function-builder',
        displayName: 'tuki function builds',
        description: 'Cloud Build identity for the 2nd-gen function builds of tuki',
      },
      child,
    );
    const builderMember = pulumi.interpolate`serviceAccount:${this.builder.email}`;
    // Builder: logs, Artifact Registry pushes, reading the source bucket.
    const builderRole = new gcp.projects.IAMMember(
      `${name}-builder-role`,
      { project: args.project, role: 'roles/cloudbuild.builds.builder', member: builderMember },
      child,
    );
    const sourceReader = new gcp.storage.BucketIAMMember(
      `${name}-builder-source-reader`,
      { bucket: this.bucket.name, role: 'roles/storage.objectViewer', member: builderMember },
      child,
    );
    this.builderId = pulumi.interpolate`projects/${args.project}/serviceAccounts/${this.builder.email}`;
    this.ready = [this.object, builderRole, sourceReader];

    this.registerOutputs({ bucket: this.bucket.name, object: this.object.name, builder: this.builder.email });
  }
}
