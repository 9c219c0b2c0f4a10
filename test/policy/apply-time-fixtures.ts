/**
 * Compliant and non-compliant fixtures for every apply-time rule, in the shapes the provider bindings emit (checked by
 * fixture-shapes.test.ts like the HIPAA pack's). `flagged` lists the addresses a non-compliant fixture is reported at.
 */
import type { RuleFixtures } from "./fixtures";
import { stack } from "./helpers";
import { supportedAksVersions } from "../../facts/aks-versions";

const ref = (address: string, attribute = "id") => `\${${address}.${attribute}}`;
const SERVER =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-prod-pg";
const REPLICA =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/medplum-dr/providers/Microsoft.DBforPostgreSQL/flexibleServers/medplum-prod-pg-replica";
const RECORD = (type: string, name = "api", zone = "medplum.example.com", group = "dns") =>
  `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${group}/providers/Microsoft.Network/dnsZones/${zone}/${type}/${name}`;
const awsProvider = (region: string) => ({ provider: { aws: [{ region }] } });

export const APPLY_TIME_FIXTURES: Readonly<Record<string, RuleFixtures>> = {
  RestoredDatabaseForceNewIgnored: {
    nonCompliant: [
      {
        name: "Aurora cluster with its subnet group and key not ignored",
        json: stack({
          "aws_rds_cluster.db": {
            cluster_identifier: "medplum-dr",
            engine: "aurora-postgresql",
            snapshot_identifier: "arn:aws:rds:us-west-2:1:cluster-snapshot:s",
            db_subnet_group_name: ref("aws_db_subnet_group.db", "name"),
            kms_key_id: ref("aws_kms_key.db", "arn"),
            lifecycle: { ignore_changes: ["snapshot_identifier"] },
          },
        }),
        flagged: ["aws_rds_cluster.db"],
      },
      {
        name: "Cloud SQL with disk_size and disk_autoresize, disk_size not ignored (replaced once the disk grows)",
        json: stack({
          "google_sql_database_instance.db": {
            name: "medplum-dr-postgres",
            settings: [{ tier: "db-custom-4-16384", disk_size: 100, disk_autoresize: true }],
            lifecycle: { ignore_changes: ["restore_backup_context", "settings[0].disk_type"] },
          },
        }),
        flagged: ["google_sql_database_instance.db"],
      },
      {
        name: "Flexible Server with storage_mb not ignored (auto-grow makes the configured size a shrink)",
        json: stack({ "azurerm_postgresql_flexible_server.db": { name: "medplum-dr-pg", storage_mb: 131072, auto_grow_enabled: true } }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
      {
        name: "RDS on a non-Aurora cluster engine with storage_type not ignored",
        json: stack({ "aws_rds_cluster.multi": { engine: "postgres", storage_type: "io1" } }),
        flagged: ["aws_rds_cluster.multi"],
      },
      {
        name: "Aurora writer with its subnet group not ignored",
        json: stack({
          "aws_rds_cluster_instance.writer": {
            identifier: "medplum-dr-1",
            cluster_identifier: ref("aws_rds_cluster.db", "cluster_identifier"),
            db_subnet_group_name: "medplum-dr",
          },
        }),
        flagged: ["aws_rds_cluster_instance.writer"],
      },
    ],
    compliant: [
      {
        name: "identity attributes set, every other ForceNew input ignored (by path, by parent block, or all)",
        json: stack({
          "aws_rds_cluster.db": {
            cluster_identifier: "medplum-dr",
            engine: "aurora-postgresql",
            engine_mode: "provisioned",
            snapshot_identifier: "s",
            storage_type: "aurora-iopt1",
            storage_encrypted: true,
            lifecycle: { ignore_changes: ["snapshot_identifier", "engine_mode", "storage_encrypted"] },
          },
          "google_sql_database_instance.db": {
            name: "medplum-dr-postgres",
            project: "acme-medplum-dr",
            region: "us-west1",
            settings: { disk_size: 100, disk_type: "PD_SSD", ip_configuration: { private_network: ref("google_compute_network.vpc") } },
            lifecycle: { ignore_changes: ["settings"] },
          },
          "azurerm_postgresql_flexible_server.db": {
            name: "medplum-dr-pg",
            location: "westus",
            resource_group_name: "medplum-dr",
            source_server_id: SERVER,
            storage_mb: 131072,
            lifecycle: { ignore_changes: ["source_server_id", "storage_mb"] },
          },
          "aws_db_instance.db": { identifier: "medplum-dr", engine: "postgres", kms_key_id: "k", lifecycle: { ignore_changes: "all" } },
        }),
      },
    ],
  },
  AwsRestoreSourceInRegion: {
    nonCompliant: [
      {
        name: "cluster snapshot left in the lost region",
        json: stack({ "aws_rds_cluster.db": { snapshot_identifier: "arn:aws:rds:us-east-1:111122223333:cluster-snapshot:prod" } }, awsProvider("us-west-2")),
        flagged: ["aws_rds_cluster.db"],
      },
      {
        name: "point in time from automated backups not replicated into the recovery region",
        json: stack(
          {
            "aws_db_instance.db": {
              restore_to_point_in_time: [
                { source_db_instance_automated_backups_arn: "arn:aws:rds:us-east-1:111122223333:auto-backup:ab-1", use_latest_restorable_time: true },
              ],
            },
          },
          awsProvider("us-west-2"),
        ),
        flagged: ["aws_db_instance.db"],
      },
    ],
    compliant: [
      {
        name: "sources in the provider's region, or named by identifier",
        json: stack(
          {
            "aws_rds_cluster.db": { snapshot_identifier: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:copy" },
            "aws_db_instance.db": { snapshot_identifier: "medplum-prod-copy" },
          },
          awsProvider("us-west-2"),
        ),
      },
    ],
  },
  CloudSqlBackupSourceNamed: {
    nonCompliant: [
      {
        name: "backup context without instance_id or project",
        json: stack({ "google_sql_database_instance.db": { name: "medplum-dr-postgres", restore_backup_context: { backup_run_id: 1732262400000 } } }),
        flagged: ["google_sql_database_instance.db"],
      },
      {
        name: "backup context naming the restored instance itself",
        json: stack({
          "google_sql_database_instance.db": {
            name: "medplum-dr-postgres",
            project: "acme-medplum-dr",
            restore_backup_context: { backup_run_id: 1, instance_id: "medplum-dr-postgres", project: "acme-medplum-dr" },
          },
        }),
        flagged: ["google_sql_database_instance.db"],
      },
    ],
    compliant: [
      {
        name: "the lost instance and its project named (cross-project restore)",
        json: stack({
          "google_sql_database_instance.db": {
            name: "medplum-dr-postgres",
            project: "acme-medplum-dr",
            restore_backup_context: { backup_run_id: 1, instance_id: "medplum-prod", project: "acme-medplum-prod" },
          },
        }),
      },
    ],
  },
  CloudSqlCloneSourceInProject: {
    nonCompliant: [
      {
        name: "clone source written project:instance",
        json: stack({
          "google_sql_database_instance.db": { clone: { source_instance_name: "acme-medplum-prod:medplum-prod", point_in_time: "2026-11-22T08:30:00Z" } },
        }),
        flagged: ["google_sql_database_instance.db"],
      },
    ],
    compliant: [{ name: "bare source instance id", json: stack({ "google_sql_database_instance.db": { clone: { source_instance_name: "medplum-prod" } } }) }],
  },
  CloudSqlPromotionNotIgnored: {
    nonCompliant: [
      {
        name: "promoted replica with master_instance_name and replica_configuration ignored",
        json: stack({
          "google_sql_database_instance.db": {
            instance_type: "CLOUD_SQL_INSTANCE",
            lifecycle: { ignore_changes: ["restore_backup_context", "master_instance_name", "replica_configuration"] },
          },
        }),
        flagged: ["google_sql_database_instance.db"],
      },
      {
        name: "promoted replica still naming its master",
        json: stack({ "google_sql_database_instance.db": { instance_type: "CLOUD_SQL_INSTANCE", master_instance_name: "medplum-prod" } }),
        flagged: ["google_sql_database_instance.db"],
      },
    ],
    compliant: [
      {
        name: "promotion with neither in the configuration; a replica is not judged",
        json: stack({
          "google_sql_database_instance.db": { instance_type: "CLOUD_SQL_INSTANCE", lifecycle: { ignore_changes: ["restore_backup_context", "clone"] } },
          "google_sql_database_instance.replica": { instance_type: "READ_REPLICA_INSTANCE", master_instance_name: "medplum-prod" },
        }),
      },
    ],
  },
  FlexibleServerRestoreInputs: {
    nonCompliant: [
      {
        name: "GeoRestore without the restore time",
        json: stack({ "azurerm_postgresql_flexible_server.db": { create_mode: "GeoRestore", source_server_id: SERVER } }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
      {
        name: "Replica without source_server_id",
        json: stack({ "azurerm_postgresql_flexible_server.db": { create_mode: "Replica" } }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
    ],
    compliant: [
      {
        name: "each mode with its inputs; a default server is not judged",
        json: stack({
          "azurerm_postgresql_flexible_server.geo": {
            create_mode: "GeoRestore",
            source_server_id: SERVER,
            point_in_time_restore_time_in_utc: "2026-11-22T08:00:00Z",
          },
          "azurerm_postgresql_flexible_server.replica": { create_mode: "Replica", source_server_id: SERVER },
          "azurerm_postgresql_flexible_server.new": { create_mode: "Default" },
        }),
      },
    ],
  },
  FlexibleServerGeoRestoreTarget: {
    nonCompliant: [
      {
        name: "GeoRestore into a region nothing geo-backs-up into",
        json: stack({
          "azurerm_postgresql_flexible_server.db": {
            create_mode: "GeoRestore",
            location: "westus3",
            source_server_id: SERVER,
            point_in_time_restore_time_in_utc: "2026-11-22T08:00:00Z",
          },
        }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
    ],
    compliant: [
      {
        name: "GeoRestore into eastus's pair; a point-in-time restore is not judged",
        json: stack({
          "azurerm_postgresql_flexible_server.db": { create_mode: "GeoRestore", location: "westus" },
          "azurerm_postgresql_flexible_server.pitr": { create_mode: "PointInTimeRestore", location: "westus3" },
        }),
      },
    ],
  },
  FlexibleServerPromotionPairing: {
    nonCompliant: [
      {
        name: "promoted replica with create_mode omitted and ignored (the branch before the fix)",
        json: stack({
          "azurerm_postgresql_flexible_server.db": { replication_role: "None", lifecycle: { ignore_changes: ["create_mode", "source_server_id"] } },
        }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
      {
        name: "promoted replica with create_mode Replica but no source_server_id",
        json: stack({ "azurerm_postgresql_flexible_server.db": { replication_role: "None", create_mode: "Replica" } }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
    ],
    compliant: [
      {
        name: "create_mode Replica with its source, create_mode not ignored",
        json: stack({
          "azurerm_postgresql_flexible_server.db": {
            replication_role: "None",
            create_mode: "Replica",
            source_server_id: SERVER,
            lifecycle: { ignore_changes: ["source_server_id"] },
          },
          "azurerm_postgresql_flexible_server.restored": { create_mode: "GeoRestore", lifecycle: { ignore_changes: ["create_mode"] } },
        }),
      },
    ],
  },
  FlexibleServerPromotionImported: {
    nonCompliant: [
      {
        name: "replication_role on a server no import block adopts",
        json: stack({ "azurerm_postgresql_flexible_server.db": { replication_role: "None", create_mode: "Replica" } }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
    ],
    compliant: [
      {
        name: "the replica imported",
        json: stack(
          { "azurerm_postgresql_flexible_server.db": { replication_role: "None", create_mode: "Replica" } },
          { import: [{ id: REPLICA, to: "azurerm_postgresql_flexible_server.db" }] },
        ),
      },
    ],
  },
  AwsReplicaPromotionImported: {
    nonCompliant: [
      {
        name: "an imported Aurora secondary still in its global cluster, replication_source_identifier not ignored",
        json: stack(
          { "aws_rds_cluster.db": { cluster_identifier: "medplum-dr-replica", engine: "aurora-postgresql", global_cluster_identifier: "medplum-dr-global" } },
          { import: [{ id: "medplum-dr-replica", to: "aws_rds_cluster.db" }] },
        ),
        flagged: ["aws_rds_cluster.db"],
      },
      {
        name: "an imported Aurora secondary handed to Secrets Manager in the same apply",
        json: stack(
          {
            "aws_rds_cluster.db": {
              cluster_identifier: "medplum-dr-replica",
              engine: "aurora-postgresql",
              manage_master_user_password: true,
              lifecycle: { ignore_changes: ["replication_source_identifier"] },
            },
          },
          { import: [{ id: "medplum-dr-replica", to: "aws_rds_cluster.db" }] },
        ),
        flagged: ["aws_rds_cluster.db"],
      },
      {
        name: "an imported RDS read replica that keeps replicate_source_db",
        json: stack(
          { "aws_db_instance.db": { identifier: "medplum-dr-replica", replicate_source_db: "arn:aws:rds:us-east-1:111122223333:db:medplum-prod" } },
          { import: [{ id: "medplum-dr-replica", to: "aws_db_instance.db" }] },
        ),
        flagged: ["aws_db_instance.db"],
      },
    ],
    compliant: [
      {
        name: "the Aurora secondary imported and detached, the RDS replica imported and promoted",
        json: stack(
          {
            "aws_rds_cluster.db": {
              cluster_identifier: "medplum-dr-replica",
              engine: "aurora-postgresql",
              lifecycle: { ignore_changes: ["replication_source_identifier"], prevent_destroy: true },
            },
            "aws_db_instance.rds": { identifier: "medplum-dr-replica", engine: "postgres", lifecycle: { prevent_destroy: true } },
          },
          {
            import: [
              { id: "medplum-dr-replica", to: "aws_rds_cluster.db" },
              { id: "medplum-dr-replica", to: "aws_db_instance.rds" },
            ],
          },
        ),
      },
      {
        name: "a standby's replica, created rather than imported, names its source",
        json: stack({ "aws_db_instance.db": { identifier: "medplum-dr-replica", replicate_source_db: "arn:aws:rds:us-east-1:111122223333:db:medplum-prod" } }),
      },
    ],
  },
  FlexibleServerSkuName: {
    nonCompliant: [
      {
        name: "a VM size azurerm does not accept as a Flexible Server SKU",
        json: stack({ "azurerm_postgresql_flexible_server.db": { sku_name: "GP_Standard_D4s_v5" } }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
    ],
    compliant: [
      {
        name: "general purpose, memory optimized and burstable SKUs",
        json: stack({
          "azurerm_postgresql_flexible_server.gp": { sku_name: "GP_Standard_D4ds_v5" },
          "azurerm_postgresql_flexible_server.mo": { sku_name: "MO_Standard_E8ds_v5" },
          "azurerm_postgresql_flexible_server.b": { sku_name: "B_Standard_B2ms" },
        }),
      },
    ],
  },
  FlexibleServerStorageSize: {
    nonCompliant: [
      {
        name: "100 GiB, which is no Flexible Server size",
        json: stack({ "azurerm_postgresql_flexible_server.db": { storage_mb: 102400 } }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
      {
        name: "a tier too small for the size",
        json: stack({ "azurerm_postgresql_flexible_server.db": { storage_mb: 1048576, storage_tier: "P10" } }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
    ],
    compliant: [
      {
        name: "sizes from the list, with or without a valid tier",
        json: stack({
          "azurerm_postgresql_flexible_server.db": { storage_mb: 131072 },
          "azurerm_postgresql_flexible_server.tiered": { storage_mb: 1048576, storage_tier: "P40" },
        }),
      },
    ],
  },
  ZonesInZoneRegions: {
    nonCompliant: [
      {
        name: "AKS zonal system pool in westus (the paired region of eastus)",
        json: stack({ "azurerm_kubernetes_cluster.aks": { location: "westus", default_node_pool: { name: "system", zones: ["1", "2", "3"] } } }),
        flagged: ["azurerm_kubernetes_cluster.aks"],
      },
      {
        name: "zone-redundant Flexible Server whose location comes from a resource group in westus",
        json: stack({
          "azurerm_resource_group.rg": { name: "medplum-dr-rg", location: "westus" },
          "azurerm_postgresql_flexible_server.db": { location: ref("azurerm_resource_group.rg", "location"), high_availability: { mode: "ZoneRedundant" } },
        }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
      {
        name: "a separate zonal node pool on a cluster in northcentralus",
        json: stack({
          "azurerm_kubernetes_cluster.aks": { location: "northcentralus", default_node_pool: { name: "system" } },
          "azurerm_kubernetes_cluster_node_pool.user": { kubernetes_cluster_id: ref("azurerm_kubernetes_cluster.aks"), zones: ["1"] },
        }),
        flagged: ["azurerm_kubernetes_cluster_node_pool.user"],
      },
    ],
    compliant: [
      {
        name: "zones in a zone region, none in westus, SameZone HA anywhere",
        json: stack({
          "azurerm_kubernetes_cluster.east": { location: "eastus", default_node_pool: { name: "system", zones: ["1", "2", "3"] } },
          "azurerm_kubernetes_cluster.west": { location: "westus", default_node_pool: { name: "system" } },
          "azurerm_postgresql_flexible_server.db": { location: "westus", high_availability: { mode: "SameZone" } },
        }),
      },
    ],
  },
  AutopilotConflictingFields: {
    nonCompliant: [
      {
        name: "Autopilot with the network policy add-on and a node pool",
        json: stack({ "google_container_cluster.gke": { enable_autopilot: true, network_policy: { enabled: true }, node_pool: [{ name: "default" }] } }),
        flagged: ["google_container_cluster.gke"],
      },
    ],
    compliant: [
      {
        name: "Autopilot with only what it allows; a Standard cluster is not judged",
        json: stack({
          "google_container_cluster.gke": {
            enable_autopilot: true,
            release_channel: { channel: "REGULAR" },
            workload_identity_config: { workload_pool: "p.svc.id.goog" },
          },
          "google_container_cluster.standard": { network_policy: { enabled: true }, remove_default_node_pool: true },
        }),
      },
    ],
  },
  ManagedRedisSkuName: {
    nonCompliant: [
      {
        name: "a Balanced size that does not exist",
        json: stack({ "azurerm_managed_redis.cache": { sku_name: "Balanced_B7" } }),
        flagged: ["azurerm_managed_redis.cache"],
      },
    ],
    compliant: [
      {
        name: "listed SKUs of each family",
        json: stack({
          "azurerm_managed_redis.b": { sku_name: "Balanced_B5" },
          "azurerm_managed_redis.m": { sku_name: "MemoryOptimized_M20" },
          "azurerm_managed_redis.x": { sku_name: "ComputeOptimized_X10" },
        }),
      },
    ],
  },
  DnsRecordAdopted: {
    nonCompliant: [
      {
        name: "api A record created without an import block",
        json: stack({ "azurerm_dns_a_record.api": { name: "api", zone_name: "medplum.example.com", resource_group_name: "dns" } }),
        flagged: ["azurerm_dns_a_record.api"],
      },
      {
        name: "Traffic Manager CNAME imported with an A record's id",
        json: stack(
          { "azurerm_dns_cname_record.api": { name: "api", zone_name: "medplum.example.com", resource_group_name: "dns" } },
          { import: [{ id: RECORD("A"), to: "azurerm_dns_cname_record.api" }] },
        ),
        flagged: ["azurerm_dns_cname_record.api"],
      },
      {
        name: "import of another zone's record",
        json: stack(
          { "azurerm_dns_a_record.api": { name: "api", zone_name: "medplum.example.com", resource_group_name: "dns" } },
          { import: [{ id: RECORD("A", "api", "example.org"), to: "azurerm_dns_a_record.api" }] },
        ),
        flagged: ["azurerm_dns_a_record.api"],
      },
    ],
    compliant: [
      {
        name: "each record adopted with its own record set id",
        json: stack(
          {
            "azurerm_dns_a_record.api": { name: "api", zone_name: "medplum.example.com", resource_group_name: "dns" },
            "azurerm_dns_cname_record.www": { name: "www", zone_name: "Medplum.Example.com", resource_group_name: "DNS" },
          },
          {
            import: [
              { id: RECORD("A"), to: "azurerm_dns_a_record.api" },
              { id: RECORD("CNAME", "www"), to: "azurerm_dns_cname_record.www" },
            ],
          },
        ),
      },
    ],
  },
  AksVersionSupported: {
    nonCompliant: [
      {
        name: "AKS clusters on a retired version and on one older than the table",
        json: stack({ "azurerm_kubernetes_cluster.aks": { kubernetes_version: "1.29" }, "azurerm_kubernetes_cluster.old": { kubernetes_version: "1.27" } }),
        flagged: ["azurerm_kubernetes_cluster.aks", "azurerm_kubernetes_cluster.old"],
      },
    ],
    compliant: [
      {
        name: "a version AKS supports today, and one given by reference",
        json: stack({
          "azurerm_kubernetes_cluster.aks": { kubernetes_version: supportedAksVersions(new Date()).at(-1) ?? "1.37" },
          "azurerm_kubernetes_cluster.ref": { kubernetes_version: "${var.version}" },
        }),
      },
    ],
  },
};
