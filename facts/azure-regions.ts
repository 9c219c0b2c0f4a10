/**
 * MINIMAL VERSION written on branch apply-rules for the apply-time rules; the azure-apply branch owns this file and
 * its fuller table (with sources and dates) supersedes this one. The API is the agreed one:
 * `azureRegion(name) -> { zones, pairedRegion } | undefined`.
 *
 * Availability zones: the regions listed in the `zoneMappings` of Microsoft.Compute `virtualMachines` (Azure Resource
 * Manager's provider metadata, as cached in the public repository Azure/terraform-azurerm-regions,
 * microsoft.compute_resourceTypes.tf.json), which is what https://learn.microsoft.com/azure/reliability/regions-list
 * lists. Paired regions: Azure's region pairs (https://learn.microsoft.com/azure/reliability/cross-region-replication-azure),
 * the same pairs as config/schema/azure.ts AZURE_GEO_BACKUP_REGION. Read on 2026-12-01.
 */

export interface AzureRegion {
  /** Whether the region has availability zones (zone-redundant HA, zonal node pools). */
  readonly zones: boolean;
  /** Where the region's geo-redundant copies go (GeoRestore targets this region only). @default - no pair */
  readonly pairedRegion?: string;
}

const REGIONS: Readonly<Record<string, AzureRegion>> = {
  eastus: { zones: true, pairedRegion: "westus" },
  westus: { zones: false, pairedRegion: "eastus" },
  eastus2: { zones: true, pairedRegion: "centralus" },
  centralus: { zones: true, pairedRegion: "eastus2" },
  westus2: { zones: true, pairedRegion: "westcentralus" },
  westcentralus: { zones: false, pairedRegion: "westus2" },
  westus3: { zones: true, pairedRegion: "eastus" },
  northcentralus: { zones: false, pairedRegion: "southcentralus" },
  southcentralus: { zones: true, pairedRegion: "northcentralus" },
  canadacentral: { zones: true, pairedRegion: "canadaeast" },
  canadaeast: { zones: false, pairedRegion: "canadacentral" },
  brazilsouth: { zones: true, pairedRegion: "southcentralus" },
  northeurope: { zones: true, pairedRegion: "westeurope" },
  westeurope: { zones: true, pairedRegion: "northeurope" },
  uksouth: { zones: true, pairedRegion: "ukwest" },
  ukwest: { zones: false, pairedRegion: "uksouth" },
  francecentral: { zones: true, pairedRegion: "francesouth" },
  francesouth: { zones: false, pairedRegion: "francecentral" },
  germanywestcentral: { zones: true, pairedRegion: "germanynorth" },
  germanynorth: { zones: false, pairedRegion: "germanywestcentral" },
  switzerlandnorth: { zones: true, pairedRegion: "switzerlandwest" },
  switzerlandwest: { zones: false, pairedRegion: "switzerlandnorth" },
  norwayeast: { zones: true, pairedRegion: "norwaywest" },
  norwaywest: { zones: false, pairedRegion: "norwayeast" },
  swedencentral: { zones: true, pairedRegion: "swedensouth" },
  swedensouth: { zones: false, pairedRegion: "swedencentral" },
  australiaeast: { zones: true, pairedRegion: "australiasoutheast" },
  australiasoutheast: { zones: false, pairedRegion: "australiaeast" },
  japaneast: { zones: true, pairedRegion: "japanwest" },
  japanwest: { zones: false, pairedRegion: "japaneast" },
  koreacentral: { zones: true, pairedRegion: "koreasouth" },
  koreasouth: { zones: false, pairedRegion: "koreacentral" },
  southeastasia: { zones: true, pairedRegion: "eastasia" },
  eastasia: { zones: true, pairedRegion: "southeastasia" },
  centralindia: { zones: true, pairedRegion: "southindia" },
  southindia: { zones: false, pairedRegion: "centralindia" },
};

export function azureRegion(name: string): { readonly zones: boolean; readonly pairedRegion?: string } | undefined {
  return REGIONS[name.toLowerCase().replace(/\s+/g, "")];
}

/** The regions whose paired region is `name`: where a geo-restore into `name` can come from. */
export function regionsPairedInto(name: string): string[] {
  return Object.entries(REGIONS)
    .filter(([, region]) => region.pairedRegion === name)
    .map(([source]) => source)
    .sort();
}
