/**
 * Which attributes of a restored database force Terraform to replace it, per resource type, at the provider versions
 * the bindings target (aws 5.100.0, google 6.50.0, azurerm 4.55.0). A replacement of a recovered database destroys the
 * data restored into it, so every such attribute the stack sets is either an identity attribute (it names which
 * database this is and is fixed by construction) or listed in `lifecycle.ignore_changes`. The modules build their
 * ignore lists from this table, the apply-time rule RestoredDatabaseForceNewIgnored checks them, and the plan report
 * warns from the restore inputs below.
 *
 * How each table was read:
 *   - google and azurerm: the resource's schema (`ForceNew: true`) and its `CustomizeDiff` (`ForceNewIf`,
 *     `ForceNewIfChange`, `d.ForceNew`) at the release tag, `git show v6.50.0:<file>` / `git show v4.55.0:<file>` in
 *     the public repositories hashicorp/terraform-provider-google and hashicorp/terraform-provider-azurerm.
 *   - aws: the schema and `CustomizeDiff` in internal/service/rds/{cluster,instance,cluster_instance}.go of
 *     hashicorp/terraform-provider-aws, confirmed against the 5.100.0 provider itself: a `terraform plan
 *     -refresh=false` of one resource per attribute, state holding one value and configuration another, lists in
 *     `replace_paths` exactly the attributes below (test/facts/force-new-aws.test.ts repeats it whenever Terraform and
 *     the provider mirror are present). The plan shows what the released binary does where the source moved on: in
 *     5.100.0 `aws_db_instance.identifier` and `db_subnet_group_name` change in place.
 * Read on 2026-12-01.
 */

/** A resource body as synthesized (`snake_case` keys, nested blocks as an object or a list of one). */
export type ResourceBody = { readonly [key: string]: unknown };

/**
 * What makes the provider replace the resource: any change of a set value; a smaller number than the one in state
 * (`shrink`, e.g. a disk that grew); a lower version (`downgrade`); removing a value that was set (`unset`); or a
 * condition of the provider's own (`condition`, spelled out in `declaredBy`).
 */
export type ForceNewTrigger = "change" | "shrink" | "downgrade" | "unset" | "condition";

export interface ForceNewAttribute {
  /** Dotted path; blocks of at most one item take no index (`settings.disk_size` is `settings[0].disk_size`). */
  readonly path: string;
  readonly trigger: ForceNewTrigger;
  /** Where the provider declares it: `ForceNew: true` in the schema, or the CustomizeDiff function. */
  readonly declaredBy: string;
  /**
   * Set for identity attributes, with why: they say which database this is (name, identifier, project, region,
   * location, resource group, the engine it runs) and the modules derive them from config that cannot change without
   * meaning another database. They are never ignored: ignoring the name would hide a rename instead of refusing it.
   */
  readonly identity?: string;
  /** For a `condition` the table can evaluate on the synthesized body: whether it can hold for this resource. */
  readonly when?: (body: ResourceBody) => boolean;
}

/** What a later change of a restore input does to the recovered database. */
export type RestoreInputEffect =
  /** The provider replaces the database (ForceNew): the restore runs again into a new, empty-of-new-writes database. */
  | "replaces"
  /** The provider restores over the existing database in place (Cloud SQL `restore_backup_context`). */
  | "restores-again"
  /** Read at creation only; a later change plans an in-place update that does nothing. */
  | "read-at-create";

export interface RestoreInput {
  readonly path: string;
  readonly onChange: RestoreInputEffect;
  readonly declaredBy: string;
}

export interface ForceNewTable {
  readonly resourceType: string;
  /** Public repository of the provider. */
  readonly repository: string;
  /** Provider release the bindings target. */
  readonly version: string;
  /** The resource's source file in `repository`. */
  readonly sourceFile: string;
  readonly attributes: readonly ForceNewAttribute[];
  /** Inputs that choose what the database is restored from (all of them belong under ignore_changes). */
  readonly restoreInputs: readonly RestoreInput[];
}

const AWS = "hashicorp/terraform-provider-aws";
const GOOGLE = "hashicorp/terraform-provider-google";
const AZURERM = "hashicorp/terraform-provider-azurerm";

const SCHEMA = "ForceNew: true in the schema";
const NAMES = "names the database; derived from the environment name (or the adopted replica's own name)";
const ENGINE = "the engine the module is written for; another engine is another database";

