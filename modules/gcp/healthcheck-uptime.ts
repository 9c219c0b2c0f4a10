/**
 * Medplum's `/healthcheck` watched by a Cloud Monitoring uptime check, and the alert condition that fires when it
 * fails: shared by the recovery's monitoring (the recovered api) and standby-gcp's watches (the primary's api).
 * Medplum answers {"ok":true,...} only when Postgres and Redis both answer.
 */
import type { MonitoringAlertPolicyConditions } from "@cdktf/provider-google/lib/monitoring-alert-policy";
import { MonitoringUptimeCheckConfig } from "@cdktf/provider-google/lib/monitoring-uptime-check-config";
import type { TerraformProvider } from "cdktf";
import type { Construct } from "constructs";

export interface HealthcheckUptimeProps {
  readonly project: string;
  readonly displayName: string;
  /** The api host, without scheme. */
  readonly host: string;
  readonly labels: Readonly<Record<string, string>>;
  /** @default - the stack's default google provider */
  readonly provider?: TerraformProvider;
}

export function healthcheckUptimeCheck(scope: Construct, id: string, props: HealthcheckUptimeProps): MonitoringUptimeCheckConfig {
  return new MonitoringUptimeCheckConfig(scope, id, {
    ...(props.provider !== undefined ? { provider: props.provider } : {}),
    project: props.project,
    displayName: props.displayName,
    period: "60s",
    timeout: "10s",
    monitoredResource: { type: "uptime_url", labels: { project_id: props.project, host: props.host } },
    httpCheck: { path: "/healthcheck", port: 443, useSsl: true, validateSsl: true, requestMethod: "GET" },
    contentMatchers: [{ content: '"ok":true', matcher: "CONTAINS_STRING" }],
    userLabels: { ...props.labels },
  });
}

/** Fires when the check fails from more than one checker region within 20 minutes' alignment. */
export function uptimeFailingCondition(displayName: string, check: MonitoringUptimeCheckConfig): MonitoringAlertPolicyConditions {
  return {
    displayName,
    conditionThreshold: {
      filter: `metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND metric.label.check_id="${check.uptimeCheckId}" AND resource.type="uptime_url"`,
      comparison: "COMPARISON_GT",
      thresholdValue: 1,
      duration: "60s",
      aggregations: [
        { alignmentPeriod: "1200s", perSeriesAligner: "ALIGN_NEXT_OLDER", crossSeriesReducer: "REDUCE_COUNT_FALSE", groupByFields: ["resource.label.*"] },
      ],
      trigger: { count: 1 },
    },
  };
}
