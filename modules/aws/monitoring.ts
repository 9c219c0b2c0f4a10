/**
 * Alarms on the recovered environment, sent to an SNS topic (a new KMS-encrypted one, or the configured one, e.g.
 * wired to a pager) with the configured e-mail subscriptions.
 *
 * Missing data is decided per alarm: counts of errors are `notBreaching` (no requests means no errors), while signals a
 * healthy system always emits (running tasks, healthy hosts, database metrics) are `breaching`: their silence means
 * the thing is gone, which during a recovery is exactly what must page someone.
 *
 * Route 53 publishes health-check metrics only in us-east-1, so the health-check alarm exists only when the recovery
 * region is us-east-1; elsewhere the ALB's HealthyHostCount alarm watches the same /healthcheck from inside the region.
 */
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import type { AwsTargetConfig } from "../../config/schema";
import type { Monitoring } from "../contracts";
import type { AwsApplicationTier, AwsRestoredDatabase } from "./step-results";

export interface AwsMonitoringProps {
  /** `targets.aws.alerts` from the config. */
  readonly alerts: AwsTargetConfig["alerts"];
  /** Prefix for alarm and topic names, e.g. `medplum-dr`. */
  readonly namePrefix: string;
  /** The recovery region; decides whether the Route 53 alarm can exist. */
  readonly region: string;
  /** The restored database, as its metrics know it; its key encrypts a new topic. */
  readonly database: AwsRestoredDatabase;
  /** The load balancer (metric dimensions) and the ECS service with the count it should run. */
  readonly application: AwsApplicationTier;
  /** The recovery's Route 53 health check, in failover mode. */
  readonly healthCheckId: string | undefined;
  /**
   * 5xx responses per minute that count as an incident, for the ALB's own and the servers' errors.
   * @default 10
   */
  readonly http5xxPerMinute?: number;
  /**
   * Free local storage per Aurora instance below which to alarm.
   * @default 5
   */
  readonly auroraFreeLocalStorageGiB?: number;
}

export class AwsMonitoring extends Construct {
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: AwsMonitoringProps) {
    super(scope, id);
    const { alerts, namePrefix } = props;

    const topicArn = alerts.topicArn ?? new SnsTopic(this, "topic", { name: `${namePrefix}-alerts`, kmsMasterKeyId: props.database.kmsKeyArn }).arn;
    alerts.emails.forEach((email, index) => {
      new SnsTopicSubscription(this, `email${index}`, { topicArn, protocol: "email", endpoint: email });
    });

    const alarm = (alarmId: string, config: Omit<CloudwatchMetricAlarmConfig, "alarmName" | "alarmActions" | "okActions">) =>
      new CloudwatchMetricAlarm(this, alarmId, {
        alarmName: `${namePrefix}-${alarmId}`,
        alarmActions: [topicArn],
        okActions: [topicArn],
        ...config,
      });
    const perMinute = { period: 60, evaluationPeriods: 5, datapointsToAlarm: 3 };

    const { loadBalancer: alb, servers: ecs } = props.application;
    const loadBalancer = { LoadBalancer: alb.arnSuffix };
    for (const [alarmId, metricName, who] of [
      ["loadBalancer5xx", "HTTPCode_ELB_5XX_Count", "the load balancer itself (no healthy server to send to)"],
      ["server5xx", "HTTPCode_Target_5XX_Count", "the Medplum servers"],
    ] as const) {
      alarm(alarmId, {
        alarmDescription: `5xx responses from ${who} on the recovered Medplum API`,
        namespace: "AWS/ApplicationELB",
        metricName,
        dimensions: loadBalancer,
        statistic: "Sum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: props.http5xxPerMinute ?? 10,
        treatMissingData: "notBreaching",
        ...perMinute,
      });
    }
    const targets = { ...loadBalancer, TargetGroup: alb.targetGroupArnSuffix };
    alarm("unhealthyHosts", {
      alarmDescription: "A Medplum server fails /healthcheck (Postgres or Redis unreachable, or the server is down)",
      namespace: "AWS/ApplicationELB",
      metricName: "UnHealthyHostCount",
      dimensions: targets,
      statistic: "Maximum",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
      ...perMinute,
    });
    alarm("noHealthyHosts", {
      alarmDescription: "No Medplum server passes /healthcheck: the recovered API is down",
      namespace: "AWS/ApplicationELB",
      metricName: "HealthyHostCount",
      dimensions: targets,
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      treatMissingData: "breaching",
      ...perMinute,
    });

    alarm("runningTasks", {
      alarmDescription: `Fewer Medplum servers running than the ${ecs.desiredCount} configured`,
      namespace: "ECS/ContainerInsights",
      metricName: "RunningTaskCount",
      dimensions: { ClusterName: ecs.clusterName, ServiceName: ecs.serviceName },
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
      threshold: ecs.desiredCount,
      treatMissingData: "breaching",
      ...perMinute,
    });

    const { database } = props;
    const databaseDimensions = { ...database.awsEngine.metricDimensions(database.resourceId) };
    alarm("databaseCpu", {
      alarmDescription: "Recovered database CPU above 80% for 15 minutes",
      namespace: "AWS/RDS",
      metricName: "CPUUtilization",
      dimensions: databaseDimensions,
      statistic: "Average",
      period: 300,
      evaluationPeriods: 3,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 80,
      treatMissingData: "breaching",
    });
    const storageAlarms = database.awsEngine.storageAlarms({
      resourceId: database.resourceId,
      instanceIds: database.instanceIds,
      allocatedStorageGiB: database.allocatedStorageGiB,
      freeLocalStorageGiB: props.auroraFreeLocalStorageGiB ?? 5,
    });
    for (const storage of storageAlarms) {
      alarm(storage.id, {
        alarmDescription: storage.description,
        namespace: "AWS/RDS",
        metricName: storage.metricName,
        dimensions: { ...storage.dimensions },
        statistic: "Minimum",
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: "LessThanThreshold",
        threshold: storage.thresholdBytes,
        treatMissingData: "breaching",
      });
    }

    if (props.healthCheckId !== undefined && props.region === "us-east-1") {
      alarm("healthCheck", {
        alarmDescription: "Route 53 sees the recovered API as unhealthy: the failover record will not serve it",
        namespace: "AWS/Route53",
        metricName: "HealthCheckStatus",
        dimensions: { HealthCheckId: props.healthCheckId },
        statistic: "Minimum",
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        treatMissingData: "breaching",
        ...perMinute,
      });
    }

    this.monitoring = { alertDestination: topicArn };
  }
}
