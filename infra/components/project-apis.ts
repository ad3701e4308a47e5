import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

/** The Google APIs that tuki's resources need. */
export const REQUIRED_APIS = [
  'iam.googleapis.com',
  'cloudresourcemanager.googleapis.com',
  'storage.googleapis.com',
  'pubsub.googleapis.com',
  'cloudfunctions.googleapis.com',
  'run.googleapis.com',
  'cloudbuild.googleapis.com',
  'artifactregistry.googleapis.com',
  'cloudscheduler.googleapis.com',
  'firestore.googleapis.com',
  'cloudkms.googleapis.com',
  'compute.googleapis.com',
  'monitoring.googleapis.com',
  'logging.googleapis.com',
  // Identity Platform issues the ID tokens that the API verifies.
  'identitytoolkit.googleapis.com',
] as const;

export interface ProjectApisArgs {
  project: pulumi.Input<string>;
  services: readonly string[];
}

/**
 * Enables the project's APIs. Everything else `dependsOn` this component, which waits for every
 * service, so a fresh project deploys in one `pulumi up`.
 */
export class ProjectApis extends pulumi.ComponentResource {
  readonly services: Readonly<Record<string, gcp.projects.Service>>;

  constructor(name: string, args: ProjectApisArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tuki:gcp:ProjectApis', name, {}, opts);
    const services: Record<string, gcp.projects.Service> = {};
    for (const service of args.services) {
      services[service] = new gcp.projects.Service(
        `${name}-${service.split('.')[0]}`,
        {
          project: args.project,
          service,
          // Turning an API off on `pulumi destroy` would break anything else in the project that uses it.
          disableOnDestroy: false,
          disableDependentServices: false,
        },
        { parent: this },
      );
    }
    this.services = services;
    this.registerOutputs({ services: Object.keys(services) });
  }
}
