/**
 * The warm-standby tier's live replica of the primary database in the recovery region, which the recovery promotes
 * instead of restoring (docs/standby.md, "Warm standby: the database replica").
 *
 * Aurora: an Aurora Global Database. `aws_rds_global_cluster` with `source_db_cluster_identifier` makes the primary
 * cluster the global cluster's writer (CreateGlobalCluster with SourceDBClusterIdentifier), and an `aws_rds_cluster`
 * with `global_cluster_identifier` joins it as a read-only secondary in the recovery region, with one instance. What
 * this changes on the primary cluster: it becomes a member of a global cluster (storage-level replication to the
 * secondary; the primary's own configuration is unchanged). In the provider (hashicorp/terraform-provider-aws,
 * internal/service/rds/global_cluster.go) `source_db_cluster_identifier` is ForceNew and requires `force_destroy`,
 * whose delete removes every member from the global cluster (RemoveFromGlobalCluster, secondaries first, the writer
 * last) before deleting it, so destroying this stack detaches the primary rather than failing on a non-empty
 * global cluster. In internal/service/rds/cluster.go, removing `global_cluster_identifier` from a member is an
 * in-place update that calls RemoveFromGlobalCluster and waits while the cluster is `promoting`: that is the
 * detach-and-promote path, and adding an existing cluster to a global cluster is refused ("existing RDS Clusters
 * cannot be added to an existing RDS Global Cluster").
 *
 * RDS (`engine: postgres`): a cross-region read replica, `aws_db_instance` with `replicate_source_db` = the primary's
 * ARN (the ARN is required across regions). It changes nothing in the primary's configuration; RDS streams its WAL to
 * the replica. In internal/service/rds/instance.go removing `replicate_source_db` is an in-place update that calls
 * PromoteReadReplica (with `backup_retention_period`) and waits for the instance to be available.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsGlobalCluster } from "@cdktf/provider-aws/lib/rds-global-cluster";
import { Construct } from "constructs";
import { ignoreForceNew } from "../../../facts/force-new";
import type { AwsStandbyConfig, AwsTargetConfig } from "../../../config/schema";
import type { StandingInfrastructure } from "../../standby-contracts";
import { DatabaseParameters } from "../database-parameters";
import { LOG_RETENTION_DAYS } from "../log-retention";
import { primaryDatabaseArn } from "./recovery-points";
import { inRecoveryRegion } from "./in-region";
import { AWS_DATABASE_ENGINES } from "../engines";
import { replicaNames } from "../standing-names";

export { replicaNames, type ReplicaNames } from "../standing-names";

/** What the Aurora secondary ignores after creation (see the comment at its lifecycle). */
export const STANDBY_CLUSTER_IGNORED = [
  "replication_source_identifier",
  "engine_version",
  "global_cluster_identifier",
  ...ignoreForceNew("aws_rds_cluster", ["db_subnet_group_name", "kms_key_id", "storage_encrypted"]),
];

/** What the RDS read replica ignores after creation. */
export const STANDBY_INSTANCE_IGNORED = ["engine_version", "replicate_source_db", ...ignoreForceNew("aws_db_instance", ["kms_key_id", "storage_encrypted"])];

export interface StandbyDatabaseReplicaProps {
  readonly primary: AwsProvider;
  readonly recovery: AwsProvider;
  /** `targets.aws.database`: engine, version and class of what the recovery would restore, which the replica matches. */
  readonly database: AwsTargetConfig["database"];
  /** `targets.aws.standby.database`: the primary cluster (Aurora) or instance (RDS) it replicates. */
  readonly primaryDatabase: AwsStandbyConfig["database"];
  readonly primaryRegion: string;
  readonly accountId: string;
  readonly partition: string;
  readonly namePrefix: string;
  /** The standby key of the recovery region: an encrypted source needs a key of the replica's region. */
  readonly kmsKeyArn: string;
  /** The standing private subnets and database security group. */
  readonly privateSubnetIds: readonly string[];
  readonly securityGroupId: string;
}

export class StandbyDatabaseReplica extends Construct {
  readonly replica: NonNullable<StandingInfrastructure["databaseReplica"]>;

