/**
 * What watches the recovered environment: a Log Analytics workspace (Container Insights, PostgreSQL logs, Application
 * Insights), an action group whose receivers come from config, metric alerts on PostgreSQL CPU and storage and on AKS
 * nodes that are not ready, and an availability test on https://<api host>/healthcheck with its alert.
 */
import { ApplicationInsights } from "@cdktf/provider-azurerm/lib/application-insights";
import { ApplicationInsightsStandardWebTest } from "@cdktf/provider-azurerm/lib/application-insights-standard-web-test";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { MonitorMetricAlert, type MonitorMetricAlertCriteria } from "@cdktf/provider-azurerm/lib/monitor-metric-alert";
import { Construct } from "constructs";
import type { AzureTargetConfig } from "../../config/schema";
import type { Monitoring } from "../contracts";
import { HEALTHCHECK_PATH } from "./traffic";

export interface RecoveryLogsProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly retentionDays: number;
  readonly tags: Readonly<Record<string, string>>;
}

/** The workspace every log goes to; created with the cluster, which sends Container Insights data to it. */
export class RecoveryLogs extends Construct {
  readonly workspace: LogAnalyticsWorkspace;

  constructor(scope: Construct, id: string, props: RecoveryLogsProps) {
    super(scope, id);
    this.workspace = new LogAnalyticsWorkspace(this, "workspace", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: "PerGB2018",
      retentionInDays: props.retentionDays,
      tags: { ...props.tags },
    });
  }
}

/** Azure's availability-test locations (US, Europe, Asia); the alert fires when two of them fail. */
export const AVAILABILITY_TEST_LOCATIONS = ["us-va-ash-azr", "us-ca-sjc-azr", "emea-nl-ams-azr", "emea-gb-db3-azr", "apac-sg-sin-azr"];

export interface AzureMonitoringProps {
  readonly alerts: AzureTargetConfig["alerts"];
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly logAnalyticsWorkspaceId: string;
  readonly databaseServerId: string;
  readonly clusterId: string;
  readonly apiHostname: string;
  readonly tags: Readonly<Record<string, string>>;
}

export class AzureMonitoring extends Construct {
  readonly actionGroup: MonitorActionGroup;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: AzureMonitoringProps) {
    super(scope, id);
    const { alerts } = props;
    const common = { resourceGroupName: props.resourceGroupName, tags: { ...props.tags } };

    this.actionGroup = new MonitorActionGroup(this, "actionGroup", {
      ...common,
      name: `${props.namePrefix}-oncall`,
      // Azure's limit is 12 characters; it prefixes SMS and e-mail subjects.
      shortName: "medplum-dr",
      location: "global",
      emailReceiver: alerts.emails.map((emailAddress, index) => ({ name: `email-${index + 1}`, emailAddress, useCommonAlertSchema: true })),
      webhookReceiver: alerts.webhooks.map((webhook) => ({ name: webhook.name, serviceUri: webhook.uri, useCommonAlertSchema: true })),
    });
    const action = [{ actionGroupId: this.actionGroup.id }];

    const metricAlert = (alertId: string, scopeId: string, description: string, criteria: MonitorMetricAlertCriteria, severity: number) =>
      new MonitorMetricAlert(this, alertId, {
        ...common,
        name: `${props.namePrefix}-${alertId.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`,
        scopes: [scopeId],
        description,
        severity,
        frequency: "PT5M",
        windowSize: "PT15M",
        criteria: [criteria],
        action,
      });

    const postgres = "Microsoft.DBforPostgreSQL/flexibleServers";
    metricAlert("databaseCpu", props.databaseServerId, "Recovered PostgreSQL CPU above 80% for 15 minutes", { metricNamespace: postgres, metricName: "cpu_percent", aggregation: "Average", operator: "GreaterThan", threshold: 80 }, 2);
    metricAlert(
      "databaseStorage",
      props.databaseServerId,
      "Recovered PostgreSQL storage above 85%: grow storage_mb before it fills",
      { metricNamespace: postgres, metricName: "storage_percent", aggregation: "Maximum", operator: "GreaterThan", threshold: 85 },
      1,
    );
    metricAlert(
      "nodesNotReady",
      props.clusterId,
      "AKS nodes not Ready",
      {
        metricNamespace: "Microsoft.ContainerService/managedClusters",
        metricName: "kube_node_status_condition",
        aggregation: "Total",
        operator: "GreaterThan",
        threshold: 0,
        dimension: [
          { name: "condition", operator: "Include", values: ["Ready"] },
          { name: "status", operator: "Include", values: ["false", "unknown"] },
        ],
      },
      1,
    );

    new MonitorDiagnosticSetting(this, "databaseLogs", {
      name: "postgresql-logs",
      targetResourceId: props.databaseServerId,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      enabledLog: [{ category: "PostgreSQLLogs" }],
    });

    const insights = new ApplicationInsights(this, "insights", {
      ...common,
      name: `${props.namePrefix}-insights`,
      location: props.location,
      applicationType: "web",
      workspaceId: props.logAnalyticsWorkspaceId,
    });
    const healthcheck = new ApplicationInsightsStandardWebTest(this, "healthcheck", {
      ...common,
      name: `${props.namePrefix}-healthcheck`,
      location: props.location,
      applicationInsightsId: insights.id,
      description: `GET https://${props.apiHostname}${HEALTHCHECK_PATH} answers 200 (Postgres and Redis reachable)`,
      enabled: true,
      frequency: 300,
      timeout: 30,
      retryEnabled: true,
      geoLocations: AVAILABILITY_TEST_LOCATIONS,
      request: { url: `https://${props.apiHostname}${HEALTHCHECK_PATH}`, httpVerb: "GET" },
      validationRules: { expectedStatusCode: 200, sslCheckEnabled: true, sslCertRemainingLifetime: 7 },
    });
    new MonitorMetricAlert(this, "availability", {
      ...common,
      name: `${props.namePrefix}-api-unavailable`,
      scopes: [healthcheck.id, insights.id],
      description: `The Medplum API health check fails from two or more locations`,
      severity: 0,
      frequency: "PT1M",
      windowSize: "PT5M",
      applicationInsightsWebTestLocationAvailabilityCriteria: { webTestId: healthcheck.id, componentId: insights.id, failedLocationCount: 2 },
      action,
    });

    this.monitoring = { alertDestination: this.actionGroup.id };
  }
}
