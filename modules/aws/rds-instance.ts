/**
 * RDS for PostgreSQL restored from a DB snapshot copied into the recovery region, or to a point in time from automated
 * backups replicated into it (`aws_db_instance_automated_backups_replication`): `time: latest` restores to the latest
 * restorable time, a timestamp to exactly that time.
 *
 * RDS restores keep the encryption of their source: neither RestoreDBInstanceFromDBSnapshot nor
 * RestoreDBInstanceToPointInTime takes a key, so the instance is encrypted with the key of the snapshot copy or of the
 * replicated backups. `kms_key_id` is set only when `database.kmsKeyArn` names that key (declaring it, for review and
 * policy), and is ignored after creation so a differing key can never turn into a replacement. `username` and
 * `db_name` come from the source and are not set.
 */
import { DbInstance, type DbInstanceRestoreToPointInTime } from "@cdktf/provider-aws/lib/db-instance";
import { Construct } from "constructs";
import { ignoreForceNew } from "../../facts/force-new";
import type { EngineRestoreProps, EngineRestoreResult } from "./database";
import { POSTGRES_PORT } from "./security-groups";
import { recoveredDatabaseSafeguards } from "./database-safeguards";
import { RDS_POSTGRES } from "./engines";

/**
 * Arguments set once at restore, then left alone: the restore inputs (a change would rebuild the instance from a
 * backup) and every other ForceNew argument the instance sets (facts/force-new.ts: re-keying, encryption).
 */
export const RDS_RESTORE_INPUTS = [...RDS_POSTGRES.restoreInputs, ...ignoreForceNew("aws_db_instance", ["kms_key_id", "storage_encrypted"])];

export class RdsInstance extends Construct {
  readonly result: EngineRestoreResult;

  constructor(scope: Construct, id: string, props: EngineRestoreProps) {
    super(scope, id);
    const { database } = props;
    if (props.engine !== RDS_POSTGRES) {
      throw new Error(`targets.aws.database.engine: ${JSON.stringify(props.engine.name)} is not postgres; RdsInstance restores RDS for PostgreSQL only`);
    }
    const restore = database.restore;
    const pointInTime: DbInstanceRestoreToPointInTime | undefined =
      restore.mode === "point-in-time"
        ? {
            sourceDbInstanceAutomatedBackupsArn: restore.automatedBackupsArn,
            ...(restore.time === "latest" ? { useLatestRestorableTime: true } : { restoreTime: restore.time }),
          }
        : undefined;

    const instance = new DbInstance(this, "instance", {
      identifier: props.identifier,
      engine: RDS_POSTGRES.name,
      engineVersion: database.engineVersion,
      instanceClass: database.instanceClass,
      ...(restore.mode === "snapshot" ? { snapshotIdentifier: props.snapshotIdentifier } : { restoreToPointInTime: pointInTime }),
      allocatedStorage: database.allocatedStorageGiB,
      storageType: "gp3",
      multiAz: database.multiAz,
      port: POSTGRES_PORT,
      dbSubnetGroupName: props.subnetGroupName,
      vpcSecurityGroupIds: [props.securityGroupId],
      parameterGroupName: props.parameterGroupName,
      publiclyAccessible: false,
      // RDS cannot encrypt an unencrypted source on restore: copy snapshots encrypted. Declared for review and policy,
      // and ignored after creation like every ForceNew argument: an unencrypted source must never plan a replacement,
      // which with deletion protection off (a drill) would destroy the recovered database.
      storageEncrypted: true,
      ...(database.kmsKeyArn !== undefined ? { kmsKeyId: database.kmsKeyArn } : {}),
      ...recoveredDatabaseSafeguards(props, RDS_RESTORE_INPUTS),
    });

    this.result = {
      endpoint: instance.address,
      resourceId: instance.identifier,
      instanceIds: [instance.identifier],
      writer: instance,
      masterSecretArn: instance.masterUserSecret.get(0).secretArn,
    };
  }
}
