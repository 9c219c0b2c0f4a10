import { synthAws, type SynthesizedStack } from "./helpers";

const alarms = (stack: SynthesizedStack) => Object.values(stack.resources("aws_cloudwatch_metric_alarm"));
const alarmFor = (stack: SynthesizedStack, metricName: string) => {
  const found = alarms(stack).filter((alarm) => alarm.metric_name === metricName);
  if (found.length !== 1) throw new Error(`expected one alarm on ${metricName}, found ${found.length}`);
  return found[0]!;
};

describe("monitoring: alerts", () => {
  const stack = synthAws();
  const topic = stack.ref("aws_sns_topic", "monitoring", "arn");

  it("sends alerts to a new KMS-encrypted topic with the configured e-mail subscriptions", () => {
    expect(stack.only("aws_sns_topic").kms_master_key_id).toBe(stack.ref("aws_kms_key", "database/key", "arn"));
    expect(stack.only("aws_sns_topic_subscription")).toMatchObject({ topic_arn: topic, protocol: "email", endpoint: "oncall@medplum.example.com" });
    expect(alarms(stack).every((alarm) => alarm.alarm_actions[0] === topic)).toBe(true);
    expect(stack.json.output.alert_destination.value).toBe(topic);
  });

  it("uses a configured topic instead of creating one", () => {
    const existing = "arn:aws:sns:us-west-2:111122223333:oncall";
    const withTopic = synthAws({ targets: { aws: { alerts: { topicArn: existing } } } });
    expect(withTopic.resources("aws_sns_topic")).toEqual({});
    expect(alarms(withTopic).every((alarm) => alarm.alarm_actions[0] === existing)).toBe(true);
  });

  it("alarms on 5xx from the load balancer and from the servers, treating no traffic as no errors", () => {
    for (const metric of ["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"]) {
      expect(alarmFor(stack, metric)).toMatchObject({
        namespace: "AWS/ApplicationELB",
        statistic: "Sum",
        treat_missing_data: "notBreaching",
        dimensions: { LoadBalancer: stack.ref("aws_lb", "application", "arn_suffix") },
      });
    }
  });

  it("alarms on unhealthy servers, and on no healthy server at all even when metrics stop", () => {
    expect(alarmFor(stack, "UnHealthyHostCount")).toMatchObject({
      threshold: 0,
      comparison_operator: "GreaterThanThreshold",
      dimensions: { TargetGroup: stack.ref("aws_lb_target_group", "application", "arn_suffix") },
    });
    expect(alarmFor(stack, "HealthyHostCount")).toMatchObject({ threshold: 1, comparison_operator: "LessThanThreshold", treat_missing_data: "breaching" });
  });

  it("alarms when fewer servers run than configured, from Container Insights", () => {
    expect(alarmFor(stack, "RunningTaskCount")).toMatchObject({
      namespace: "ECS/ContainerInsights",
      threshold: 2,
      comparison_operator: "LessThanThreshold",
      treat_missing_data: "breaching",
    });
  });

  it("watches Aurora's CPU on the cluster and free local storage on every instance", () => {
    expect(alarmFor(stack, "CPUUtilization").dimensions).toEqual({ DBClusterIdentifier: stack.ref("aws_rds_cluster", "database", "cluster_identifier") });
    const localStorage = alarms(stack).filter((alarm) => alarm.metric_name === "FreeLocalStorage");
    expect(localStorage.map((alarm) => alarm.dimensions.DBInstanceIdentifier).sort()).toEqual(
      [stack.ref("aws_rds_cluster_instance", "aurora/writer", "identifier"), stack.ref("aws_rds_cluster_instance", "aurora/reader1", "identifier")].sort(),
    );
    expect(alarms(stack).some((alarm) => alarm.metric_name === "FreeStorageSpace")).toBe(false);
  });

  it("watches an RDS instance's CPU and free storage space against a tenth of its allocation", () => {
    const rds = synthAws({
      targets: {
        aws: {
          database: {
            engine: "postgres",
            instanceClass: "db.r6g.large",
            allocatedStorageGiB: 200,
            restore: { mode: "snapshot", source: null, snapshotIdentifier: "medplum-prod-copy" },
          },
        },
      },
    });
    const instance = rds.ref("aws_db_instance", "database", "identifier");
    expect(alarmFor(rds, "CPUUtilization").dimensions).toEqual({ DBInstanceIdentifier: instance });
    expect(alarmFor(rds, "FreeStorageSpace")).toMatchObject({ dimensions: { DBInstanceIdentifier: instance }, threshold: 20 * 1024 ** 3 });
    expect(alarms(rds).some((alarm) => alarm.metric_name === "FreeLocalStorage")).toBe(false);
  });

  it("alarms on the Route 53 health check only where Route 53 publishes it (us-east-1)", () => {
    const failover = { dns: { routing: { mode: "failover" } } };
    const usWest = synthAws({ targets: { aws: failover } });
    expect(alarms(usWest).some((alarm) => alarm.metric_name === "HealthCheckStatus")).toBe(false);

    const usEast = synthAws({
      targets: {
        aws: {
          ...failover,
          region: "us-east-1",
          primaryRegion: "us-west-2",
          availabilityZones: ["us-east-1a", "us-east-1b"],
          database: { restore: { source: null, snapshotIdentifier: "arn:aws:rds:us-east-1:111122223333:cluster-snapshot:medplum-prod-copy" } },
          standby: null, // the example's standby protects us-east-1 towards us-west-2, not this direction
          cache: { authTokenSecretArn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:medplum/redis-auth-AbCdEf" },
          secrets: { applicationSecretArn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:medplum/app-AbCdEf" },
          tls: { certificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-0000-4000-8000-000000000000" },
        },
      },
    });
    expect(alarmFor(usEast, "HealthCheckStatus")).toMatchObject({
      namespace: "AWS/Route53",
      dimensions: { HealthCheckId: usEast.ref("aws_route53_health_check", "traffic", "id") },
      treat_missing_data: "breaching",
    });
  });
});
