/**
 * In the pilot-light tier standby-aws keeps the network, security groups, ECS cluster, load balancer, roles and server
 * log group standing; the recovery finds them by the names in modules/aws/standing-names.ts and creates only the
 * database, the cache, the servers, DNS and monitoring. warm-standby adopts the same, and promotes the replica instead of
 * restoring (test/aws/replica-promotion.test.ts) and reads the standing cache instead of creating it
 * (test/aws/standby-cache.test.ts).
 */
import type { RecoveryConfig } from "../../config/schema";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildRecoveryApp } from "../../stacks/app";
import { standingNames } from "../../modules/aws/standing-names";
import { problemsOf, standbyConfig, standbyDocument } from "../standby/helpers";
import { synthAws } from "./helpers";

/** The example with its standby section, in a tier the schema on this branch may not accept yet (it is read as a string). */
function inTier(tier: string, base: RecoveryConfig = standbyConfig()): RecoveryConfig {
  const aws = base.targets.aws!;
  return { ...base, targets: { aws: { ...aws, standby: { ...aws.standby!, tier: tier as never } } } };
}

const ADOPTED_TYPES = [
  "aws_vpc",
  "aws_subnet",
  "aws_internet_gateway",
  "aws_nat_gateway",
  "aws_route_table",
  "aws_flow_log",
  "aws_security_group",
  "aws_lb",
  "aws_lb_listener",
  "aws_lb_target_group",
  "aws_ecs_cluster",
  "aws_iam_role",
];

