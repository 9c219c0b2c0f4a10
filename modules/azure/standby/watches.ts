/**
 * What pages someone in peacetime, from the recovery region (so the watch outlives the primary region): an
 * availability test on the primary's https://<api host>/healthcheck (Application Insights standard web test), blob
 * object replication falling behind the RPO objective, and for warm-standby the replica's lag past it.
 *   - Object replication: `PendingOperationsForReplication` of Microsoft.Storage/storageAccounts/objectReplicationPolicies
 *     (https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-storage-storageaccounts-objectreplicationpolicies-metrics,
 *     in preview there). Its minimum over a window of the RPO staying above zero means the replica never caught up in
 *     that window: a replication that failed or lags past the objective.
 *   - Replica lag: `physical_replication_delay_in_seconds` on the replica
 *     (https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-monitoring).
 */
import { MonitorMetricAlert, type MonitorMetricAlertCriteria } from "@cdktf/provider-azurerm/lib/monitor-metric-alert";
import { Construct } from "constructs";
import type { AzureTargetConfig } from "../../../config/schema";
import type { StandbyWatches } from "../../standby-contracts";
import { AVAILABILITY_TEST_LOCATIONS, createActionGroup, createAvailabilityTest, RecoveryLogs } from "../monitoring";
import { HEALTHCHECK_PATH } from "../traffic";

/** Window sizes Azure metric alerts accept, in minutes. */
const WINDOW_MINUTES: ReadonlyArray<[number, string]> = [
  [5, "PT5M"],
  [15, "PT15M"],
  [30, "PT30M"],
  [60, "PT1H"],
  [360, "PT6H"],
  [720, "PT12H"],
  [1440, "P1D"],
];

/** The smallest window Azure accepts that covers the RPO objective (a day at most). */
export function rpoWindow(rpoMinutes: number): string {
  return (WINDOW_MINUTES.find(([minutes]) => minutes >= rpoMinutes) ?? WINDOW_MINUTES[WINDOW_MINUTES.length - 1]!)[1];
}

export interface StandbyWatchesProps {
  readonly alerts: AzureTargetConfig["alerts"];
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** A workspace the standing infrastructure already has. @default - one created here */
  readonly logAnalyticsWorkspaceId?: string;
  readonly objectReplicationPolicyId: string;
  readonly replicaServerId?: string;
  readonly rpoMinutes: number;
  /** The host whose https://<host>/healthcheck is tested, or none. */
  readonly healthCheckHost: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
}

export class StandbyWatchesConstruct extends Construct {
  readonly watches: StandbyWatches;

  constructor(scope: Construct, id: string, props: StandbyWatchesProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName, tags: { ...props.tags } };
    const group = createActionGroup(this, { ...common, alerts: props.alerts, name: `${props.namePrefix}-standby-oncall`, shortName: "medplum-sb" });
    const action = [{ actionGroupId: group.id }];
    const watches: string[] = [];
    const window = rpoWindow(props.rpoMinutes);
    const metricAlert = (alertId: string, scopeId: string, description: string, criteria: MonitorMetricAlertCriteria, windowSize: string) => {
      new MonitorMetricAlert(this, alertId, {
        ...common,
        name: `${props.namePrefix}-standby-${alertId.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`,
        scopes: [scopeId],
        description,
        severity: 1,
        frequency: "PT5M",
        windowSize,
        criteria: [criteria],
        action,
      });
      watches.push(`${alertId} (Azure Monitor metric alert, ${props.location})`);
    };

    metricAlert(
      "objectReplicationBehind",
      props.objectReplicationPolicyId,
      `Blob object replication into the recovery region has had work pending for ${window}: failed, or behind the RPO objective`,
      {
        metricNamespace: "Microsoft.Storage/storageAccounts/objectReplicationPolicies",
        metricName: "PendingOperationsForReplication",
        aggregation: "Minimum",
        operator: "GreaterThan",
        threshold: 0,
      },
      window,
    );
    if (props.replicaServerId !== undefined) {
      metricAlert(
        "replicaLag",
        props.replicaServerId,
        `The recovery region's read replica is more than ${props.rpoMinutes} minutes behind the primary`,
        {
          metricNamespace: "Microsoft.DBforPostgreSQL/flexibleServers",
          metricName: "physical_replication_delay_in_seconds",
          aggregation: "Maximum",
          operator: "GreaterThan",
          threshold: props.rpoMinutes * 60,
        },
        "PT15M",
      );
    }

    if (props.healthCheckHost !== undefined) {
      const workspaceId =
        props.logAnalyticsWorkspaceId ??
        new RecoveryLogs(this, "logs", {
          name: `${props.namePrefix}-standby-logs`,
          resourceGroupName: props.resourceGroupName,
          location: props.location,
          retentionDays: props.alerts.logRetentionDays,
          tags: props.tags,
        }).workspace.id;
      const url = `https://${props.healthCheckHost}${HEALTHCHECK_PATH}`;
      createAvailabilityTest(this, {
        ...common,
        location: props.location,
        workspaceId,
        insightsName: `${props.namePrefix}-standby-insights`,
        testId: "primaryHealthcheck",
        testName: `${props.namePrefix}-primary-healthcheck`,
        alertId: "primaryUnavailable",
        alertName: `${props.namePrefix}-primary-unavailable`,
        host: props.healthCheckHost,
        testDescription: `GET ${url} answers 200 on the primary (Postgres and Redis reachable)`,
        alertDescription: "The primary's Medplum health check fails from two or more locations: consider a recovery",
        actionGroupId: group.id,
      });
      watches.push(
        `primary ${url} failing from 2 of ${AVAILABILITY_TEST_LOCATIONS.length} locations (Application Insights standard web test, ${props.location})`,
      );
    }
    this.watches = { alertDestinations: [group.id], watches };
  }
}
