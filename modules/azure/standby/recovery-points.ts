/**
 * Database recovery points for the Azure standby: the primary Flexible Server's own geo-redundant backups, which Azure
 * keeps in the primary region's pair and which GeoRestore restores from. Geo-redundancy is fixed when the server is
 * created (`geo_redundant_backup_enabled` is ForceNew in azurerm's postgresql_flexible_server_resource.go), so standby
 * cannot turn it on without replacing the primary; it reads the server through a data source and fails the plan when
 * what it reads does not fit the recovery (the region, the major version, the backup retention).
 *
 * azurerm's `azurerm_postgresql_flexible_server` data source has no `geo_redundant_backup_enabled` attribute (it sets
 * name, location, administrator_login, version, fqdn, zone, storage, backup_retention_days, delegated_subnet_id,
 * public_network_access_enabled, high_availability, sku_name: postgresql_flexible_server_data_source.go in
 * hashicorp/terraform-provider-azurerm v4.55.0), so geo-redundancy itself cannot be checked through it; docs/standby.md
 * gives the command that shows it.
 */
import { DataAzurermPostgresqlFlexibleServer } from "@cdktf/provider-azurerm/lib/data-azurerm-postgresql-flexible-server";
import type { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { Construct } from "constructs";
import { AZURE_GEO_BACKUP_REGION } from "../../../config/schema/azure";
import { parseResourceId } from "../resource-id";
import type { AzureRecoveryPointCopies } from "./results";

/**
 * Azure's geo-restore RPO: "less than 1 hour" for geo-redundant backups
 * (https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-business-continuity).
 */
export const GEO_BACKUP_RPO_MINUTES = 60;

export interface StandbyRecoveryPointsProps {
  readonly primary: AzurermProvider;
  readonly primaryServerId: string;
  readonly primaryRegion: string;
  /** The major version the recovery config says the source runs. */
  readonly sourceVersion: string;
  readonly minimumBackupRetentionDays: number;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
}

export class StandbyRecoveryPoints extends Construct {
  readonly primaryServer: DataAzurermPostgresqlFlexibleServer;
  readonly copies: AzureRecoveryPointCopies;

  constructor(scope: Construct, id: string, props: StandbyRecoveryPointsProps) {
    super(scope, id);
    const group = new ResourceGroup(this, "group", { name: props.resourceGroupName, location: props.location, tags: { ...props.tags } });
    const source = parseResourceId(props.primaryServerId);
    this.primaryServer = new DataAzurermPostgresqlFlexibleServer(this, "primary", {
      provider: props.primary,
      name: source.name,
      resourceGroupName: source.resourceGroupName,
      lifecycle: {
        postcondition: [
          {
            condition: `\${self.location == "${props.primaryRegion}"}`,
            errorMessage: `targets.azure.standby.database.primaryServerId: the server is not in targets.azure.primaryRegion (${props.primaryRegion}); geo-restore reads the backups of the server in the region that is lost`,
          },
          {
            condition: `\${self.version == "${props.sourceVersion}"}`,
            errorMessage: `targets.azure.database.sourceVersion: ${props.sourceVersion} is not the primary server's major version; a geo-restore or promotion keeps the source's version`,
          },
          {
            condition: `\${self.backup_retention_days >= ${props.minimumBackupRetentionDays}}`,
            errorMessage: `targets.azure.standby.database.minimumBackupRetentionDays: the primary keeps backups fewer than ${props.minimumBackupRetentionDays} days; raise its backup_retention_days (changeable in place)`,
          },
        ],
      },
    });
    const pair = AZURE_GEO_BACKUP_REGION[props.primaryRegion] ?? "no paired region";
    this.copies = {
      resourceGroupName: group.name,
      destination: `geo-redundant backups of ${source.name} in ${pair}`,
      schedule: "continuous (Azure-managed geo-redundant backup)",
      intervalMinutes: GEO_BACKUP_RPO_MINUTES,
      retentionDays: props.minimumBackupRetentionDays,
      continuous: { id: props.primaryServerId, retentionDays: props.minimumBackupRetentionDays },
    };
  }
}
