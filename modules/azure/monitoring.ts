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

    // Azure's limit on the short name is 12 characters; it prefixes SMS and e-mail subjects.
    this.actionGroup = createActionGroup(this, { ...common, alerts, name: `${props.namePrefix}-oncall`, shortName: "medplum-dr" });
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
    metricAlert(
      "databaseCpu",
      props.databaseServerId,
      "Recovered PostgreSQL CPU above 80% for 15 minutes",
      { metricNamespace: postgres, metricName: "cpu_percent", aggregation: "Average", operator: "GreaterThan", threshold: 80 },
      2,
    );
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

    createAvailabilityTest(this, {
      ...common,
      location: props.location,
      workspaceId: props.logAnalyticsWorkspaceId,
      insightsName: `${props.namePrefix}-insights`,
      testId: "healthcheck",
      testName: `${props.namePrefix}-healthcheck`,
      alertId: "availability",
      alertName: `${props.namePrefix}-api-unavailable`,
      host: props.apiHostname,
      testDescription: `GET https://${props.apiHostname}${HEALTHCHECK_PATH} answers 200 (Postgres and Redis reachable)`,
      alertDescription: `The Medplum API health check fails from two or more locations`,
      actionGroupId: this.actionGroup.id,
    });

    this.monitoring = { alertDestination: this.actionGroup.id };
  }
}

export interface ActionGroupProps {
  readonly alerts: AzureTargetConfig["alerts"];
  readonly name: string;
  /** At most 12 characters. */
  readonly shortName: string;
  readonly resourceGroupName: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** The action group every alert of a stack notifies: the e-mails and webhooks of `alerts`. Construct id `actionGroup`. */
export function createActionGroup(scope: Construct, props: ActionGroupProps): MonitorActionGroup {
  return new MonitorActionGroup(scope, "actionGroup", {
    resourceGroupName: props.resourceGroupName,
    tags: { ...props.tags },
    name: props.name,
    shortName: props.shortName,
    location: "global",
    emailReceiver: props.alerts.emails.map((emailAddress, index) => ({ name: `email-${index + 1}`, emailAddress, useCommonAlertSchema: true })),
    webhookReceiver: props.alerts.webhooks.map((webhook) => ({ name: webhook.name, serviceUri: webhook.uri, useCommonAlertSchema: true })),
  });
}

export interface AvailabilityTestProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly workspaceId: string;
  readonly insightsName: string;
  /** Construct ids of the web test and its alert (part of their Terraform addresses). */
  readonly testId: string;
  readonly alertId: string;
  readonly testName: string;
  readonly alertName: string;
  /** The host whose https://<host>/healthcheck is tested. */
  readonly host: string;
  readonly testDescription: string;
  readonly alertDescription: string;
  readonly actionGroupId: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Application Insights (construct id `insights`) with a standard web test of https://<host>/healthcheck from
 * AVAILABILITY_TEST_LOCATIONS every five minutes, and a severity-0 alert when two locations fail.
 */
export function createAvailabilityTest(scope: Construct, props: AvailabilityTestProps): ApplicationInsightsStandardWebTest {
  const common = { resourceGroupName: props.resourceGroupName, tags: { ...props.tags } };
  const insights = new ApplicationInsights(scope, "insights", {
    ...common,
    name: props.insightsName,
    location: props.location,
    applicationType: "web",
    workspaceId: props.workspaceId,
  });
  const url = `https://${props.host}${HEALTHCHECK_PATH}`;
  const test = new ApplicationInsightsStandardWebTest(scope, props.testId, {
    ...common,
    name: props.testName,
    location: props.location,
    applicationInsightsId: insights.id,
    description: props.testDescription,
    enabled: true,
    frequency: 300,
    timeout: 30,
    retryEnabled: true,
    geoLocations: AVAILABILITY_TEST_LOCATIONS,
    request: { url, httpVerb: "GET" },
    validationRules: { expectedStatusCode: 200, sslCheckEnabled: true, sslCertRemainingLifetime: 7 },
  });
  new MonitorMetricAlert(scope, props.alertId, {
    ...common,
    name: props.alertName,
    scopes: [test.id, insights.id],
    description: props.alertDescription,
    severity: 0,
    frequency: "PT1M",
    windowSize: "PT5M",
    applicationInsightsWebTestLocationAvailabilityCriteria: { webTestId: test.id, componentId: insights.id, failedLocationCount: 2 },
    action: [{ actionGroupId: props.actionGroupId }],
  });
  return test;
}
