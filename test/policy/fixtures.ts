/**
 * Hand-written fixtures for every rule: small synthesized-JSON stacks in the snake_case shapes the providers'
 * `...ToTerraform` functions emit. `flagged` lists the addresses a non-compliant fixture must be reported at, exactly.
 */
import type { JsonObject, TerraformJson } from "../../policy/types";
import { stack } from "./helpers";

export interface Fixture {
  readonly name: string;
  readonly json: TerraformJson;
  readonly flagged?: readonly string[];
}

export interface RuleFixtures {
  readonly nonCompliant: readonly Fixture[];
  readonly compliant: readonly Fixture[];
}

const ref = (address: string, attribute = "id") => `\${${address}.${attribute}}`;

const forceSslGroup = { family: "aurora-postgresql16", name: "medplum", parameter: [{ name: "rds.force_ssl", value: "1" }] };

/** A pod template with one container; `container` and `pod` override the secure defaults below. */
function workload(type: string, container: JsonObject = {}, pod: JsonObject = {}, init?: JsonObject): JsonObject {
  const secure: JsonObject = {
    name: "server",
    image: "medplum/medplum-server:4.3.9",
    security_context: {
      run_as_non_root: true,
      run_as_user: "65532",
      allow_privilege_escalation: false,
      read_only_root_filesystem: true,
      capabilities: { drop: ["ALL"] },
    },
    resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "2Gi" } },
    liveness_probe: { tcp_socket: [{ port: "8103" }] },
    readiness_probe: { http_get: { path: "/healthcheck", port: "8103" } },
  };
  const spec = { ...pod, container: [{ ...secure, ...container }], ...(init ? { init_container: [{ ...secure, name: "migrate", ...init }] } : {}) };
  if (type.startsWith("kubernetes_cron_job"))
    return { metadata: { name: "w" }, spec: { schedule: "0 * * * *", job_template: { metadata: {}, spec: { template: { metadata: {}, spec } } } } };
  return { metadata: { name: "w" }, spec: { template: { metadata: {}, spec } } };
}

