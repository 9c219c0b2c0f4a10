/**
 * `targets.aws.database.restore.mode: replica-promotion` (tier warm-standby): the live replica standby-aws keeps in the
 * recovery region (standby/replica.ts) is adopted into this stack's state by import blocks and promoted in place by the
 * first apply. Nothing is restored, so the recovered data is whatever the replica had replayed when it was detached.
 *
 * How the promotion happens, in hashicorp/terraform-provider-aws internal/service/rds:
 *   - Aurora (cluster.go, resourceClusterUpdate): the secondary cluster is imported with `global_cluster_identifier`
 *     as AWS reports it; the configuration leaves it out, so the plan changes it to "", an in-place update that calls
 *     RemoveFromGlobalCluster and waits while the cluster is `promoting`. The same update calls ModifyDBCluster FIRST,
 *     for any other changed argument, while the cluster is still a member of the global cluster: so this configuration
 *     matches the secondary standby-aws built argument for argument, and changes nothing else on the first apply.
 *     `replication_source_identifier` is ignored: AWS reports it on a secondary, and removing it would call
 *     PromoteReadReplicaDBCluster (before anything else), which is for cross-region read replica clusters.
 *   - RDS (instance.go, resourceInstanceUpdate): the read replica is imported with `replicate_source_db` (the
 *     primary's ARN); the configuration leaves it out, so the update calls PromoteReadReplica with
 *     `backup_retention_period` and waits for the instance to be available, then ModifyDBInstance for anything else.
 *     The storage size is not set: the replica has the primary's, and a smaller figure would be refused.
 *
 * Every ForceNew argument (facts/force-new.ts) is set to what standby-aws created (the engine, the replica's subnet
 * group, the standby key, encryption) and listed in `lifecycle.ignore_changes`; Computed ForceNew arguments the
 * recovery does not know (availability zones, master user name, database name) are left out and ignored too, so no
 * difference between this configuration and the imported replica can ever plan a replacement. With deletion protection
 * on, `prevent_destroy` stops any plan that would.
 *
 * Credentials: a promoted replica keeps the primary's master user and password (they are part of the replicated
 * database), and RDS cannot manage the master password in Secrets Manager for a member of an Aurora global database or
 * for a read replica (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html,
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html). Turning it on in the same apply
 * would, for Aurora, reach ModifyDBCluster before the detach, and `master_user_secret` stays empty in the plan either
 * way. So the servers read the primary's credentials from the replica of the primary's own secret in the recovery
 * region (`restore.masterSecretArn`), and no password passes through Terraform.
 */
import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AwsTargetConfig } from "../../config/schema";
import { ignoreForceNew } from "../../facts/force-new";
import { DatabaseParameters } from "./database-parameters";
import type { AwsDatabaseEngine } from "./engines";
import { POSTGRES_PORT } from "./security-groups";
import { replicaNames } from "./standing-names";

/**
 * What the promoted Aurora cluster leaves alone: `replication_source_identifier` (see above), the version the
 * primary's upgrades moved the secondary to (a change would reach ModifyDBCluster before the detach), and every
 * non-identity ForceNew argument of aws_rds_cluster the imported secondary can carry.
 */
export const PROMOTED_CLUSTER_IGNORED = [
  "replication_source_identifier",
  "engine_version",
  ...ignoreForceNew("aws_rds_cluster", [
    "availability_zones",
    "database_name",
    "db_subnet_group_name",
    "engine_mode",
    "kms_key_id",
    "master_username",
    "storage_encrypted",
  ]),
];

/** The promoted cluster's instances: the one standby-aws built keeps its zone and subnet group. */
export const PROMOTED_CLUSTER_INSTANCE_IGNORED = [
  "engine_version",
  ...ignoreForceNew("aws_rds_cluster_instance", ["availability_zone", "db_subnet_group_name"]),
];

/** The promoted RDS instance: the version follows the primary's, and every non-identity ForceNew argument it can carry. */
export const PROMOTED_INSTANCE_IGNORED = [
  "engine_version",
  ...ignoreForceNew("aws_db_instance", ["availability_zone", "db_name", "kms_key_id", "storage_encrypted", "username"]),
];

export interface PromotedReplicaProps {
  /** `targets.aws.database`; `restore` is the replica-promotion mode. */
  readonly database: AwsTargetConfig["database"];
  readonly engine: AwsDatabaseEngine;
  readonly namePrefix: string;
  /** The standing database security group standby-aws gave the replica (adopted.ts). */
  readonly securityGroupId: string;
}

