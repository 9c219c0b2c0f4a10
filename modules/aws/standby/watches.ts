/**
 * What pages someone in peacetime: a backup or copy job that fails, S3 replication that fails or lags past the RPO
 * objective, and the primary's own /healthcheck, so the outage itself is noticed. Each watch lives where AWS emits its
 * signal, and alarms publish only to a topic in their own region, so there is an alert topic per region used:
 *   - AWS Backup job events (EventBridge, "Backup Job State Change" / "Copy Job State Change") in the primary region,
 *     where the plan and its copy jobs run (https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html);
 *   - S3 replication metrics (AWS/S3 OperationsFailedReplication, ReplicationLatency) in the source bucket's region
 *     (https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html);
 *   - Route 53 health-check metrics in us-east-1 only
 *     (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html). When the primary is
 *     us-east-1 that alarm lives in the region it watches: docs/standby.md says what that means.
 * Each topic is encrypted with an alerts key of its region and gets the configured e-mail subscriptions.
 */
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import type { StandbyWatches } from "../../standby-contracts";
import { REPLICATION_RULE_ID } from "./binaries";
import { StandbyKey } from "./key";

export interface RegionProvider {
  readonly region: string;
  readonly provider: AwsProvider;
}

export interface StandbyWatchesProps {
  readonly namePrefix: string;
  readonly accountId: string;
  readonly partition: string;
  readonly emails: readonly string[];
  readonly primary: RegionProvider;
  readonly route53Metrics: RegionProvider;
  readonly primaryBucketName: string;
  readonly replicaBucketName: string;
  /** The RPO objective: replication lagging past it pages. */
  readonly rpoMinutes: number;
  /** The host whose https://<host>/healthcheck Route 53 probes and pages on, or none. */
  readonly healthCheckHost: string | undefined;
  /**
   * The warm standby's database replica, whose lag past the RPO objective pages from the recovery region.
   * @default - none (backup-restore, pilot-light)
   */
  readonly replica?: { readonly recovery: RegionProvider; readonly engine: "aurora-postgresql" | "postgres"; readonly identifier: string };
  /** The Route 53 failover record pair, created in peacetime. @default - none */
  readonly failoverRecords?: FailoverRecords;
}

/** The failover pair for the api host: PRIMARY on the primary's entry point with the health check, SECONDARY on the standing ALB. */
export interface FailoverRecords {
  readonly hostedZoneId: string;
  readonly hostname: string;
  readonly primaryDnsName: string;
  readonly primaryZoneId: string;
  readonly primarySetIdentifier: string;
  readonly secondarySetIdentifier: string;
  readonly secondary: { readonly dnsName: string; readonly zoneId: string };
}

