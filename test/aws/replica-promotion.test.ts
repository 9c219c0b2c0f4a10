/**
 * recovery-aws in the warm-standby tier (restore mode replica-promotion): the replica standby-aws keeps is imported and
 * promoted, never created or replaced, and the rest of the recovery adopts the standing infrastructure as pilot-light
 * does. The standby side's replica is synthesized from the same config, so "the same as the standby's" is compared
 * against what standby-aws really builds, not against a copy of its names.
 */
import { FORCE_NEW } from "../../facts/force-new";
import { replicaNames, standingNames } from "../../modules/aws/standing-names";
import { standbyConfig, synthStandby, WARM_MASTER_SECRET } from "../standby/helpers";
import { synthAws } from "./helpers";
import { RDS } from "../support/config";

const aurora = standbyConfig({ tier: "warm-standby" });
const rds = standbyConfig({ tier: "warm-standby" }, { targets: { aws: { database: RDS } } });
const recovery = { aurora: synthAws(aurora), rds: synthAws(rds) };
const standby = { aurora: synthStandby(aurora), rds: synthStandby(rds) };
const names = replicaNames("medplum-dr");

const imports = (stack: { json: Record<string, any> }) => (stack.json.import ?? []) as Array<{ id: string; to: string }>;
const addressOf = (stack: ReturnType<typeof synthAws>, type: string) => {
  const ids = Object.keys(stack.resources(type));
  return ids.map((id) => `${type}.${id}`);
};
/** The non-identity ForceNew attributes of a type, as ignore_changes spells them. */
const forceNewPaths = (type: keyof typeof FORCE_NEW) =>
  FORCE_NEW[type].attributes.filter((attribute) => attribute.identity === undefined && !attribute.path.includes(".")).map((attribute) => attribute.path);