export interface PromotedReplicaResult {
  readonly endpoint: string;
  readonly resourceId: string;
  readonly instanceIds: readonly string[];
  /** The replica of the primary's master secret (JSON keys username, password). */
  readonly masterSecretArn: string;
  readonly writer: ITerraformDependable;
  /** The standby-aws replica that was promoted, for the restore provenance. */
  readonly replicaIdentifier: string;
}

export class PromotedReplica extends Construct {
  readonly result: PromotedReplicaResult;

  constructor(scope: Construct, id: string, props: PromotedReplicaProps) {
    super(scope, id);
    const { database, engine, namePrefix } = props;
    const restore = database.restore;
    if (restore.mode !== "replica-promotion") {
      throw new Error(
        `targets.aws.database.restore.mode: ${JSON.stringify(restore.mode)} is not replica-promotion; PromotedReplica promotes the standby's replica only`,
      );
    }
    const names = replicaNames(namePrefix);
    const identifier = restore.replicaIdentifier ?? names.replica;
    // What standby-aws named (standby/replica.ts): its own subnet group and parameter group, and the standby key.
    const subnetGroupName = names.replica;
    // The replica's parameter group is adopted with it, so this stack shows (and keeps) TLS forced on what it serves.
    const parameterGroupName = new DatabaseParameters(this, "parameters", {
      engine,
      engineVersion: database.engineVersion,
      namePrefix: names.replica,
      adoptExisting: true,
    }).name;
    const standbyKey = new DataAwsKmsAlias(this, "standbyKey", { name: `alias/${namePrefix}-standby` }).targetKeyArn;
    const protect = database.deletionProtection;
    const common = {
      engine: engine.name,
      engineVersion: database.engineVersion,
      vpcSecurityGroupIds: [props.securityGroupId],
      port: POSTGRES_PORT,
      storageEncrypted: true,
      kmsKeyId: standbyKey,
      backupRetentionPeriod: database.backupRetentionDays,
      enabledCloudwatchLogsExports: [...engine.logExports],
      deletionProtection: protect,
      copyTagsToSnapshot: true,
      // Once promoted it is the only copy: a destroy leaves a final snapshot and the automated backups.
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${identifier}-final`,
      deleteAutomatedBackups: false,
    };

    if (engine.resourceType === "aws_rds_cluster") {
      const cluster = new RdsCluster(this, "cluster", {
        clusterIdentifier: identifier,
        engineMode: "provisioned",
        dbSubnetGroupName: subnetGroupName,
        dbClusterParameterGroupName: parameterGroupName,
        ...common,
        lifecycle: { ignoreChanges: PROMOTED_CLUSTER_IGNORED, preventDestroy: protect },
      });
      cluster.importFrom(identifier);
      const instance = (instanceId: string, instanceIdentifier: string, promotionTier: number) =>
        new RdsClusterInstance(this, instanceId, {
          identifier: instanceIdentifier,
          // A reference, so every instance waits for the cluster's detach.
          clusterIdentifier: cluster.clusterIdentifier,
          instanceClass: database.instanceClass,
          engine: engine.name,
          dbSubnetGroupName: subnetGroupName,
          publiclyAccessible: false,
          promotionTier,
          // As standby-aws built its instance, so a standby-aws plan before the hand-over finds nothing to revert.
          ...(instanceId === "writer" ? {} : { copyTagsToSnapshot: true }),
          lifecycle: { ignoreChanges: PROMOTED_CLUSTER_INSTANCE_IGNORED },
        });
      // The secondary's one instance serves as the writer once the cluster is detached; the recovery owns it too.
      const writer = instance("writer", names.replicaInstance, 0);
      writer.importFrom(names.replicaInstance);
      const readers = Array.from({ length: database.readerInstances }, (_, index) => instance(`reader${index + 1}`, `${identifier}-${index + 2}`, 1));
      this.result = {
        endpoint: cluster.endpoint,
        resourceId: cluster.clusterIdentifier,
        instanceIds: [writer, ...readers].map((member) => member.identifier),
        masterSecretArn: restore.masterSecretArn,
        writer,
        replicaIdentifier: identifier,
      };
      return;
    }

    const replica = new DbInstance(this, "instance", {
      identifier,
      instanceClass: database.instanceClass,
      multiAz: database.multiAz,
      dbSubnetGroupName: subnetGroupName,
      parameterGroupName,
      publiclyAccessible: false,
      ...common,
      lifecycle: { ignoreChanges: PROMOTED_INSTANCE_IGNORED, preventDestroy: protect },
    });
    replica.importFrom(identifier);
    this.result = {
      endpoint: replica.address,
      resourceId: replica.identifier,
      instanceIds: [replica.identifier],
      masterSecretArn: restore.masterSecretArn,
      writer: replica,
      replicaIdentifier: identifier,
    };
  }
}
