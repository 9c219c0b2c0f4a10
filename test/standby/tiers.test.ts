/**
 * The pilot-light and warm-standby tiers as synthesized: what stands in the recovery region under the names recovery-aws
 * looks up (modules/aws/standing-names.ts), on the recovery provider; the warm standby's replica and how it joins the
 * primary; the failover record pair; and the policy pass over each tier.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateStackJson, RECOVERY_PACK } from "../../policy";
import { standingNames } from "../../modules/aws/standing-names";
import { replicaNames } from "../../modules/aws/standby/replica";
import { exampleRpoSeconds, RDS_SNAPSHOT_RESTORE } from "../support/config";
import { STANDBY_ROUTING, standbyConfig, synthStandby, type Resource, type SynthesizedStandby } from "./helpers";

const RDS = {
  engine: "postgres",
  restore: RDS_SNAPSHOT_RESTORE,
};
const FAILOVER = { primaryDnsName: "medplum-prod-alb-123456789.us-east-1.elb.amazonaws.com", primaryZoneId: "Z35SXDOTRQ7X7K" };
const names = standingNames("medplum-dr");

const backupRestore = synthStandby(standbyConfig());
const pilotLight = synthStandby(standbyConfig({ tier: "pilot-light" }));
const warmAurora = synthStandby(standbyConfig({ tier: "warm-standby", failoverRecords: FAILOVER }, STANDBY_ROUTING));
const warmRds = synthStandby(standbyConfig({ tier: "warm-standby" }, { targets: { aws: { database: RDS } } }));

const standing = (stack: SynthesizedStandby) => stack.all().filter(({ resource }) => String(resource["//"].metadata.path).startsWith("standby-aws/standing/"));
const idOf = (stack: SynthesizedStandby, type: string, pick: (resource: Resource) => boolean = () => true): string => {
  const found = Object.entries(stack.resources(type)).filter(([, resource]) => pick(resource));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]![0];
};
const keyRef = (stack: SynthesizedStandby) =>
  stack.ref(
    "aws_kms_key",
    idOf(stack, "aws_kms_key", (key) => String(key.description).includes("standby copies")),
    "arn",
  );

describe("pilot-light: what the recovery adopts, standing in the recovery region", () => {
  it("creates it all on the recovery provider, and nothing standing for backup-restore", () => {
    expect(standing(backupRestore)).toEqual([]);
    const resources = standing(pilotLight);
    expect(resources.length).toBeGreaterThan(40);
    expect(resources.filter(({ resource }) => resource.provider !== "aws.recovery").map(({ type, id }) => `${type}.${id}`)).toEqual([]);
  });

  it("names everything as modules/aws/standing-names.ts does, which recovery-aws looks up", () => {
    expect(pilotLight.only("aws_vpc").tags).toEqual({ Name: names.vpc });
    const subnets = Object.values(pilotLight.resources("aws_subnet")).map((subnet) => [subnet.tags.Name, subnet.tags.tier]);
    expect(subnets.sort()).toEqual([
      [`${names.vpc}-private-us-west-2a`, "private"],
      [`${names.vpc}-private-us-west-2b`, "private"],
      [`${names.vpc}-public-us-west-2a`, "public"],
      [`${names.vpc}-public-us-west-2b`, "public"],
    ]);
    expect(
      Object.values(pilotLight.resources("aws_security_group"))
        .map((group) => group.name)
        .sort(),
    ).toEqual((["alb", "app", "cache", "db"] as const).map(names.securityGroup));
    expect(pilotLight.only("aws_lb").name).toBe(names.loadBalancer);
    expect(pilotLight.only("aws_lb_target_group").name).toBe(names.targetGroup);
    expect(pilotLight.only("aws_ecs_cluster")).toMatchObject({ name: names.ecsCluster, setting: [{ name: "containerInsights", value: "enabled" }] });
    const roles = Object.values(pilotLight.resources("aws_iam_role")).map((role) => role.name);
    expect(roles).toEqual(expect.arrayContaining([names.executionRole, names.taskRole]));
    const serverLogs = Object.values(pilotLight.resources("aws_cloudwatch_log_group")).find((group) => group.name === names.serverLogGroup);
    expect(serverLogs).toMatchObject({ retention_in_days: 365, kms_key_id: keyRef(pilotLight) });
  });

  it("serves HTTPS with the certificate issued in the certificate step, or the one the recovery config names", () => {
    const https = Object.values(pilotLight.resources("aws_lb_listener")).find((listener) => listener.port === 443)!;
    expect(https.certificate_arn).toBe(pilotLight.ref("aws_acm_certificate_validation", idOf(pilotLight, "aws_acm_certificate_validation"), "certificate_arn"));
    const named = synthStandby(standbyConfig({ tier: "pilot-light", issueCertificate: false }));
    expect(Object.values(named.resources("aws_lb_listener")).find((listener) => listener.port === 443)!.certificate_arn).toBe(
      "arn:aws:acm:us-west-2:111122223333:certificate/0a1b2c3d-0000-4000-8000-000000000000",
    );
  });

  it("lets CloudWatch Logs use the standby key only in the standing tiers", () => {
    const statements = (stack: SynthesizedStandby) =>
      JSON.parse(Object.values(stack.resources("aws_kms_key")).find((key) => String(key.description).includes("standby copies"))!.policy).Statement.map(
        (statement: Resource) => statement.Sid,
      );
    expect(statements(backupRestore)).toEqual(["AccountAdministersThroughIam"]);
    expect(statements(pilotLight)).toEqual(["AccountAdministersThroughIam", "CloudWatchLogsEncryptsStandingLogGroups"]);
  });

  it("gives the roles the secrets that exist before the day and the replica bucket", () => {
    const policy = (name: string) => JSON.parse(Object.values(pilotLight.resources("aws_iam_role_policy")).find((p) => p.name === name)!.policy);
    const secrets = policy("start-medplum-server").Statement.find((statement: Resource) => statement.Sid === "ReadReferencedSecrets").Resource;
    expect(secrets).toEqual([
      // targets.aws.secrets and targets.aws.cache as the recovery names them; the example's replicas are these two, each once.
      "arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/app-AbCdEf",
      "arn:aws:secretsmanager:us-west-2:111122223333:secret:medplum/redis-auth-AbCdEf",
    ]);
    // A replica the recovery does not name comes after them.
    const extra = "arn:aws:secretsmanager:us-east-1:111122223333:secret:medplum/recaptcha-AbCdEf";
    const withExtra = synthStandby(
      standbyConfig({ tier: "pilot-light", replicatedSecretArns: [...standbyConfig().targets.aws!.standby!.replicatedSecretArns, extra] }),
    );
    const extraPolicy = JSON.parse(Object.values(withExtra.resources("aws_iam_role_policy")).find((p) => p.name === "start-medplum-server")!.policy);
    expect(extraPolicy.Statement.find((statement: Resource) => statement.Sid === "ReadReferencedSecrets").Resource).toEqual([
      ...secrets,
      extra.replace("us-east-1", "us-west-2"),
    ]);
    expect(policy("medplum-binaries").Statement[0].Resource).toEqual(["arn:aws:s3:::medplum-binaries-usw2"]);
  });

  it("runs no server, restores no database and keeps no replica", () => {
    for (const type of ["aws_ecs_service", "aws_ecs_task_definition", "aws_rds_cluster", "aws_db_instance", "aws_elasticache_replication_group"])
      expect([type, pilotLight.resources(type)]).toEqual([type, {}]);
    expect(pilotLight.json.output.database_replica.value).toBe("none");
    const adopted = pilotLight.json.output.standing_infrastructure.value.split(",");
    expect(adopted).toHaveLength(6);
    expect(adopted).toEqual(
      expect.arrayContaining([`ECS cluster ${names.ecsCluster} (Container Insights)`, `log group ${names.serverLogGroup} (KMS; 365 days)`]),
    );
  });
});

describe("warm-standby: a live replica of the primary database in the recovery region", () => {
  it("Aurora: the primary joins a global cluster (primary region) and a secondary with one instance joins it (recovery region)", () => {
    const global = warmAurora.only("aws_rds_global_cluster");
    expect(global).toMatchObject({
      provider: "aws.primary",
      global_cluster_identifier: replicaNames("medplum-dr").globalCluster,
      source_db_cluster_identifier: "arn:aws:rds:us-east-1:111122223333:cluster:medplum-prod",
      force_destroy: true,
    });
    expect(global.engine).toBeUndefined();
    const cluster = warmAurora.only("aws_rds_cluster");
    expect(cluster).toMatchObject({
      provider: "aws.recovery",
      cluster_identifier: "medplum-dr-replica",
      engine: "aurora-postgresql",
      engine_version: "16.6",
      global_cluster_identifier: warmAurora.ref("aws_rds_global_cluster", idOf(warmAurora, "aws_rds_global_cluster"), "id"),
      kms_key_id: keyRef(warmAurora),
      storage_encrypted: true,
    });
    // A secondary takes its credentials and data from the primary: nothing of its own to set, nothing to restore.
    for (const attribute of ["master_username", "master_password", "manage_master_user_password", "snapshot_identifier"])
      expect([attribute, cluster[attribute]]).toEqual([attribute, undefined]);
    // recovery-aws promotes it (detaches it) from its own state; until the hand-over's `terraform state rm`, a plan of
    // this stack must not try to put it back, which the provider refuses on every apply.
    expect(cluster.lifecycle.ignore_changes).toContain("global_cluster_identifier");
    expect(cluster.lifecycle.prevent_destroy).toBe(true);
    expect(warmAurora.only("aws_rds_cluster_instance")).toMatchObject({
      provider: "aws.recovery",
      cluster_identifier: warmAurora.ref("aws_rds_cluster", idOf(warmAurora, "aws_rds_cluster"), "id"),
      publicly_accessible: false,
    });
    expect(warmAurora.only("aws_db_subnet_group").subnet_ids).toEqual(
      Object.entries(warmAurora.resources("aws_subnet"))
        .filter(([, subnet]) => subnet.tags.tier === "private")
        .map(([id]) => warmAurora.ref("aws_subnet", id, "id")),
    );
    expect(warmAurora.json.output.database_replica.value).toBe(warmAurora.ref("aws_rds_cluster", idOf(warmAurora, "aws_rds_cluster"), "arn"));
  });

  it("RDS: a cross-region read replica of the primary instance, named by ARN", () => {
    const replica = warmRds.only("aws_db_instance");
    expect(replica).toMatchObject({
      provider: "aws.recovery",
      identifier: "medplum-dr-replica",
      replicate_source_db: "arn:aws:rds:us-east-1:111122223333:db:medplum-prod",
      kms_key_id: keyRef(warmRds),
      publicly_accessible: false,
    });
    for (const attribute of ["username", "password", "engine", "allocated_storage", "snapshot_identifier"])
      expect([attribute, replica[attribute]]).toEqual([attribute, undefined]);
    // As on the Aurora secondary: recovery-aws promotes it, and this stack must not try to name its source again.
    expect(replica.lifecycle.ignore_changes).toContain("replicate_source_db");
    expect(replica.lifecycle.prevent_destroy).toBe(true);
    // RDS refuses a final snapshot of a read replica; the Aurora secondary keeps one.
    expect([replica.skip_final_snapshot, replica.final_snapshot_identifier]).toEqual([true, undefined]);
    expect([warmAurora.only("aws_rds_cluster").skip_final_snapshot, warmAurora.only("aws_rds_cluster").final_snapshot_identifier]).toEqual([
      false,
      "medplum-dr-replica-final",
    ]);
    expect(warmRds.resources("aws_rds_global_cluster")).toEqual({});
  });

  it("pages from the recovery region when the replica lags past the RPO objective", () => {
    const lag = (stack: SynthesizedStandby) =>
      Object.values(stack.resources("aws_cloudwatch_metric_alarm")).find((alarm) => alarm.alarm_name === "medplum-dr-standby-replicaLag")!;
    expect(lag(warmAurora)).toMatchObject({
      provider: "aws.recovery",
      metric_name: "AuroraGlobalDBReplicationLag",
      dimensions: { DBClusterIdentifier: "medplum-dr-replica" },
      threshold: exampleRpoSeconds() * 1000,
    });
    expect(lag(warmRds)).toMatchObject({
      provider: "aws.recovery",
      metric_name: "ReplicaLag",
      dimensions: { DBInstanceIdentifier: "medplum-dr-replica" },
      threshold: exampleRpoSeconds(),
    });
    const topic = idOf(warmRds, "aws_sns_topic", (candidate) => candidate.provider === "aws.recovery");
    expect(lag(warmRds).alarm_actions).toEqual([warmRds.ref("aws_sns_topic", topic, "arn")]);
    expect(lag(pilotLight)).toBeUndefined();
  });
});

describe("the failover record pair, prepared in peacetime", () => {
  const records = Object.values(warmAurora.resources("aws_route53_record")).filter((record) => record.failover_routing_policy !== undefined);
  const half = (type: string) => records.find((record) => record.failover_routing_policy.type === type)!;

  it("PRIMARY aliases the primary's entry point with the health check on it; SECONDARY aliases the standing ALB", () => {
    expect(records).toHaveLength(2);
    const healthCheck = warmAurora.only("aws_route53_health_check");
    // The check probes the primary's own entry point, so a failover does not make it follow the record to the recovery.
    expect(healthCheck.fqdn).toBe(FAILOVER.primaryDnsName);
    expect(half("PRIMARY")).toMatchObject({
      name: "api.medplum.example.com",
      type: "A",
      zone_id: "Z0123456789EXAMPLE",
      set_identifier: "primary",
      health_check_id: warmAurora.ref("aws_route53_health_check", idOf(warmAurora, "aws_route53_health_check"), "id"),
      alias: { name: FAILOVER.primaryDnsName, zone_id: FAILOVER.primaryZoneId, evaluate_target_health: true },
    });
    const alb = idOf(warmAurora, "aws_lb");
    expect(half("SECONDARY")).toMatchObject({
      set_identifier: "recovery",
      alias: { name: warmAurora.ref("aws_lb", alb, "dns_name"), zone_id: warmAurora.ref("aws_lb", alb, "zone_id"), evaluate_target_health: true },
    });
    expect(half("SECONDARY").health_check_id).toBeUndefined();
  });

  it("is absent without failoverRecords, where the health check keeps probing the api host", () => {
    expect(Object.values(pilotLight.resources("aws_route53_record")).filter((record) => record.failover_routing_policy !== undefined)).toEqual([]);
    expect(pilotLight.only("aws_route53_health_check").fqdn).toBe("api.medplum.example.com");
  });
});

describe("every tier", () => {
  it.each([
    ["pilot-light", pilotLight],
    ["warm-standby, Aurora, failover records", warmAurora],
    ["warm-standby, RDS", warmRds],
  ] as const)("%s: passes the HIPAA-aligned pack and the apply-time rules with no finding", (_, stack) => {
    expect(evaluateStackJson(stack.json as never, "standby-aws", { suppressions: [] }, RECOVERY_PACK).findings).toEqual([]);
  });

  it("is synthesized identically twice", () => {
    expect(synthStandby(standbyConfig({ tier: "warm-standby", failoverRecords: FAILOVER }, STANDBY_ROUTING)).text).toBe(warmAurora.text);
  });

  it("uses no escape hatch: no overrides in the standby modules, no override blocks in the output", () => {
    const dir = join(__dirname, "../../modules/aws/standby");
    for (const file of readdirSync(dir))
      expect([file, /addOverride|overrideLogicalId|escapeHatch/.test(readFileSync(join(dir, file), "utf8"))]).toEqual([file, false]);
    for (const stack of [pilotLight, warmAurora, warmRds]) expect(stack.text).not.toMatch(/"\/\/":\s*\{\s*"(?!metadata)/);
  });
});
