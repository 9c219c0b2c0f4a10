/**
 * Cloud Monitoring for the recovered environment: an uptime check on https://<api host>/healthcheck (which touches
 * Postgres and Redis), and alert policies on uptime failure and on the Cloud SQL instance's CPU and disk, notifying
 * e-mail channels made from config and existing channels named there.
 */
import { MonitoringAlertPolicy, type MonitoringAlertPolicyConditions } from "@cdktf/provider-google/lib/monitoring-alert-policy";
import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel";
import { MonitoringUptimeCheckConfig } from "@cdktf/provider-google/lib/monitoring-uptime-check-config";
import { Construct } from "constructs";
import type { GcpTargetConfig } from "../../config/schema";
import type { Monitoring } from "../contracts";

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

    this.uptimeCheck = new MonitoringUptimeCheckConfig(this, "uptime", {
      project,
      displayName: `${props.namePrefix} Medplum API /healthcheck`,
      period: "60s",
      timeout: "10s",
      monitoredResource: { type: "uptime_url", labels: { project_id: project, host: props.apiHostname } },
      httpCheck: { path: "/healthcheck", port: 443, useSsl: true, validateSsl: true, requestMethod: "GET" },
      // Medplum answers {"ok":true,...} only when Postgres and Redis both answer.
      contentMatchers: [{ content: '"ok":true', matcher: "CONTAINS_STRING" }],
      userLabels: { ...props.labels },
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

    policy("uptimeFailing", "API health check failing", {
      displayName: "/healthcheck failing",
      conditionThreshold: {
        filter: `metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND metric.label.check_id="${this.uptimeCheck.uptimeCheckId}" AND resource.type="uptime_url"`,
        comparison: "COMPARISON_GT",
        thresholdValue: 1,
        duration: "60s",
        aggregations: [
          { alignmentPeriod: "1200s", perSeriesAligner: "ALIGN_NEXT_OLDER", crossSeriesReducer: "REDUCE_COUNT_FALSE", groupByFields: ["resource.label.*"] },
        ],
        trigger: { count: 1 },
      },
    });

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
