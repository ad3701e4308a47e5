import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

/** The structured log events the backup use cases write (`jsonPayload.event`). */
const BACKUP_LOG_EVENTS = {
  snapshotSucceeded: 'backup.snapshot.succeeded',
  drillSucceeded: 'backup.drill.succeeded',
  drillFailed: 'backup.drill.failed',
} as const;

export interface BackupAlertsArgs {
  project: pulumi.Input<string>;
  /** The notification channel of on-call (`Monitoring.channel.name`). */
  notificationChannel: pulumi.Input<string>;
  /** Hours without a successful snapshot before on-call hears of it (the job runs daily). */
  snapshotOverdueHours: number;
  /** Hours without a passed restore drill before on-call hears of it (the drill runs weekly). */
  drillOverdueHours: number;
}

/**
 * Alerts for backups that quietly stop: a log-based counter of each success, and an alert when
 * none has been recorded for longer than its period plus a margin (PromQL `absent_over_time`,
 * which also fires when the metric never had a point). A failed drill alerts at once, from its
 * error log line.
 */
export class BackupAlerts extends pulumi.ComponentResource {
  constructor(name: string, args: BackupAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tuki:gcp:BackupAlerts', name, {}, opts);
    const child = { parent: this };
    const metricName = (event: string): string => `tuki_${event.replace(/\./g, '_')}`;
    const counter = (key: string, event: string, description: string): gcp.logging.Metric =>
      new gcp.logging.Metric(
        `${name}-${key}`,
        {
          project: args.project,
          name: metricName(event),
          description,
          filter: `jsonPayload.event="${event}"`,
          metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64', unit: '1' },
        },
        child,
      );
    const overdue = (key: string, event: string, metric: gcp.logging.Metric, hours: number, displayName: string, runbook: string): void => {
      new gcp.monitoring.AlertPolicy(
        `${name}-${key}-overdue`,
        {
          project: args.project,
          displayName,
          combiner: 'OR',
          conditions: [
            {
              displayName: `No ${event} for ${hours} h`,
              conditionPrometheusQueryLanguage: {
                query: `absent_over_time(logging_googleapis_com:user_${metricName(event)}[${hours}h])`,
                duration: '0s',
                evaluationInterval: '300s',
              },
            },
          ],
          notificationChannels: [args.notificationChannel],
          documentation: { mimeType: 'text/markdown', content: runbook },
        },
        { parent: this, dependsOn: [metric] },
      );
    };

    const snapshots = counter('snapshot-succeeded', BACKUP_LOG_EVENTS.snapshotSucceeded, 'tuki backup snapshots taken');
    const drills = counter('drill-succeeded', BACKUP_LOG_EVENTS.drillSucceeded, 'tuki restore drills passed');
    overdue(
      'snapshot',
      BACKUP_LOG_EVENTS.snapshotSucceeded,
      snapshots,
      args.snapshotOverdueHours,
      'tuki backup snapshot overdue',
      'No backup snapshot was recorded for longer than a day. Check the `backup-snapshot` function logs and the Cloud Scheduler job in the active region; run `npm run tuki -- run-job backup-snapshot`.',
    );
    overdue(
      'drill',
      BACKUP_LOG_EVENTS.drillSucceeded,
      drills,
      args.drillOverdueHours,
      'tuki restore drill overdue',
      'No restore drill passed for longer than a week. Check the `restore-drill` function logs and the reports under `drills/`; run `npm run tuki -- drill restore`.',
    );

    new gcp.monitoring.AlertPolicy(
      `${name}-drill-failed`,
      {
        project: args.project,
        displayName: 'tuki restore drill failed',
        combiner: 'OR',
        conditions: [
          {
            displayName: 'A restore drill failed its verification',
            conditionMatchedLog: { filter: `jsonPayload.event="${BACKUP_LOG_EVENTS.drillFailed}" AND severity>=ERROR` },
          },
        ],
        alertStrategy: { notificationRateLimit: { period: '3600s' } },
        notificationChannels: [args.notificationChannel],
        documentation: {
          mimeType: 'text/markdown',
          content: 'A restore drill did not reproduce its snapshot (or a destroyed key opened). The report is in Firestore `drills/` and in the backup bucket under `drills/`; its problems name the collections.',
        },
      },
      child,
    );
    this.registerOutputs({ snapshotMetric: snapshots.name, drillMetric: drills.name });
  }
}
