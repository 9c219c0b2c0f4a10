/**
 * The recovered PostgreSQL Flexible Server: private access only (delegated subnet + private DNS zone), backups and
 * geo-redundant backups on, optional zone-redundant HA and customer-managed key, a CanNotDelete lock.
 *
 * A re-run must never re-restore: every input that forces a new server once it exists is either stable by
 * construction (name, resource group, location) or listed in `lifecycle.ignore_changes` (see RESTORE_INPUTS).
 */
import { ManagementLock } from "@cdktf/provider-azurerm/lib/management-lock";
import { PostgresqlFlexibleServer, type PostgresqlFlexibleServerConfig } from "@cdktf/provider-azurerm/lib/postgresql-flexible-server";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ignoreForceNew } from "../../facts/force-new";

/**
 * Attributes ignored after creation. The restore inputs (`create_mode`, `source_server_id`,
 * `point_in_time_restore_time_in_utc`) would re-restore when a later run names a newer point; the admin login and
 * password are the source's (Azure ignores them on restore); the rest force a new server (facts/force-new.ts:
 * geo-redundant backup, customer-managed key, subnet, a lower version, a smaller `storage_mb` than auto-grow reached, a
 * user-assigned identity dropped), are left to Azure (DNS zone) or move back after an HA failover (zones).
 * ForceNew and CustomizeDiff as read in azurerm 4.55.0, internal/services/postgres/postgresql_flexible_server_resource.go.
 */
export const RESTORE_INPUTS = [
  "create_mode",
  "source_server_id",
  "point_in_time_restore_time_in_utc",
  "administrator_login",
  "administrator_password",
  "geo_redundant_backup_enabled",
  "customer_managed_key",
  "delegated_subnet_id",
  "private_dns_zone_id",
  "version",
  "zone",
  "high_availability[0].standby_availability_zone",
  ...ignoreForceNew("azurerm_postgresql_flexible_server", ["storage_mb", "identity"]),
] as const;

/**
 * What an adopted replica ignores instead. `create_mode` must reach the provider: its update accepts
 * `replication_role = "None"` only with `create_mode = "Replica"` in the new configuration, and `create_mode` is not
 * ForceNew, so the import's empty value changes in place. `location` is not derived from the replica's id (ids carry
 * none) and forces a new server, so a config naming another region must not replace the replica.
 */
export const ADOPTED_REPLICA_IGNORES: readonly string[] = [...RESTORE_INPUTS.filter((name) => name !== "create_mode"), "location"];

/** How the server comes into being, decided by database.ts. */
export type ServerOrigin =
  | { readonly kind: "geo-restore" | "point-in-time"; readonly sourceServerId: string; readonly time: string }
  /** An existing replica of `sourceServerId` adopted into state by an import block, then promoted. */
  | { readonly kind: "replica-promotion"; readonly replicaServerId: string; readonly sourceServerId: string }
  /** A new cross-region read replica of `sourceServerId`, which a warm standby keeps for the recovery to promote. */
  | { readonly kind: "replica"; readonly sourceServerId: string };

export interface CustomerManagedKey {
  readonly keyVaultKeyId: string;
  readonly identityId: string;
  readonly geoBackupKeyVaultKeyId?: string;
  readonly geoBackupIdentityId?: string;
}

