import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

/** Cloud Armor priority of the per-client rate limit; lower numbers are evaluated first. */
const RATE_LIMIT_PRIORITY = 1000;
/** The priority Cloud Armor requires for the default rule. */
const DEFAULT_RULE_PRIORITY = 2147483647;

export interface FrontDoorBackend {
  region: string;
  /** The Cloud Run service behind the 2nd-gen function (its name is the function name). */
  serviceName: pulumi.Input<string>;
}

export interface GlobalFrontDoorArgs {
  project: pulumi.Input<string>;
  domain: string;
  rateLimitPerMinute: number;
  /** One serverless backend per region. */
  backends: readonly FrontDoorBackend[];
}

/**
 * One global external Application Load Balancer (`EXTERNAL_MANAGED`) in front of the API of both
 * regions: a serverless NEG per region, one backend service holding both, a Google-managed
 * certificate for `domain`, HTTPS on 443 (and a redirect from 80), and a Cloud Armor policy with a
 * per-client-IP rate limit.
 *
 * Failover, as far as serverless NEGs allow: they take no health check, capacity scaler or
 * `failoverPolicy` (that is for internal passthrough load balancers), so the load balancer sends
 * each request to the closest region and API traffic is active/active, not active/passive.
 * Outlier detection, which serverless NEGs do support on `EXTERNAL_MANAGED` backend services,
 * ejects a region whose service keeps answering 5xx or failing connections, so traffic moves to
 * the other region. (Cloud Run "service health" failover needs readiness probes and minimum
 * instances, which the 2nd-gen function resource cannot set.) `activeRegion` therefore governs
 * where scheduled jobs run, not where requests go; both regions share one multi-region Firestore,
 * so serving from both is safe.
 */
export class GlobalFrontDoor extends pulumi.ComponentResource {
  readonly securityPolicy: gcp.compute.SecurityPolicy;
  readonly backendService: gcp.compute.BackendService;
  readonly certificate: gcp.compute.ManagedSslCertificate;
  readonly address: gcp.compute.GlobalAddress;
  readonly ipAddress: pulumi.Output<string>;
  readonly url: string;

  constructor(name: string, args: GlobalFrontDoorArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tuki:gcp:GlobalFrontDoor', name, {}, opts);
    const child = { parent: this };
    const project = args.project;

    const negs = args.backends.map(
      (backend) =>
        new gcp.compute.RegionNetworkEndpointGroup(
          `${name}-neg-${backend.region}`,
          {
            project,
            region: backend.region,
            networkEndpointType: 'SERVERLESS',
            // A 2nd-gen function is a Cloud Run service, addressed as one.
            cloudRun: { service: backend.serviceName },
          },
          child,
        ),
    );

    this.securityPolicy = new gcp.compute.SecurityPolicy(
      `${name}-armor`,
      {
        project,
        description: 'tuki API: per-client rate limit',
        type: 'CLOUD_ARMOR',
        rules: [
          {
            priority: RATE_LIMIT_PRIORITY,
            description: `At most ${args.rateLimitPerMinute} requests per minute per client IP`,
            action: 'throttle',
            match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
            rateLimitOptions: {
              enforceOnKey: 'IP',
              rateLimitThreshold: { count: args.rateLimitPerMinute, intervalSec: 60 },
              conformAction: 'allow',
              // The API contract's status for "rate limited".
              exceedAction: 'deny(429)',
            },
          },
          {
            priority: DEFAULT_RULE_PRIORITY,
            description: 'Default: allow',
            action: 'allow',
            match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
          },
        ],
      },
      child,
    );

    this.backendService = new gcp.compute.BackendService(
      `${name}-backend`,
      {
        project,
        description: 'tuki API in every region',
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        protocol: 'HTTPS',
        // Serverless NEGs take no health check, port, timeout or balancing mode.
        backends: negs.map((neg) => ({ group: neg.id })),
        securityPolicy: this.securityPolicy.selfLink,
        outlierDetection: {
          consecutiveErrors: 5,
          enforcingConsecutiveErrors: 100,
          interval: { seconds: 10 },
          baseEjectionTime: { seconds: 30 },
          // With two regions, never eject both.
          maxEjectionPercent: 50,
        },
        logConfig: { enable: true, sampleRate: 1 },
      },
      child,
    );

    // Auto-named, so a new domain gets a new certificate before the old one is let go.
    this.certificate = new gcp.compute.ManagedSslCertificate(
      `${name}-certificate`,
      { project, managed: { domains: [args.domain] } },
      child,
    );

    const urlMap = new gcp.compute.URLMap(
      `${name}-url-map`,
      { project, description: 'tuki: everything to the API', defaultService: this.backendService.id },
      child,
    );
    const httpsProxy = new gcp.compute.TargetHttpsProxy(
      `${name}-https-proxy`,
      { project, urlMap: urlMap.id, sslCertificates: [this.certificate.id] },
      child,
    );
    this.address = new gcp.compute.GlobalAddress(
      `${name}-address`,
      { project, addressType: 'EXTERNAL', ipVersion: 'IPV4' },
      child,
    );
    this.ipAddress = this.address.address;
    new gcp.compute.GlobalForwardingRule(
      `${name}-https`,
      {
        project,
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        ipProtocol: 'TCP',
        portRange: '443',
        ipAddress: this.address.address,
        target: httpsProxy.id,
      },
      child,
    );

    // Plain HTTP only redirects to HTTPS.
    const redirect = new gcp.compute.URLMap(
      `${name}-http-redirect`,
      {
        project,
        description: 'tuki: HTTP to HTTPS',
        defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT', stripQuery: false },
      },
      child,
    );
    const httpProxy = new gcp.compute.TargetHttpProxy(`${name}-http-proxy`, { project, urlMap: redirect.id }, child);
    new gcp.compute.GlobalForwardingRule(
      `${name}-http`,
      {
        project,
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        ipProtocol: 'TCP',
        portRange: '80',
        ipAddress: this.address.address,
        target: httpProxy.id,
      },
      child,
    );

    this.url = `https://${args.domain}`;
    this.registerOutputs({ url: this.url, ipAddress: this.ipAddress, backendService: this.backendService.name });
  }
}
