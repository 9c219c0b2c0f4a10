/**
 * The recovered Cloud SQL for PostgreSQL instance: private IP only, TLS required, backups and point-in-time recovery
 * on, Medplum's required flags, and guarded so that no later apply can restore over it or replace it.
 *
 * ForceNew attributes (facts/force-new.ts): the identities `name` (derived from the environment, or the replica's own
 * name), `region` and `project` (config) are stable by construction; `encryption_key_name`, `settings.disk_type` and
 * `settings.disk_size` (replaced when smaller than in state, which it becomes once autoresize or a restore grows the
 * disk) are ignored after creation. The restore inputs (`restore_backup_context`, `clone`) are ignored too, whatever the
 * mode: a changed backup run id must never trigger a second restore (the provider restores on update), and switching
 * the mode in config after a recovery must never touch the recovered instance. `master_instance_name` and
 * `replica_configuration` are never set and never ignored: Terraform would send an imported replica's values for them
 * to the provider, whose promotion check then refuses to promote it.
 */
import { SqlDatabaseInstance, type SqlDatabaseInstanceClone, type SqlDatabaseInstanceRestoreBackupContext } from "@cdktf/provider-google/lib/sql-database-instance";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ignoreForceNew } from "../../facts/force-new";

/** How the instance comes to hold the recovered data. */
export type CloudSqlRestoreInput =
  | { readonly kind: "backup"; readonly context: SqlDatabaseInstanceRestoreBackupContext }
  | { readonly kind: "clone"; readonly clone: SqlDatabaseInstanceClone }
  /** The instance exists (an imported read replica); managing it without a master promotes it. */
  | { readonly kind: "promotion" };

export interface CloudSqlInstanceProps {
  readonly project: string;
  readonly region: string;
  readonly name: string;
  /** e.g. POSTGRES_16; equal to the source's. */
  readonly databaseVersion: string;
  readonly tier: string;
  readonly edition: "ENTERPRISE" | "ENTERPRISE_PLUS";
  readonly diskSizeGiB: number;
  readonly availabilityType: "REGIONAL" | "ZONAL";
  readonly restore: CloudSqlRestoreInput;
  /** `projects/<p>/global/networks/<name>` of the VPC with private services access. */
  readonly privateNetworkId: string;
  readonly allocatedIpRange: string;
  /** Terraform's `deletion_protection`, the API's `deletion_protection_enabled` and `prevent_destroy` together. */
  readonly deletionProtection: boolean;
  readonly backupRetentionCount: number;
  readonly transactionLogRetentionDays: number;
  /** @default - the instance's region */
  readonly backupLocation?: string;
  /** @default - Google-managed encryption */
  readonly kmsKeyName?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The private services peering must exist before a private IP can be assigned. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/** Medplum refuses to start without these (REFERENCE §1); the log flags give HIPAA's audit trail (CKV_GCP_51-57). */
export const MEDPLUM_DATABASE_FLAGS: ReadonlyArray<{ name: string; value: string }> = [
  { name: "statement_timeout", value: "60000" },
  { name: "default_transaction_isolation", value: "repeatable read" },
  { name: "log_connections", value: "on" },
  { name: "log_disconnections", value: "on" },
  { name: "log_checkpoints", value: "on" },
  { name: "log_lock_waits", value: "on" },
  { name: "log_temp_files", value: "0" },
  // -1 keeps statement text (which can carry PHI) out of the logs (CKV_GCP_57).
  { name: "log_min_duration_statement", value: "-1" },
];

/** Restore inputs and ForceNew settings Terraform must never act on again once the instance holds the recovered data. */
export const RESTORE_INPUTS = [
  "restore_backup_context",
  "clone",
  ...ignoreForceNew("google_sql_database_instance", ["encryption_key_name", "settings.disk_type", "settings.disk_size"]),
] as const;

/** A large backup restore can outlast the provider's default create timeout. */
export const CREATE_TIMEOUT_MINUTES = 120;

export class CloudSqlInstance extends Construct {
  readonly instance: SqlDatabaseInstance;

  constructor(scope: Construct, id: string, props: CloudSqlInstanceProps) {
    super(scope, id);
    const { restore } = props;

    this.instance = new SqlDatabaseInstance(this, "instance", {
      project: props.project,
      region: props.region,
      name: props.name,
      databaseVersion: props.databaseVersion,
      ...(props.kmsKeyName !== undefined ? { encryptionKeyName: props.kmsKeyName } : {}),
      ...(restore.kind === "backup" ? { restoreBackupContext: restore.context } : {}),
      ...(restore.kind === "clone" ? { clone: restore.clone } : {}),
      // Setting the type with no master promotes an imported replica; for a new instance it is the default anyway.
      instanceType: "CLOUD_SQL_INSTANCE",
      deletionProtection: props.deletionProtection,
      settings: {
        tier: props.tier,
        edition: props.edition,
        availabilityType: props.availabilityType,
        diskType: "PD_SSD",
        diskSize: props.diskSizeGiB,
        diskAutoresize: true,
        deletionProtectionEnabled: props.deletionProtection,
        userLabels: { ...props.labels },
        ipConfiguration: {
          ipv4Enabled: false,
          privateNetwork: props.privateNetworkId,
          allocatedIpRange: props.allocatedIpRange,
          // Medplum connects with TLS but without a client certificate, so ENCRYPTED_ONLY is the strictest it can use.
          sslMode: "ENCRYPTED_ONLY",
        },
        backupConfiguration: {
          enabled: true,
          pointInTimeRecoveryEnabled: true,
          location: props.backupLocation ?? props.region,
          transactionLogRetentionDays: props.transactionLogRetentionDays,
          backupRetentionSettings: { retainedBackups: props.backupRetentionCount, retentionUnit: "COUNT" },
        },
        databaseFlags: MEDPLUM_DATABASE_FLAGS.map((flag) => ({ ...flag })),
        insightsConfig: { queryInsightsEnabled: true, recordClientAddress: false, recordApplicationTags: false },
        // Sunday 03:00 UTC on the stable track: maintenance restarts land late and on well-tested versions.
        maintenanceWindow: { day: 7, hour: 3, updateTrack: "stable" },
      },
      timeouts: { create: `${CREATE_TIMEOUT_MINUTES}m`, update: "90m" },
      dependsOn: [...props.dependsOn],
      lifecycle: {
        ignoreChanges: [...RESTORE_INPUTS],
        ...(props.deletionProtection ? { preventDestroy: true } : {}),
      },
    });
  }
}