const S3_IMPORT = ["bucket_name", "bucket_prefix", "ingestion_role", "source_engine", "source_engine_version"].map(
  (leaf): ForceNewAttribute => ({ path: `s3_import.${leaf}`, trigger: "change", declaredBy: SCHEMA }),
);

const AWS_RDS_CLUSTER: ForceNewTable = {
  resourceType: "aws_rds_cluster",
  repository: AWS,
  version: "5.100.0",
  sourceFile: "internal/service/rds/cluster.go",
  attributes: [
    { path: "cluster_identifier", trigger: "change", declaredBy: SCHEMA, identity: NAMES },
    { path: "cluster_identifier_prefix", trigger: "change", declaredBy: SCHEMA, identity: NAMES },
    { path: "engine", trigger: "change", declaredBy: SCHEMA, identity: ENGINE },
    { path: "availability_zones", trigger: "change", declaredBy: SCHEMA },
    { path: "cluster_scalability_type", trigger: "change", declaredBy: SCHEMA },
    { path: "database_name", trigger: "change", declaredBy: SCHEMA },
    { path: "db_subnet_group_name", trigger: "change", declaredBy: SCHEMA },
    { path: "db_system_id", trigger: "change", declaredBy: SCHEMA },
    { path: "engine_mode", trigger: "change", declaredBy: SCHEMA },
    { path: "kms_key_id", trigger: "change", declaredBy: SCHEMA },
    { path: "master_username", trigger: "change", declaredBy: SCHEMA },
    // Removing it is suppressed (DiffSuppressFunc `new == ""`); naming another snapshot replaces the cluster.
    { path: "snapshot_identifier", trigger: "change", declaredBy: SCHEMA },
    { path: "source_region", trigger: "change", declaredBy: SCHEMA },
    { path: "storage_encrypted", trigger: "change", declaredBy: SCHEMA },
    {
      path: "storage_type",
      trigger: "condition",
      declaredBy: 'CustomizeDiff: customdiff.ForceNewIf("storage_type") unless the engine starts with "aurora"',
      when: (body) => typeof body.engine !== "string" || !body.engine.startsWith("aurora"),
    },
    { path: "restore_to_point_in_time", trigger: "change", declaredBy: `${SCHEMA} (on the block)` },
    ...["restore_to_time", "restore_type", "source_cluster_identifier", "source_cluster_resource_id", "use_latest_restorable_time"].map(
      (leaf): ForceNewAttribute => ({ path: `restore_to_point_in_time.${leaf}`, trigger: "change", declaredBy: SCHEMA }),
    ),
    ...S3_IMPORT,
  ],
  restoreInputs: [
    { path: "snapshot_identifier", onChange: "replaces", declaredBy: SCHEMA },
    { path: "restore_to_point_in_time", onChange: "replaces", declaredBy: SCHEMA },
    { path: "s3_import", onChange: "replaces", declaredBy: `${SCHEMA} (each attribute of the block)` },
  ],
};

const AWS_RDS_CLUSTER_INSTANCE: ForceNewTable = {
  resourceType: "aws_rds_cluster_instance",
  repository: AWS,
  version: "5.100.0",
  sourceFile: "internal/service/rds/cluster_instance.go",
  attributes: [
    { path: "identifier", trigger: "change", declaredBy: SCHEMA, identity: NAMES },
    { path: "identifier_prefix", trigger: "change", declaredBy: SCHEMA, identity: NAMES },
    { path: "cluster_identifier", trigger: "change", declaredBy: SCHEMA, identity: "the cluster the instance belongs to" },
    { path: "engine", trigger: "change", declaredBy: SCHEMA, identity: ENGINE },
    { path: "availability_zone", trigger: "change", declaredBy: SCHEMA },
    { path: "custom_iam_instance_profile", trigger: "change", declaredBy: SCHEMA },
    { path: "db_subnet_group_name", trigger: "change", declaredBy: SCHEMA },
  ],
  restoreInputs: [],
};