export const RULE_FIXTURES: Readonly<Record<string, RuleFixtures>> = {
  DatabaseStorageEncrypted: {
    nonCompliant: [
      {
        name: "aurora cluster without storage_encrypted",
        json: stack({ "aws_rds_cluster.db": { engine: "aurora-postgresql" } }),
        flagged: ["aws_rds_cluster.db"],
      },
      {
        name: "RDS instance with storage_encrypted false",
        json: stack({ "aws_db_instance.db": { storage_encrypted: false } }),
        flagged: ["aws_db_instance.db"],
      },
    ],
    compliant: [
      {
        name: "cluster with storage_encrypted given by reference (cannot tell)",
        json: stack({ "aws_rds_cluster.db": { storage_encrypted: "${var.encrypted}" } }),
      },
      { name: "encrypted cluster", json: stack({ "aws_rds_cluster.db": { storage_encrypted: true, kms_key_id: ref("aws_kms_key.db", "arn") } }) },
    ],
  },
  DatabaseNotPublic: {
    nonCompliant: [
      { name: "public RDS instance", json: stack({ "aws_db_instance.db": { publicly_accessible: true } }), flagged: ["aws_db_instance.db"] },
      {
        name: "public Aurora writer",
        json: stack({ "aws_rds_cluster_instance.writer": { publicly_accessible: true } }),
        flagged: ["aws_rds_cluster_instance.writer"],
      },
      {
        name: "Cloud SQL with ipv4_enabled omitted",
        json: stack({ "google_sql_database_instance.db": { settings: [{ tier: "db-custom-2-8192" }] } }),
        flagged: ["google_sql_database_instance.db"],
      },
      {
        name: "flexible server with public access omitted",
        json: stack({ "azurerm_postgresql_flexible_server.db": { sku_name: "GP_Standard_D2s_v3" } }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
    ],
    compliant: [
      {
        name: "public access given by reference (cannot tell)",
        json: stack({
          "google_sql_database_instance.db": { settings: { ip_configuration: { ipv4_enabled: "${var.public_ip}" } } },
          "azurerm_postgresql_flexible_server.db": { public_network_access_enabled: "${var.public_access}" },
        }),
      },
      {
        name: "private databases on every cloud",
        json: stack({
          "aws_db_instance.db": {},
          "aws_rds_cluster_instance.writer": { publicly_accessible: false },
          "google_sql_database_instance.db": { settings: { ip_configuration: { ipv4_enabled: false, private_network: ref("google_compute_network.vpc") } } },
          "azurerm_postgresql_flexible_server.db": { public_network_access_enabled: false },
        }),
      },
    ],
  },
  DatabaseTlsRequired: {
    nonCompliant: [
      { name: "cluster with its parameter group omitted (the default group)", json: stack({ "aws_rds_cluster.db": {} }), flagged: ["aws_rds_cluster.db"] },
      {
        name: "cluster parameter group without rds.force_ssl",
        json: stack({
          "aws_rds_cluster.db": { db_cluster_parameter_group_name: ref("aws_rds_cluster_parameter_group.params", "name") },
          "aws_rds_cluster_parameter_group.params": { family: "aurora-postgresql16", parameter: [{ name: "statement_timeout", value: "60000" }] },
        }),
        flagged: ["aws_rds_cluster.db"],
      },
      {
        name: "instance naming a group outside the stack",
        json: stack({ "aws_db_instance.db": { parameter_group_name: "shared-group" } }),
        flagged: ["aws_db_instance.db"],
      },
      {
        name: "Cloud SQL with ssl_mode omitted",
        json: stack({ "google_sql_database_instance.db": { settings: { ip_configuration: { ipv4_enabled: false } } } }),
        flagged: ["google_sql_database_instance.db"],
      },
      {
        name: "flexible server with require_secure_transport off",
        json: stack({
          "azurerm_postgresql_flexible_server_configuration.tls": {
            name: "require_secure_transport",
            value: "OFF",
            server_id: ref("azurerm_postgresql_flexible_server.db"),
          },
        }),
        flagged: ["azurerm_postgresql_flexible_server_configuration.tls"],
      },
    ],
    compliant: [
      {
        name: "ssl_mode and rds.force_ssl given by reference (cannot tell)",
        json: stack({
          "google_sql_database_instance.db": { settings: { ip_configuration: { ssl_mode: "${var.ssl_mode}" } } },
          "aws_rds_cluster.db": { db_cluster_parameter_group_name: ref("aws_rds_cluster_parameter_group.params", "name") },
          "aws_rds_cluster_parameter_group.params": { family: "aurora-postgresql16", parameter: [{ name: "rds.force_ssl", value: "${var.force_ssl}" }] },
        }),
      },
      {
        name: "force_ssl by reference, by literal name, Cloud SQL ENCRYPTED_ONLY, Azure default",
        json: stack({
          "aws_rds_cluster.db": { db_cluster_parameter_group_name: ref("aws_rds_cluster_parameter_group.params", "name") },
          "aws_rds_cluster_parameter_group.params": forceSslGroup,
          "aws_db_instance.db": { parameter_group_name: "medplum-instance" },
          "aws_db_parameter_group.params": { ...forceSslGroup, name: "medplum-instance" },
          "google_sql_database_instance.db": { settings: [{ ip_configuration: [{ ssl_mode: "ENCRYPTED_ONLY" }] }] },
          "azurerm_postgresql_flexible_server_configuration.timeout": { name: "statement_timeout", value: "60000" },
        }),
      },
    ],
  },
  DatabaseCustomerManagedKey: {
    nonCompliant: [
      { name: "cluster without kms_key_id", json: stack({ "aws_rds_cluster.db": { storage_encrypted: true } }), flagged: ["aws_rds_cluster.db"] },
      { name: "Cloud SQL without CMEK", json: stack({ "google_sql_database_instance.db": {} }), flagged: ["google_sql_database_instance.db"] },
      { name: "flexible server without CMK", json: stack({ "azurerm_postgresql_flexible_server.db": {} }), flagged: ["azurerm_postgresql_flexible_server.db"] },
    ],
    compliant: [
      {
        name: "customer keys everywhere",
        json: stack({
          "aws_db_instance.db": { kms_key_id: ref("aws_kms_key.db", "arn") },
          "google_sql_database_instance.db": { encryption_key_name: ref("google_kms_crypto_key.db") },
          "azurerm_postgresql_flexible_server.db": { customer_managed_key: { key_vault_key_id: ref("azurerm_key_vault_key.db") } },
        }),
      },
    ],
  },
  DatabaseBackupsAndPitr: {
    nonCompliant: [
      { name: "cluster with retention omitted (1 day)", json: stack({ "aws_rds_cluster.db": {} }), flagged: ["aws_rds_cluster.db"] },
      { name: "instance with 3 days", json: stack({ "aws_db_instance.db": { backup_retention_period: 3 } }), flagged: ["aws_db_instance.db"] },
      {
        name: "Cloud SQL without PITR",
        json: stack({ "google_sql_database_instance.db": { settings: { backup_configuration: { enabled: true } } } }),
        flagged: ["google_sql_database_instance.db"],
      },
      {
        name: "flexible server with 1 day",
        json: stack({ "azurerm_postgresql_flexible_server.db": { backup_retention_days: 1 } }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
    ],
    compliant: [
      {
        name: "retention and backup flags given by reference (cannot tell)",
        json: stack({
          "aws_db_instance.db": { backup_retention_period: "${var.retention_days}" },
          "google_sql_database_instance.db": { settings: { backup_configuration: { enabled: "${var.backups}", point_in_time_recovery_enabled: true } } },
        }),
      },
      {
        name: "seven days or more everywhere",
        json: stack({
          "aws_rds_cluster.db": { backup_retention_period: 7 },
          "aws_db_instance.db": { backup_retention_period: 14 },
          "google_sql_database_instance.db": { settings: { backup_configuration: { enabled: true, point_in_time_recovery_enabled: true } } },
          "azurerm_postgresql_flexible_server.db": {},
        }),
      },
    ],
  },
  DatabaseRestoreInputsIgnored: {
    nonCompliant: [
      {
        name: "cluster restored from a snapshot without ignore_changes",
        json: stack({ "aws_rds_cluster.db": { snapshot_identifier: "arn:aws:rds:us-west-2:1:cluster-snapshot:s" } }),
        flagged: ["aws_rds_cluster.db"],
      },
      {
        name: "instance PITR with only the snapshot ignored",
        json: stack({
          "aws_db_instance.db": { restore_to_point_in_time: { use_latest_restorable_time: true }, lifecycle: { ignore_changes: ["snapshot_identifier"] } },
        }),
        flagged: ["aws_db_instance.db"],
      },
      {
        name: "Cloud SQL restored from a backup run",
        json: stack({ "google_sql_database_instance.db": { restore_backup_context: { backup_run_id: "1", instance_id: "medplum" } } }),
        flagged: ["google_sql_database_instance.db"],
      },
      {
        name: "Azure promoted replica with source_server_id not ignored",
        json: stack({
          "azurerm_postgresql_flexible_server.db": { create_mode: "Replica", replication_role: "None", source_server_id: "/subscriptions/x/servers/primary" },
        }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
      {
        name: "Azure GeoRestore without the restore time ignored",
        json: stack({
          "azurerm_postgresql_flexible_server.db": {
            create_mode: "GeoRestore",
            source_server_id: "/subscriptions/x/servers/primary",
            point_in_time_restore_time_in_utc: "2026-11-22T08:30:00Z",
            lifecycle: { ignore_changes: ["create_mode", "source_server_id"] },
          },
        }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
      {
        name: "Azure replica promotion with its ForceNew source_server_id exposed",
        json: stack({
          "azurerm_postgresql_flexible_server.db": {
            create_mode: "Replica",
            source_server_id: "/subscriptions/x/servers/primary",
            replication_role: "None",
            lifecycle: { ignore_changes: ["point_in_time_restore_time_in_utc"] },
          },
        }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
    ],
    compliant: [
      {
        name: "a replica being promoted keeps create_mode Replica in its configuration (not ForceNew), its source ignored",
        json: stack({
          "azurerm_postgresql_flexible_server.db": {
            create_mode: "Replica",
            source_server_id: "/subscriptions/x/servers/primary",
            replication_role: "None",
            lifecycle: { ignore_changes: ["source_server_id"] },
          },
        }),
      },
      {
        name: "restore inputs ignored, or none given",
        json: stack({
          "aws_rds_cluster.db": { snapshot_identifier: "s", lifecycle: { ignore_changes: ["snapshot_identifier"], prevent_destroy: true } },
          "aws_db_instance.db": { restore_to_point_in_time: [{ restore_time: "2026-11-22T08:30:00Z" }], lifecycle: { ignore_changes: "all" } },
          "aws_db_instance.fresh": {},
          "google_sql_database_instance.db": { clone: { source_instance_name: "p" }, lifecycle: { ignore_changes: ["clone"] } },
          "azurerm_postgresql_flexible_server.db": { create_mode: "Default" },
          "azurerm_postgresql_flexible_server.promoted": {
            create_mode: "Replica",
            replication_role: "None",
            source_server_id: "/subscriptions/x/servers/primary",
            lifecycle: { ignore_changes: ["source_server_id"] },
          },
        }),
      },
    ],
  },
  DatabaseDeletionProtection: {
    nonCompliant: [
      { name: "cluster with deletion_protection omitted", json: stack({ "aws_rds_cluster.db": {} }), flagged: ["aws_rds_cluster.db"] },
      {
        name: "Cloud SQL with deletion_protection false",
        json: stack({ "google_sql_database_instance.db": { deletion_protection: false } }),
        flagged: ["google_sql_database_instance.db"],
      },
      {
        name: "Cloud SQL without the API-side guard",
        json: stack({ "google_sql_database_instance.db": { settings: {} } }),
        flagged: ["google_sql_database_instance.db"],
      },
      {
        name: "flexible server without prevent_destroy",
        json: stack({ "azurerm_postgresql_flexible_server.db": {} }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
    ],
    compliant: [
      {
        name: "deletion protection given by reference (cannot tell)",
        json: stack({
          "aws_rds_cluster.db": { deletion_protection: "${var.deletion_protection}" },
          "google_sql_database_instance.db": { settings: { deletion_protection_enabled: "${var.deletion_protection}" } },
        }),
      },
      {
        name: "protected on every cloud",
        json: stack({
          "aws_db_instance.db": { deletion_protection: true },
          "google_sql_database_instance.db": { settings: { deletion_protection_enabled: true } },
          "azurerm_postgresql_flexible_server.db": { lifecycle: { prevent_destroy: true } },
        }),
      },
    ],
  },
  DatabasePreventDestroy: {
    nonCompliant: [
      {
        name: "protected cluster without prevent_destroy",
        json: stack({ "aws_rds_cluster.db": { deletion_protection: true } }),
        flagged: ["aws_rds_cluster.db"],
      },
      {
        name: "Cloud SQL (protected by default) without prevent_destroy",
        json: stack({ "google_sql_database_instance.db": {} }),
        flagged: ["google_sql_database_instance.db"],
      },
    ],
    compliant: [
      {
        name: "Cloud SQL whose deletion protection is given by reference (cannot tell)",
        json: stack({ "google_sql_database_instance.db": { deletion_protection: "${var.deletion_protection}" } }),
      },
      {
        name: "prevent_destroy beside deletion protection, or a drill without either",
        json: stack({
          "aws_rds_cluster.db": { deletion_protection: true, lifecycle: { prevent_destroy: true } },
          "aws_db_instance.drill": { deletion_protection: false },
          "google_sql_database_instance.db": { lifecycle: { prevent_destroy: true } },
        }),
      },
    ],
  },
  DatabaseLogExport: {
    nonCompliant: [
      {
        name: "Cloud SQL with log_connections by reference but no log_disconnections",
        json: stack({ "google_sql_database_instance.db": { settings: { database_flags: [{ name: "log_connections", value: "${var.log_connections}" }] } } }),
        flagged: ["google_sql_database_instance.db"],
      },
      { name: "cluster with enabled_cloudwatch_logs_exports omitted", json: stack({ "aws_rds_cluster.db": {} }), flagged: ["aws_rds_cluster.db"] },
      {
        name: "instance exporting only upgrade logs",
        json: stack({ "aws_db_instance.db": { enabled_cloudwatch_logs_exports: ["upgrade"] } }),
        flagged: ["aws_db_instance.db"],
      },
      {
        name: "Cloud SQL without log_disconnections",
        json: stack({ "google_sql_database_instance.db": { settings: { database_flags: [{ name: "log_connections", value: "on" }] } } }),
        flagged: ["google_sql_database_instance.db"],
      },
      {
        name: "flexible server without a diagnostic setting",
        json: stack({ "azurerm_postgresql_flexible_server.db": {} }),
        flagged: ["azurerm_postgresql_flexible_server.db"],
      },
    ],
    compliant: [
      {
        name: "log exports and log flags given by reference (cannot tell)",
        json: stack({
          "aws_db_instance.db": { enabled_cloudwatch_logs_exports: "${var.log_exports}" },
          "google_sql_database_instance.db": {
            settings: {
              database_flags: [
                { name: "log_connections", value: "${var.log_connections}" },
                { name: "log_disconnections", value: "on" },
              ],
            },
          },
        }),
      },
      {
        name: "logs exported on every cloud",
        json: stack({
          "aws_rds_cluster.db": { enabled_cloudwatch_logs_exports: ["postgresql"] },
          "google_sql_database_instance.db": {
            settings: {
              database_flags: [
                { name: "log_connections", value: "on" },
                { name: "log_disconnections", value: "on" },
              ],
            },
          },
          "azurerm_postgresql_flexible_server.db": {},
          "azurerm_monitor_diagnostic_setting.db": {
            target_resource_id: ref("azurerm_postgresql_flexible_server.db"),
            enabled_log: [{ category: "PostgreSQLLogs" }],
          },
        }),
      },
    ],
  },
  CacheEncryptedAtRest: {
    nonCompliant: [
      {
        name: "replication group with at-rest encryption omitted",
        json: stack({ "aws_elasticache_replication_group.cache": {} }),
        flagged: ["aws_elasticache_replication_group.cache"],
      },
    ],
    compliant: [
      {
        name: "at-rest encryption given by reference (cannot tell)",
        json: stack({ "aws_elasticache_replication_group.cache": { at_rest_encryption_enabled: "${var.at_rest}" } }),
      },
      { name: "encrypted at rest", json: stack({ "aws_elasticache_replication_group.cache": { at_rest_encryption_enabled: true } }) },
    ],
  },
  CacheEncryptedInTransit: {
    nonCompliant: [
      {
        name: "replication group with transit encryption omitted",
        json: stack({ "aws_elasticache_replication_group.cache": {} }),
        flagged: ["aws_elasticache_replication_group.cache"],
      },
      {
        name: "replication group in preferred mode",
        json: stack({ "aws_elasticache_replication_group.cache": { transit_encryption_enabled: true, transit_encryption_mode: "preferred" } }),
        flagged: ["aws_elasticache_replication_group.cache"],
      },
      { name: "Memorystore with transit encryption omitted", json: stack({ "google_redis_instance.cache": {} }), flagged: ["google_redis_instance.cache"] },
      {
        name: "Azure Managed Redis in plaintext",
        json: stack({ "azurerm_managed_redis.cache": { default_database: { client_protocol: "Plaintext" } } }),
        flagged: ["azurerm_managed_redis.cache"],
      },
      {
        name: "Azure Cache for Redis with the non-TLS port",
        json: stack({ "azurerm_redis_cache.cache": { non_ssl_port_enabled: true } }),
        flagged: ["azurerm_redis_cache.cache"],
      },
    ],
    compliant: [
      {
        name: "transit encryption given by reference (cannot tell)",
        json: stack({
          "aws_elasticache_replication_group.cache": { transit_encryption_enabled: "${var.transit}" },
          "google_redis_instance.cache": { transit_encryption_mode: "${var.transit_mode}" },
        }),
      },
      {
        name: "TLS only everywhere",
        json: stack({
          "aws_elasticache_replication_group.cache": { transit_encryption_enabled: true, transit_encryption_mode: "required" },
          "google_redis_instance.cache": { transit_encryption_mode: "SERVER_AUTHENTICATION" },
          "azurerm_managed_redis.cache": { default_database: {} },
          "azurerm_redis_cache.cache": { minimum_tls_version: "1.2" },
        }),
      },
    ],
  },
  CacheNotPublic: {
    nonCompliant: [
      {
        name: "Azure Managed Redis with public access omitted",
        json: stack({ "azurerm_managed_redis.cache": { sku_name: "Balanced_B1" } }),
        flagged: ["azurerm_managed_redis.cache"],
      },
      {
        name: "Azure Cache for Redis with public access omitted",
        json: stack({ "azurerm_redis_cache.cache": { sku_name: "Standard" } }),
        flagged: ["azurerm_redis_cache.cache"],
      },
    ],
    compliant: [
      {
        name: "public network access given by reference (cannot tell)",
        json: stack({
          "azurerm_managed_redis.cache": { public_network_access: "${var.public_access}" },
          "azurerm_redis_cache.cache": { public_network_access_enabled: "${var.public_access_enabled}" },
        }),
      },
      {
        name: "public access disabled, or a subnet-injected cache",
        json: stack({
          "azurerm_managed_redis.cache": { public_network_access: "Disabled" },
          "azurerm_redis_cache.private": { public_network_access_enabled: false },
          "azurerm_redis_cache.injected": { subnet_id: ref("azurerm_subnet.redis") },
        }),
      },
    ],
  },
  CacheAuthEnabled: {
    nonCompliant: [
      {
        name: "replication group without auth",
        json: stack({ "aws_elasticache_replication_group.cache": {} }),
        flagged: ["aws_elasticache_replication_group.cache"],
      },
      { name: "Memorystore with auth omitted", json: stack({ "google_redis_instance.cache": {} }), flagged: ["google_redis_instance.cache"] },
      {
        name: "Azure Cache for Redis with auth off",
        json: stack({ "azurerm_redis_cache.cache": { redis_configuration: { authentication_enabled: false } } }),
        flagged: ["azurerm_redis_cache.cache"],
      },
    ],
    compliant: [
      {
        name: "Memorystore with auth_enabled given by reference (cannot tell)",
        json: stack({ "google_redis_instance.cache": { auth_enabled: "${var.auth}" } }),
      },
      {
        name: "auth token from a secret, Memorystore AUTH, Azure default",
        json: stack({
          "aws_elasticache_replication_group.cache": { auth_token: "${data.aws_secretsmanager_secret_version.redis.secret_string}" },
          "google_redis_instance.cache": { auth_enabled: true },
          "azurerm_redis_cache.cache": {},
        }),
      },
    ],
  },
  LoadBalancerHttpsOnly: {
    nonCompliant: [
      {
        name: "GKE ingress with a certificate by reference that still serves HTTP",
        json: stack({
          "kubernetes_ingress_v1.server": {
            metadata: {
              annotations: {
                "kubernetes.io/ingress.class": "gce",
                "ingress.gcp.kubernetes.io/pre-shared-cert": ref("google_compute_managed_ssl_certificate.api", "name"),
              },
            },
            spec: {},
          },
        }),
        flagged: ["kubernetes_ingress_v1.server"],
      },
      {
        name: "HTTP listener (protocol omitted) forwarding to the servers",
        json: stack({
          "aws_lb_listener.http": { port: 80, default_action: [{ type: "forward", target_group_arn: ref("aws_lb_target_group.server", "arn") }] },
        }),
        flagged: ["aws_lb_listener.http"],
      },
      {
        name: "GCP HTTP proxy serving the app url map",
        json: stack({
          "google_compute_target_http_proxy.http": { url_map: ref("google_compute_url_map.app") },
          "google_compute_url_map.app": { default_service: "x" },
        }),
        flagged: ["google_compute_target_http_proxy.http"],
      },
      {
        name: "ingress without tls",
        json: stack({ "kubernetes_ingress_v1.server": { metadata: { name: "medplum" }, spec: { rule: [{ host: "api.example.com" }] } } }),
        flagged: ["kubernetes_ingress_v1.server"],
      },
      {
        name: "GKE ingress with a managed certificate that still serves HTTP",
        json: stack({
          "kubernetes_ingress_v1.server": {
            metadata: { annotations: { "kubernetes.io/ingress.class": "gce", "networking.gke.io/managed-certificates": "medplum" } },
            spec: {},
          },
        }),
        flagged: ["kubernetes_ingress_v1.server"],
      },
      {
        name: "nginx ingress with the redirect turned off",
        json: stack({
          "kubernetes_ingress_v1.server": {
            metadata: { annotations: { "nginx.ingress.kubernetes.io/ssl-redirect": "false" } },
            spec: { ingress_class_name: "nginx", tls: [{ secret_name: "medplum-tls" }] },
          },
        }),
        flagged: ["kubernetes_ingress_v1.server"],
      },
      {
        name: "Application Gateway ingress without the redirect",
        json: stack({
          "kubernetes_ingress_v1.server": {
            metadata: { annotations: { "appgw.ingress.kubernetes.io/appgw-ssl-certificate": "medplum" } },
            spec: { ingress_class_name: "azure-application-gateway" },
          },
        }),
        flagged: ["kubernetes_ingress_v1.server"],
      },
    ],
    compliant: [
      {
        name: "GKE ingress whose pre-shared certificate is a Google-managed certificate given by reference (tls.mode google-managed)",
        json: stack({
          "kubernetes_ingress_v1.server": {
            metadata: {
              annotations: {
                "kubernetes.io/ingress.class": "gce",
                "kubernetes.io/ingress.allow-http": "false",
                "ingress.gcp.kubernetes.io/pre-shared-cert": ref("google_compute_managed_ssl_certificate.api", "name"),
              },
            },
            spec: {},
          },
        }),
      },
      {
        name: "GKE ingress redirecting through a FrontendConfig named by reference",
        json: stack({
          "kubernetes_ingress_v1.server": {
            metadata: {
              annotations: {
                "kubernetes.io/ingress.class": "gce",
                "ingress.gcp.kubernetes.io/pre-shared-cert": "medplum-api",
                "networking.gke.io/v1beta1.FrontendConfig": "${var.frontend_config}",
              },
            },
            spec: {},
          },
        }),
      },
      {
        name: "listener whose protocol is given by reference (cannot tell)",
        json: stack({ "aws_lb_listener.server": { port: 443, protocol: "${var.protocol}" } }),
      },
      {
        name: "HTTPS listener, redirecting HTTP listener, redirecting proxy, TLS ingress, NLB TCP",
        json: stack({
          "aws_lb_listener.https": { protocol: "HTTPS", port: 443 },
          "aws_lb_listener.http": {
            protocol: "HTTP",
            port: 80,
            default_action: { type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } },
          },
          "aws_lb_listener.tcp": { protocol: "TCP", port: 5432 },
          "google_compute_target_http_proxy.http": { url_map: ref("google_compute_url_map.redirect") },
          "google_compute_url_map.redirect": { default_url_redirect: { https_redirect: true, strip_query: false } },
          "kubernetes_ingress_v1.server": { spec: [{ tls: [{ hosts: ["api.example.com"], secret_name: "medplum-tls" }] }] },
          "kubernetes_ingress_v1.gke": {
            metadata: {
              annotations: {
                "kubernetes.io/ingress.class": "gce",
                "kubernetes.io/ingress.allow-http": "false",
                "ingress.gcp.kubernetes.io/pre-shared-cert": "medplum-api-cert",
              },
            },
            spec: { ingress_class_name: "" },
          },
          "kubernetes_ingress_v1.agic": {
            metadata: { annotations: { "appgw.ingress.kubernetes.io/appgw-ssl-certificate": "medplum", "appgw.ingress.kubernetes.io/ssl-redirect": "true" } },
            spec: { ingress_class_name: "azure-application-gateway" },
          },
        }),
      },
    ],
  },
  LoadBalancerModernTls: {
    nonCompliant: [
      {
        name: "SSL policy with a minimum by reference but the COMPATIBLE profile",
        json: stack({ "google_compute_ssl_policy.tls": { min_tls_version: "${var.min_tls}", profile: "COMPATIBLE" } }),
        flagged: ["google_compute_ssl_policy.tls"],
      },
      { name: "HTTPS listener with ssl_policy omitted", json: stack({ "aws_lb_listener.https": { protocol: "HTTPS" } }), flagged: ["aws_lb_listener.https"] },
      {
        name: "HTTPS listener with the 2016 policy",
        json: stack({ "aws_lb_listener.https": { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-2016-08" } }),
        flagged: ["aws_lb_listener.https"],
      },
      {
        name: "GCP HTTPS proxy without an SSL policy",
        json: stack({ "google_compute_target_https_proxy.https": { url_map: "x" } }),
        flagged: ["google_compute_target_https_proxy.https"],
      },
      {
        name: "GCP SSL policy with defaults",
        json: stack({ "google_compute_ssl_policy.tls": { name: "medplum" } }),
        flagged: ["google_compute_ssl_policy.tls"],
      },
      {
        name: "GCP SSL policy TLS 1.2 but COMPATIBLE",
        json: stack({ "google_compute_ssl_policy.tls": { min_tls_version: "TLS_1_2" } }),
        flagged: ["google_compute_ssl_policy.tls"],
      },
    ],
    compliant: [
      {
        name: "SSL policy whose minimum version is given by reference (cannot tell)",
        json: stack({ "google_compute_ssl_policy.tls": { min_tls_version: "${var.min_tls}", profile: "MODERN" } }),
      },
      {
        name: "TLS 1.2+ policies",
        json: stack({
          "aws_lb_listener.https": { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" },
          "aws_lb_listener.http": { protocol: "HTTP" },
          "google_compute_target_https_proxy.https": { ssl_policy: ref("google_compute_ssl_policy.tls") },
          "google_compute_ssl_policy.tls": { min_tls_version: "TLS_1_2", profile: "MODERN" },
        }),
      },
    ],
  },
  LoadBalancerDropsInvalidHeaders: {
    nonCompliant: [{ name: "ALB with drop_invalid_header_fields omitted", json: stack({ "aws_lb.server": { internal: false } }), flagged: ["aws_lb.server"] }],
    compliant: [
      {
        name: "ALB with drop_invalid_header_fields given by reference (cannot tell)",
        json: stack({ "aws_lb.server": { drop_invalid_header_fields: "${var.drop_invalid}" } }),
      },
      {
        name: "ALB dropping invalid headers; NLB not concerned",
        json: stack({
          "aws_lb.server": { load_balancer_type: "application", drop_invalid_header_fields: true },
          "aws_lb.nlb": { load_balancer_type: "network" },
        }),
      },
    ],
  },
  BucketPublicAccessBlocked: {
    nonCompliant: [
      {
        name: "public access block with one flag by reference and one false",
        json: stack({
          "aws_s3_bucket_public_access_block.binaries": {
            bucket: "b",
            block_public_acls: "${var.block_acls}",
            block_public_policy: false,
            ignore_public_acls: true,
            restrict_public_buckets: true,
          },
        }),
        flagged: ["aws_s3_bucket_public_access_block.binaries"],
      },
      {
        name: "S3 bucket without a public access block",
        json: stack({ "aws_s3_bucket.binaries": { bucket: "medplum-binaries" } }),
        flagged: ["aws_s3_bucket.binaries"],
      },
      {
        name: "public access block with a flag omitted",
        json: stack({
          "aws_s3_bucket.binaries": {},
          "aws_s3_bucket_public_access_block.binaries": {
            bucket: ref("aws_s3_bucket.binaries"),
            block_public_acls: true,
            block_public_policy: true,
            ignore_public_acls: true,
          },
        }),
        flagged: ["aws_s3_bucket_public_access_block.binaries"],
      },
      { name: "public-read ACL", json: stack({ "aws_s3_bucket_acl.binaries": { bucket: "b", acl: "public-read" } }), flagged: ["aws_s3_bucket_acl.binaries"] },
      {
        name: "GCS bucket with prevention omitted",
        json: stack({ "google_storage_bucket.binaries": { uniform_bucket_level_access: true } }),
        flagged: ["google_storage_bucket.binaries"],
      },
      {
        name: "GCS bucket readable by allUsers",
        json: stack({ "google_storage_bucket_iam_member.public": { bucket: "b", role: "roles/storage.objectViewer", member: "allUsers" } }),
        flagged: ["google_storage_bucket_iam_member.public"],
      },
      {
        name: "storage account with nested public access omitted",
        json: stack({ "azurerm_storage_account.binaries": {} }),
        flagged: ["azurerm_storage_account.binaries"],
      },
      {
        name: "blob container with public access",
        json: stack({ "azurerm_storage_container.binaries": { container_access_type: "blob" } }),
        flagged: ["azurerm_storage_container.binaries"],
      },
    ],
    compliant: [
      {
        name: "public access settings given by reference (cannot tell)",
        json: stack({
          "aws_s3_bucket_public_access_block.binaries": {
            bucket: "b",
            block_public_acls: true,
            block_public_policy: "${var.block_policy}",
            ignore_public_acls: true,
            restrict_public_buckets: true,
          },
          "google_storage_bucket.binaries": { public_access_prevention: "${var.prevention}", uniform_bucket_level_access: true },
          "azurerm_storage_account.binaries": { allow_nested_items_to_be_public: "${var.nested_public}" },
        }),
      },
      {
        name: "blocked everywhere; block matched by literal bucket name too",
        json: stack({
          "aws_s3_bucket.binaries": { bucket: "medplum-binaries" },
          "aws_s3_bucket_public_access_block.binaries": {
            bucket: "medplum-binaries",
            block_public_acls: true,
            block_public_policy: true,
            ignore_public_acls: true,
            restrict_public_buckets: true,
          },
          "aws_s3_bucket_acl.binaries": { acl: "private" },
          "google_storage_bucket.binaries": { public_access_prevention: "enforced", uniform_bucket_level_access: true },
          "google_storage_bucket_iam_member.server": { role: "roles/storage.objectAdmin", member: "serviceAccount:medplum@p.iam.gserviceaccount.com" },
          "azurerm_storage_account.binaries": { allow_nested_items_to_be_public: false },
          "azurerm_storage_container.binaries": {},
        }),
      },
    ],
  },
  BucketEncrypted: {
    nonCompliant: [
      { name: "S3 bucket without an encryption configuration", json: stack({ "aws_s3_bucket.binaries": {} }), flagged: ["aws_s3_bucket.binaries"] },
      {
        name: "encryption configuration without an algorithm",
        json: stack({ "aws_s3_bucket_server_side_encryption_configuration.binaries": { bucket: "b", rule: [{ bucket_key_enabled: true }] } }),
        flagged: ["aws_s3_bucket_server_side_encryption_configuration.binaries"],
      },
    ],
    compliant: [
      {
        name: "bucket with a KMS default",
        json: stack({
          "aws_s3_bucket.binaries": {},
          "aws_s3_bucket_server_side_encryption_configuration.binaries": {
            bucket: ref("aws_s3_bucket.binaries", "bucket"),
            rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: ref("aws_kms_key.s3", "arn") } }],
          },
        }),
      },
    ],
  },
  BucketCustomerManagedKey: {
    nonCompliant: [
      {
        name: "SSE-S3 (AES256)",
        json: stack({
          "aws_s3_bucket_server_side_encryption_configuration.binaries": { rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }] },
        }),
        flagged: ["aws_s3_bucket_server_side_encryption_configuration.binaries"],
      },
      {
        name: "aws:kms with the AWS-managed key",
        json: stack({
          "aws_s3_bucket_server_side_encryption_configuration.binaries": { rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" } }] },
        }),
        flagged: ["aws_s3_bucket_server_side_encryption_configuration.binaries"],
      },
      { name: "GCS bucket without a default key", json: stack({ "google_storage_bucket.binaries": {} }), flagged: ["google_storage_bucket.binaries"] },
      { name: "storage account without a CMK", json: stack({ "azurerm_storage_account.binaries": {} }), flagged: ["azurerm_storage_account.binaries"] },
    ],
    compliant: [
      {
        name: "SSE algorithm given by reference, with a customer key (cannot tell)",
        json: stack({
          "aws_s3_bucket_server_side_encryption_configuration.binaries": {
            bucket: "b",
            rule: [
              { apply_server_side_encryption_by_default: { sse_algorithm: "${var.sse_algorithm}", kms_master_key_id: ref("aws_kms_key.binaries", "arn") } },
            ],
          },
        }),
      },
      {
        name: "customer keys everywhere",
        json: stack({
          "aws_s3_bucket_server_side_encryption_configuration.binaries": {
            rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: ref("aws_kms_key.s3", "arn") } }],
          },
          "google_storage_bucket.binaries": { encryption: { default_kms_key_name: ref("google_kms_crypto_key.gcs") } },
          "azurerm_storage_account.binaries": {},
          "azurerm_storage_account_customer_managed_key.binaries": {
            storage_account_id: ref("azurerm_storage_account.binaries"),
            key_vault_id: "v",
            key_name: "k",
          },
        }),
      },
    ],
  },
  BucketVersioning: {
    nonCompliant: [
      { name: "S3 bucket without versioning", json: stack({ "aws_s3_bucket.binaries": {} }), flagged: ["aws_s3_bucket.binaries"] },
      {
        name: "versioning suspended",
        json: stack({
          "aws_s3_bucket.binaries": {},
          "aws_s3_bucket_versioning.binaries": { bucket: ref("aws_s3_bucket.binaries"), versioning_configuration: { status: "Suspended" } },
        }),
        flagged: ["aws_s3_bucket_versioning.binaries"],
      },
      { name: "GCS bucket with versioning omitted", json: stack({ "google_storage_bucket.binaries": {} }), flagged: ["google_storage_bucket.binaries"] },
      {
        name: "storage account with versioning omitted",
        json: stack({ "azurerm_storage_account.binaries": { blob_properties: {} } }),
        flagged: ["azurerm_storage_account.binaries"],
      },
    ],
    compliant: [
      {
        name: "versioning given by reference (cannot tell)",
        json: stack({
          "aws_s3_bucket_versioning.binaries": { bucket: "b", versioning_configuration: { status: "${var.versioning_status}" } },
          "google_storage_bucket.binaries": { versioning: { enabled: "${var.versioning}" } },
          "azurerm_storage_account.binaries": { blob_properties: { versioning_enabled: "${var.versioning}" } },
        }),
      },
      {
        name: "versioned everywhere",
        json: stack({
          "aws_s3_bucket.binaries": {},
          "aws_s3_bucket_versioning.binaries": { bucket: ref("aws_s3_bucket.binaries"), versioning_configuration: [{ status: "Enabled" }] },
          "google_storage_bucket.binaries": { versioning: { enabled: true } },
          "azurerm_storage_account.binaries": { blob_properties: { versioning_enabled: true } },
        }),
      },
    ],
  },
  BucketNoForceDestroy: {
    nonCompliant: [
      { name: "S3 bucket with force_destroy", json: stack({ "aws_s3_bucket.binaries": { force_destroy: true } }), flagged: ["aws_s3_bucket.binaries"] },
      {
        name: "GCS bucket with force_destroy",
        json: stack({ "google_storage_bucket.binaries": { force_destroy: true } }),
        flagged: ["google_storage_bucket.binaries"],
      },
    ],
    compliant: [
      { name: "force_destroy omitted or false", json: stack({ "aws_s3_bucket.binaries": {}, "google_storage_bucket.binaries": { force_destroy: false } }) },
    ],
  },
  StorageSecureTransport: {
    nonCompliant: [
      {
        name: "HTTP allowed",
        json: stack({ "azurerm_storage_account.binaries": { https_traffic_only_enabled: false } }),
        flagged: ["azurerm_storage_account.binaries"],
      },
      {
        name: "TLS 1.0 allowed",
        json: stack({ "azurerm_storage_account.binaries": { min_tls_version: "TLS1_0" } }),
        flagged: ["azurerm_storage_account.binaries"],
      },
    ],
    compliant: [{ name: "defaults (HTTPS only, TLS 1.2)", json: stack({ "azurerm_storage_account.binaries": {} }) }],
  },
  WorkloadRunsAsNonRoot: {
    nonCompliant: [
      {
        name: "deployment with no security context at all",
        json: stack({ "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", { security_context: undefined }) }),
        flagged: ["kubernetes_deployment_v1.server"],
      },
      {
        name: "init container running as uid 0 under a non-root pod",
        json: stack({
          "kubernetes_stateful_set_v1.postgres": workload(
            "kubernetes_stateful_set_v1",
            { security_context: {} },
            { security_context: { run_as_non_root: true } },
            {
              security_context: { run_as_user: "0" },
            },
          ),
        }),
        flagged: ["kubernetes_stateful_set_v1.postgres"],
      },
    ],
    compliant: [
      {
        name: "non-root given by reference (cannot tell)",
        json: stack({ "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", { security_context: { run_as_non_root: "${var.non_root}" } }) }),
      },
      {
        name: "pod-level and container-level non-root",
        json: stack({
          "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1"),
          "kubernetes_job_v1.restore": workload("kubernetes_job_v1", { security_context: {} }, { security_context: { run_as_user: "999" } }),
          "kubernetes_cron_job_v1.dump": workload("kubernetes_cron_job_v1"),
        }),
      },
    ],
  },
  WorkloadNoPrivilegeEscalation: {
    nonCompliant: [
      {
        name: "allow_privilege_escalation omitted",
        json: stack({ "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", { security_context: { run_as_non_root: true } }) }),
        flagged: ["kubernetes_deployment_v1.server"],
      },
      {
        name: "privileged init container",
        json: stack({
          "kubernetes_job_v1.restore": workload("kubernetes_job_v1", {}, {}, { security_context: { allow_privilege_escalation: false, privileged: true } }),
        }),
        flagged: ["kubernetes_job_v1.restore"],
      },
    ],
    compliant: [
      {
        name: "escalation given by reference (cannot tell)",
        json: stack({
          "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", { security_context: { allow_privilege_escalation: "${var.escalation}" } }),
        }),
      },
      { name: "escalation off", json: stack({ "kubernetes_stateful_set_v1.postgres": workload("kubernetes_stateful_set_v1", {}, {}, {}) }) },
    ],
  },
  WorkloadCapabilitiesDropped: {
    nonCompliant: [
      {
        name: "capabilities omitted",
        json: stack({ "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", { security_context: { run_as_non_root: true } }) }),
        flagged: ["kubernetes_deployment_v1.server"],
      },
      {
        name: "only NET_RAW dropped",
        json: stack({ "kubernetes_job_v1.restore": workload("kubernetes_job_v1", { security_context: { capabilities: [{ drop: ["NET_RAW"] }] } }) }),
        flagged: ["kubernetes_job_v1.restore"],
      },
    ],
    compliant: [
      {
        name: "dropped capabilities given by reference (cannot tell)",
        json: stack({
          "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", { security_context: { capabilities: { drop: "${var.dropped}" } } }),
        }),
      },
      { name: "ALL dropped", json: stack({ "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", {}, {}, {}) }) },
    ],
  },
  WorkloadReadOnlyRootFilesystem: {
    nonCompliant: [
      {
        name: "read_only_root_filesystem omitted",
        json: stack({ "kubernetes_stateful_set_v1.postgres": workload("kubernetes_stateful_set_v1", { security_context: { run_as_non_root: true } }) }),
        flagged: ["kubernetes_stateful_set_v1.postgres"],
      },
    ],
    compliant: [
      {
        name: "read-only root given by reference (cannot tell)",
        json: stack({
          "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", { security_context: { read_only_root_filesystem: "${var.read_only}" } }),
        }),
      },
      { name: "read-only root", json: stack({ "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1") }) },
    ],
  },
  WorkloadResourceLimits: {
    nonCompliant: [
      {
        name: "resources omitted",
        json: stack({ "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", { resources: undefined }) }),
        flagged: ["kubernetes_deployment_v1.server"],
      },
      {
        name: "init container without a memory limit",
        json: stack({ "kubernetes_job_v1.restore": workload("kubernetes_job_v1", {}, {}, { resources: { requests: { cpu: "1", memory: "1Gi" } } }) }),
        flagged: ["kubernetes_job_v1.restore"],
      },
    ],
    compliant: [{ name: "requests and limits", json: stack({ "kubernetes_stateful_set_v1.postgres": workload("kubernetes_stateful_set_v1", {}, {}, {}) }) }],
  },
  WorkloadHealthProbes: {
    nonCompliant: [
      {
        name: "deployment without a readiness probe",
        json: stack({ "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", { readiness_probe: undefined }) }),
        flagged: ["kubernetes_deployment_v1.server"],
      },
      {
        name: "stateful set without probes",
        json: stack({
          "kubernetes_stateful_set_v1.postgres": workload("kubernetes_stateful_set_v1", { liveness_probe: undefined, readiness_probe: undefined }),
        }),
        flagged: ["kubernetes_stateful_set_v1.postgres"],
      },
      {
        name: "server whose liveness probe asks /healthcheck (restarts every pod when the database fails over)",
        json: stack({
          "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", { liveness_probe: { http_get: { path: "/healthcheck", port: "http" } } }),
        }),
        flagged: ["kubernetes_deployment_v1.server"],
      },
      {
        name: "server whose startup probe asks /api/healthcheck/",
        json: stack({
          "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", {
            startup_probe: [{ http_get: [{ path: "/api/healthcheck/", port: "8103" }], failure_threshold: 60 }],
          }),
        }),
        flagged: ["kubernetes_deployment_v1.server"],
      },
    ],
    compliant: [
      {
        name: "probed server; jobs and init containers need none",
        json: stack({
          "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", {}, {}, { liveness_probe: undefined, readiness_probe: undefined }),
          "kubernetes_job_v1.restore": workload("kubernetes_job_v1", { liveness_probe: undefined, readiness_probe: undefined }),
        }),
      },
      {
        name: "liveness and startup on the port, readiness on /healthcheck; a self-check exec probe for both is fine",
        json: stack({
          "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", { startup_probe: { tcp_socket: [{ port: "http" }] } }),
          "kubernetes_stateful_set_v1.postgres": workload("kubernetes_stateful_set_v1", {
            liveness_probe: { exec: { command: ["pg_isready"] } },
            readiness_probe: { exec: { command: ["pg_isready"] } },
          }),
        }),
      },
    ],
  },
  ContainerImagePinned: {
    nonCompliant: [
      {
        name: "server image tagged latest",
        json: stack({ "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", { image: "medplum/medplum-server:latest" }) }),
        flagged: ["kubernetes_deployment_v1.server"],
      },
      {
        name: "init container image without a tag, on a registry with a port",
        json: stack({ "kubernetes_job_v1.restore": workload("kubernetes_job_v1", {}, {}, { image: "registry.example.com:5000/postgres" }) }),
        flagged: ["kubernetes_job_v1.restore"],
      },
      {
        name: "ECS task definition with an untagged image",
        json: stack({
          "aws_ecs_task_definition.server": { family: "medplum", container_definitions: JSON.stringify([{ name: "server", image: "medplum/medplum-server" }]) },
        }),
        flagged: ["aws_ecs_task_definition.server"],
      },
    ],
    compliant: [
      {
        name: "version tags, digests and images from config",
        json: stack({
          "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1"),
          "kubernetes_stateful_set_v1.postgres": workload("kubernetes_stateful_set_v1", {
            image: "postgres@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
          }),
          "kubernetes_job_v1.restore": workload(
            "kubernetes_job_v1",
            { image: "${var.postgres_image}" },
            {},
            { image: "registry.example.com:5000/postgres:16.6" },
          ),
          "aws_ecs_task_definition.server": { container_definitions: JSON.stringify([{ name: "server", image: "medplum/medplum-server:4.3.9" }]) },
        }),
      },
    ],
  },
  ClusterPrivateAccess: {
    nonCompliant: [
      {
        name: "GKE with neither private nodes nor an allow-list",
        json: stack({ "google_container_cluster.gke": { enable_autopilot: true } }),
        flagged: ["google_container_cluster.gke"],
      },
      { name: "AKS public without authorized ranges", json: stack({ "azurerm_kubernetes_cluster.aks": {} }), flagged: ["azurerm_kubernetes_cluster.aks"] },
      {
        name: "GKE whose control plane allow-list is 0.0.0.0/0, private nodes or not",
        json: stack({
          "google_container_cluster.gke": {
            private_cluster_config: { enable_private_nodes: true },
            master_authorized_networks_config: { cidr_blocks: [{ cidr_block: "0.0.0.0/0", display_name: "anyone" }] },
          },
        }),
        flagged: ["google_container_cluster.gke"],
      },
      {
        name: "AKS whose authorized ranges add up to the whole internet",
        json: stack({ "azurerm_kubernetes_cluster.aks": { api_server_access_profile: { authorized_ip_ranges: ["0.0.0.0/1", "128.0.0.0/1"] } } }),
        flagged: ["azurerm_kubernetes_cluster.aks"],
      },
      {
        name: "AKS with a broad public authorized range (a warning)",
        json: stack({ "azurerm_kubernetes_cluster.aks": { api_server_access_profile: { authorized_ip_ranges: ["203.0.113.0/24", "52.0.0.0/10"] } } }),
        flagged: ["azurerm_kubernetes_cluster.aks"],
      },
    ],
    compliant: [
      {
        name: "private nodes given by reference (cannot tell)",
        json: stack({
          "google_container_cluster.gke": { private_cluster_config: { enable_private_nodes: "${var.private_nodes}" } },
          "azurerm_kubernetes_cluster.aks": { private_cluster_enabled: "${var.private_cluster}" },
        }),
      },
      {
        name: "private GKE, AKS with an allow-list",
        json: stack({
          "google_container_cluster.gke": { private_cluster_config: { enable_private_nodes: true } },
          "google_container_cluster.listed": { master_authorized_networks_config: { cidr_blocks: [{ cidr_block: "10.0.0.0/8" }] } },
          "azurerm_kubernetes_cluster.aks": { api_server_access_profile: { authorized_ip_ranges: ["203.0.113.0/24"] } },
          "azurerm_kubernetes_cluster.private": { private_cluster_enabled: true },
          "azurerm_kubernetes_cluster.narrow": {
            api_server_access_profile: { authorized_ip_ranges: ["198.51.100.7/32", "172.16.0.0/12", "${var.runner_cidr}"] },
          },
        }),
      },
    ],
  },
  ClusterWorkloadIdentity: {
    nonCompliant: [
      { name: "standard GKE without a workload pool", json: stack({ "google_container_cluster.gke": {} }), flagged: ["google_container_cluster.gke"] },
      {
        name: "AKS with workload identity but no OIDC issuer",
        json: stack({ "azurerm_kubernetes_cluster.aks": { workload_identity_enabled: true } }),
        flagged: ["azurerm_kubernetes_cluster.aks"],
      },
    ],
    compliant: [
      {
        name: "workload identity given by reference (cannot tell)",
        json: stack({
          "google_container_cluster.gke": { enable_autopilot: "${var.autopilot}" },
          "azurerm_kubernetes_cluster.aks": { workload_identity_enabled: "${var.workload_identity}", oidc_issuer_enabled: true },
        }),
      },
      {
        name: "Autopilot, workload pool, AKS workload identity",
        json: stack({
          "google_container_cluster.autopilot": { enable_autopilot: true },
          "google_container_cluster.standard": { workload_identity_config: { workload_pool: "p.svc.id.goog" } },
          "azurerm_kubernetes_cluster.aks": { workload_identity_enabled: true, oidc_issuer_enabled: true },
        }),
      },
    ],
  },
  ClusterNetworkPolicy: {
    nonCompliant: [
      { name: "standard GKE without network policy", json: stack({ "google_container_cluster.gke": {} }), flagged: ["google_container_cluster.gke"] },
      {
        name: "AKS without a network policy",
        json: stack({ "azurerm_kubernetes_cluster.aks": { network_profile: { network_plugin: "azure" } } }),
        flagged: ["azurerm_kubernetes_cluster.aks"],
      },
    ],
    compliant: [
      { name: "datapath given by reference (cannot tell)", json: stack({ "google_container_cluster.gke": { datapath_provider: "${var.datapath}" } }) },
      {
        name: "Autopilot, Dataplane V2, add-on, AKS cilium",
        json: stack({
          "google_container_cluster.autopilot": { enable_autopilot: true },
          "google_container_cluster.dpv2": { datapath_provider: "ADVANCED_DATAPATH" },
          "google_container_cluster.addon": { network_policy: [{ enabled: true }] },
          "azurerm_kubernetes_cluster.aks": { network_profile: { network_plugin: "azure", network_policy: "cilium" } },
        }),
      },
    ],
  },
  ClusterRbac: {
    nonCompliant: [
      {
        name: "GKE with legacy ABAC",
        json: stack({ "google_container_cluster.gke": { enable_legacy_abac: true } }),
        flagged: ["google_container_cluster.gke"],
      },
      { name: "AKS without Entra ID RBAC", json: stack({ "azurerm_kubernetes_cluster.aks": {} }), flagged: ["azurerm_kubernetes_cluster.aks"] },
    ],
    compliant: [
      {
        name: "GKE defaults, AKS with Entra ID RBAC",
        json: stack({
          "google_container_cluster.gke": {},
          "azurerm_kubernetes_cluster.aks": { azure_active_directory_role_based_access_control: { azure_rbac_enabled: true } },
        }),
      },
    ],
  },
  NoSecretLiterals: {
    nonCompliant: [
      { name: "literal master password", json: stack({ "aws_rds_cluster.db": { master_password: "hunter2hunter2" } }), flagged: ["aws_rds_cluster.db"] },
      {
        name: "literal password in a container environment variable",
        json: stack({
          "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", { env: [{ name: "MEDPLUM_DATABASE_PASSWORD", value: "hunter2" }] }),
        }),
        flagged: ["kubernetes_deployment_v1.server"],
      },
      {
        name: "signing key in ECS container definitions JSON",
        json: stack({
          "aws_ecs_task_definition.server": {
            container_definitions: JSON.stringify([{ name: "server", environment: [{ name: "MEDPLUM_SIGNING_KEY", value: "abc" }] }]),
          },
        }),
        flagged: ["aws_ecs_task_definition.server"],
      },
      {
        name: "PEM private key in a Kubernetes secret",
        json: stack({ "kubernetes_secret_v1.tls": { data: { "tls.key": "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----" } } }),
        flagged: ["kubernetes_secret_v1.tls"],
      },
      {
        name: "literal value in a Key Vault secret, whatever its name",
        json: stack({ "azurerm_key_vault_secret.config": { name: "medplum-config", value: '{"baseUrl":"https://api.example.com/"}', key_vault_id: "v" } }),
        flagged: ["azurerm_key_vault_secret.config"],
      },
      {
        name: "literal SSM SecureString",
        json: stack({ "aws_ssm_parameter.config": { name: "/medplum/dr/baseUrl", type: "SecureString", value: "https://api.example.com/" } }),
        flagged: ["aws_ssm_parameter.config"],
      },
      {
        name: "AWS access key in a provider",
        json: { provider: { aws: [{ region: "us-west-2", access_key: "AKIAABCDEFGHIJKLMNOP" }] } },
        flagged: ["provider.aws"],
      },
      {
        name: "backend credentials in the terraform block",
        json: { terraform: { backend: { s3: { bucket: "state", key: "medplum.tfstate", secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" } } } },
        flagged: ["terraform"],
      },
      {
        name: "secret-looking variable with a literal default",
        json: { variable: { redis_auth_token: { type: "string", default: "s3cret-token" } } },
        flagged: ["var.redis_auth_token"],
      },
    ],
    compliant: [
      {
        name: "references, managed passwords, secret refs and innocuous names",
        json: stack(
          {
            "aws_rds_cluster.db": {
              manage_master_user_password: true,
              master_user_secret_kms_key_id: ref("aws_kms_key.db", "arn"),
              kms_key_id: "arn:aws:kms:x",
            },
            "aws_elasticache_replication_group.cache": {
              auth_token: "${data.aws_secretsmanager_secret_version.redis.secret_string}",
              auth_token_update_strategy: "ROTATE",
            },
            "kubernetes_deployment_v1.server": workload("kubernetes_deployment_v1", {
              env: [
                { name: "MEDPLUM_SIGNING_KEY_ID", value: "key-1" },
                { name: "MEDPLUM_DATABASE_PASSWORD", value_from: { secret_key_ref: { name: "medplum", key: "password" } } },
                { name: "MEDPLUM_REDIS_PASSWORD", value: "" },
              ],
            }),
            "azurerm_key_vault_secret.config": { name: "medplum-config", value: "${jsonencode(local.medplum_config)}" },
            "google_secret_manager_secret_iam_member.server": {
              secret_id: "medplum-db-password",
              role: "roles/secretmanager.secretAccessor",
              member: "serviceAccount:x",
            },
            "aws_ssm_parameter.base_url": { name: "/medplum/dr/baseUrl", type: "String", value: "https://api.example.com/" },
            "kubernetes_secret_v1.copy": { metadata: { name: "medplum" }, data: { password: "${data.aws_secretsmanager_secret_version.db.secret_string}" } },
            "aws_ecs_task_definition.server": {
              container_definitions: JSON.stringify([
                { secrets: [{ name: "MEDPLUM_SIGNING_KEY", valueFrom: "arn:aws:secretsmanager:us-west-2:1:secret:app:signingKey::" }] },
              ]),
            },
          },
          {
            output: { api_url: { value: "https://api.example.com" } },
            variable: { password_length: { default: "32" } },
            data: { google_secret_manager_secret_version: { db: { project: "acme", secret: "medplum-db-password" } } },
          },
        ),
      },
    ],
  },
  SensitiveOutputs: {
    nonCompliant: [
      {
        name: "output named like a password with sensitive omitted",
        json: { output: { database_password: { value: "${aws_rds_cluster.db.master_password}" } } },
        flagged: ["output.database_password"],
      },
      {
        name: "output of a connection string",
        json: { output: { redis: { value: "${azurerm_redis_cache.cache.primary_connection_string}", sensitive: false } } },
        flagged: ["output.redis"],
      },
    ],
    compliant: [
      {
        name: "sensitive secret output; plain endpoint and key id outputs",
        json: {
          output: {
            database_password: { value: "${aws_rds_cluster.db.master_password}", sensitive: true },
            database_endpoint: { value: "${aws_rds_cluster.db.endpoint}:5432" },
            signing_key_id: { value: "key-1" },
          },
        },
      },
    ],
  },
  KmsKeyRotation: {
    nonCompliant: [
      { name: "KMS key with rotation omitted", json: stack({ "aws_kms_key.db": { description: "db" } }), flagged: ["aws_kms_key.db"] },
      { name: "Cloud KMS key without rotation", json: stack({ "google_kms_crypto_key.db": { key_ring: "r" } }), flagged: ["google_kms_crypto_key.db"] },
      { name: "Key Vault key without a rotation policy", json: stack({ "azurerm_key_vault_key.db": {} }), flagged: ["azurerm_key_vault_key.db"] },
    ],
    compliant: [
      { name: "rotation given by reference (cannot tell)", json: stack({ "aws_kms_key.db": { enable_key_rotation: "${var.rotation}" } }) },
      {
        name: "rotating keys",
        json: stack({
          "aws_kms_key.db": { enable_key_rotation: true },
          "google_kms_crypto_key.db": { rotation_period: "7776000s" },
          "azurerm_key_vault_key.db": { rotation_policy: { automatic: { time_before_expiry: "P30D" } } },
        }),
      },
    ],
  },
  LogRetention: {
    nonCompliant: [
      {
        name: "log group with retention omitted",
        json: stack({ "aws_cloudwatch_log_group.server": { name: "/medplum/server" } }),
        flagged: ["aws_cloudwatch_log_group.server"],
      },
      {
        name: "log group kept 30 days",
        json: stack({ "aws_cloudwatch_log_group.server": { retention_in_days: 30 } }),
        flagged: ["aws_cloudwatch_log_group.server"],
      },
      {
        name: "Log Analytics with the 30-day default",
        json: stack({ "azurerm_log_analytics_workspace.logs": {} }),
        flagged: ["azurerm_log_analytics_workspace.logs"],
      },
      {
        name: "GCP log bucket with the default",
        json: stack({ "google_logging_project_bucket_config.logs": { bucket_id: "_Default" } }),
        flagged: ["google_logging_project_bucket_config.logs"],
      },
    ],
    compliant: [
      {
        name: "retention given by reference (cannot tell)",
        json: stack({
          "aws_cloudwatch_log_group.server": { retention_in_days: "${var.retention_days}" },
          "google_logging_project_bucket_config.audit": { retention_days: "${var.retention_days}" },
        }),
      },
      {
        name: "a year or more, or deliberately forever",
        json: stack({
          "aws_cloudwatch_log_group.server": { retention_in_days: 365 },
          "aws_cloudwatch_log_group.audit": { retention_in_days: 0 },
          "azurerm_log_analytics_workspace.logs": { retention_in_days: 730 },
          "google_logging_project_bucket_config.logs": { retention_days: 400 },
        }),
      },
    ],
  },
  DnsRecordTtl: {
    nonCompliant: [
      {
        name: "Route 53 A record with a 300 s TTL",
        json: stack({ "aws_route53_record.api": { type: "A", ttl: 300, records: ["203.0.113.10"] } }),
        flagged: ["aws_route53_record.api"],
      },
      {
        name: "Cloud DNS record with ttl omitted",
        json: stack({ "google_dns_record_set.api": { type: "A", rrdatas: ["203.0.113.10"] } }),
        flagged: ["google_dns_record_set.api"],
      },
      {
        name: "Azure CNAME with an hour",
        json: stack({ "azurerm_dns_cname_record.api": { ttl: 3600, record: "x" } }),
        flagged: ["azurerm_dns_cname_record.api"],
      },
    ],
    compliant: [
      { name: "TTL given by reference (cannot tell)", json: stack({ "google_dns_record_set.api": { type: "A", ttl: "${var.ttl}" } }) },
      {
        name: "short TTLs, alias records, validation and TXT records",
        json: stack({
          "aws_route53_record.api": {
            type: "A",
            alias: { name: "${aws_lb.server.dns_name}", zone_id: "${aws_lb.server.zone_id}", evaluate_target_health: true },
          },
          "aws_route53_record.app": { type: "CNAME", ttl: 60, records: ["x"] },
          "aws_route53_record.validation": {
            type: "CNAME",
            ttl: 300,
            name: "${tolist(aws_acm_certificate.api.domain_validation_options)[0].resource_record_name}",
          },
          "aws_route53_record.txt": { type: "TXT", ttl: 3600 },
          "google_dns_record_set.api": { type: "A", ttl: 30 },
          "azurerm_dns_a_record.api": { ttl: 60 },
        }),
      },
    ],
  },
  ExternalDnsTtl: {
    nonCompliant: [
      {
        name: "Ingress with the hostname annotation and no ttl annotation",
        json: stack({
          "kubernetes_ingress_v1.api": { metadata: { name: "api", annotations: { "external-dns.alpha.kubernetes.io/hostname": "api.example.com" } } },
        }),
        flagged: ["kubernetes_ingress_v1.api"],
      },
      {
        name: "Service with a 300 s ttl annotation",
        json: stack({
          "kubernetes_service_v1.api": {
            metadata: {
              name: "api",
              annotations: { "external-dns.alpha.kubernetes.io/hostname": "api.example.com", "external-dns.alpha.kubernetes.io/ttl": "300" },
            },
          },
        }),
        flagged: ["kubernetes_service_v1.api"],
      },
    ],
    compliant: [
      {
        name: "a 60 s ttl annotation, and an Ingress external-dns does not publish",
        json: stack({
          "kubernetes_ingress_v1.api": {
            metadata: {
              name: "api",
              annotations: { "external-dns.alpha.kubernetes.io/hostname": "api.example.com", "external-dns.alpha.kubernetes.io/ttl": "60" },
            },
          },
          "kubernetes_ingress_v1.internal": { metadata: { name: "internal" } },
        }),
      },
    ],
  },
  NetworkIngressPrivate: {
    nonCompliant: [
      {
        name: "security group rule opening PostgreSQL to 0.0.0.0/0",
        json: stack({ "aws_security_group_rule.app": { type: "ingress", from_port: 5432, to_port: 5432, protocol: "tcp", cidr_blocks: ["0.0.0.0/0"] } }),
        flagged: ["aws_security_group_rule.app"],
      },
      {
        name: "any port open in the database step, and a firewall with no ports (all of them) to ::/0",
        json: stack({
          "aws_vpc_security_group_ingress_rule.database": { ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0" },
          "google_compute_firewall.cache": { direction: "INGRESS", source_ranges: ["::/0"], allow: [{ protocol: "tcp" }] },
        }),
        flagged: ["aws_vpc_security_group_ingress_rule.database", "google_compute_firewall.cache"],
      },
      {
        name: "Redis open through an NSG rule, servers with public IPs",
        json: stack({
          "azurerm_network_security_rule.redis": {
            direction: "Inbound",
            access: "Allow",
            source_address_prefix: "Internet",
            destination_port_range: "6379-6380",
          },
          "aws_ecs_service.server": { network_configuration: { assign_public_ip: true, subnets: ["subnet-1"] } },
        }),
        flagged: ["azurerm_network_security_rule.redis", "aws_ecs_service.server"],
      },
    ],
    compliant: [
      {
        name: "HTTPS open on the load balancer, PostgreSQL only from the VPC, no public IPs",
        json: stack({
          "aws_vpc_security_group_ingress_rule.lb": { ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" },
          "aws_security_group_rule.db": { type: "ingress", from_port: 5432, to_port: 5432, protocol: "tcp", cidr_blocks: ["10.0.0.0/16"] },
          "aws_ecs_service.server": { network_configuration: { assign_public_ip: false } },
          "azurerm_network_security_rule.out": { direction: "Outbound", access: "Allow", source_address_prefix: "*", destination_port_range: "*" },
        }),
      },
    ],
  },
  ExternalDnsOwnership: {
    nonCompliant: [
      {
        name: "Ingress external-dns publishes, no record ownership proven",
        json: stack({
          "kubernetes_ingress_v1.api": {
            metadata: {
              name: "api",
              annotations: { "external-dns.alpha.kubernetes.io/hostname": "api.example.com", "medplum-dr/external-dns-owner-id": "recovery" },
            },
          },
        }),
        flagged: ["kubernetes_ingress_v1.api"],
      },
    ],
    compliant: [
      {
        name: "an Ingress external-dns does not publish",
        json: stack({ "kubernetes_ingress_v1.internal": { metadata: { name: "internal", annotations: {} } } }),
      },
    ],
  },
  TrafficAfterServers: {
    nonCompliant: [
      {
        name: "traffic record without a dependency on the servers",
        json: stack({
          "aws_ecs_service.server": { name: "medplum" },
          "aws_route53_record.traffic": { type: "A", alias: { name: "${aws_lb.lb.dns_name}" } },
          "aws_lb.lb": { name: "medplum" },
        }),
        flagged: ["aws_route53_record.traffic"],
      },
    ],
    compliant: [
      {
        name: "traffic records that depend on the servers directly and through a chain of references",
        json: stack({
          "aws_ecs_service.server": { name: "medplum" },
          "aws_route53_record.traffic": { type: "A", records: ["${aws_ecs_service.server.id}"] },
          "google_dns_record_set.traffic": { type: "A", rrdatas: ["${aws_ssm_parameter.waited.value}"] },
          "aws_ssm_parameter.waited": { name: "waited", value: "${aws_ecs_service.server.id}" },
        }),
      },
    ],
  },
  DatabaseCertificateVerified: {
    nonCompliant: [
      {
        name: "ConfigMap and task definition with no certificate verification (rejectUnauthorized: false)",
        json: stack({
          "kubernetes_config_map_v1.settings": { data: { MEDPLUM_DATABASE_SSL: '{"rejectUnauthorized":false}' } },
          "aws_ecs_task_definition.server": {
            container_definitions: JSON.stringify([
              {
                name: "server",
                environment: [{ name: "MEDPLUM_DATABASE_SSL", value: '{"rejectUnauthorized":false,"require":true}' }],
                // References inside the JSON (as synthesized) do not hide the literal setting beside them.
                secrets: [{ name: "MEDPLUM_SIGNING_KEY", valueFrom: "${aws_secretsmanager_secret.app.arn}" }],
              },
            ]),
          },
        }),
        flagged: ["kubernetes_config_map_v1.settings", "aws_ecs_task_definition.server"],
      },
    ],
    compliant: [
      {
        name: "verification with a CA, and a task definition that leaves the setting out",
        json: stack({
          "kubernetes_config_map_v1.settings": { data: { MEDPLUM_DATABASE_SSL: '{"rejectUnauthorized":true,"ca":"-----BEGIN CERTIFICATE-----"}' } },
          "aws_ecs_task_definition.server": { container_definitions: JSON.stringify([{ name: "server", environment: [] }]) },
        }),
      },
    ],
  },
};
