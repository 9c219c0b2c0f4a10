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
 * hashicorp/terraform-provider-azurerm v4.55.0). So geo-redundancy is read through Resource Manager instead: an ARM
 * template deployment in the standby's resource group that deploys nothing (Incremental mode, no resources) and
 * outputs the server's `backup.geoRedundantBackup` with `reference()`
 * (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-resource#reference; the
 * property: https://learn.microsoft.com/azure/templates/microsoft.dbforpostgresql/2022-12-01/flexibleservers). A
 * postcondition fails the apply, naming the field, when it is not `Enabled`: geo-restore then has nothing in the
 * paired region to restore. Only in the tiers that recover by geo-restore; warm-standby's replica needs none.
 */
import { DataAzurermPostgresqlFlexibleServer } from "@cdktf/provider-azurerm/lib/data-azurerm-postgresql-flexible-server";
import type { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { ResourceGroupTemplateDeployment } from "@cdktf/provider-azurerm/lib/resource-group-template-deployment";
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
  /** Check that the primary's backups are geo-redundant: the tiers whose recovery geo-restores them. */
  readonly requireGeoRedundantBackup: boolean;
  /** Names the check's deployment. */
  readonly namePrefix: string;
}

/** The Flexible Server API version whose `backup.geoRedundantBackup` the check reads (GA, "Enabled" or "Disabled"). */
export const FLEXIBLE_SERVER_API_VERSION = "2022-12-01";

/** An ARM template that creates nothing and outputs the server's geo-redundancy setting. */
export function geoRedundancyTemplate(): string {
  return JSON.stringify({
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    parameters: { serverId: { type: "string" } },
    resources: [],
    outputs: {
      geoRedundantBackup: { type: "string", value: `[reference(parameters('serverId'), '${FLEXIBLE_SERVER_API_VERSION}').backup.geoRedundantBackup]` },
    },
  });
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
    if (props.requireGeoRedundantBackup) {
      new ResourceGroupTemplateDeployment(this, "geoRedundancyCheck", {
        name: `${props.namePrefix}-primary-geo-backup-check`,
        resourceGroupName: group.name,
        // Incremental with no resources: the deployment changes nothing, in this group or the primary's.
        deploymentMode: "Incremental",
        templateContent: geoRedundancyTemplate(),
        parametersContent: JSON.stringify({ serverId: { value: props.primaryServerId } }),
        tags: { ...props.tags },
        lifecycle: {
          postcondition: [
            {
              condition: '${jsondecode(self.output_content).geoRedundantBackup.value == "Enabled"}',
              errorMessage: `targets.azure.standby.database.primaryServerId: the primary server's backups are not geo-redundant (backup.geoRedundantBackup is not Enabled), so geo-restore has nothing in ${pair} to restore; it is fixed when a server is created: use tier warm-standby (a read replica), or a primary created with geo-redundant backup`,
            },
          ],
        },
      });
    }
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
