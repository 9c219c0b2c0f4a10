/**
 * What every recovered database carries, Aurora cluster or RDS instance alike: credentials kept by RDS in Secrets
 * Manager, deletion protection, backups, exported logs, a final snapshot, and the lifecycle rules that stop a re-run
 * from rebuilding it. The engine files add only what differs between the two.
 */
import type { DbInstanceConfig } from "@cdktf/provider-aws/lib/db-instance";
import type { RdsClusterConfig } from "@cdktf/provider-aws/lib/rds-cluster";
import type { EngineRestoreProps } from "./database";

export function recoveredDatabaseSafeguards(props: EngineRestoreProps, restoreInputs: string[]): Partial<RdsClusterConfig> & Partial<DbInstanceConfig> {
  const { database } = props;
  return {
    // The source's master password is unknown here; RDS sets a new one and keeps it in Secrets Manager only.
    manageMasterUserPassword: true,
    masterUserSecretKmsKeyId: props.kmsKeyArn,
    deletionProtection: database.deletionProtection,
    backupRetentionPeriod: database.backupRetentionDays,
    copyTagsToSnapshot: true,
    enabledCloudwatchLogsExports: [...props.engine.logExports],
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: props.finalSnapshotIdentifier,
    // Keep automated backups after a deletion: after a mistaken destroy they are the way back.
    deleteAutomatedBackups: false,
    dependsOn: [props.logGroup],
    lifecycle: {
      // Restore inputs and the other ForceNew arguments are set once: a later run with a newer snapshot or time, or any
      // other change to them, must never rebuild the database.
      ignoreChanges: restoreInputs,
      preventDestroy: database.deletionProtection,
    },
  };
}
