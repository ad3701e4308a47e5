import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

/** The path the uptime check probes; `GET /v1/health` answers `{status, region, version}`. */
const HEALTH_PATH = '/v1/health';

export interface MonitoringArgs {
  project: pulumi.Input<string>;
  domain: string;
  alertEmail: string;
}

/**
 * On-call signals: an uptime check on the public health endpoint with an alert policy, and an
 * alert when any dead-letter subscription holds messages; both notify `alertEmail`.
 */
export class Monitoring extends pulumi.ComponentResource {
  readonly channel: gcp.monitoring.NotificationChannel;
  readonly uptimeCheck: gcp.monitoring.UptimeCheckConfig;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tuki:gcp:Monitoring', name, {}, opts);
    const child = { parent: this };

    this.channel = new gcp.monitoring.NotificationChannel(
      `${name}-email`,
      {
        project: args.project,
        displayName: 'tuki on-call email',
        type: 'email',
        labels: { email_address: args.alertEmail },
      },
      child,
    );

    this.uptimeCheck = new gcp.monitoring.UptimeCheckConfig(
      `${name}-health`,
      {
        project: args.project,
        displayName: `tuki API health (https://${args.domain}${HEALTH_PATH})`,
        period: '60s',
        timeout: '10s',
        httpCheck: {
          path: HEALTH_PATH,
          port: 443,
          useSsl: true,
          validateSsl: true,
          requestMethod: 'GET',
          acceptedResponseStatusCodes: [{ statusClass: 'STATUS_CLASS_2XX' }],
        },
        contentMatchers: [{ content: '"status"', matcher: 'CONTAINS_STRING' }],
        monitoredResource: { type: 'uptime_url', labels: { project_id: args.project, host: args.domain } },
      },
      child,
    );

    new gcp.monitoring.AlertPolicy(
      `${name}-health-alert`,
      {
        project: args.project,
        displayName: 'tuki API is down',
        combiner: 'OR',
        conditions: [
          {
            displayName: `Uptime check on ${HEALTH_PATH} failing`,
            conditionThreshold: {
              filter: pulumi.interpolate`metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND metric.label.check_id="${this.uptimeCheck.uptimeCheckId}" AND resource.type="uptime_url"`,
              comparison: 'COMPARISON_GT',
              thresholdValue: 1,
              duration: '120s',
              // More than one checker location failing, so a single flaky probe does not page anyone.
              aggregations: [
                {
                  alignmentPeriod: '1200s',
                  perSeriesAligner: 'ALIGN_NEXT_OLDER',
                  crossSeriesReducer: 'REDUCE_COUNT_FALSE',
                  groupByFields: ['resource.label.*'],
                },
              ],
              trigger: { count: 1 },
            },
          },
        ],
        notificationChannels: [this.channel.name],
        documentation: {
          mimeType: 'text/markdown',
          content: `https://${args.domain}${HEALTH_PATH} is failing from several locations. Check both regions' \`api\` services and the load balancer; run the failover drill runbook if one region is down.`,
        },
      },
      child,
    );

    new gcp.monitoring.AlertPolicy(
      `${name}-dead-letters-alert`,
      {
        project: args.project,
        displayName: 'tuki events were dead-lettered',
        combiner: 'OR',
        conditions: [
          {
            displayName: 'A dead-letter subscription holds messages',
            conditionThreshold: {
              filter:
                'metric.type="pubsub.googleapis.com/subscription/num_undelivered_messages" AND resource.type="pubsub_subscription" AND resource.label.subscription_id=monitoring.regex.full_match(".*-dead-letter")',
              comparison: 'COMPARISON_GT',
              thresholdValue: 0,
              duration: '0s',
              aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_MAX' }],
              trigger: { count: 1 },
            },
          },
        ],
        notificationChannels: [this.channel.name],
        documentation: {
          mimeType: 'text/markdown',
          content:
            'An event failed delivery 5 times and was dead-lettered. Pull the `<topic>-dead-letter` subscription to inspect it, fix the cause, and republish to the topic.',
        },
      },
      child,
    );

    this.registerOutputs({ uptimeCheckId: this.uptimeCheck.uptimeCheckId, channel: this.channel.name });
  }
}
