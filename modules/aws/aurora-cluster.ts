/**
 * Aurora PostgreSQL restored from a cluster snapshot already copied into the recovery region, plus a writer and
 * `readerInstances` readers (a restored cluster has no instances of its own).
 *
 * Every ForceNew argument is an identity (identifier, engine), left to the snapshot (`master_username`,
 * `database_name`) or to AWS (`availability_zones`, which Aurora widens to three zones by itself and which would
 * otherwise show a diff that replaces the cluster), or ignored after creation (facts/force-new.ts): the restore input,
 * so a later run with a newer snapshot id never rebuilds the recovered database from it, and the subnet group, engine
 * mode, encryption and key, so no later change to them can replace it.
 */
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { Construct } from "constructs";
import { ignoreForceNew } from "../../facts/force-new";
import type { EngineRestoreProps, EngineRestoreResult } from "./database";
import { POSTGRES_PORT } from "./security-groups";
import { recoveredDatabaseSafeguards } from "./database-safeguards";
import { AURORA_POSTGRESQL } from "./engines";

/**
 * Arguments set once at restore, then left alone: the restore inputs (a change would rebuild the cluster from a
 * backup) and every other ForceNew argument the cluster sets (facts/force-new.ts), which would replace it too.
 */
export const AURORA_RESTORE_INPUTS = [
  ...AURORA_POSTGRESQL.restoreInputs,
  ...ignoreForceNew("aws_rds_cluster", ["engine_mode", "db_subnet_group_name", "storage_encrypted", "kms_key_id"]),
];

/** A writer or reader replaced for a new subnet group would take the cluster's endpoint away meanwhile. */
export const AURORA_INSTANCE_IGNORED = ignoreForceNew("aws_rds_cluster_instance", ["db_subnet_group_name"]);

export class AuroraCluster extends Construct {
  readonly result: EngineRestoreResult;

  constructor(scope: Construct, id: string, props: EngineRestoreProps) {
    super(scope, id);
    const { database } = props;
    if (props.engine !== AURORA_POSTGRESQL) {
      throw new Error(`targets.aws.database.engine: ${JSON.stringify(props.engine.name)} is not aurora-postgresql; AuroraCluster restores Aurora only`);
    }
    if (database.restore.mode !== "snapshot" || props.snapshotIdentifier === undefined) {
      throw new Error(
        'targets.aws.database.restore.mode: "point-in-time" is not available for aurora-postgresql in another region; use mode "snapshot" with a cluster snapshot copied into the recovery region',
      );
    }

    const cluster = new RdsCluster(this, "cluster", {
      clusterIdentifier: props.identifier,
      engine: AURORA_POSTGRESQL.name,
      engineMode: "provisioned",
      engineVersion: database.engineVersion,
      snapshotIdentifier: props.snapshotIdentifier,
      port: POSTGRES_PORT,
      dbSubnetGroupName: props.subnetGroupName,
      vpcSecurityGroupIds: [props.securityGroupId],
      dbClusterParameterGroupName: props.parameterGroupName,
      // Aurora re-encrypts a restored snapshot with the key given here: the recovery region's key.
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      ...recoveredDatabaseSafeguards(props, AURORA_RESTORE_INPUTS),
    });

    const instance = (instanceId: string, identifier: string, promotionTier: number) =>
      new RdsClusterInstance(this, instanceId, {
        identifier,
        clusterIdentifier: cluster.clusterIdentifier,
        instanceClass: database.instanceClass,
        engine: AURORA_POSTGRESQL.name,
        dbSubnetGroupName: props.subnetGroupName,
        publiclyAccessible: false,
        promotionTier,
        copyTagsToSnapshot: true,
        lifecycle: { ignoreChanges: AURORA_INSTANCE_IGNORED },
      });
    const writer = instance("writer", `${props.identifier}-1`, 0);
    const readers = Array.from({ length: database.readerInstances }, (_, index) => instance(`reader${index + 1}`, `${props.identifier}-${index + 2}`, 1));

    this.result = {
      endpoint: cluster.endpoint,
      resourceId: cluster.clusterIdentifier,
      instanceIds: [writer, ...readers].map((member) => member.identifier),
      masterSecretArn: cluster.masterUserSecret.get(0).secretArn,
      writer,
    };
  }
}