export class StandbyWatchesConstruct extends Construct {
  readonly watches: StandbyWatches;
  private readonly topics = new Map<string, string>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: StandbyWatchesProps,
  ) {
    super(scope, id);
    const { namePrefix, primary } = props;
    const watches: string[] = [];

    const primaryTopic = this.topicIn(primary);
    // Failed, aborted or expired backups and failed or partial copies: each one is a recovery point the recovery region
    // will not have (states: https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CopyJob.html).
    const jobs: ReadonlyArray<[string, string, readonly string[]]> = [
      ["backupJobFailed", "Backup Job State Change", ["FAILED", "ABORTED", "EXPIRED"]],
      ["copyJobFailed", "Copy Job State Change", ["FAILED", "PARTIAL"]],
    ];
    for (const [ruleId, detailType, states] of jobs) {
      const rule = new CloudwatchEventRule(this, ruleId, {
        provider: primary.provider,
        name: `${namePrefix}-standby-${ruleId}`,
        description: `An AWS Backup ${detailType.split(" ")[0]!.toLowerCase()} job of the standby plan did not complete: the recovery region misses a recovery point`,
        eventPattern: JSON.stringify({ source: ["aws.backup"], "detail-type": [detailType], detail: { state: states } }),
      });
      new CloudwatchEventTarget(this, `${ruleId}Target`, { provider: primary.provider, rule: rule.name, arn: primaryTopic });
      watches.push(`${detailType.toLowerCase()} to ${states.join("/")} (EventBridge, ${primary.region})`);
    }

    const alarm = (
      where: RegionProvider,
      alarmId: string,
      config: Omit<CloudwatchMetricAlarmConfig, "alarmName" | "alarmActions" | "okActions" | "provider">,
    ) => {
      const topic = this.topicIn(where);
      new CloudwatchMetricAlarm(this, alarmId, {
        provider: where.provider,
        alarmName: `${namePrefix}-standby-${alarmId}`,
        alarmActions: [topic],
        okActions: [topic],
        ...config,
      });
      watches.push(`${alarmId} (CloudWatch alarm, ${where.region})`);
    };
    const replication = { SourceBucket: props.primaryBucketName, DestinationBucket: props.replicaBucketName, RuleId: REPLICATION_RULE_ID };
    alarm(primary, "replicationFailed", {
      alarmDescription: `Objects of ${props.primaryBucketName} failed to replicate into ${props.replicaBucketName}: those binaries are missing from the recovery region`,
      namespace: "AWS/S3",
      metricName: "OperationsFailedReplication",
      dimensions: replication,
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      // Published only while objects are written; silence is a bucket without writes, not a failure.
      treatMissingData: "notBreaching",
    });
    alarm(primary, "replicationLag", {
      alarmDescription: `Replication into ${props.replicaBucketName} lags more than the ${props.rpoMinutes}-minute RPO objective`,
      namespace: "AWS/S3",
      metricName: "ReplicationLatency",
      dimensions: replication,
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: "GreaterThanThreshold",
      threshold: props.rpoMinutes * 60,
      treatMissingData: "notBreaching",
    });

    const failover = props.failoverRecords;
    if (props.healthCheckHost !== undefined || failover !== undefined) {
      // With the failover pair, the check probes the primary's entry point itself: probing the api host would follow
      // the record to the recovery after a failover, report healthy, and switch traffic back to the failed primary.
      const probed = failover?.primaryDnsName ?? props.healthCheckHost!;
      const healthCheck = new Route53HealthCheck(this, "primaryHealth", {
        provider: props.route53Metrics.provider,
        fqdn: probed,
        port: 443,
        type: "HTTPS",
        resourcePath: "/healthcheck",
        enableSni: true,
        requestInterval: 30,
        failureThreshold: 3,
        tags: { Name: `${namePrefix}-primary-healthcheck` },
      });
      if (props.healthCheckHost !== undefined) {
        alarm(props.route53Metrics, "primaryDown", {
          alarmDescription: `Route 53 health checkers see https://${probed}/healthcheck failing: the primary is down; start the recovery runbook`,
          namespace: "AWS/Route53",
          metricName: "HealthCheckStatus",
          dimensions: { HealthCheckId: healthCheck.id },
          statistic: "Minimum",
          period: 60,
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          comparisonOperator: "LessThanThreshold",
          threshold: 1,
          // Route 53 always publishes while the check exists: silence means the watch itself is gone.
          treatMissingData: "breaching",
        });
      }
      if (failover !== undefined) this.failoverPair(failover, healthCheck.id, watches);
    }

    if (props.replica !== undefined) {
      const { replica } = props;
      const aurora = replica.engine === "aurora-postgresql";
      // Aurora reports the secondary's lag in milliseconds, RDS the replica's in seconds, each in the replica's region
      // (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-monitoring.html,
      // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Monitoring.html).
      alarm(replica.recovery, "replicaLag", {
        alarmDescription: `The database replica ${replica.identifier} lags the primary by more than the ${props.rpoMinutes}-minute RPO objective`,
        namespace: "AWS/RDS",
        metricName: aurora ? "AuroraGlobalDBReplicationLag" : "ReplicaLag",
        dimensions: aurora ? { DBClusterIdentifier: replica.identifier } : { DBInstanceIdentifier: replica.identifier },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        comparisonOperator: "GreaterThanThreshold",
        threshold: props.rpoMinutes * 60 * (aurora ? 1000 : 1),
        // A replica that stops reporting is not replicating: page.
        treatMissingData: "breaching",
      });
    }

    this.watches = { alertDestinations: [...this.topics.values()], watches };
  }

  /**
   * Both halves of the api host's failover pair. Route 53 answers from its data plane in every edge location, so when
   * the health check fails and the standing ALB has healthy targets, answers switch without any API call; with the
   * standing ALB still empty (no servers yet), both halves are unhealthy and Route 53 keeps answering PRIMARY
   * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html).
   */
  private failoverPair(failover: FailoverRecords, healthCheckId: string, watches: string[]): void {
    const provider = this.props.route53Metrics.provider;
    const half = (
      recordId: string,
      type: "PRIMARY" | "SECONDARY",
      setIdentifier: string,
      target: { dnsName: string; zoneId: string },
      healthCheck: string | undefined,
    ) =>
      new Route53Record(this, recordId, {
        provider,
        zoneId: failover.hostedZoneId,
        name: failover.hostname,
        type: "A",
        setIdentifier,
        failoverRoutingPolicy: { type },
        ...(healthCheck === undefined ? {} : { healthCheckId: healthCheck }),
        alias: { name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true },
      });
    half("primaryRecord", "PRIMARY", failover.primarySetIdentifier, { dnsName: failover.primaryDnsName, zoneId: failover.primaryZoneId }, healthCheckId);
    // The standing ALB's own target health decides whether the SECONDARY may answer: healthy only once servers run.
    half("secondaryRecord", "SECONDARY", failover.secondarySetIdentifier, failover.secondary, undefined);
    watches.push(`failover records ${failover.hostname} A: PRIMARY ${failover.primaryDnsName} (health check), SECONDARY the standing ALB (Route 53)`);
  }

  /** The alert topic of a region, created with its key, policy and subscriptions the first time a watch needs it. */
  private topicIn(where: RegionProvider): string {
    const existing = this.topics.get(where.region);
    if (existing !== undefined) return existing;
    const { namePrefix, accountId, partition } = this.props;
    const id = this.topics.size === 0 ? "alerts" : `alerts${this.topics.size + 1}`;
    const key = new StandbyKey(this, `${id}Key`, {
      provider: where.provider,
      aliasName: `${namePrefix}-standby-alerts`,
      description: `${namePrefix}: Medplum standby alerts in ${where.region}`,
      accountId,
      partition,
      forAlerts: true,
      preventDestroy: false,
    });
    const topic = new SnsTopic(this, id, { provider: where.provider, name: `${namePrefix}-standby-alerts`, kmsMasterKeyId: key.arn });
    new SnsTopicPolicy(this, `${id}Policy`, {
      provider: where.provider,
      arn: topic.arn,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "AccountManagesTopic", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: "sns:*", Resource: topic.arn },
          {
            Sid: "EventBridgeAndAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: ["events.amazonaws.com", "cloudwatch.amazonaws.com"] },
            Action: "sns:Publish",
            Resource: topic.arn,
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
          },
        ],
      }),
    });
    this.props.emails.forEach((email, index) => {
      new SnsTopicSubscription(this, `${id}Email${index}`, { provider: where.provider, topicArn: topic.arn, protocol: "email", endpoint: email });
    });
    this.topics.set(where.region, topic.arn);
    return topic.arn;
  }
}