  constructor(scope: Construct, id: string, props: StandbyDatabaseReplicaProps) {
    super(scope, id);
    const { database, recovery } = props;
    const names = replicaNames(props.namePrefix);
    const engine = AWS_DATABASE_ENGINES[database.engine];
    const aurora = engine.resourceType === "aws_rds_cluster";
    const primaryArn = primaryDatabaseArn({
      engine: database.engine,
      partition: props.partition,
      primaryRegion: props.primaryRegion,
      accountId: props.accountId,
      database: props.primaryDatabase,
    });
    const protect = database.deletionProtection;

    const subnets = new DbSubnetGroup(this, "subnets", {
      provider: recovery,
      name: names.replica,
      description: `${props.namePrefix}: the warm standby's database replica`,
      subnetIds: [...props.privateSubnetIds],
    });
    // Its own parameter group (name prefixed with the replica's), so the recovery's own group of the same family and
    // region never collides with it; TLS is forced as on every database of the project.
    const parameters = new DatabaseParameters(this, "parameters", { engine, engineVersion: database.engineVersion, namePrefix: names.replica });
    // Created ahead of RDS, which would otherwise create it on the first export without retention or key.
    new CloudwatchLogGroup(this, "logs", {
      provider: recovery,
      name: engine.logGroupName(names.replica, "postgresql"),
      retentionInDays: LOG_RETENTION_DAYS,
      kmsKeyId: props.kmsKeyArn,
    });
    const common = {
      kmsKeyId: props.kmsKeyArn,
      storageEncrypted: true,
      backupRetentionPeriod: database.backupRetentionDays,
      enabledCloudwatchLogsExports: ["postgresql"],
      deletionProtection: protect,
      vpcSecurityGroupIds: [props.securityGroupId],
      copyTagsToSnapshot: true,
    };
    // Once promoted the replica is the only copy, so a destroy leaves a final snapshot where RDS allows one.
    const finalSnapshot = { skipFinalSnapshot: false, finalSnapshotIdentifier: `${names.replica}-final` };

    if (aurora) {
      const global = new RdsGlobalCluster(this, "global", {
        provider: props.primary,
        globalClusterIdentifier: names.globalCluster,
        sourceDbClusterIdentifier: primaryArn,
        // Required with source_db_cluster_identifier; a destroy detaches every member (the primary last) first.
        forceDestroy: true,
        lifecycle: { preventDestroy: protect },
      });
      const cluster = new RdsCluster(this, "cluster", {
        provider: recovery,
        clusterIdentifier: names.replica,
        engine: "aurora-postgresql",
        engineVersion: database.engineVersion,
        globalClusterIdentifier: global.id,
        dbSubnetGroupName: subnets.name,
        dbClusterParameterGroupName: parameters.name,
        ...common,
        ...finalSnapshot,
        // AWS sets replication_source_identifier on a secondary by itself, and the primary's minor upgrades move the
        // secondary's version: neither is this stack's to revert. The ForceNew arguments (FORCE_NEW in facts/force-new.ts)
        // are ignored too: a replaced standby key or subnet group must not replace a replica that took hours to seed.
        // global_cluster_identifier too: once recovery-aws has promoted the secondary (detached it), this stack reads
        // it as "" and would plan it back, which the provider refuses ("existing RDS Clusters cannot be added to an
        // existing RDS Global Cluster", cluster.go): every apply of this stack would fail until the hand-over's
        // `terraform state rm` (docs/standby.md, "Warm standby: the hand-over").
        lifecycle: {
          preventDestroy: protect,
          ignoreChanges: STANDBY_CLUSTER_IGNORED,
        },
      });
      new RdsClusterInstance(this, "instance", {
        provider: recovery,
        identifier: names.replicaInstance,
        clusterIdentifier: cluster.id,
        engine: "aurora-postgresql",
        engineVersion: database.engineVersion,
        instanceClass: database.instanceClass,
        dbSubnetGroupName: subnets.name,
        publiclyAccessible: false,
        lifecycle: { ignoreChanges: ["engine_version", "db_subnet_group_name"] },
      });
      this.replica = { id: cluster.arn, lag: "Aurora Global Database storage-level replication (typically under a second; AuroraGlobalDBReplicationLag)" };
    } else {
      const instance = new DbInstance(this, "instance", {
        provider: recovery,
        identifier: names.replica,
        // Across regions the source is named by ARN (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.XRgn.html).
        replicateSourceDb: primaryArn,
        instanceClass: database.instanceClass,
        dbSubnetGroupName: subnets.name,
        parameterGroupName: parameters.name,
        multiAz: database.multiAz,
        publiclyAccessible: false,
        ...common,
        // RDS refuses a final snapshot of a read replica (DeleteDBInstance: "If you delete a read replica ... you must
        // enable this setting", https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html),
        // which would make the replica impossible to destroy; its data is the primary's. After a promotion the
        // replica leaves this stack's state (docs/standby.md), so this never applies to the promoted database.
        skipFinalSnapshot: true,
        // The replica follows the source's version; a minor upgrade of the primary is not this stack's to revert. Its
        // ForceNew arguments are ignored as on the Aurora secondary. So is `replicate_source_db`: once recovery-aws has
        // promoted the replica, this stack reads it as "" and would plan the source back, which the provider refuses
        // ("cannot elect new source database for replication", instance.go) on every apply until the hand-over.
        lifecycle: { preventDestroy: protect, ignoreChanges: STANDBY_INSTANCE_IGNORED },
      });
      this.replica = { id: instance.arn, lag: "RDS asynchronous cross-region replication (seconds to minutes; ReplicaLag)" };
    }
    inRecoveryRegion(parameters, recovery);
  }
}
