/**
 * Cloud Monitoring for the recovered environment: an uptime check on https://<api host>/healthcheck (which touches
 * Postgres and Redis), and alert policies on uptime failure and on the Cloud SQL instance's CPU and disk, notifying
 * e-mail channels made from config and existing channels named there.
 */
import { MonitoringAlertPolicy, type MonitoringAlertPolicyConditions } from "@cdktf/provider-google/lib/monitoring-alert-policy";
import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel";
import type { MonitoringUptimeCheckConfig } from "@cdktf/provider-google/lib/monitoring-uptime-check-config";
import { Construct } from "constructs";
import type { GcpTargetConfig } from "../../config/schema";
import type { Monitoring } from "../contracts";
import { healthcheckUptimeCheck, uptimeFailingCondition } from "./healthcheck-uptime";

export interface GcpMonitoringProps {
  readonly project: string;
  readonly namePrefix: string;
  readonly apiHostname: string;
  /** `<project>:<instance>`, Cloud SQL's `database_id` metric label. */
  readonly databaseId: string;
  readonly alerts: GcpTargetConfig["alerts"];
  readonly labels: Readonly<Record<string, string>>;
}

/** Thresholds, as fractions of capacity. */
export const DATABASE_CPU_ALERT_THRESHOLD = 0.8;
export const DATABASE_DISK_ALERT_THRESHOLD = 0.85;

export class GcpMonitoring extends Construct {
  readonly uptimeCheck: MonitoringUptimeCheckConfig;
  readonly value: Monitoring;

  constructor(scope: Construct, id: string, props: GcpMonitoringProps) {
    super(scope, id);
    const { project, alerts } = props;

    const emailChannels = alerts.emails.map(
      (email, index) =>
        new MonitoringNotificationChannel(this, `email${index}`, {
          project,
          type: "email",
          displayName: `${props.namePrefix} on-call ${email}`,
          labels: { email_address: email },
          userLabels: { ...props.labels },
        }).id,
    );
    const channels = [...emailChannels, ...alerts.channelIds];

    this.uptimeCheck = healthcheckUptimeCheck(this, "uptime", {
      project,
      displayName: `${props.namePrefix} Medplum API /healthcheck`,
      host: props.apiHostname,
      labels: props.labels,
    });

    const policy = (id: string, displayName: string, condition: MonitoringAlertPolicyConditions) =>
      new MonitoringAlertPolicy(this, id, {
        project,
        displayName: `${props.namePrefix} ${displayName}`,
        combiner: "OR",
        severity: "CRITICAL",
        notificationChannels: channels,
        conditions: [condition],
        documentation: { mimeType: "text/markdown", content: "Recovered Medplum environment; runbook: docs/targets/gcp.md" },
        userLabels: { ...props.labels },
      });

    policy("uptimeFailing", "API health check failing", uptimeFailingCondition("/healthcheck failing", this.uptimeCheck));

    const databaseFilter = (metric: string) =>
      `resource.type="cloudsql_database" AND resource.label.database_id="${props.databaseId}" AND metric.type="cloudsql.googleapis.com/database/${metric}"`;
    policy("databaseCpu", "Cloud SQL CPU high", {
      displayName: `CPU above ${DATABASE_CPU_ALERT_THRESHOLD * 100}%`,
      conditionThreshold: {
        filter: databaseFilter("cpu/utilization"),
        comparison: "COMPARISON_GT",
        thresholdValue: DATABASE_CPU_ALERT_THRESHOLD,
        duration: "300s",
        aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MEAN" }],
        trigger: { count: 1 },
      },
    });
    policy("databaseDisk", "Cloud SQL disk nearly full", {
      displayName: `Disk above ${DATABASE_DISK_ALERT_THRESHOLD * 100}%`,
      conditionThreshold: {
        filter: databaseFilter("disk/utilization"),
        comparison: "COMPARISON_GT",
        thresholdValue: DATABASE_DISK_ALERT_THRESHOLD,
        duration: "300s",
        aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MEAN" }],
        trigger: { count: 1 },
      },
    });

    this.value = { alertDestination: channels.join(",") };
  }
}