describe("recovery-aws in the warm-standby tier, Aurora: the Global Database secondary imported and detached", () => {
  const stack = recovery.aurora;
  const cluster = stack.only("aws_rds_cluster");
  const built = standby.aurora.only("aws_rds_cluster");
  const writer = stack.at("aws_rds_cluster_instance", "promotion/writer");

  it("imports the secondary cluster, its instance and its parameter group by their identifiers, and nothing else", () => {
    expect(imports(stack).sort((a, b) => a.to.localeCompare(b.to))).toEqual(
      [
        { id: names.replica, to: addressOf(stack, "aws_rds_cluster")[0] },
        { id: names.replicaInstance, to: stack.address("aws_rds_cluster_instance", "promotion/writer") },
        { id: `${names.replica}-aurora-postgresql16`, to: addressOf(stack, "aws_rds_cluster_parameter_group")[0] },
      ].sort((a, b) => a.to!.localeCompare(b.to!)),
    );
    expect(cluster.cluster_identifier).toBe(built.cluster_identifier);
    expect(writer.identifier).toBe(standby.aurora.only("aws_rds_cluster_instance").identifier);
  });

  it("leaves global_cluster_identifier out, so the update calls RemoveFromGlobalCluster, and changes nothing a secondary refuses first", () => {
    expect(built.global_cluster_identifier).toBeDefined();
    expect(cluster.global_cluster_identifier).toBeUndefined();
    expect(cluster.lifecycle.ignore_changes).not.toContain("global_cluster_identifier");
    // AWS reports it on a secondary; removing it would call PromoteReadReplicaDBCluster before anything else.
    expect(cluster.lifecycle.ignore_changes).toContain("replication_source_identifier");
    // ModifyDBCluster runs before the detach, and Aurora refuses Secrets Manager management on a global member.
    for (const attribute of ["manage_master_user_password", "master_password", "master_user_secret_kms_key_id", "snapshot_identifier"])
      expect([attribute, cluster[attribute]]).toEqual([attribute, undefined]);
    // What ModifyDBCluster would otherwise send before the detach: the same as standby-aws built.
    for (const attribute of ["backup_retention_period", "enabled_cloudwatch_logs_exports", "deletion_protection", "copy_tags_to_snapshot", "engine"])
      expect([attribute, cluster[attribute]]).toEqual([attribute, built[attribute]]);
    expect(cluster.vpc_security_group_ids).toHaveLength(1);
  });

  it("sets every ForceNew argument to what standby-aws created and ignores it", () => {
    const subnetGroup = standby.aurora.only("aws_db_subnet_group");
    expect(cluster.db_subnet_group_name).toBe(subnetGroup.name);
    expect(writer.db_subnet_group_name).toBe(subnetGroup.name);
    expect(cluster.engine).toBe(built.engine);
    expect(cluster.storage_encrypted).toBe(true);
    // The standby key, found by the alias standby-aws gives it.
    const key = /^\$\{aws_kms_key\.(\w+)\.arn\}$/.exec(built.kms_key_id)![1]!;
    const alias = Object.values(standby.aurora.resources("aws_kms_alias")).find(
      (candidate) => candidate.target_key_id === `\${aws_kms_key.${key}.key_id}`,
    )!.name;
    const [lookupId, lookup] = Object.entries(stack.json.data.aws_kms_alias as Record<string, any>)[0]!;
    expect(lookup.name).toBe(alias);
    expect(cluster.kms_key_id).toBe(`\${data.aws_kms_alias.${lookupId}.target_key_arn}`);
    // Every non-identity ForceNew argument it sets, and the Computed ones AWS fills in on the imported secondary.
    const set = forceNewPaths("aws_rds_cluster").filter((path) => cluster[path] !== undefined);
    for (const path of [...set, "availability_zones", "database_name", "master_username"])
      expect([path, cluster.lifecycle.ignore_changes.includes(path)]).toEqual([path, true]);
    for (const path of [...forceNewPaths("aws_rds_cluster_instance").filter((path) => writer[path] !== undefined), "availability_zone"])
      expect([path, writer.lifecycle.ignore_changes.includes(path)]).toEqual([path, true]);
  });

  it("is protected: prevent_destroy with deletion protection, a final snapshot, automated backups kept", () => {
    expect(cluster).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: `${names.replica}-final`,
      delete_automated_backups: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("gives the servers the primary's master credentials from their replicated secret, and grants reading it", () => {
    const task = stack.only("aws_ecs_task_definition");
    const secrets = JSON.parse(task.container_definitions)[0].secrets as Array<{ name: string; valueFrom: string }>;
    expect(secrets).toEqual(
      expect.arrayContaining([
        { name: "MEDPLUM_DATABASE_USERNAME", valueFrom: `${WARM_MASTER_SECRET}:username::` },
        { name: "MEDPLUM_DATABASE_PASSWORD", valueFrom: `${WARM_MASTER_SECRET}:password::` },
      ]),
    );
    expect(stack.text).toContain(WARM_MASTER_SECRET);
    expect(stack.text).not.toContain("master_user_secret");
  });

  it("adds the configured readers as new instances of the promoted cluster, after the detach", () => {
    const reader = stack.at("aws_rds_cluster_instance", "promotion/reader1");
    expect(reader.identifier).toBe(`${names.replica}-2`);
    expect(reader.cluster_identifier).toBe(stack.ref("aws_rds_cluster", "promotion/cluster", "cluster_identifier"));
    expect(writer.cluster_identifier).toBe(stack.ref("aws_rds_cluster", "promotion/cluster", "cluster_identifier"));
    expect(imports(stack).map((entry) => entry.to)).not.toContain(stack.address("aws_rds_cluster_instance", "promotion/reader1"));
  });

  it("creates no database of its own: no subnet group, no log group for it, no restore", () => {
    expect(stack.resources("aws_db_subnet_group")).toEqual({});
    const logGroups = Object.values(stack.resources("aws_cloudwatch_log_group")).map((group) => group.name);
    expect(logGroups.filter((name) => name.startsWith("/aws/rds/"))).toEqual([]);
    expect(stack.json.data.aws_db_cluster_snapshot).toBeUndefined();
  });

  it("says in its outputs that it promoted standby-aws's replica", () => {
    expect(stack.json.output.restore_mode.value).toBe("replica-promotion");
    expect(stack.json.output.restore_source.value).toBe(names.replica);
  });
});

describe("recovery-aws in the warm-standby tier, RDS: the cross-region read replica imported and promoted", () => {
  const stack = recovery.rds;
  const instance = stack.only("aws_db_instance");
  const built = standby.rds.only("aws_db_instance");

  it("imports the replica and its parameter group by their identifiers", () => {
    expect(
      imports(stack)
        .map((entry) => entry.id)
        .sort(),
    ).toEqual([names.replica, `${names.replica}-postgres16`].sort());
    expect(instance.identifier).toBe(built.identifier);
  });

  it("leaves replicate_source_db out, so the update calls PromoteReadReplica", () => {
    expect(built.replicate_source_db).toBeDefined();
    expect(instance.replicate_source_db).toBeUndefined();
    expect(instance.lifecycle.ignore_changes).not.toContain("replicate_source_db");
    expect(instance.backup_retention_period).toBe(built.backup_retention_period);
    // The replica has the primary's storage size; a smaller figure would be refused.
    expect(instance.allocated_storage).toBeUndefined();
    for (const attribute of ["manage_master_user_password", "password", "snapshot_identifier", "restore_to_point_in_time"])
      expect([attribute, instance[attribute]]).toEqual([attribute, undefined]);
  });

  it("sets every ForceNew argument to what standby-aws created and ignores it", () => {
    expect(instance.db_subnet_group_name).toBe(standby.rds.only("aws_db_subnet_group").name);
    expect(instance.parameter_group_name).toBe(stack.ref("aws_db_parameter_group", "promotion/parameters", "name"));
    expect(stack.at("aws_db_parameter_group", "promotion/parameters").name).toBe(standby.rds.only("aws_db_parameter_group").name);
    for (const path of ["kms_key_id", "storage_encrypted", "availability_zone", "db_name", "username"])
      expect([path, instance.lifecycle.ignore_changes.includes(path)]).toEqual([path, true]);
    expect(instance.engine).toBe("postgres");
    expect(instance).toMatchObject({ deletion_protection: true, skip_final_snapshot: false, lifecycle: { prevent_destroy: true } });
  });
});

describe("recovery-aws in the warm-standby tier adopts the standing infrastructure as pilot-light does", () => {
  const pilot = synthAws(standbyConfig({ tier: "pilot-light" }));
  const stack = recovery.aurora;
  const standing = standingNames("medplum-dr");
  const dataNames = (synth: ReturnType<typeof synthAws>, type: string) =>
    Object.values((synth.json.data[type] ?? {}) as Record<string, any>).map((body) => body.name ?? body.cluster_name ?? body.tags?.Name);

  it("reads the standing VPC, security groups, ECS cluster, load balancer and log group, and creates none of them", () => {
    for (const type of ["aws_vpc", "aws_subnet", "aws_security_group", "aws_lb", "aws_ecs_cluster", "aws_nat_gateway"])
      expect([type, Object.keys(stack.resources(type))]).toEqual([type, []]);
    for (const type of ["aws_vpc", "aws_subnets", "aws_security_group", "aws_ecs_cluster", "aws_lb", "aws_lb_listener", "aws_lb_target_group"])
      expect([type, dataNames(stack, type).sort()]).toEqual([type, dataNames(pilot, type).sort()]);
    expect(dataNames(stack, "aws_cloudwatch_log_group")).toEqual([standing.serverLogGroup]);
  });

  it("puts the promoted database behind the standing database security group standby-aws gave the replica", () => {
    const groups = stack.json.data.aws_security_group as Record<string, any>;
    const [dbGroup] = Object.entries(groups).find(([, body]) => body.name === standing.securityGroup("db"))!;
    expect(stack.only("aws_rds_cluster").vpc_security_group_ids).toEqual([`\${data.aws_security_group.${dbGroup}.id}`]);
  });
});