const AWS_DB_INSTANCE: ForceNewTable = {
  resourceType: "aws_db_instance",
  repository: AWS,
  version: "5.100.0",
  sourceFile: "internal/service/rds/instance.go",
  attributes: [
    { path: "engine", trigger: "change", declaredBy: SCHEMA, identity: ENGINE },
    { path: "availability_zone", trigger: "change", declaredBy: SCHEMA },
    { path: "backup_target", trigger: "change", declaredBy: SCHEMA },
    { path: "character_set_name", trigger: "change", declaredBy: SCHEMA },
    { path: "custom_iam_instance_profile", trigger: "change", declaredBy: SCHEMA },
    { path: "db_name", trigger: "change", declaredBy: SCHEMA },
    { path: "kms_key_id", trigger: "change", declaredBy: SCHEMA },
    { path: "nchar_character_set_name", trigger: "change", declaredBy: SCHEMA },
    { path: "snapshot_identifier", trigger: "change", declaredBy: SCHEMA },
    { path: "storage_encrypted", trigger: "change", declaredBy: SCHEMA },
    { path: "timezone", trigger: "change", declaredBy: SCHEMA },
    { path: "username", trigger: "change", declaredBy: SCHEMA },
    // ForceNew on the block: adding or removing it replaces; in 5.100.0 a changed time or source inside it plans an
    // in-place update that restores nothing.
    { path: "restore_to_point_in_time", trigger: "change", declaredBy: `${SCHEMA} (on the block)` },
    ...S3_IMPORT,
  ],
  restoreInputs: [
    { path: "snapshot_identifier", onChange: "replaces", declaredBy: SCHEMA },
    { path: "restore_to_point_in_time", onChange: "replaces", declaredBy: SCHEMA },
    { path: "s3_import", onChange: "replaces", declaredBy: `${SCHEMA} (each attribute of the block)` },
  ],
};

const REPLICA_CONFIGURATION = [
  "ca_certificate",
  "client_certificate",
  "client_key",
  "connect_retry_interval",
  "dump_file_path",
  "failover_target",
  "master_heartbeat_period",
  "password",
  "ssl_cipher",
  "username",
  "verify_server_certificate",
].map((leaf): ForceNewAttribute => ({ path: `replica_configuration.${leaf}`, trigger: "change", declaredBy: SCHEMA }));

const GOOGLE_SQL_DATABASE_INSTANCE: ForceNewTable = {
  resourceType: "google_sql_database_instance",
  repository: GOOGLE,
  version: "6.50.0",
  sourceFile: "google/services/sql/resource_sql_database_instance.go",
  attributes: [
    { path: "name", trigger: "change", declaredBy: SCHEMA, identity: NAMES },
    { path: "project", trigger: "change", declaredBy: SCHEMA, identity: "the recovery project, from config" },
    { path: "region", trigger: "change", declaredBy: SCHEMA, identity: "the recovery region, from config" },
    { path: "encryption_key_name", trigger: "change", declaredBy: SCHEMA },
    { path: "settings.collation", trigger: "change", declaredBy: SCHEMA },
    { path: "settings.disk_type", trigger: "change", declaredBy: SCHEMA },
    // With disk_autoresize the disk grows past the configured size, and a restore sets it to the larger of the two
    // instances' sizes: the configured value is then a shrink.
    {
      path: "settings.disk_size",
      trigger: "shrink",
      declaredBy: 'CustomizeDiff: customdiff.ForceNewIfChange("settings.0.disk_size", compute.IsDiskShrinkage)',
    },
    { path: "settings.ip_configuration.private_network", trigger: "unset", declaredBy: "CustomizeDiff: privateNetworkCustomizeDiff (set to unset)" },
    {
      path: "master_instance_name",
      trigger: "condition",
      declaredBy: 'CustomizeDiff: customdiff.ForceNewIf("master_instance_name") unless it is the old primary\'s side of a switchover',
    },
    {
      path: "replica_configuration.cascadable_replica",
      trigger: "condition",
      declaredBy: 'CustomizeDiff: customdiff.ForceNewIf("replica_configuration.0.cascadable_replica") unless a switchover',
    },
    ...REPLICA_CONFIGURATION,
  ],
  restoreInputs: [
    // resourceSqlDatabaseInstanceUpdate calls sqlDatabaseInstanceRestoreFromBackup when the block changes.
    {
      path: "restore_backup_context",
      onChange: "restores-again",
      declaredBy: 'resourceSqlDatabaseInstanceUpdate: d.HasChange("restore_backup_context") restores the backup over the instance',
    },
    // expandCloneContext is called from resourceSqlDatabaseInstanceCreate only.
    { path: "clone", onChange: "read-at-create", declaredBy: "resourceSqlDatabaseInstanceCreate only (Instances.Clone)" },
  ],
};