export interface FlexibleServerProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly origin: ServerOrigin;
  /** PostgreSQL major version; the source's (validated in config). */
  readonly version: string;
  readonly skuName: string;
  /** At least the source's size; auto-grow takes it from there, so it is ignored once the server exists. */
  readonly storageMb: number;
  readonly delegatedSubnetId: string;
  readonly privateDnsZoneId: string;
  readonly backupRetentionDays: number;
  readonly geoRedundantBackup: boolean;
  /** "disabled" for a single server. */
  readonly highAvailability: "ZoneRedundant" | "SameZone" | "disabled";
  /** @default - platform-managed keys */
  readonly customerManagedKey?: CustomerManagedKey;
  /** CanNotDelete lock and prevent_destroy. */
  readonly deletionProtection: boolean;
  readonly restoreTimeoutMinutes: number;
  /**
   * What must exist before the server is created, e.g. the private DNS zone's VNet link: without it the server's
   * private name does not resolve in the VNet (the provider's own example has this dependency).
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  readonly tags: Readonly<Record<string, string>>;
}

export class FlexibleServer extends Construct {
  readonly server: PostgresqlFlexibleServer;
  readonly lock?: ManagementLock;

  constructor(scope: Construct, id: string, props: FlexibleServerProps) {
    super(scope, id);
    const { origin } = props;
    const restoreInputs: Partial<PostgresqlFlexibleServerConfig> =
      origin.kind === "replica-promotion"
        ? // Promotion: the replica stops replicating and becomes a standalone, writable server. The provider's update
          // refuses replication_role "None" unless the configuration says create_mode "Replica".
          { createMode: "Replica", sourceServerId: origin.sourceServerId, replicationRole: "None" }
        : origin.kind === "replica"
          ? // The provider refuses replication_role at creation; a new replica only names its source.
            { createMode: "Replica", sourceServerId: origin.sourceServerId }
          : {
              createMode: origin.kind === "geo-restore" ? "GeoRestore" : "PointInTimeRestore",
              sourceServerId: origin.sourceServerId,
              pointInTimeRestoreTimeInUtc: origin.time,
            };
    const cmk = props.customerManagedKey;
    const identityIds = cmk === undefined ? [] : [...new Set([cmk.identityId, ...(cmk.geoBackupIdentityId !== undefined ? [cmk.geoBackupIdentityId] : [])])];

    this.server = new PostgresqlFlexibleServer(this, "server", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      ...restoreInputs,
      version: props.version,
      skuName: props.skuName,
      storageMb: props.storageMb,
      // The provider's default is off: a full disk would stop the recovered database.
      autoGrowEnabled: true,
      delegatedSubnetId: props.delegatedSubnetId,
      privateDnsZoneId: props.privateDnsZoneId,
      publicNetworkAccessEnabled: false,
      backupRetentionDays: props.backupRetentionDays,
      geoRedundantBackupEnabled: props.geoRedundantBackup,
      ...(props.highAvailability !== "disabled" ? { highAvailability: { mode: props.highAvailability } } : {}),
      ...(cmk !== undefined
        ? {
            identity: { type: "UserAssigned", identityIds },
            customerManagedKey: {
              keyVaultKeyId: cmk.keyVaultKeyId,
              primaryUserAssignedIdentityId: cmk.identityId,
              ...(cmk.geoBackupKeyVaultKeyId !== undefined ? { geoBackupKeyVaultKeyId: cmk.geoBackupKeyVaultKeyId } : {}),
              ...(cmk.geoBackupIdentityId !== undefined ? { geoBackupUserAssignedIdentityId: cmk.geoBackupIdentityId } : {}),
            },
          }
        : {}),
      timeouts: { create: `${props.restoreTimeoutMinutes}m`, update: `${props.restoreTimeoutMinutes}m` },
      tags: { ...props.tags },
      lifecycle: {
        ignoreChanges: origin.kind === "replica-promotion" ? [...ADOPTED_REPLICA_IGNORES] : [...RESTORE_INPUTS],
        ...(props.deletionProtection ? { preventDestroy: true } : {}),
      },
      ...(props.dependsOn !== undefined && props.dependsOn.length > 0 ? { dependsOn: [...props.dependsOn] } : {}),
    });
    if (origin.kind === "replica-promotion") {
      // Adopts the replica kept in the recovery region instead of creating a server (Terraform >= 1.5 import block).
      this.server.importFrom(origin.replicaServerId);
    }

    if (props.deletionProtection) {
      this.lock = new ManagementLock(this, "lock", {
        name: `${props.name}-do-not-delete`,
        scope: this.server.id,
        lockLevel: "CanNotDelete",
        notes: "Recovered Medplum database. Set targets.azure.database.deletionProtection: false (drills only) to remove.",
      });
    }
  }
}