describe("recovery-aws in the pilot-light tier", () => {
  const names = standingNames("medplum-dr");
  const backupRestore = synthAws(standbyConfig());
  const stack = synthAws(inTier("pilot-light"));
  const data = stack.json.data as Record<string, Record<string, Record<string, any>>>;
  const ref = (type: string, id: string, attribute: string) => `\${data.${type}.${id}.${attribute}}`;
  const one = (type: string, where: (body: Record<string, any>) => boolean = () => true) => {
    const found = Object.entries(data[type] ?? {}).filter(([, body]) => where(body));
    expect(found, type).toHaveLength(1);
    return found[0]![0];
  };

  it("creates none of what standby-aws keeps standing", () => {
    for (const type of ADOPTED_TYPES) expect(Object.keys(stack.resources(type)), type).toEqual([]);
    const logGroups = Object.values(stack.resources("aws_cloudwatch_log_group")).map((group) => group.name);
    expect(logGroups).not.toContain(names.serverLogGroup);
    // Sanity check on the comparison: backup-restore creates every one of them.
    for (const type of ADOPTED_TYPES) expect(Object.keys(backupRestore.resources(type)).length, type).toBeGreaterThan(0);
  });

  it("still creates the database, the cache, the servers, DNS and monitoring", () => {
    for (const type of [
      "aws_rds_cluster",
      "aws_elasticache_replication_group",
      "aws_ecs_task_definition",
      "aws_ecs_service",
      "aws_route53_record",
      "aws_cloudwatch_metric_alarm",
    ]) {
      expect(Object.keys(stack.resources(type)).length, type).toBeGreaterThan(0);
    }
  });

  it("finds the VPC by its Name tag and its subnets by tier, and puts the database and servers in the private ones", () => {
    const vpc = one("aws_vpc");
    expect(data.aws_vpc![vpc]!.tags).toEqual({ Name: names.vpc });
    const privateSubnets = one("aws_subnets", (body) => body.filter.some((f: any) => f.name === "tag:tier" && f.values[0] === "private"));
    expect(data.aws_subnets![privateSubnets]!.filter).toContainEqual({ name: "vpc-id", values: [ref("aws_vpc", vpc, "id")] });
    expect(stack.only("aws_db_subnet_group").subnet_ids).toBe(ref("aws_subnets", privateSubnets, "ids"));
    expect(stack.only("aws_ecs_service").network_configuration.subnets).toBe(ref("aws_subnets", privateSubnets, "ids"));
  });

  it("finds the security groups by name in that VPC and uses them for the database, cache and servers", () => {
    const byName = (role: "alb" | "app" | "db" | "cache") => one("aws_security_group", (body) => body.name === names.securityGroup(role));
    expect(stack.only("aws_rds_cluster").vpc_security_group_ids).toEqual([ref("aws_security_group", byName("db"), "id")]);
    expect(stack.only("aws_elasticache_replication_group").security_group_ids).toEqual([ref("aws_security_group", byName("cache"), "id")]);
    expect(stack.only("aws_ecs_service").network_configuration.security_groups).toEqual([ref("aws_security_group", byName("app"), "id")]);
    expect(data.aws_security_group![byName("alb")]!.vpc_id).toBe(ref("aws_vpc", one("aws_vpc"), "id"));
  });

  it("runs the servers in the standing cluster, registered in the standing target group, logging to the standing group", () => {
    const service = stack.only("aws_ecs_service");
    const cluster = one("aws_ecs_cluster");
    const targets = one("aws_lb_target_group");
    expect(data.aws_ecs_cluster![cluster]!.cluster_name).toBe(names.ecsCluster);
    expect(data.aws_lb_target_group![targets]!.name).toBe(names.targetGroup);
    expect(data.aws_lb![one("aws_lb")]!.name).toBe(names.loadBalancer);
    expect(service.cluster).toBe(ref("aws_ecs_cluster", cluster, "arn"));
    expect(service.load_balancer[0].target_group_arn).toBe(ref("aws_lb_target_group", targets, "arn"));
    const container = JSON.parse(stack.only("aws_ecs_task_definition").container_definitions)[0];
    const logGroup = one("aws_cloudwatch_log_group");
    expect(data.aws_cloudwatch_log_group![logGroup]!.name).toBe(names.serverLogGroup);
    expect(container.logConfiguration.options["awslogs-group"]).toBe(ref("aws_cloudwatch_log_group", logGroup, "name"));
  });

  it("runs the servers with the standing roles by ARN, and calls IAM for nothing: no read, no policy", () => {
    const taskDefinition = stack.only("aws_ecs_task_definition");
    expect(taskDefinition.execution_role_arn).toBe(`arn:aws:iam::111122223333:role/${names.executionRole}`);
    expect(taskDefinition.task_role_arn).toBe(`arn:aws:iam::111122223333:role/${names.taskRole}`);
    const iam = (blocks: Record<string, unknown> | undefined) => Object.keys(blocks ?? {}).filter((type) => type.startsWith("aws_iam_"));
    expect(iam(stack.json.resource)).toEqual([]);
    expect(iam(stack.json.data)).toEqual([]);
    // Sanity check on the comparison: backup-restore creates its roles and their policies.
    expect(iam(backupRestore.json.resource).sort()).toEqual(["aws_iam_role", "aws_iam_role_policy"]);
  });

  it("builds the role ARNs in the account the config names, which standby-aws created them in", () => {
    const named = synthAws(inTier("pilot-light", standbyConfig({}, { targets: { aws: { accountId: "444455556666" } } })));
    expect(named.only("aws_ecs_task_definition").execution_role_arn).toBe(`arn:aws:iam::444455556666:role/${names.executionRole}`);
  });

  it("switches DNS to the standing load balancer and alarms on its metrics", () => {
    const alb = one("aws_lb");
    expect(stack.only("aws_route53_record").alias.name).toBe(ref("aws_lb", alb, "dns_name"));
    expect(stack.at("aws_cloudwatch_metric_alarm", "noHealthyHosts").dimensions.LoadBalancer).toBe(ref("aws_lb", alb, "arn_suffix"));
  });

  it("keeps backup-restore's resources at the addresses they always had", () => {
    const addresses = (json: Record<string, any>) =>
      Object.entries<Record<string, unknown>>(json.resource).flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`));
    const plain = synthAws();
    expect(addresses(backupRestore.json).sort()).toEqual(addresses(plain.json).sort());
  });

  it("refuses a team's own load balancer in this tier, naming the field", () => {
    const ownAlb = {
      targets: { aws: { loadBalancer: { mode: "existing", loadBalancer: "x", targetGroup: "y", securityGroupId: "sg-0123456789abcdef0" }, tls: null } },
    };
    expect(problemsOf(standbyDocument({ tier: "pilot-light" }, ownAlb))).toContainEqual(
      expect.stringMatching(
        /^targets\.aws\.loadBalancer\.mode: "existing" is not available with standby tier pilot-light: standby-aws keeps a load balancer standing/,
      ),
    );
    expect(problemsOf(standbyDocument({ tier: "backup-restore" }, ownAlb))).toEqual([]);
  });
});

describe("recovery-aws in the warm-standby tier", () => {
  const warm = standbyConfig({ tier: "warm-standby" });

  it("synthesizes beside the same config's standby-aws, which builds that tier in peacetime", () => {
    const outdir = mkdtempSync(join(tmpdir(), "medplum-dr-warm-"));
    try {
      const { app, stacks } = buildRecoveryApp(warm, outdir);
      app.synth();
      expect(stacks.map((stack) => stack.node.id)).toEqual(["recovery-aws", "standby-aws"]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("adopts what pilot-light adopts and the cache, and promotes instead of restoring (test/aws/replica-promotion.test.ts)", () => {
    const stack = synthAws(warm);
    for (const type of ADOPTED_TYPES) expect(Object.keys(stack.resources(type)), type).toEqual([]);
    // The cache is read instead of created, so its token is not read at plan time (test/aws/standby-cache.test.ts).
    expect(Object.keys(stack.json.data).sort()).toEqual(
      [
        ...Object.keys(synthAws(inTier("pilot-light")).json.data).filter(
          (type) => !["aws_db_cluster_snapshot", "aws_secretsmanager_secret_version"].includes(type),
        ),
        "aws_kms_alias",
        "aws_elasticache_replication_group",
      ].sort(),
    );
  });

  it("refuses a team's own load balancer in this tier too, naming the field", () => {
    const ownAlb = {
      targets: { aws: { loadBalancer: { mode: "existing", loadBalancer: "x", targetGroup: "y", securityGroupId: "sg-0123456789abcdef0" }, tls: null } },
    };
    expect(problemsOf(standbyDocument({ tier: "warm-standby" }, ownAlb))).toContainEqual(
      expect.stringMatching(/^targets\.aws\.loadBalancer\.mode: "existing" is not available with standby tier warm-standby: /),
    );
  });
});