const AZURERM_POSTGRESQL_FLEXIBLE_SERVER: ForceNewTable = {
  resourceType: "azurerm_postgresql_flexible_server",
  repository: AZURERM,
  version: "4.55.0",
  sourceFile: "internal/services/postgres/postgresql_flexible_server_resource.go",
  attributes: [
    { path: "name", trigger: "change", declaredBy: SCHEMA, identity: NAMES },
    {
      path: "resource_group_name",
      trigger: "change",
      declaredBy: "commonschema.ResourceGroupName() (ForceNew: true)",
      identity: "the recovery resource group (or the adopted replica's own)",
    },
    { path: "location", trigger: "change", declaredBy: "commonschema.Location() (ForceNew: true)", identity: "the recovery region, from config" },
    { path: "delegated_subnet_id", trigger: "change", declaredBy: SCHEMA },
    { path: "point_in_time_restore_time_in_utc", trigger: "change", declaredBy: SCHEMA },
    { path: "source_server_id", trigger: "change", declaredBy: SCHEMA },
    { path: "geo_redundant_backup_enabled", trigger: "change", declaredBy: SCHEMA },
    { path: "customer_managed_key", trigger: "change", declaredBy: `${SCHEMA} (on the block)` },
    { path: "version", trigger: "downgrade", declaredBy: 'CustomizeDiff: d.ForceNew("version") when the new major version is lower' },
    { path: "administrator_login", trigger: "condition", declaredBy: 'CustomizeDiff: diff.ForceNew("administrator_login") on any change once it was set' },
    // With auto_grow_enabled the storage grows past the configured size: the configured value is then a shrink.
    { path: "storage_mb", trigger: "shrink", declaredBy: 'CustomizeDiff: diff.ForceNew("storage_mb") when the new size is smaller than the old' },
    {
      path: "identity",
      trigger: "condition",
      declaredBy: 'CustomizeDiff: diff.ForceNew("identity.0.type") when a UserAssigned identity becomes SystemAssigned or none',
    },
  ],
  restoreInputs: [
    { path: "source_server_id", onChange: "replaces", declaredBy: SCHEMA },
    { path: "point_in_time_restore_time_in_utc", onChange: "replaces", declaredBy: SCHEMA },
  ],
};

/** The tables, by resource type. */
export const FORCE_NEW: Readonly<Record<DatabaseResourceType, ForceNewTable>> = {
  aws_rds_cluster: AWS_RDS_CLUSTER,
  aws_rds_cluster_instance: AWS_RDS_CLUSTER_INSTANCE,
  aws_db_instance: AWS_DB_INSTANCE,
  google_sql_database_instance: GOOGLE_SQL_DATABASE_INSTANCE,
  azurerm_postgresql_flexible_server: AZURERM_POSTGRESQL_FLEXIBLE_SERVER,
};

export type DatabaseResourceType =
  | "aws_rds_cluster"
  | "aws_rds_cluster_instance"
  | "aws_db_instance"
  | "google_sql_database_instance"
  | "azurerm_postgresql_flexible_server";

export function forceNewTable(resourceType: string): ForceNewTable | undefined {
  return (FORCE_NEW as Readonly<Record<string, ForceNewTable>>)[resourceType];
}

/** A dotted path as Terraform writes it in `ignore_changes`: `settings.disk_size` -> `settings[0].disk_size`. */
export function ignoreChangesPath(path: string): string {
  const parts = path.split(".");
  return parts.map((part, index) => (index < parts.length - 1 ? `${part}[0]` : part)).join(".");
}

/**
 * The `ignore_changes` entries for ForceNew attributes a module sets on a restored database. Each one must be in the
 * table and not an identity attribute, so a module cannot ignore the wrong thing or miss the table's word on it.
 */
export function ignoreForceNew(resourceType: DatabaseResourceType, paths: readonly string[]): string[] {
  const table = FORCE_NEW[resourceType];
  return paths.map((path) => {
    const fact = table.attributes.find((attribute) => attribute.path === path);
    if (fact === undefined)
      throw new Error(`${resourceType}.${path} does not force replacement in ${table.repository} ${table.version} (facts/force-new.ts); do not ignore it`);
    if (fact.identity !== undefined) throw new Error(`${resourceType}.${path} is an identity attribute (${fact.identity}); it is never ignored`);
    return ignoreChangesPath(path);
  });
}

/**
 * Restore inputs whose later change would destroy or overwrite the recovered data, by resource type, for the plan
 * report's warning (which predates this table and reads only top-level attributes).
 */
export function hazardousRestoreInputs(): Readonly<Record<string, readonly string[]>> {
  return Object.fromEntries(
    Object.values(FORCE_NEW)
      .map((table) => [table.resourceType, table.restoreInputs.filter((input) => input.onChange !== "read-at-create").map((input) => input.path)] as const)
      .filter(([, inputs]) => inputs.length > 0),
  );
}
