/**
 * What pages someone when the preparation breaks or the primary goes down, in Cloud Monitoring of the recovery
 * project (a global service: its alerting does not live in the primary region), notifying an e-mail channel per
 * `targets.gcp.alerts.emails` and the existing channels named there.
 *   - the primary's `/healthcheck`: an uptime check from several regions with an alert, so the outage itself pages;
 *   - the warm-standby replica's lag (`cloudsql.googleapis.com/database/replication/replica_lag`, seconds) past
 *     `objectives.rpoMinutes`;
 *   - Storage Transfer copy failures: the replication job logs FAILED copies at ERROR (binaries.ts), and a log-match
 *     condition alerts on them.
 */
import { MonitoringAlertPolicy, type MonitoringAlertPolicyConditions } from "@cdktf/provider-google/lib/monitoring-alert-policy";
import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel";
import type { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { Construct } from "constructs";
import type { GcpTargetConfig } from "../../../config/schema";
import type { StandbyWatches } from "../../standby-contracts";
import { healthcheckUptimeCheck, uptimeFailingCondition } from "../healthcheck-uptime";

export interface StandbyWatchesProps {
  readonly recovery: GoogleProvider;
  readonly project: string;
  readonly namePrefix: string;
  readonly alerts: GcpTargetConfig["alerts"];
  /** `https://<host>/healthcheck` is watched when given. */
  readonly primaryHost?: string;
  /** `<project>:<replica>`, the replica's `database_id` label, when a warm standby keeps one. */
  readonly replicaDatabaseId?: string;
  readonly rpoMinutes: number;
  /** The replication job's name (`transferJobs/...`). */
  readonly transferJobName: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A log-match alert notifies at most once per this period while its log entries keep coming. */
export const LOG_ALERT_RATE_LIMIT = "3600s";

export class StandbyWatchesConstruct extends Construct {
  readonly watches: StandbyWatches;

  constructor(scope: Construct, id: string, props: StandbyWatchesProps) {
    super(scope, id);
    const { recovery: provider, project } = props;
    const emailChannels = props.alerts.emails.map(
      (email, index) =>
        new MonitoringNotificationChannel(this, `email${index}`, {
          provider,
          project,
          type: "email",
          displayName: `${props.namePrefix} standby ${email}`,
          labels: { email_address: email },
          userLabels: { ...props.labels },
        }).id,
    );
    const channels = [...emailChannels, ...props.alerts.channelIds];
    const policy = (policyId: string, displayName: string, condition: MonitoringAlertPolicyConditions, logMatch = false) =>
      new MonitoringAlertPolicy(this, policyId, {
        provider,
        project,
        displayName: `${props.namePrefix} standby: ${displayName}`,
        combiner: "OR",
        severity: "CRITICAL",
        notificationChannels: channels,
        conditions: [condition],
        ...(logMatch ? { alertStrategy: { notificationRateLimit: { period: LOG_ALERT_RATE_LIMIT } } } : {}),
        documentation: { mimeType: "text/markdown", content: "Medplum peacetime standby; runbook: docs/standby.md (GCP)" },
        userLabels: { ...props.labels },
      });
    const watches: string[] = [];

    if (props.primaryHost !== undefined) {
      const uptime = healthcheckUptimeCheck(this, "primaryUptime", {
        provider,
        project,
        displayName: `${props.namePrefix} primary Medplum API /healthcheck`,
        host: props.primaryHost,
        labels: props.labels,
      });
      policy("primaryDown", "primary API health check failing", uptimeFailingCondition("primary /healthcheck failing", uptime));
      watches.push(`uptime check https://${props.primaryHost}/healthcheck failing from more than one region (Cloud Monitoring)`);
    }

    if (props.replicaDatabaseId !== undefined) {
      policy("replicaLag", "database replica lag past the RPO", {
        displayName: `replica lag above ${props.rpoMinutes} minutes`,
        conditionThreshold: {
          filter: `resource.type="cloudsql_database" AND resource.label.database_id="${props.replicaDatabaseId}" AND metric.type="cloudsql.googleapis.com/database/replication/replica_lag"`,
          comparison: "COMPARISON_GT",
          thresholdValue: props.rpoMinutes * 60,
          duration: "300s",
          aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX" }],
          trigger: { count: 1 },
        },
      });
      watches.push(`Cloud SQL replica lag above ${props.rpoMinutes} minutes for 5 minutes`);
    }

    policy(
      "transferFailures",
      "binaries replication failing",
      {
        displayName: "Storage Transfer copy failed",
        conditionMatchedLog: { filter: `resource.type="storage_transfer_job" AND severity>=ERROR AND resource.labels.job_id="${props.transferJobName}"` },
      },
      true,
    );
    watches.push("Storage Transfer replication job logged a failed copy (log-match alert)");

    this.watches = { alertDestinations: channels, watches };
  }
}
