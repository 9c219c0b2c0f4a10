/**
 * The recovered Cloud SQL for PostgreSQL instance: private IP only, TLS required, backups and point-in-time recovery
 * on, Medplum's required flags, and guarded so that no later apply can restore over it or replace it.
 *
 * Every ForceNew input (google provider 6.50.0, google/services/sql/resource_sql_database_instance.go) is stable by
 * construction or ignored after creation:
 *   - `name` (derived from the environment, or the replica's own name), `region` (config), `project`: stable.
 *   - `settings.disk_size`: `ForceNewIfChange(..., IsDiskShrinkage)`, and `disk_autoresize` grows the disk, so the
 *     configured size soon falls below the real one and the next plan would replace the instance. The provider docs
 *     (website/docs/r/sql_database_instance.html.markdown, `disk_autoresize`) say to ignore it. A clone also inherits
 *     its source's size.
 *   - `settings.disk_type`, `encryption_key_name`: ForceNew, and a clone or a promoted replica carries its source's
 *     values, whatever config says; after creation config must never replace the instance over them.
 *   - the restore inputs (`restore_backup_context`, `clone`): the provider restores again on update when
 *     `restore_backup_context` changes, so a changed backup run id would overwrite everything written since.
 *   - `master_instance_name`, `replica_configuration` (ForceNewIf / ForceNew): never set, and never ignored either,
 *     because the stack may promote an imported replica. The provider promotes only when the configuration leaves both out
 *     (`checkPromoteConfigurationsAndUpdateDiff` reads the raw config), and Terraform hands the provider the config
 *     with ignored attributes filled in from state (hashicorp/terraform, internal/terraform/
 *     node_resource_abstract_instance.go, `processIgnoreChanges` before `PlanResourceChange`), so ignoring them would
 *     fail the promotion plan with "Replica promote configuration check failed".
 * `database_version` is not ForceNew in 6.50.0 (major upgrades are in place); config keeps it equal to the source's.
 */
import {
  SqlDatabaseInstance,
  type SqlDatabaseInstanceClone,
  type SqlDatabaseInstanceRestoreBackupContext,
} from "@cdktf/provider-google/lib/sql-database-instance";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ignoreForceNew } from "../../facts/force-new";

/** How the instance comes to hold the recovered data. */
export type CloudSqlRestoreInput =
  | { readonly kind: "backup"; readonly context: SqlDatabaseInstanceRestoreBackupContext }
  | { readonly kind: "clone"; readonly clone: SqlDatabaseInstanceClone }
  /** The instance exists (a read replica, adopted with an import block); managing it without a master promotes it. */
  | { readonly kind: "promotion" };

export interface CloudSqlInstanceProps {
  readonly project: string;
  readonly region: string;
  readonly name: string;
  /** e.g. POSTGRES_16; equal to the source's. */
  readonly databaseVersion: string;
  readonly tier: string;
  readonly edition: "ENTERPRISE" | "ENTERPRISE_PLUS";
  /** The size at creation; afterwards autoresize owns it (ignored, see above). */
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

/** The server CA mode whose certificates name the instance (docs/targets/gcp.md, "Database TLS"). */
export const SERVER_CA_MODE = "GOOGLE_MANAGED_CAS_CA";

/** Restore inputs Terraform must never act on again once the instance holds the recovered data. */
export const RESTORE_INPUTS = ["restore_backup_context", "clone"] as const;

export const FORCE_NEW_SETTINGS = ignoreForceNew("google_sql_database_instance", ["settings.disk_size", "settings.disk_type", "encryption_key_name"]);

/** Everything `lifecycle.ignore_changes` lists for a recovered instance, whatever its restore mode. */
export const IGNORED_AFTER_CREATION: readonly string[] = [...RESTORE_INPUTS, ...FORCE_NEW_SETTINGS];

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
          // The shared CA puts the instance's DNS name in its server certificate, so the servers can verify chain and
          // name (Node has no chain-only check); the per-instance CA's certificate names no host at all.
          // https://cloud.google.com/sql/docs/postgres/authorize-ssl
          serverCaMode: SERVER_CA_MODE,
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
        ignoreChanges: [...IGNORED_AFTER_CREATION],
        ...(props.deletionProtection ? { preventDestroy: true } : {}),
      },
    });
    if (restore.kind === "promotion") {
      // Adopts the replica instead of creating an instance (an import block; the provider's importer takes
      // projects/<project>/instances/<name>). Already in state, it is a no-op.
      this.instance.importFrom(`projects/${props.project}/instances/${props.name}`);
    }
  }
}
